import type { Db } from '../db/client';
import { findCaseByExternal, getCase } from '../db/queries/cases';
import { getDisputeByExternal } from '../db/queries/disputes';
import { getReviewByExternal } from '../db/queries/reviews';
import type { Case, Dispute, Review } from '../db/schema';
import type { DisputeProvider, ReviewProvider } from '../domain/provider-events';

// The reads the ingest API answers with: a case by its id or by the helpdesk's own id, and a
// review or dispute with its case, after the write that stored them.

export function findCase(db: Db, id: number): Promise<Case | null> {
  return getCase(db, { id });
}

export function findTicket(db: Db, params: { source: string; externalId: string }): Promise<Case | null> {
  return findCaseByExternal(db, { kind: 'ticket', ...params });
}

export async function findReviewCase(
  db: Db,
  params: { provider: ReviewProvider; externalId: string },
): Promise<{ review: Review | null; case: Case | null }> {
  const review = await getReviewByExternal(db, params);
  return { review, case: review?.caseId ? await getCase(db, { id: review.caseId }) : null };
}

export async function findDisputeCase(
  db: Db,
  params: { provider: DisputeProvider; externalId: string },
): Promise<{ dispute: Dispute | null; case: Case | null }> {
  const dispute = await getDisputeByExternal(db, params);
  return { dispute, case: dispute?.caseId ? await getCase(db, { id: dispute.caseId }) : null };
}
