import { sql } from 'drizzle-orm';
import { detectClusters } from '../services/clusters';
import type { Deps } from '../services/deps';
import type { Job } from './scheduler';

/**
 * Quality clusters that tickets complete: a ticket tagged damaged or quality (by the judgement
 * engine or by staff) can be the report that makes a cluster; negative reviews are checked as
 * they arrive, this catches the rest within ten minutes.
 */
export function reviewClusterJob(deps: Pick<Deps, 'config' | 'logger'>): Job {
  return {
    name: 'review-clusters',
    schedule: '*/10 * * * *',
    run: async (tx, now) => {
      const found = await detectClusters(tx, deps, now);
      if (found.alerts + found.extended > 0) deps.logger.info(found, 'quality clusters');
    },
  };
}

/**
 * The webhook inbox only needs an event id for as long as providers retry (PayPal: 3 days);
 * processed and ignored deliveries are kept 30 days, rejected ones (kept for inspection) 90.
 */
export const webhookInboxJob: Job = {
  name: 'webhook-inbox-housekeeping',
  schedule: '23 * * * *',
  async run(tx, now) {
    const monthAgo = new Date(now.getTime() - 30 * 86_400_000).toISOString();
    const quarterAgo = new Date(now.getTime() - 90 * 86_400_000).toISOString();
    await tx.execute(sql`delete from webhook_inbox where status in ('processed', 'ignored') and received_at < ${monthAgo}::timestamptz`);
    await tx.execute(sql`delete from webhook_inbox where status = 'rejected' and received_at < ${quarterAgo}::timestamptz`);
  },
};
