import type { AuditEvent } from '../domain/audit';
import { type ErasureCounts, erasureNeedles, normaliseEmail } from '../domain/erasure';
import { insertEvent } from '../db/queries/cases';
import {
  deleteCustomers,
  eraseCaseMessages,
  eraseCases,
  eraseCsatComments,
  eraseDisputes,
  eraseOrders,
  eraseReplyDrafts,
  eraseReviews,
  eraseUgcConsentRequests,
  eraseWebhookInbox,
  findFootprint,
  isErasedAddress,
  postedCards,
  scrubCaseEvents,
  scrubDigests,
  scrubFixItems,
  scrubOutbox,
  scrubReviewResponses,
} from '../db/queries/erasure';
import { enqueueCardUpdate } from '../db/queries/outbox';
import { eraseRequests, suppressEmail } from '../db/queries/review-requests';
import type { Deps } from './deps';

/** The audit action of an erasure: on each erased case, and once (no case) with the counts. */
export const ERASURE_ACTION: AuditEvent = 'customer_erased';

export type ErasureOutcome = { ok: false; problem: 'not_an_email' } | { ok: true; counts: ErasureCounts; total: number };

/**
 * Erases one customer's personal data, found by their e-mail address, from every table that holds
 * it, in one transaction. Rows the figures count stay, with the customer's words, names and
 * addresses replaced; cards in Slack are re-rendered. A second run finds nothing left and changes
 * nothing. The audit entries record that an erasure happened, by whom, and how many rows, never
 * the address.
 */
export async function eraseCustomer(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'> & { notify?: () => void },
  p: { email: string; actor: string },
): Promise<ErasureOutcome> {
  const email = normaliseEmail(p.email);
  if (!email) return { ok: false, problem: 'not_an_email' };
  const at = deps.clock();
  const outcome = await deps.db.transaction(async (tx) => {
    const footprint = await findFootprint(tx, { email });
    const identity = erasureNeedles({ email, names: footprint.names });
    const needles = erasureNeedles({ email, names: footprint.names, texts: footprint.texts });
    const step = { caseIds: footprint.caseIds, orderIds: footprint.orderIds, email, identity, needles, at };
    const alreadyErased = await isErasedAddress(tx, { email });
    // Cases and what hangs off them are scrubbed while the customer's texts are still known.
    const counts: Partial<ErasureCounts> = {};
    counts.case_events = await scrubCaseEvents(tx, step);
    counts.outbox = await scrubOutbox(tx, step);
    counts.reply_drafts = await eraseReplyDrafts(tx, step);
    counts.review_responses = await scrubReviewResponses(tx, step);
    counts.csat_responses = await eraseCsatComments(tx, step);
    counts.case_messages = await eraseCaseMessages(tx, step);
    counts.digests = await scrubDigests(tx, step);
    counts.fix_items = await scrubFixItems(tx, step);
    counts.webhook_inbox = await eraseWebhookInbox(tx, step);
    counts.cases = await eraseCases(tx, step);
    counts.ugc_consent_requests = await eraseUgcConsentRequests(tx, step);
    counts.reviews = await eraseReviews(tx, step);
    counts.disputes = await eraseDisputes(tx, step);
    const orders = await eraseOrders(tx, step);
    counts.orders = orders.orders;
    counts.order_fulfillments = orders.fulfillments;
    counts.order_refunds = orders.refunds;
    counts.customers = await deleteCustomers(tx, step);
    await suppressEmail(tx, { email, reason: 'erased', at });
    counts.review_requests = await eraseRequests(tx, { email, at });
    counts.email_suppressions = alreadyErased ? 0 : 1;
    const full = counts as ErasureCounts;
    const total = Object.values(full).reduce((a, b) => a + b, 0);
    if (total > 0) {
      for (const caseId of footprint.caseIds) await insertEvent(tx, { caseId, actor: p.actor, action: ERASURE_ACTION, data: {}, at });
      // A card already in Slack is shown again from the erased case; one not yet posted is rendered from it anyway.
      for (const card of await postedCards(tx, step)) await enqueueCardUpdate(tx, { caseId: card.id, channel: card.channelId });
      await insertEvent(tx, { caseId: null, actor: p.actor, action: ERASURE_ACTION, data: { rows: full, cases: footprint.caseIds.length }, at });
    }
    return { ok: true as const, counts: full, total };
  });
  deps.logger.info({ rows: outcome.total, actor: p.actor }, 'customer data erased');
  if (outcome.total > 0) deps.notify?.();
  return outcome;
}
