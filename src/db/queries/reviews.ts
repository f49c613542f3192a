import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { type Review, type ReviewResponse, reviewResponses, reviews } from '../schema';

type NewReview = typeof reviews.$inferInsert;

/** The stored review, row-locked when called inside a transaction. */
export async function lockReviewByExternal(tx: Db, params: { provider: string; externalId: string }): Promise<Review | null> {
  const [row] = await tx
    .select()
    .from(reviews)
    .where(and(eq(reviews.provider, params.provider), eq(reviews.externalId, params.externalId)))
    .for('update');
  return row ?? null;
}

export async function getReviewByExternal(db: Db, params: { provider: string; externalId: string }): Promise<Review | null> {
  const [row] = await db
    .select()
    .from(reviews)
    .where(and(eq(reviews.provider, params.provider), eq(reviews.externalId, params.externalId)));
  return row ?? null;
}

/** Inserts a review unless (provider, external id) exists; null when it did (a concurrent first delivery). */
export async function insertReview(db: Db, row: NewReview): Promise<Review | null> {
  const [inserted] = await db.insert(reviews).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function updateReview(db: Db, params: { id: number; patch: Partial<Review> }): Promise<Review> {
  const [row] = await db.update(reviews).set(params.patch).where(eq(reviews.id, params.id)).returning();
  return row!;
}

export async function getReview(db: Db, params: { id: number }): Promise<Review | null> {
  const [row] = await db.select().from(reviews).where(eq(reviews.id, params.id));
  return row ?? null;
}

export async function lockReview(tx: Db, params: { id: number }): Promise<Review | null> {
  const [row] = await tx.select().from(reviews).where(eq(reviews.id, params.id)).for('update');
  return row ?? null;
}

export async function getReviewByCase(db: Db, params: { caseId: number }): Promise<Review | null> {
  const [row] = await db.select().from(reviews).where(eq(reviews.caseId, params.caseId)).orderBy(reviews.id).limit(1);
  return row ?? null;
}

/** UGC the store may use now: approved for a use and the customer's consent is granted. */
export async function listUsableUgc(db: Db): Promise<Review[]> {
  return db
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.ugcConsent, 'granted'),
        sql`cardinality(${reviews.ugcScope}) > 0`,
        sql`${reviews.ugcStatus} is distinct from 'skipped'`,
      ),
    )
    .orderBy(reviews.ugcApprovedAt);
}

export async function latestResponse(db: Db, params: { caseId: number }): Promise<ReviewResponse | null> {
  const [row] = await db
    .select()
    .from(reviewResponses)
    .where(eq(reviewResponses.caseId, params.caseId))
    .orderBy(desc(reviewResponses.version))
    .limit(1);
  return row ?? null;
}

export async function getResponse(db: Db, params: { id: number }): Promise<ReviewResponse | null> {
  const [row] = await db.select().from(reviewResponses).where(eq(reviewResponses.id, params.id));
  return row ?? null;
}

/** Stores a new version of the draft; earlier pending versions are superseded. */
export async function insertResponseVersion(
  tx: Db,
  row: Omit<typeof reviewResponses.$inferInsert, 'version' | 'status'>,
): Promise<ReviewResponse> {
  await tx
    .update(reviewResponses)
    .set({ status: 'superseded' })
    .where(and(eq(reviewResponses.caseId, row.caseId), eq(reviewResponses.status, 'pending')));
  const [inserted] = await tx
    .insert(reviewResponses)
    .values({
      ...row,
      version: sql`coalesce((select max(version) from review_responses where case_id = ${row.caseId}), 0) + 1`,
      status: 'pending',
    })
    .returning();
  return inserted!;
}

export async function approveResponse(tx: Db, params: { id: number; by: string; at: Date }): Promise<ReviewResponse> {
  const [row] = await tx
    .update(reviewResponses)
    .set({ status: 'approved', approvedBy: params.by, approvedAt: params.at })
    .where(eq(reviewResponses.id, params.id))
    .returning();
  return row!;
}
