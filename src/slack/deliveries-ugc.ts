import type { Deps } from '../services/deps';
import { deliverUsageRightsEmail, UGC_CONSENT_EMAIL } from '../services/ugc-consent';
import { type DeliveryHandler, SkipDelivery } from './dispatcher';

// Usage-rights requests leave through the outbox like replies and review requests: a crash or an
// SMTP outage delays one and never loses it, and the request's own status (queued → sent) keeps a
// repeated delivery of the row from e-mailing the customer again.

export function ugcDeliveryHandlers(deps: Deps): Record<string, DeliveryHandler> {
  return {
    async [UGC_CONSENT_EMAIL](ctx) {
      const p = ctx.row.payload as { requestId?: number };
      if (!Number.isInteger(p.requestId)) throw new SkipDelivery('malformed usage-rights row');
      const out = await deliverUsageRightsEmail(ctx.db, deps, { requestId: p.requestId! });
      if (out.retry) throw out.retry;
      if (!out.sent) throw new SkipDelivery(out.reason ?? 'usage-rights e-mail not sent');
      deps.notify();
    },
  };
}
