import type { Deps } from '../services/deps';
import { sweepReviewRequests } from '../services/review-requests';
import type { Job } from './scheduler';

/**
 * Review requests whose time has come: due, a reminder, or a hold to look at again. Every minute,
 * on one replica at a time (the scheduler's advisory lock); the unique (request, step) key makes a
 * second send of the same e-mail impossible even if two sweeps ever overlapped.
 */
export function reviewRequestJob(deps: Pick<Deps, 'config' | 'logger' | 'notify'>): Job {
  return {
    name: 'review-requests',
    schedule: '*/1 * * * *',
    run: async (tx, now) => {
      if (!deps.config.review_requests.enabled) return;
      const r = await sweepReviewRequests(tx, deps, now);
      if (r.sent + r.held + r.skipped + r.completed > 0) deps.logger.info(r, 'review requests');
    },
  };
}
