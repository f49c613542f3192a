import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';
import { ERASED, erasedAddressKey, scrubJson, scrubText } from '../../domain/erasure';

// The statements of an erasure (src/services/erasure.ts runs them in one transaction). Each
// returns how many rows it changed, so the operator sees what was held where.

const ids = (list: readonly number[]) => sql`array[${sql.join([sql`0`, ...list.map((id) => sql`${id}`)], sql`, `)}]::bigint[]`;
const texts = (list: readonly string[]) => sql`array[${sql.join(list.map((t) => sql`${t}`), sql`, `)}]::text[]`;
/** SQL true when the column's text holds one of the needles (case-insensitive). */
const holds = (column: SQLWrapper, needles: readonly string[]) =>
  needles.length === 0 ? sql`false` : sql`exists (select 1 from unnest(${texts(needles)}) n where strpos(lower(${column}::text), lower(n)) > 0)`;

/** Everything the store holds that leads to the customer: their cases, orders, and the names and texts they wrote. */
export interface Footprint {
  caseIds: number[];
  orderIds: number[];
  names: string[];
  /** What the customer wrote (ticket bodies, their messages, reviews, CSAT comments). */
  texts: string[];
}

export async function findFootprint(db: Db, p: { email: string }): Promise<Footprint> {
  const email = p.email;
  const customers = await queryRows<{ provider: string; external_id: string; name: string | null }>(
    db,
    sql`select provider, external_id, name from customers where lower(email) = ${email}`,
  );
  const orders = await queryRows<{ id: number; customer_name: string | null }>(
    db,
    sql`select o.id, o.customer_name from orders o
        where lower(o.email) = ${email}
           or exists (select 1 from customers c where lower(c.email) = ${email}
                      and c.provider = o.provider and c.external_id = o.customer_external_id)`,
  );
  const orderIds = orders.map((o) => Number(o.id));
  const cases = await queryRows<{ id: number; customer_name: string | null; body: string }>(
    db,
    sql`select id, customer_name, body from cases c
        where lower(c.customer_email) = ${email}
           or c.matched_order_id = any(${ids(orderIds)})
           or c.id in (select case_id from reviews where lower(reviewer_email) = ${email} and case_id is not null)
           or c.id in (select case_id from disputes where lower(customer_email) = ${email} and case_id is not null)`,
  );
  const caseIds = cases.map((c) => Number(c.id));
  const reviews = await queryRows<{ reviewer_name: string | null; title: string; body: string }>(
    db,
    sql`select reviewer_name, title, body from reviews where lower(reviewer_email) = ${email} or case_id = any(${ids(caseIds)})`,
  );
  const disputes = await queryRows<{ customer_name: string | null }>(
    db,
    sql`select customer_name from disputes where lower(customer_email) = ${email} or case_id = any(${ids(caseIds)})`,
  );
  const requests = await queryRows<{ customer_name: string | null }>(
    db,
    sql`select customer_name from review_requests where customer_email = ${email}`,
  );
  const messages = await queryRows<{ author_name: string | null; body: string }>(
    db,
    sql`select author_name, body from case_messages where case_id = any(${ids(caseIds)}) and direction = 'customer'`,
  );
  const comments = await queryRows<{ comment: string | null }>(
    db,
    sql`select comment from csat_responses where case_id = any(${ids(caseIds)}) and comment is not null`,
  );
  const names = [
    ...customers.map((c) => c.name),
    ...orders.map((o) => o.customer_name),
    ...cases.map((c) => c.customer_name),
    ...reviews.map((r) => r.reviewer_name),
    ...disputes.map((d) => d.customer_name),
    ...requests.map((r) => r.customer_name),
    ...messages.map((m) => m.author_name),
  ].filter((n): n is string => !!n && n !== ERASED);
  const written = [
    ...cases.map((c) => c.body),
    ...messages.map((m) => m.body),
    ...reviews.flatMap((r) => [r.title, r.body]),
    ...comments.map((c) => c.comment ?? ''),
  ].filter((t) => t && t !== ERASED);
  return { caseIds, orderIds, names: [...new Set(names)], texts: [...new Set(written)] };
}

/**
 * Rewrites the named text, text[] or jsonb columns of the rows matching `where` whose content
 * holds a needle, each string with the needles replaced. Returns the rows changed.
 */
