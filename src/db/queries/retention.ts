import { sql } from 'drizzle-orm';
import type { Db } from '../client';

// How long housekeeping rows are kept. Each rule names the table, the rows it applies to and
// their age in days; a row past its age is deleted by the scheduled housekeeping.

const DAY_MS = 86_400_000;

export const RETENTION = {
  // Slack event ids only need remembering for as long as Slack retries (minutes; kept a week).
  slackEvents: { days: 7, remove: (before: string) => sql`delete from slack_events where received_at < ${before}::timestamptz` },
  // Delivered outbox rows, for as long as someone may look into a delivery. Failed rows stay until
  // an operator re-queues or removes them.
  deliveredOutbox: {
    days: 30,
    remove: (before: string) => sql`delete from outbox where status = 'done' and done_at < ${before}::timestamptz`,
  },
  // A webhook event id only needs keeping for as long as providers retry (PayPal: 3 days);
  // processed and ignored deliveries are kept 30 days, rejected ones (kept for inspection) 90.
  settledWebhooks: {
    days: 30,
    remove: (before: string) =>
      sql`delete from webhook_inbox where status in ('processed', 'ignored') and received_at < ${before}::timestamptz`,
  },
  rejectedWebhooks: {
    days: 90,
    remove: (before: string) => sql`delete from webhook_inbox where status = 'rejected' and received_at < ${before}::timestamptz`,
  },
} as const;

export type RetentionRule = keyof typeof RETENTION;

/** Deletes the rows of each rule older than its age at `now`. */
export async function pruneExpired(db: Db, rules: readonly RetentionRule[], now: Date): Promise<void> {
  for (const name of rules) {
    const rule = RETENTION[name];
    await db.execute(rule.remove(new Date(now.getTime() - rule.days * DAY_MS).toISOString()));
  }
}
