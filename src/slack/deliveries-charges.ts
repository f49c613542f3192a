import { chargeLookupEntry } from '../../blocks/charge-lookup';
import { CHARGE_LOOKUP_ENTRY_KIND, CHARGE_LOOKUP_KIND, type ChargeLookupLine, ChargeLookupError } from '../services/charge-lookup';
import type { Deps } from '../services/deps';
import { lookUpDisputeCharge } from '../services/dispute-charges';
import { loadPostedCase } from './deliveries';
import { CannotDeliver, type DeliveryHandler, SkipDelivery } from './dispatcher';

// The Stripe charge lookup rides the outbox like an e-mail: Stripe busy or unreachable is retried
// with the dispatcher's backoff; a refused key waits as a failed row (re-queued with
// `trustloop outbox retry` once the key is fixed); an unknown charge ends the row.

export function chargeLookupDeliveryHandlers(deps: Pick<Deps, 'db' | 'charges' | 'clock' | 'logger'>): Record<string, DeliveryHandler> {
  return {
    async [CHARGE_LOOKUP_KIND](ctx) {
      const p = ctx.row.payload as { disputeId?: unknown };
      if (!Number.isInteger(p.disputeId)) throw new SkipDelivery('malformed charge lookup row');
      try {
        const outcome = await lookUpDisputeCharge(deps, { disputeId: p.disputeId as number });
        if (outcome.status === 'skipped') throw new SkipDelivery(`charge lookup skipped: ${outcome.reason}`);
      } catch (err) {
        if (err instanceof ChargeLookupError && !err.retry) {
          if (err.code === 'not_found' || err.code === 'invalid_request') throw new SkipDelivery(err.message);
          throw new CannotDeliver(`stripe_${err.code}: ${err.message}`);
        }
        throw err;
      }
    },

    async [CHARGE_LOOKUP_ENTRY_KIND](ctx) {
      const c = await loadPostedCase(ctx);
      const p = ctx.row.payload as { line?: ChargeLookupLine; at?: string };
      if (!p.line || !p.at) throw new SkipDelivery('malformed charge lookup entry');
      const entry = chargeLookupEntry(p.line, new Date(p.at));
      const posted = await ctx.post({ channel: c.channelId, thread_ts: c.slackTs, ...entry, unfurl_links: false, unfurl_media: false });
      return { ts: posted.ts };
    },
  };
}