async function scrubColumns(db: Db, p: { table: string; columns: readonly string[]; where: SQL; needles: readonly string[] }): Promise<number> {
  if (p.needles.length === 0) return 0;
  const cols = p.columns.map((c) => sql.identifier(c));
  const anyHolds = sql.join(
    cols.map((c) => holds(c, p.needles)),
    sql` or `,
  );
  const rows = await queryRows<Record<string, unknown> & { id: number }>(
    db,
    sql`select id, ${sql.join(cols, sql`, `)} from ${sql.identifier(p.table)} where (${p.where}) and (${anyHolds}) for update`,
  );
  for (const row of rows) {
    const sets = p.columns
      .filter((c) => row[c] !== null && row[c] !== undefined)
      .map((c) => {
        const v = row[c];
        if (typeof v === 'string') return sql`${sql.identifier(c)} = ${scrubText(v, p.needles)}`;
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
          return sql`${sql.identifier(c)} = ${texts((v as string[]).map((x) => scrubText(x, p.needles)))}`;
        }
        return sql`${sql.identifier(c)} = ${JSON.stringify(scrubJson(v, p.needles))}::jsonb`;
      });
    if (sets.length > 0) await db.execute(sql`update ${sql.identifier(p.table)} set ${sql.join(sets, sql`, `)} where id = ${row.id}`);
  }
  return rows.length;
}

async function count(db: Db, statement: SQL): Promise<number> {
  const rows = await queryRows<{ id: number }>(db, sql`${statement} returning id`);
  return rows.length;
}

export interface ErasureStep {
  caseIds: number[];
  orderIds: number[];
  email: string;
  /** The address and the customer's names: enough to find them in anyone's text. */
  identity: string[];
  /** identity plus what the customer wrote, for rows that belong to the customer's cases. */
  needles: string[];
  at: Date;
}

export async function eraseCases(db: Db, s: ErasureStep): Promise<number> {
  await scrubColumns(db, { table: 'cases', columns: ['escalation_reason'], where: sql`id = any(${ids(s.caseIds)})`, needles: s.needles });
  return count(
    db,
    sql`update cases set subject = ${ERASED}, body = ${ERASED}, customer_name = null, customer_email = null, customer_id = null,
               customer_tags = '{}', updated_at = ${s.at.toISOString()}::timestamptz
        where id = any(${ids(s.caseIds)}) and (body <> ${ERASED} or customer_email is not null or customer_name is not null)`,
  );
}

/** Every message of the case: agents' replies and notes quote and greet the customer too. */
export function eraseCaseMessages(db: Db, s: ErasureStep): Promise<number> {
  return count(
    db,
    sql`update case_messages set body = ${ERASED}, author_name = case when direction = 'customer' then null else author_name end
        where case_id = any(${ids(s.caseIds)}) and (body <> ${ERASED} or (direction = 'customer' and author_name is not null))`,
  );
}

/** The audit log keeps who did what and when; only the customer's words and names leave it. */
export function scrubCaseEvents(db: Db, s: ErasureStep): Promise<number> {
  return scrubColumns(db, { table: 'case_events', columns: ['data'], where: sql`case_id = any(${ids(s.caseIds)})`, needles: s.needles });
}

/** Drafts lose their text and recipient; one not yet sent can no longer be. */
export async function eraseReplyDrafts(db: Db, s: ErasureStep): Promise<number> {
  await scrubColumns(db, { table: 'reply_drafts', columns: ['override_reason', 'last_error'], where: sql`case_id = any(${ids(s.caseIds)})`, needles: s.needles });
  const parts = JSON.stringify({ confirmation: ERASED, status: ERASED, next: ERASED, needs: null, contact: ERASED });
  return count(
    db,
    sql`update reply_drafts set greeting = ${ERASED}, signoff = ${ERASED}, body = ${ERASED}, parts = ${parts}::jsonb,
               findings = '[]'::jsonb, target = null, status = case when status = 'draft' then 'superseded' else status end
        where case_id = any(${ids(s.caseIds)}) and (body <> ${ERASED} or target is not null)`,
  );
}

export function scrubReviewResponses(db: Db, s: ErasureStep): Promise<number> {
  return scrubColumns(db, {
    table: 'review_responses',
    columns: ['acknowledge', 'action_detail', 'improvement_note', 'body'],
    where: sql`case_id = any(${ids(s.caseIds)})`,
    needles: s.needles,
  });
}

export function eraseCsatComments(db: Db, s: ErasureStep): Promise<number> {
  return count(db, sql`update csat_responses set comment = null where case_id = any(${ids(s.caseIds)}) and comment is not null`);
}

/**
 * Requests for the right to reuse the customer's review: the address and the team's words to them
 * go, and an open request is closed (its grant and decline links stop working).
 */
export async function eraseUgcConsentRequests(db: Db, s: ErasureStep): Promise<number> {
  const mine = sql`lower(target) = ${s.email} or review_id in (
    select id from reviews where lower(reviewer_email) = ${s.email} or case_id = any(${ids(s.caseIds)}))`;
  await scrubColumns(db, { table: 'ugc_consent_requests', columns: ['last_error'], where: mine, needles: s.needles });
  return count(
    db,
    sql`update ugc_consent_requests set target = null, note = case when note is null then null else ${ERASED} end,
               status = case when status in ('queued', 'sent', 'failed', 'copy') then 'superseded' else status end
        where (${mine}) and (target is not null or (note is not null and note <> ${ERASED}) or status in ('queued', 'sent', 'failed', 'copy'))`,
  );
}

