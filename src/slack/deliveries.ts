import type { KnownBlock } from '@slack/types';
import { buildEscalationPost } from '../../blocks/escalation';
import { buildThreadEntry } from '../../blocks/thread-entry';
import type { WorkspaceConfig } from '../config/workspace';
import { getCase, setCardTs } from '../db/queries/cases';
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

export async function loadPostedCase(ctx: DeliveryContext): Promise<Case & { slackTs: string }> {
  const c = await loadCase(ctx);
  // Ordered behind the card post by order key; no ts here means that post failed. This row fails
  // too, and goes out after the card when failed rows are re-queued.
  if (!c.slackTs) throw new CannotDeliver('card_not_posted');
  return c as Case & { slackTs: string };
}

/** The thread entry a thread_post carries, rendered now: a timeline fact, or (a row queued before facts were stored) the message as it was rendered. */
export function renderThreadPost(payload: OutboxPayload<'thread_post'>, config: WorkspaceConfig): { text: string; blocks?: KnownBlock[] } {
  return 'type' in payload ? buildThreadEntry(payload, { tags: config.tags }) : payload;
}

export function caseDeliveryHandlers(deps: DeliveryDeps) {
  return {
    async card_post(ctx) {
      let c = await loadCase(ctx);
      if (c.slackTs) return { ts: c.slackTs };
      if (!c.judgement && deps.judgeFirst) {
        // Judged now, or just now by the worker after ingest: either way the card shows the judgement.
        await deps.judgeFirst(c.id);
        c = await loadCase(ctx);
      }
      const card = await renderCaseCard(ctx.db, c, deps.config, deps.clock(), deps.teamUrl());
      const posted = await sendWithImageFallback(card.blocks, (blocks) =>
        ctx.post({ channel: ctx.row.channel, text: card.text, blocks, unfurl_links: false, unfurl_media: false }),
      );
      await setCardTs(ctx.db, { id: c.id, channelId: posted.channel, ts: posted.ts });
      return { ts: posted.ts };
    },

    async card_update(ctx) {
      const c = await loadPostedCase(ctx);
      const card = await renderCaseCard(ctx.db, c, deps.config, deps.clock(), deps.teamUrl());
      await ctx.paced();
      await sendWithImageFallback(card.blocks, (blocks) =>
        ctx.client.chat.update({ channel: c.channelId, ts: c.slackTs, text: card.text, blocks }),
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
