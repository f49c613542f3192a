import type { Deps } from '../services/deps';
import { deliverUsageRightsEmail } from '../services/ugc-consent';
import { type DeliveryHandlers, SkipDelivery } from './dispatcher';

// Usage-rights requests leave through the outbox like replies and review requests: a crash or an
// SMTP outage delays one and never loses it, and the request's own status (queued → sent) keeps a
// repeated delivery of the row from e-mailing the customer again.

export function ugcDeliveryHandlers(deps: Deps) {
  return {
    async ugc_consent_email(ctx, { requestId }) {
      const out = await deliverUsageRightsEmail(ctx.db, deps, { requestId });
      if (out.retry) throw out.retry;
      if (!out.sent) throw new SkipDelivery(out.reason ?? 'usage-rights e-mail not sent');
      deps.notify();
    },
  } satisfies Partial<DeliveryHandlers>;
}