/** Reviews keep their rating and date for the figures; the words, photos and any usage right go. */
export async function eraseReviews(db: Db, s: ErasureStep): Promise<number> {
  const mine = sql`lower(reviewer_email) = ${s.email} or case_id = any(${ids(s.caseIds)})`;
  await scrubColumns(db, { table: 'reviews', columns: ['checklist'], where: mine, needles: s.needles });
  return count(
    db,
    sql`update reviews set title = case when title = '' then '' else ${ERASED} end, body = ${ERASED},
               reviewer_name = null, reviewer_email = null, media = '[]'::jsonb,
               ugc_consent = case when ugc_consent = 'none' then 'none' else 'revoked' end, ugc_consent_note = null,
               ugc_scope = '{}', ugc_consent_scope = '{}', updated_at = ${s.at.toISOString()}::timestamptz
        where (${mine}) and (body <> ${ERASED} or reviewer_email is not null or reviewer_name is not null)`,
  );
}

export async function eraseDisputes(db: Db, s: ErasureStep): Promise<number> {
  const mine = sql`lower(customer_email) = ${s.email} or case_id = any(${ids(s.caseIds)})`;
  await scrubColumns(db, { table: 'disputes', columns: ['evidence'], where: mine, needles: s.needles });
  return count(
    db,
    sql`update disputes set customer_email = null, customer_name = null
        where (${mine}) and (customer_email is not null or customer_name is not null)`,
  );
}

/** Orders keep amount, country and items for the figures; who bought them goes. */
export async function eraseOrders(db: Db, s: ErasureStep): Promise<{ orders: number; fulfillments: number; refunds: number }> {
  const orderKeys = sql`(provider, order_external_id) in (select provider, external_id from orders where id = any(${ids(s.orderIds)}))`;
  const fulfillments = await count(
    db,
    sql`update order_fulfillments set tracking_number = null, tracking_url = null
        where ${orderKeys} and (tracking_number is not null or tracking_url is not null)`,
  );
  const refunds = await count(db, sql`update order_refunds set note = null where ${orderKeys} and note is not null`);
  const orders = await count(
    db,
    sql`update orders set email = null, customer_name = null, customer_external_id = null
        where id = any(${ids(s.orderIds)}) and (email is not null or customer_name is not null or customer_external_id is not null)`,
  );
  return { orders, fulfillments, refunds };
}

/** The store platform's customer record has nothing the figures need: it goes whole. */
export function deleteCustomers(db: Db, s: ErasureStep): Promise<number> {
  return count(db, sql`delete from customers where lower(email) = ${s.email}`);
}

/** Deliveries kept for inspection: a raw body that names the customer goes, other fields are scrubbed. */
export async function eraseWebhookInbox(db: Db, s: ErasureStep): Promise<number> {
  const withBody = await count(db, sql`update webhook_inbox set body = null where body is not null and ${holds(sql`body`, s.identity)}`);
  const scrubbed = await scrubColumns(db, { table: 'webhook_inbox', columns: ['headers', 'error'], where: sql`true`, needles: s.identity });
  return Math.max(withBody, scrubbed);
}

/** Deliveries not yet made (pending, in flight, failed): they would carry the customer's words to Slack or a mail server. */
export async function scrubOutbox(db: Db, s: ErasureStep): Promise<number> {
  const linked = await scrubColumns(db, {
    table: 'outbox',
    columns: ['payload', 'last_error'],
    where: sql`status <> 'done' and case_id = any(${ids(s.caseIds)})`,
    needles: s.needles,
  });
  // Rows of no case (a DM, an e-mail) that name the customer; the linked rows above no longer do.
  const other = await scrubColumns(db, { table: 'outbox', columns: ['payload', 'last_error'], where: sql`status <> 'done'`, needles: s.identity });
  return linked + other;
}

export function scrubDigests(db: Db, s: ErasureStep): Promise<number> {
  return scrubColumns(db, { table: 'digests', columns: ['content'], where: sql`true`, needles: s.needles });
}

export function scrubFixItems(db: Db, s: ErasureStep): Promise<number> {
  return scrubColumns(db, { table: 'fix_items', columns: ['note'], where: sql`true`, needles: s.identity });
}

/** The cases whose card is in Slack, so each is re-rendered without the erased data. */
export async function postedCards(db: Db, s: ErasureStep): Promise<{ id: number; channelId: string }[]> {
  const rows = await queryRows<{ id: number; channel_id: string }>(
    db,
    sql`select id, channel_id from cases where id = any(${ids(s.caseIds)}) and slack_ts is not null`,
  );
  return rows.map((r) => ({ id: Number(r.id), channelId: r.channel_id }));
}

/** Whether the address is remembered as erased (by its hash). */
export async function isErasedAddress(db: Db, p: { email: string }): Promise<boolean> {
  const rows = await queryRows(db, sql`select 1 from email_suppressions where email = ${erasedAddressKey(p.email)}`);
  return rows.length > 0;
}
