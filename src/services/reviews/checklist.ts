import { caseRef } from '../../domain/case';
import { CaseNotFound } from '../../domain/errors';
import { CHECKLIST_FINDINGS } from '../../domain/reviews';
import { updateCase } from '../../db/queries/cases';
import { orderCase, relatedCases } from '../../db/queries/related';
import { getReviewByCase, updateReview } from '../../db/queries/reviews';
import type { Case, ReviewChecklist } from '../../db/schema';
import type { Deps } from '../deps';
import { recordStaffChange, staffCommand } from '../staff-command';
import { reviewCaseFor } from './response';

// The internal checklist of a negative review: what the store promised and what went wrong on
// its side, for the weekly review.

export async function prepareChecklist(
  deps: Deps,
  params: { caseId: number; actor: string },
): Promise<{ c: Case; current: ReviewChecklist | null; suggestedCountry: string | null }> {
  const { c, review } = await reviewCaseFor(deps, {
    ...params,
    attempted: 'review_checklist',
    what: 'fill in the review checklist',
    via: 'button',
  });
  let country = c.orderCountry;
  if (!country)
    country =
      orderCase(await relatedCases(deps.db, { excludeCaseId: c.id, email: review.reviewerEmail, orderRef: review.orderRef }))
        ?.orderCountry ?? null;
  return { c, current: review.checklist, suggestedCountry: country };
}

export async function saveChecklist(
  deps: Deps,
  params: { caseId: number; actor: string; checklist: Omit<ReviewChecklist, 'by' | 'at'> },
): Promise<void> {
  const cmd = {
    caseId: params.caseId,
    actor: params.actor,
    attempted: 'review_checklist',
    what: 'fill in the review checklist',
    via: 'modal',
  };
  const k = params.checklist;
  const findings = k.findings.filter((f) => (CHECKLIST_FINDINGS as readonly string[]).includes(f));
  await staffCommand(deps, { ...cmd, kind: 'review' }, async (tx, c, now) => {
    const checklist: ReviewChecklist = {
      ...(k.country?.trim() ? { country: k.country.trim() } : {}),
      ...(k.shippingMethod?.trim() ? { shippingMethod: k.shippingMethod.trim() } : {}),
      ...(k.deliveryPromise?.trim() ? { deliveryPromise: k.deliveryPromise.trim() } : {}),
      ...(k.promiseKept ? { promiseKept: k.promiseKept } : {}),
      findings,
      ...(k.note?.trim() ? { note: k.note.trim() } : {}),
      by: params.actor,
      at: now.toISOString(),
    };
    const review = await getReviewByCase(tx, { caseId: c.id });
    if (!review) throw new CaseNotFound(caseRef(params.caseId));
    await updateReview(tx, { id: review.id, patch: { checklist } });
    await updateCase(tx, { id: c.id, patch: {}, now });
    await recordStaffChange(tx, c, {
      actor: params.actor,
      action: 'review_checklist',
      data: { findings, promiseKept: k.promiseKept ?? null },
      at: now,
      entry: { type: 'review_checklist', actor: params.actor, findings, at: now },
    });
    return { changed: true };
  });
}
