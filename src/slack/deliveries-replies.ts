import { buildDraftPost, buildReplyEvent } from '../../blocks/reply';
import type { SendChannel } from '../domain/reply/channels';
import { getCase, lockCase } from '../db/queries/cases';
import { claimSend, getDraft, lockDraft, releaseSend } from '../db/queries/replies';
import type { Deps } from '../services/deps';
import { recordFailed, recordRetry, recordSent } from '../services/replies';
import { failureOf, type Senders } from '../services/send';
import { CannotDeliver, type DeliveryHandlers, SkipDelivery } from './dispatcher';

// Replies: the thread posts about a draft (rendered now, from the stored draft), and the send
// itself. A send row runs only while its draft is "sending": once it is sent (or failed), a
// repeated delivery of the row changes nothing, so the customer gets the reply once.

/** Tries before a send that keeps failing (a server that stays down) is shown as failed on the card. */
export const MAX_SEND_ATTEMPTS = 6;

/** A try that started this long ago and never finished is taken to have died (sends time out well before). */
export const SEND_CLAIM_STALE_MS = 10 * 60_000;

export function replyDeliveryHandlers(deps: Deps, senders: Senders) {
  return {
    async reply_post(ctx, { draftId, event, actor }) {
      const c = ctx.row.caseId ? await getCase(ctx.db, { id: ctx.row.caseId }) : null;
      if (!c) throw new SkipDelivery('case no longer exists');
      if (!c.slackTs) throw new CannotDeliver('card_not_posted');
      const d = await getDraft(ctx.db, { id: draftId });
      if (!d) throw new SkipDelivery('draft no longer exists');
      const message =
        event === 'drafted'
          ? buildDraftPost({ draft: d, mustEscalate: c.mustEscalateAt !== null || c.escalatedAt !== null })
          : buildReplyEvent(d, event, actor, ctx.row.createdAt);
      const posted = await ctx.post({ channel: c.channelId, thread_ts: c.slackTs, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
      return { ts: posted.ts };
    },

    async reply_send(ctx, { draftId }) {
      const d = await getDraft(ctx.db, { id: draftId });
      if (!d || d.status !== 'sending' || !d.channel || !d.target) throw new SkipDelivery('reply is not waiting to be sent');
      const c = await getCase(ctx.db, { id: d.caseId });
      if (!c) throw new SkipDelivery('case no longer exists');
      // Exactly once: a try whose lease ran out may still be talking to the mail server. Only one
      // try holds the claim; another waits for its outcome, and a try that never finished is shown
      // to a person instead of being sent again.
      const claim = await claimSend(ctx.db, { id: d.id, staleMs: SEND_CLAIM_STALE_MS });
      if (claim === 'not_sending') throw new SkipDelivery('reply is not waiting to be sent');
      if (claim === 'busy') throw new Error('an earlier try of this reply is still running');
      if (claim === 'stale') {
        await ctx.db.transaction(async (tx) => {
          const locked = await lockCase(tx, { id: c.id });
          const current = await lockDraft(tx, { id: d.id });
          if (locked && current?.status === 'sending') {
            await recordFailed(tx, deps, { c: locked, d: current, error: 'an earlier try stopped before it finished, so it may have reached the customer: check with them before trying again' });
          }
        });
        deps.notify();
        throw new SkipDelivery('reply try interrupted');
      }
      let externalId: string | null;
      try {
        ({ externalId } = await senders.send(d.channel as SendChannel, {
          text: d.body,
          target: d.target,
          subject: `Re: ${c.subject}`.slice(0, 250),
          customerEmail: c.customerEmail,
          messageId: `<trustloop-reply-${d.id}.case-${c.id}@trustloop.invalid>`,
        }));
      } catch (err) {
        const failure = failureOf(err);
        if (failure.permanent || ctx.row.attempts >= MAX_SEND_ATTEMPTS) {
          await ctx.db.transaction(async (tx) => {
            const locked = await lockCase(tx, { id: c.id });
            const current = await lockDraft(tx, { id: d.id });
            if (current?.status === 'sending' && locked) await recordFailed(tx, deps, { c: locked, d: current, error: failure.message });
          });
          deps.notify();
          // The failure is the draft's now (shown on the card, Try again re-queues it): this row is done.
          throw new SkipDelivery(`reply not sent: ${failure.message}`);
        }
        await releaseSend(ctx.db, { id: d.id });
        await recordRetry(ctx.db, { c, d, error: failure.message });
        deps.notify();
        throw err;
      }
      await ctx.db.transaction(async (tx) => {
        const locked = await lockCase(tx, { id: c.id });
        const current = await lockDraft(tx, { id: d.id });
        if (locked && current?.status === 'sending') await recordSent(tx, deps, { c: locked, d: current, actor: current.sentBy ?? 'system', via: d.channel as SendChannel, externalId });
      });
      deps.notify();
      ctx.logger.info({ draftId: d.id, channel: d.channel }, 'reply sent');
    },
  } satisfies Partial<DeliveryHandlers>;
}
