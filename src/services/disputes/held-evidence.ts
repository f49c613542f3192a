import { caseRef } from '../../domain/case';
import { type DisputeEvidenceHeld, type EvidenceItemId, type EvidenceLine, evidenceLines } from '../../domain/disputes';
import type { Db } from '../../db/client';
import { orderCase, type RelatedCase, relatedCases } from '../../db/queries/related';
import type { Case, Dispute } from '../../db/schema';
import type { Deps } from '../deps';

// What Trustloop already holds for a dispute's evidence checklist: the order record (a case of
// the same customer or order carrying the order), the communication history (their cases with
// messages), and the configured policy pages. Used by the card, the modal and the export.

export interface DisputeEvidence {
  related: RelatedCase[];
  held: DisputeEvidenceHeld<RelatedCase>;
  lines: EvidenceLine[];
}

export async function loadDisputeEvidence(db: Db, config: Deps['config'], c: Case, d: Dispute): Promise<DisputeEvidence> {
  const related = await relatedCases(db, { excludeCaseId: c.id, email: d.customerEmail, orderRef: d.orderRef, limit: 25 });
  const order = orderCase(related);
  // The dispute's own case carries the order when it was copied from a matched case.
  const communication = related.filter((r) => r.messages > 0 && r.kind !== 'dispute');
  const policies = config.disputes.policy_urls;
  const held: Partial<Record<EvidenceItemId, string[]>> = {
    order_record: order ? [`${caseRef(order.id)} order ${order.orderId}`] : [],
    communication: communication.map((r) => `${caseRef(r.id)}: ${r.messages} messages`),
    policy: Object.keys(policies),
  };
  return { related, held: { orderCase: order, communication, policies }, lines: evidenceLines(held, d.evidence) };
}
