import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';

// How long housekeeping rows are kept. Each rule names the table, the rows it applies to and
// their age in days; a row past its age is deleted by the scheduled housekeeping.

const DAY_MS = 86_400_000;

export const RETENTION = {
  // Slack event ids only need remembering for as long as Slack retries (minutes; kept a week).
  slackEvents: { days: 7, table: 'slack_events', where: (before: string) => sql`received_at < ${before}::timestamptz` },
  // Delivered outbox rows, for as long as someone may look into a delivery. Failed rows stay until
  // an operator re-queues or removes them.
  deliveredOutbox: { days: 30, table: 'outbox', where: (before: string) => sql`status = 'done' and done_at < ${before}::timestamptz` },
  // A webhook event id only needs keeping for as long as providers retry (PayPal: 3 days);
  // processed and ignored deliveries are kept 30 days, rejected ones (kept for inspection) 90.
  settledWebhooks: {
    days: 30,
    table: 'webhook_inbox',
    where: (before: string) => sql`status in ('processed', 'ignored') and received_at < ${before}::timestamptz`,
  },
  rejectedWebhooks: {
    days: 90,
    table: 'webhook_inbox',
    where: (before: string) => sql`status = 'rejected' and received_at < ${before}::timestamptz`,
  },
} as const;

export type RetentionRule = keyof typeof RETENTION;

/** Deletes the rows of each rule older than its age at `now`. */
export async function pruneExpired(db: Db, rules: readonly RetentionRule[], now: Date): Promise<void> {
  for (const name of rules) {
    const rule = RETENTION[name];
    await db.execute(sql`delete from ${sql.identifier(rule.table)} where ${rule.where(new Date(now.getTime() - rule.days * DAY_MS).toISOString())}`);
  }
}

// ---- Personal data past the store's retention (`trustloop purge`) ----------------------------

/** The cut-offs of a purge: rows older than these go; null keeps that kind of data. */
export interface PurgeCutoffs {
  casesBefore: Date | null;
  ordersBefore: Date | null;
  now: Date;
}

interface PurgeRule {
  table: string;
  /** The rows this rule would delete (a count), with the cut-offs applied. */
  where: (c: PurgeCutoffs) => SQL | null;
  /** False for rows that go with their case or dispute (foreign keys cascade). */
  direct: boolean;
}

const iso = (d: Date) => d.toISOString();

/** A resolved case past retention, unless a dispute on it is still open. */
const purgeableCase = (before: Date) =>
  sql`c.status = 'resolved' and c.resolved_at < ${iso(before)}::timestamptz
      and not exists (select 1 from disputes d where d.case_id = c.id and d.closed_at is null)`;
const ofPurgeableCases = (c: PurgeCutoffs) =>
  c.casesBefore ? sql`case_id in (select c.id from cases c where ${purgeableCase(c.casesBefore)})` : null;

/** A shipment or refund past the cut-off, unless the order it belongs to is kept. */
function shipmentOrRefund(table: 'order_fulfillments' | 'order_refunds', at: 'fulfilled_at' | 'refunded_at'): PurgeRule {
  return {
    table,
    direct: true,
    where: (c) =>
      c.ordersBefore &&
      sql`${sql.raw(at)} < ${iso(c.ordersBefore)}::timestamptz and not exists (
            select 1 from orders o where o.provider = ${sql.raw(table)}.provider and o.external_id = ${sql.raw(table)}.order_external_id
              and o.placed_at >= ${iso(c.ordersBefore)}::timestamptz)`,
  };
}

/**
 * In the order they are deleted: reviews and disputes while the cases they hang on are still
 * there to be checked, then the cases (their messages, timeline, drafts, ratings and reminders go
 * with them), then the store's memory of orders.
 */
export const PURGE_RULES: readonly PurgeRule[] = [
  {
    table: 'disputes',
    direct: true,
    where: (c) =>
      c.casesBefore &&
      sql`closed_at < ${iso(c.casesBefore)}::timestamptz
          and (case_id is null or case_id in (select c.id from cases c where ${purgeableCase(c.casesBefore)}))`,
  },
  {
    table: 'reviews',
    direct: true,
    // A review whose usage right is granted and current stays: the store may be using it.
    where: (c) =>
      c.casesBefore &&
      sql`written_at < ${iso(c.casesBefore)}::timestamptz
          and (case_id is null or case_id in (select c.id from cases c where ${purgeableCase(c.casesBefore)}))
          and not (ugc_consent = 'granted' and (ugc_consent_expires_at is null or ugc_consent_expires_at > ${iso(c.now)}::timestamptz))`,
  },
  { table: 'case_messages', direct: false, where: ofPurgeableCases },
  { table: 'case_events', direct: false, where: ofPurgeableCases },
  { table: 'reply_drafts', direct: false, where: ofPurgeableCases },
  { table: 'review_responses', direct: false, where: ofPurgeableCases },
  { table: 'csat_responses', direct: false, where: ofPurgeableCases },
  { table: 'case_reminders', direct: false, where: ofPurgeableCases },
  { table: 'cases', direct: true, where: (c) => c.casesBefore && sql`id in (select c.id from cases c where ${purgeableCase(c.casesBefore)})` },
  {
    table: 'review_requests',
    direct: true,
    // Only finished ones: nothing more is due to be sent or looked at.
    where: (c) => c.ordersBefore && sql`delivered_at < ${iso(c.ordersBefore)}::timestamptz and check_at is null`,
  },
  shipmentOrRefund('order_fulfillments', 'fulfilled_at'),
  shipmentOrRefund('order_refunds', 'refunded_at'),
  { table: 'orders', direct: true, where: (c) => c.ordersBefore && sql`placed_at < ${iso(c.ordersBefore)}::timestamptz` },
  // A customer record the store platform has not updated since: no order of theirs is kept either.
  { table: 'customers', direct: true, where: (c) => c.ordersBefore && sql`updated_at < ${iso(c.ordersBefore)}::timestamptz` },
];

/** Rows past retention, per table (the tables a rule is off for are left out). */
export async function purgeCounts(db: Db, c: PurgeCutoffs): Promise<{ table: string; rows: number }[]> {
  const out: { table: string; rows: number }[] = [];
  for (const rule of PURGE_RULES) {
    const where = rule.where(c);
    if (!where) continue;
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(rule.table)} where ${where}`);
    out.push({ table: rule.table, rows: Number(row?.n ?? 0) });
  }
  return out;
}

/** Deletes the rows past retention; returns what went, per table, counted before (cascaded rows included). */
export async function purgeExpired(db: Db, c: PurgeCutoffs): Promise<{ table: string; rows: number }[]> {
  const counts = await purgeCounts(db, c);
  for (const rule of PURGE_RULES) {
    const where = rule.where(c);
    if (where && rule.direct) await db.execute(sql`delete from ${sql.identifier(rule.table)} where ${where}`);
  }
  return counts;
}

/** Housekeeping rows past their age (the RETENTION rules above), per table. */
export async function housekeepingCounts(db: Db, now: Date): Promise<{ table: string; rows: number }[]> {
  const out = new Map<string, number>();
  for (const rule of Object.values(RETENTION)) {
    const before = new Date(now.getTime() - rule.days * DAY_MS).toISOString();
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(rule.table)} where ${rule.where(before)}`);
    out.set(rule.table, (out.get(rule.table) ?? 0) + Number(row?.n ?? 0));
  }
  return [...out].map(([table, rows]) => ({ table, rows }));
}
