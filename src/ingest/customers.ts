import type { Deps } from '../services/deps';
import { eraseCustomerRequests } from '../services/review-requests';
import type { Route } from './http';
import { customerEraseSchema } from './schemas';

// POST /api/v1/customers/erase: the store's erasure request for one address. From that moment no
// review request goes to it (queued e-mails and hand-overs included) and its requests stop naming
// the customer; a later order from the address is never asked either.

export function customerRoutes(deps: Deps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/customers/erase',
      auth: 'ingest',
      json: true,
      async handler(ctx) {
        const { email } = ctx.json(customerEraseSchema);
        const out = await eraseCustomerRequests(deps, email.trim().toLowerCase());
        deps.logger.info({ erased: out.erased, stopped: out.stopped }, 'customer erased from review requests');
        return { status: 200, body: { review_requests_erased: out.erased, review_requests_stopped: out.stopped } };
      },
    },
  ];
}
