// Who may let a reply go, and when. Nothing reaches a customer without a person's click; a draft
// that breaks one of the store's promises needs a second person, or the sender's own word with a
// reason on record; a case Trustloop's rules say a person must handle is never sent without that
// person confirming. Pure: the service passes the draft's and the case's state.

export const DRAFT_STATUSES = ['draft', 'sending', 'sent', 'failed', 'superseded'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

export interface GateDraft {
  status: string;
  draftedBy: string;
  findings: readonly unknown[];
  approvedBy: string | null;
  overrideBy: string | null;
}

export interface GateCase {
  /** Trustloop's rules (or a person) said this case must reach a person. */
  mustEscalate: boolean;
}

/** Why Send did not go ahead; the listener turns each into a sentence or the step that clears it. */
export type SendRefusal =
  | { code: 'superseded' }
  | { code: 'already_sent' }
  | { code: 'sending' }
  | { code: 'needs_second_person'; findings: number }
  | { code: 'needs_escalation_confirmation' };

/** A flagged draft stays flagged until someone other than its author approves it, or the sender overrides it. */
export function promiseCleared(d: GateDraft): boolean {
  return d.findings.length === 0 || d.approvedBy !== null || d.overrideBy !== null;
}

export function sendRefusal(d: GateDraft, c: GateCase, params: { escalationConfirmed: boolean }): SendRefusal | null {
  if (d.status === 'superseded') return { code: 'superseded' };
  if (d.status === 'sent') return { code: 'already_sent' };
  if (d.status === 'sending') return { code: 'sending' };
  if (!promiseCleared(d)) return { code: 'needs_second_person', findings: d.findings.length };
  if (c.mustEscalate && !params.escalationConfirmed) return { code: 'needs_escalation_confirmation' };
  return null;
}

export type ApproveRefusal = { code: 'own_draft' } | { code: 'nothing_to_approve' } | { code: 'not_open' } | { code: 'already_approved'; by: string };

/** A second person approves a flagged draft: never its author, and only while it can still be sent. */
export function approveRefusal(d: GateDraft, actor: string): ApproveRefusal | null {
  if (d.status !== 'draft' && d.status !== 'failed') return { code: 'not_open' };
  if (d.findings.length === 0) return { code: 'nothing_to_approve' };
  if (d.approvedBy) return { code: 'already_approved', by: d.approvedBy };
  if (d.draftedBy === actor) return { code: 'own_draft' };
  return null;
}

/** The least an override's reason must say, so the audit log records a reason and not a shrug. */
export const OVERRIDE_REASON_MIN = 10;
