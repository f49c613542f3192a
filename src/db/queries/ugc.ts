import { desc, isNotNull } from 'drizzle-orm';
import type { Db } from '../client';
import { type Review, reviews } from '../schema';

/** UGC candidates, the most recently answered first (bounded: the list is for reading in Slack). */
export function listUgcCandidates(db: Db, params: { limit: number }): Promise<Review[]> {
  return db
    .select()
    .from(reviews)
    .where(isNotNull(reviews.ugcStatus))
    .orderBy(desc(reviews.ugcConsentAt), desc(reviews.id))
    .limit(params.limit);
}
