import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { type Review, reviews, type UgcConsentRequest, ugcConsentRequests } from '../schema';

/** UGC candidates, the most recently answered first (bounded: the list is for reading in Slack). */
export function listUgcCandidates(db: Db, params: { limit: number }): Promise<Review[]> {
  return db
    .select()
    .from(reviews)
    .where(isNotNull(reviews.ugcStatus))
    .orderBy(desc(reviews.ugcConsentAt), desc(reviews.id))
    .limit(params.limit);
}

type NewConsentRequest = Omit<typeof ugcConsentRequests.$inferInsert, 'id'>;

/** Stores a usage-rights request (under the review's row lock); the open one before it is superseded, so its links stop working. */
export async function insertConsentRequest(tx: Db, row: NewConsentRequest): Promise<UgcConsentRequest> {
  await tx
    .update(ugcConsentRequests)
    .set({ status: 'superseded' })
    .where(and(eq(ugcConsentRequests.reviewId, row.reviewId), sql`${ugcConsentRequests.status} in ('queued', 'sending', 'sent', 'failed', 'copy')`));
  const [inserted] = await tx.insert(ugcConsentRequests).values(row).returning();
  return inserted!;
}

export async function getConsentRequest(db: Db, params: { id: number }): Promise<UgcConsentRequest | null> {
  const [row] = await db.select().from(ugcConsentRequests).where(eq(ugcConsentRequests.id, params.id));
  return row ?? null;
}

export async function lockConsentRequest(tx: Db, params: { id: number }): Promise<UgcConsentRequest | null> {
  const [row] = await tx.select().from(ugcConsentRequests).where(eq(ugcConsentRequests.id, params.id)).for('update');
  return row ?? null;
}

/** The review's newest usage-rights request (what its UGC post shows). */
export async function latestConsentRequest(db: Db, params: { reviewId: number }): Promise<UgcConsentRequest | null> {
  const [row] = await db
    .select()
    .from(ugcConsentRequests)
    .where(eq(ugcConsentRequests.reviewId, params.reviewId))
    .orderBy(desc(ugcConsentRequests.id))
    .limit(1);
  return row ?? null;
}

export async function updateConsentRequest(db: Db, params: { id: number; patch: Partial<UgcConsentRequest> }): Promise<UgcConsentRequest> {
  const [row] = await db.update(ugcConsentRequests).set(params.patch).where(eq(ugcConsentRequests.id, params.id)).returning();
  return row!;
}

/** queued → sending for the try about to e-mail the request; false when another try has it or it is no longer queued. */
export async function claimConsentEmail(db: Db, params: { id: number }): Promise<boolean> {
  const rows = await db
    .update(ugcConsentRequests)
    .set({ status: 'sending' })
    .where(and(eq(ugcConsentRequests.id, params.id), eq(ugcConsentRequests.status, 'queued')))
    .returning({ id: ugcConsentRequests.id });
  return rows.length > 0;
}

/** A try that failed in a way worth retrying gives its claim back. */
export async function releaseConsentEmail(db: Db, params: { id: number }): Promise<void> {
  await db
    .update(ugcConsentRequests)
    .set({ status: 'queued' })
    .where(and(eq(ugcConsentRequests.id, params.id), eq(ugcConsentRequests.status, 'sending')));
}
