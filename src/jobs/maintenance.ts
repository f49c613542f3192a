import { sql } from 'drizzle-orm';
import type { Job } from './scheduler';

/**
 * Keeps housekeeping tables small: Slack event ids only need remembering for as long as Slack
 * retries (minutes; kept a week), and delivered outbox rows for as long as someone may look into
 * a delivery (30 days). Failed rows stay until an operator re-queues or removes them.
 */
export const maintenanceJob: Job = {
  name: 'maintenance',
  schedule: '17 * * * *',
  async run(tx, now) {
    const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();
    const monthAgo = new Date(now.getTime() - 30 * 86_400_000).toISOString();
    await tx.execute(sql`delete from slack_events where received_at < ${weekAgo}::timestamptz`);
    await tx.execute(sql`delete from outbox where status = 'done' and done_at < ${monthAgo}::timestamptz`);
  },
};
