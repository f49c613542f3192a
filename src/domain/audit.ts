// The audit log's vocabulary: every action a case_events row can record, in one list. Writers are
// typed by it, so an event name cannot be misspelt or invented in passing; reports, the timeline
// and the erasure log read these same names.

export const AUDIT_EVENTS = [
  // A case's life and staff actions on it.
  'created',
  'claimed',
  'assigned',
  'tagged',
  'tags_confirmed',
  'escalated',
  'deescalated',
  'resolved',
  'reopened',
  'customer_message',
  'agent_reply',
  'note',
  'denied',
  // SLA: waiting on the customer pauses the clocks; reminder rungs crossed.
  'waiting',
  'resumed',
  'sla_warning',
  'sla_breach',
  'sla_escalation',
  // Replies from the card.
  'reply_drafted',
  'reply_approved',
  'reply_override',
  'reply_send',
  'reply_sent',
  'reply_failed',
  // Reviews, their responses and UGC.
  'review_edited',
  'review_checklist',
  'review_lead',
  'response_drafted',
  'response_approved',
  'ugc_candidate',
  'ugc_approved',
  'ugc_skipped',
  'ugc_consent_requested',
  'ugc_consent_granted',
  'ugc_consent_declined',
  'ugc_consent_revoked',
  'ugc_consent_email_failed',
  // Disputes.
  'dispute_updated',
  'dispute_closed',
  'dispute_reminder',
  'evidence_updated',
  'evidence_submitted',
  'evidence_export',
  'charge_looked_up',
  'charge_lookup_skipped',
  'charge_lookup_failed',
  // Review requests, fixes, privacy.
  'review_request_scheduled',
  'review_request_held',
  'review_request_released',
  'review_request_skipped',
  'review_request_unsubscribed',
  'fix_created',
  'fix_done',
  'customer_erased',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** An event's name as written in SQL, checked against the vocabulary. */
export function auditEvent<E extends AuditEvent>(event: E): E {
  return event;
}
