// Every action_id, callback_id and block_id, defined once and imported by both the
// Block Kit builders and the listeners.

export const ACTION = {
  claim: 'case_claim',
  assign: 'case_assign',
  tags: 'case_tags',
  escalate: 'case_escalate',
  resolve: 'case_resolve',
  reopen: 'case_reopen',
  fullText: 'case_full_text',
  messageFullText: 'case_message_full_text',
  openCase: 'case_open_link',
  confirmTags: 'case_confirm_tags',
  deescalate: 'case_deescalate',
} as const;

export const VIEW = {
  escalate: 'case_escalate_modal',
  fullText: 'case_full_text_modal',
} as const;

export const BLOCK = {
  header: 'case_header',
  excerpt: 'case_excerpt',
  fields: 'case_fields',
  escalation: 'case_escalation',
  judgement: 'case_judgement',
  actions: 'case_actions',
  meta: 'case_meta',
  timeline: 'timeline',
  timelineActions: 'timeline_actions',
  escalateReason: 'escalate_reason',
  fullTextPart: 'full_text_part',
  fullTextNote: 'full_text_note',
  escalationSummary: 'escalation_summary',
  escalationFacts: 'escalation_facts',
  escalateCase: 'escalate_case',
} as const;

/** Input element ids inside modals (unique within their block). */
export const INPUT = {
  escalateReason: 'reason',
} as const;

export const COMMAND = '/trustloop';

/** Metadata event type on every message the app posts; lets it recognise its own messages. */
export const METADATA_EVENT = 'trustloop_message';

export const REACTION = {
  claim: 'eyes',
  resolve: 'white_check_mark',
} as const;

// ---- SLA (issue 4) ----
export const SLA_ACTION = {
  wait: 'case_wait',
  resume: 'case_resume',
} as const;

export const SLA_BLOCK = {
  card: 'case_sla',
  reminder: 'sla_reminder',
  escalation: 'sla_escalation',
  escalationFacts: 'sla_escalation_facts',
  dmHeader: 'sla_dm_header',
  dmItems: 'sla_dm_items',
  dmNote: 'sla_dm_note',
  reportHeader: 'sla_report_header',
  reportBreached: 'sla_report_breached',
  reportAtRisk: 'sla_report_at_risk',
} as const;
