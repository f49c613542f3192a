import type { KnownBlock } from '@slack/types';
import { buildEscalationPost } from '../../blocks/escalation';
import { buildThreadEntry } from '../../blocks/thread-entry';
import type { WorkspaceConfig } from '../config/workspace';
import { type CaseCard, getCase, getCaseCard } from '../db/queries/cases';
import type { Case } from '../db/schema';
import { cardPermalink } from '../domain/case';
import type { OutboxPayload } from '../domain/outbox';
import { renderCaseCard } from './render';
import { sendWithImageFallback } from './render-cases';
import { CannotDeliver, type DeliveryContext, type DeliveryHandlers, SkipDelivery } from './dispatcher';

// How each outbox kind reaches Slack. Cards are rendered at delivery time from the case's
// current state, so several pending changes go out as one chat.update.

export interface DeliveryDeps {
  config: WorkspaceConfig;
  clock: () => Date;
  /** https://<workspace>.slack.com/ from auth.test, for links to cards. */
  teamUrl: () => string | null;
  /** Judges a case stored by ingest if nothing has yet (true when it did): a card is never posted unjudged. */
  judgeFirst?: (caseId: number) => Promise<boolean>;
}

async function loadCase(ctx: DeliveryContext): Promise<Case> {
  const c = ctx.row.caseId ? await getCase(ctx.db, { id: ctx.row.caseId }) : null;
  if (!c) throw new SkipDelivery('case no longer exists');
  return c;
}

/** A card row's case and what its card shows besides (its newest reply), in one read. */
async function loadCard(ctx: DeliveryContext): Promise<CaseCard> {
  const card = ctx.row.caseId ? await getCaseCard(ctx.db, { id: ctx.row.caseId }) : null;
  if (!card) throw new SkipDelivery('case no longer exists');
  return card;
}

function posted(c: Case): Case & { slackTs: string } {
  // Ordered behind the card post by order key; no ts here means that post failed. This row fails
  // too, and goes out after the card when failed rows are re-queued.
  if (!c.slackTs) throw new CannotDeliver('card_not_posted');
  return c as Case & { slackTs: string };
}

export async function loadPostedCase(ctx: DeliveryContext): Promise<Case & { slackTs: string }> {
  return posted(await loadCase(ctx));
}

/** The thread entry a thread_post carries, rendered now: a timeline fact, or (a row queued before facts were stored) the message as it was rendered. */
export function renderThreadPost(payload: OutboxPayload<'thread_post'>, config: WorkspaceConfig): { text: string; blocks?: KnownBlock[] } {
  return 'type' in payload ? buildThreadEntry(payload, { tags: config.tags }) : payload;
}

export function caseDeliveryHandlers(deps: DeliveryDeps) {
  return {
    async card_post(ctx) {
      let card = await loadCard(ctx);
      if (card.case.slackTs) return { ts: card.case.slackTs };
      if (!card.case.judgement && deps.judgeFirst) {
        // Judged now, or just now by the worker after ingest: either way the card shows the judgement.
        await deps.judgeFirst(card.case.id);
        card = await loadCard(ctx);
      }
      const message = await renderCaseCard(ctx.db, card, deps.config, deps.clock(), deps.teamUrl());
      const sent = await sendWithImageFallback(message.blocks, (blocks) =>
        ctx.post({ channel: ctx.row.channel, text: message.text, blocks, unfurl_links: false, unfurl_media: false }),
      );
      // Stored on the case with the row's completion (one statement): later rows of the case follow it.
      return { ts: sent.ts, card: { channel: sent.channel } };
    },

    async card_update(ctx) {
      const card = await loadCard(ctx);
      const c = posted(card.case);
      const message = await renderCaseCard(ctx.db, card, deps.config, deps.clock(), deps.teamUrl());
      await ctx.paced();
      await sendWithImageFallback(message.blocks, (blocks) =>
        ctx.client.chat.update({ channel: c.channelId, ts: c.slackTs, text: message.text, blocks }),
      );
      return { ts: c.slackTs };
    },

    async thread_post(ctx, payload) {
      const c = await loadPostedCase(ctx);
      const message = renderThreadPost(payload, deps.config);
      const posted = await ctx.post({
        channel: c.channelId,
        thread_ts: c.slackTs,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      return { ts: posted.ts };
    },

    async escalation_post(ctx, { actor, reason }) {
      const c = await loadCase(ctx);
      const message = buildEscalationPost({ c, actor, reason, cardUrl: cardPermalink(deps.teamUrl(), c.channelId, c.slackTs) });
      const posted = await ctx.post({ channel: ctx.row.channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      return { ts: posted.ts };
    },

    async post(ctx, payload) {
      const posted = await ctx.post({
        channel: ctx.row.channel,
        text: payload.text,
        ...(payload.blocks ? { blocks: payload.blocks } : {}),
        ...(payload.thread_ts ? { thread_ts: payload.thread_ts } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      return { ts: posted.ts };
    },
  } satisfies Partial<DeliveryHandlers>;
}
