import { chargeLookupEntry } from '../../blocks/charge-lookup';
import { ChargeLookupError } from '../services/charge-lookup';
import type { Deps } from '../services/deps';
import { lookUpCaseCharge, lookUpDisputeCharge } from '../services/dispute-charges';
import { loadPostedCase } from './deliveries';
import { CannotDeliver, type DeliveryHandlers, SkipDelivery } from './dispatcher';

// The Stripe charge lookup rides the outbox like an e-mail: Stripe busy or unreachable is retried
// with the dispatcher's backoff; a refused key waits as a failed row (re-queued with
// `trustloop outbox retry <id>` once the key is fixed); an unknown charge ends the row.

export function chargeLookupDeliveryHandlers(deps: Pick<Deps, 'db' | 'charges' | 'clock' | 'logger'>) {
  return {
    async stripe_charge_lookup(_ctx, payload) {
      try {
        const outcome = 'disputeId' in payload ? await lookUpDisputeCharge(deps, payload) : await lookUpCaseCharge(deps, payload);
        if (outcome.status === 'skipped') throw new SkipDelivery(`charge lookup skipped: ${outcome.reason}`);
      } catch (err) {
        if (err instanceof ChargeLookupError && !err.retry) {
          if (err.code === 'not_found' || err.code === 'invalid_request') throw new SkipDelivery(err.message);
          throw new CannotDeliver(`stripe_${err.code}: ${err.message}`);
        }
        throw err;
      }
    },

    async stripe_charge_entry(ctx, { line, at }) {
      const c = await loadPostedCase(ctx);
      const entry = chargeLookupEntry(line, at);
      const posted = await ctx.post({ channel: c.channelId, thread_ts: c.slackTs, ...entry, unfurl_links: false, unfurl_media: false });
      return { ts: posted.ts };
    },
  } satisfies Partial<DeliveryHandlers>;
}
