import { and, asc, eq, gt, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';
import { erasedAddressKey } from '../../domain/erasure';
import { REQUEST_ATTRIBUTION_DAYS, type RequestFigures } from '../../domain/review-requests';
import { emailSuppressions, type ReviewRequest, reviewRequestSends, reviewRequests, type RequestedProduct } from '../schema';

type NewRequest = typeof reviewRequests.$inferInsert;

/** Schedules a request; null when the order already has one (a repeated delivery event). */
export async function insertRequest(db: Db, row: NewRequest): Promise<ReviewRequest | null> {
  const [inserted] = await db.insert(reviewRequests).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function getRequest(db: Db, params: { id: number }): Promise<ReviewRequest | null> {
  const [row] = await db.select().from(reviewRequests).where(eq(reviewRequests.id, params.id));
  return row ?? null;
}

export async function getRequestByOrder(db: Db, params: { provider: string; externalId: string }): Promise<ReviewRequest | null> {
  const [row] = await db
    .select()
    .from(reviewRequests)
    .where(and(eq(reviewRequests.orderProvider, params.provider), eq(reviewRequests.orderExternalId, params.externalId)));
  return row ?? null;
}

/** Requests whose next look has come, oldest first, locked so two sweeps never take the same one. */
export async function claimDueRequests(db: Db, params: { now: Date; limit: number }): Promise<ReviewRequest[]> {
  return db
    .select()
    .from(reviewRequests)
    .where(and(isNotNull(reviewRequests.checkAt), lte(reviewRequests.checkAt, params.now)))
    .orderBy(asc(reviewRequests.checkAt))
    .limit(params.limit)
    .for('update', { skipLocked: true });
}

export async function updateRequest(db: Db, params: { id: number; patch: Partial<NewRequest> }): Promise<ReviewRequest> {
  const [row] = await db.update(reviewRequests).set(params.patch).where(eq(reviewRequests.id, params.id)).returning();
  return row!;
}

/** What the schedule needs to know about the customer, read in one place. */
export interface RequestFacts {
  suppressed: 'unsubscribed' | 'erased' | null;
  cases: { open: boolean; tags: string[]; orderId: string | null }[];
  openDispute: boolean;
  otherFirstSends: Date[];
  recentProducts: string[];
  reviewedSince: boolean;
}

export async function requestFacts(
  db: Db,
  params: { requestId: number; email: string; since: Date; capSince: Date; repeatSince: Date },
): Promise<RequestFacts> {
  const email = params.email.toLowerCase();
  const suppression = await suppressionOf(db, email);
  const cases = await queryRows<{ open: boolean; tags: string[]; order_id: string | null }>(
    db,
    sql`select status <> 'resolved' as open, tags, order_id from cases
        where lower(customer_email) = ${email} and kind <> 'review' order by id desc limit 200`,
  );
  const [dispute] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from disputes where lower(customer_email) = ${email} and closed_at is null`,
  );
  const others = await db
    .select({ firstSentAt: reviewRequests.firstSentAt, products: reviewRequests.products })
    .from(reviewRequests)
    .where(
      and(
        eq(reviewRequests.customerEmail, email),
        ne(reviewRequests.id, params.requestId),
        gt(reviewRequests.firstSentAt, params.capSince < params.repeatSince ? params.capSince : params.repeatSince),
      ),
    );
  const [reviewed] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from reviews where lower(reviewer_email) = ${email} and written_at >= ${params.since.toISOString()}::timestamptz`,
  );
  return {
    suppressed: suppression as RequestFacts['suppressed'],
    cases: cases.map((c) => ({ open: c.open, tags: c.tags, orderId: c.order_id })),
    openDispute: (dispute?.n ?? 0) > 0,
    otherFirstSends: others.filter((o) => o.firstSentAt! > params.capSince).map((o) => o.firstSentAt!),
    recentProducts: others.filter((o) => o.firstSentAt! > params.repeatSince).flatMap((o) => (o.products as RequestedProduct[]).map((p) => p.key)),
    reviewedSince: (reviewed?.n ?? 0) > 0,
  };
}

/** Records one e-mail of a request; false when it was recorded before (exactly once per step). */
export async function recordSend(db: Db, params: { requestId: number; step: number; at: Date }): Promise<boolean> {
  const rows = await db
    .insert(reviewRequestSends)
    .values({ requestId: params.requestId, step: params.step, queuedAt: params.at })
    .onConflictDoNothing()
    .returning({ id: reviewRequestSends.id });
  return rows.length > 0;
}

export async function getSend(db: Db, params: { requestId: number; step: number }) {
  const [row] = await db
    .select()
    .from(reviewRequestSends)
    .where(and(eq(reviewRequestSends.requestId, params.requestId), eq(reviewRequestSends.step, params.step)));
  return row ?? null;
}

export async function markSend(
  db: Db,
  params: { requestId: number; step: number; status: 'sent' | 'suppressed' | 'failed'; at: Date; messageId?: string },
): Promise<void> {
  await db
    .update(reviewRequestSends)
    .set({ status: params.status, sentAt: params.status === 'sent' ? params.at : null, messageId: params.messageId ?? null })
    .where(and(eq(reviewRequestSends.requestId, params.requestId), eq(reviewRequestSends.step, params.step)));
}

/**
 * Claims one queued e-mail for the try about to hand it over (queued → sending), in one statement:
 * a second try of the same outbox row, whose lease ran out while the first was still talking to the
 * mail server, finds it claimed and sends nothing.
 */
export async function claimSend(db: Db, params: { requestId: number; step: number }): Promise<boolean> {
  const rows = await db
    .update(reviewRequestSends)
    .set({ status: 'sending' })
    .where(and(eq(reviewRequestSends.requestId, params.requestId), eq(reviewRequestSends.step, params.step), eq(reviewRequestSends.status, 'queued')))
    .returning({ id: reviewRequestSends.id });
  return rows.length > 0;
}

/** A try that failed in a way worth retrying gives its claim back, so the retry can send. */
export async function releaseSend(db: Db, params: { requestId: number; step: number }): Promise<void> {
  await db
    .update(reviewRequestSends)
    .set({ status: 'queued' })
    .where(and(eq(reviewRequestSends.requestId, params.requestId), eq(reviewRequestSends.step, params.step), eq(reviewRequestSends.status, 'sending')));
}

export function getSuppression(db: Db, params: { email: string }): Promise<string | null> {
  return suppressionOf(db, params.email.toLowerCase());
}

/** An address is suppressed under itself (unsubscribed) or, once erased, under its hash only; erasure wins. */
async function suppressionOf(db: Db, email: string): Promise<string | null> {
  const rows = await db
    .select({ reason: emailSuppressions.reason })
    .from(emailSuppressions)
    .where(inArray(emailSuppressions.email, [email, erasedAddressKey(email)]));
  return rows.find((r) => r.reason === 'erased')?.reason ?? rows[0]?.reason ?? null;
}

/**
 * Stops every review request to an address at once: the address is suppressed, waiting requests
 * are skipped and e-mails still queued are marked suppressed (their delivery then sends nothing).
 * Erasure wins over an earlier unsubscribe. Returns how many requests were stopped.
 */
export async function suppressEmail(db: Db, params: { email: string; reason: 'unsubscribed' | 'erased'; at: Date }): Promise<number> {
  const email = params.email.toLowerCase();
  // An erased address is remembered by its hash only (erasedAddressKey), never as written.
  if (params.reason === 'erased') await db.delete(emailSuppressions).where(eq(emailSuppressions.email, email));
  await db
    .insert(emailSuppressions)
    .values({ email: params.reason === 'erased' ? erasedAddressKey(email) : email, reason: params.reason, createdAt: params.at })
    .onConflictDoUpdate({
      target: emailSuppressions.email,
      set: { reason: sql`case when ${emailSuppressions.reason} = 'erased' then 'erased' else excluded.reason end` },
    });
  const stopped = await db
    .update(reviewRequests)
    .set({ status: 'skipped', skipReason: params.reason, checkAt: null, updatedAt: params.at })
    .where(and(eq(reviewRequests.customerEmail, email), inArray(reviewRequests.status, ['scheduled', 'held', 'sent'])))
    .returning({ id: reviewRequests.id });
  await db.execute(sql`update review_request_sends set status = 'suppressed'
    where status = 'queued' and request_id in (select id from review_requests where customer_email = ${email})`);
  return stopped.length;
}

/**
 * Erasure: the address's requests keep their dates for the figures and lose what names the
 * customer. The suppression is then kept under the address's hash (queries/erasure.ts).
 */
export async function eraseRequests(db: Db, params: { email: string; at: Date }): Promise<number> {
  const email = params.email.toLowerCase();
  const rows = await db
    .update(reviewRequests)
    .set({ customerName: null, customerEmail: sql`'erased:' || ${reviewRequests.id}`, timezone: null, updatedAt: params.at })
    .where(eq(reviewRequests.customerEmail, email))
    .returning({ id: reviewRequests.id });
  return rows.length;
}

/** The period's review-request figures (see RequestFigures); reviews are matched to requests by e-mail. */
export async function requestFigures(db: Db, p: { start: Date; end: Date }): Promise<RequestFigures> {
  const start = p.start.toISOString();
  const end = p.end.toISOString();
  const days = REQUEST_ATTRIBUTION_DAYS;
  const [sent] = await queryRows<{ sent: number; reviewed: number; with_media: number; median_ms: number | null }>(
    db,
    sql`select count(*)::int as sent,
               count(rv.written_at)::int as reviewed,
               count(*) filter (where rv.media_count > 0)::int as with_media,
               (percentile_cont(0.5) within group (order by extract(epoch from rv.written_at - rr.first_sent_at) * 1000))::float8 as median_ms
        from review_requests rr
        left join lateral (
          select r.written_at, jsonb_array_length(r.media) as media_count from reviews r
          where lower(r.reviewer_email) = rr.customer_email
            and r.written_at >= rr.first_sent_at and r.written_at < rr.first_sent_at + make_interval(days => ${days})
          order by r.written_at limit 1
        ) rv on true
        where rr.first_sent_at >= ${start}::timestamptz and rr.first_sent_at < ${end}::timestamptz`,
  );
  const [held] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from review_requests
        where ever_held and due_at >= ${start}::timestamptz and due_at < ${end}::timestamptz`,
  );
  const ratings = await queryRows<{ solicited: boolean; n: number; avg: number | null }>(
    db,
    sql`select exists (
              select 1 from review_requests rr
              where rr.customer_email = lower(r.reviewer_email) and rr.first_sent_at <= r.written_at
                and r.written_at < rr.first_sent_at + make_interval(days => ${days})
            ) as solicited,
            count(*)::int as n, avg(r.rating)::float8 as avg
        from reviews r
        where r.written_at >= ${start}::timestamptz and r.written_at < ${end}::timestamptz
        group by 1`,
  );
  const of = (solicited: boolean) => {
    const row = ratings.find((x) => x.solicited === solicited);
    return { count: row?.n ?? 0, averageRating: row?.avg ?? null };
  };
  return {
    sent: sent?.sent ?? 0,
    reviewed: sent?.reviewed ?? 0,
    withMedia: sent?.with_media ?? 0,
    medianMsToReview: sent?.median_ms ?? null,
    held: held?.n ?? 0,
    fromRequests: of(true),
    unsolicited: of(false),
  };
}
