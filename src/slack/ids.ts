import { z } from 'zod';

// Every action_id, callback_id and block_id, and the small contexts buttons carry, defined once
// and imported by both the Block Kit builders and the listeners. A leaf: it imports nothing of
// the app, so blocks/ can use it without loading Slack code.

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
  notice: 'trustloop_notice',
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

// ---- Reviews, disputes, UGC and cluster alerts ----------------------------------

export const REVIEW = {
  action: {
    draft: 'review_draft',
    approve: 'review_approve',
    checklist: 'review_checklist',
  },
  view: {
    draft: 'review_draft_modal',
    checklist: 'review_checklist_modal',
  },
  block: {
    rating: 'review_rating',
    why: 'review_why',
    photos: 'review_photo',
    videos: 'review_videos',
    related: 'review_related',
    response: 'review_response',
    checklist: 'review_checklist',
    actions: 'review_actions',
    draftHeading: 'review_draft_heading',
    draftBody: 'review_draft_body',
    draftFacts: 'review_draft_facts',
    draftActions: 'review_draft_actions',
    draftReview: 'review_draft_review',
    acknowledge: 'rr_acknowledge',
    responseActions: 'rr_actions',
    actionDetail: 'rr_action_detail',
    officialChannel: 'rr_channel',
    cause: 'rr_cause',
    improvements: 'rr_improvements',
    improvementNote: 'rr_improvement_note',
    country: 'rc_country',
    shippingMethod: 'rc_shipping_method',
    deliveryPromise: 'rc_delivery_promise',
    promiseKept: 'rc_promise_kept',
    findings: 'rc_findings',
    note: 'rc_note',
  },
  /** Every review modal input is the only element of its block: one action id for all. */
  input: 'value',
} as const;

export const UGC = {
  action: {
    request: 'ugc_request',
    approve: 'ugc_approve',
    skip: 'ugc_skip',
    granted: 'ugc_granted',
    declined: 'ugc_declined',
    revoke: 'ugc_revoke',
  },
  block: {
    summary: 'ugc_summary',
    photos: 'ugc_photo',
    videos: 'ugc_videos',
    state: 'ugc_state',
    actions: 'ugc_actions',
    /** Why this reviewer must reach a person (creator, bulk buyer…), on a UGC post or a lead post. */
    lead: 'review_lead',
    leadFacts: 'review_lead_facts',
    // The usage-rights request modal and the text to send by hand.
    requestFacts: 'ugc_req_facts',
    requestScope: 'ugc_req_scope',
    requestDuration: 'ugc_req_duration',
    requestNote: 'ugc_req_note',
    copyText: 'ugc_req_copy_text',
  },
  view: {
    request: 'ugc_request_modal',
    copy: 'ugc_request_copy',
  },
  /** Every usage-rights modal input is the only element of its block: one action id for all. */
  input: 'value',
} as const;

export const DISPUTE = {
  action: {
    evidence: 'dispute_evidence',
    export: 'dispute_export',
    submitted: 'dispute_submitted',
  },
  view: {
    evidence: 'dispute_evidence_modal',
  },
  block: {
    summary: 'dispute_summary',
    inquiry: 'dispute_inquiry',
    evidence: 'dispute_evidence',
    outcome: 'dispute_outcome',
    related: 'dispute_related',
    actions: 'dispute_actions',
    reminder: 'dispute_reminder',
    evidenceChecks: 'de_checks',
    evidenceHeld: 'de_held',
    evidenceNotePrefix: 'de_note_',
  },
  input: 'value',
} as const;

export const CLUSTER = {
  block: {
    header: 'cluster_header',
    summary: 'cluster_summary',
    evidence: 'cluster_evidence',
    footer: 'cluster_footer',
    followup: 'cluster_followup',
  },
} as const;

// ---- SLA ----
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

// ---- Weekly digest and fix items ----
export const DIGEST = {
  action: {
    createFix: 'digest_create_fix',
    fixDone: 'fix_done',
  },
  view: {
    createFix: 'fix_create_modal',
  },
  block: {
    header: 'digest_header',
    period: 'digest_period',
    empty: 'digest_empty',
    previewMore: 'digest_preview_more',
    headline: 'digest_headline',
    topTags: 'digest_top_tags',
    repeatedHeading: 'digest_repeated',
    /** One per repeated question: `digest_repeat.<tag>`. */
    repeatPrefix: 'digest_repeat.',
    loop: 'digest_loop',
    more: 'digest_more',
    /** Thread sections: `digest_part.<n>`. */
    partPrefix: 'digest_part.',
    fixOwner: 'fix_owner',
    fixTarget: 'fix_target',
    fixDue: 'fix_due',
    fixNote: 'fix_note',
    fixSummary: 'fix_summary',
    fixListHeader: 'fix_list_header',
    /** One per open fix in /trustloop fixes: `fix_item.<id>`. */
    fixItemPrefix: 'fix_item.',
  },
  input: 'value',
} as const;

// ---- Metrics, queue and App Home ----------------------------------------------------

/** `/trustloop ugc`: what may be used where. */
export const UGC_LIBRARY = {
  usable: 'ugc_library_usable',
  notUsable: 'ugc_library_not_usable',
} as const;

export const METRICS_BLOCK = {
  header: 'metrics_header',
  period: 'metrics_period',
  summary: 'metrics_summary',
  breakdown: 'metrics_breakdown',
  requests: 'metrics_review_requests',
  footer: 'metrics_footer',
  queueHeader: 'queue_header',
  queue: 'queue_statuses',
  queueAges: 'queue_ages',
  mine: 'mine_cases',
} as const;

export const HOME = {
  action: {
    resolve: 'home_resolve',
    openCard: 'home_open_card',
  },
  block: {
    mineHeader: 'home_mine_header',
    mineEmpty: 'home_mine_empty',
    mineMore: 'home_mine_more',
    case: 'home_case',
    caseActions: 'home_case_actions',
    teamHeader: 'home_team_header',
    sla: 'home_sla',
    updated: 'home_updated',
    notOnTeam: 'home_not_on_team',
  },
} as const;

// ---- Replies to customers ----
export const REPLY = {
  action: {
    open: 'reply_open',
    send: 'reply_send',
    approve: 'reply_approve',
    override: 'reply_override',
    copy: 'reply_copy',
  },
  view: {
    /** The composer's stand-in while a model drafts. */
    composerLoading: 'reply_composer_loading',
    composer: 'reply_composer_modal',
    override: 'reply_override_modal',
    confirm: 'reply_confirm_modal',
    copy: 'reply_copy_modal',
  },
  block: {
    /** The card's line about its newest reply. */
    cardStatus: 'case_reply',
    composerFacts: 'reply_facts',
    greeting: 'reply_greeting',
    confirmation: 'reply_confirmation',
    status: 'reply_status',
    next: 'reply_next',
    needs: 'reply_needs',
    contact: 'reply_contact',
    signoff: 'reply_signoff',
    postHeading: 'reply_heading',
    /** The draft's text, in parts of at most 3,000 characters: `reply_text.<n>`. */
    postTextPrefix: 'reply_text.',
    postFindings: 'reply_findings',
    postActions: 'reply_actions',
    event: 'reply_event',
    reason: 'reply_reason',
    confirmFacts: 'reply_confirm_facts',
    copyText: 'reply_copy_text',
    copyNote: 'reply_copy_note',
  },
  /** Every reply modal input is the only element of its block: one action id for all. */
  input: 'value',
} as const;

// Buttons and modals carry a small JSON context ({ c: caseId, m?: messageId, o?: owner shown on
// the card }) in `value` or `private_metadata`; menus, which have no value, carry the case id in
// their block_id. All of it is encoded and checked here and nowhere else.

const contextSchema = z.object({
  c: z.number().int().positive(),
  m: z.number().int().positive().optional(),
  o: z.string().nullable().optional(),
});

export type ActionContext = z.infer<typeof contextSchema>;

export function encodeContext(ctx: ActionContext): string {
  return JSON.stringify(ctx);
}

export function decodeContext(raw: string | undefined | null): ActionContext {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new Error('action context is not JSON');
  }
  return contextSchema.parse(parsed);
}

/** The card's actions block id: it names the case, so its menus work even before the card's ts is stored. */
export function cardActionsBlockId(caseId: number): string {
  return `${BLOCK.actions}.${caseId}`;
}

export function caseIdFromBlockId(blockId: string | undefined): number | null {
  const m = new RegExp(`^${BLOCK.actions}\\.(\\d+)$`).exec(blockId ?? '');
  return m ? Number(m[1]) : null;
}

// Review, UGC and draft buttons: { r: review id } for UGC posts, which belong to no
// case; { c: case id, d: draft id } for a draft's Approve button.
const refContextSchema = z.object({
  c: z.number().int().positive().optional(),
  r: z.number().int().positive().optional(),
  d: z.number().int().positive().optional(),
});

export type RefContext = z.infer<typeof refContextSchema>;

export function encodeRefContext(ctx: RefContext): string {
  return JSON.stringify(ctx);
}

export function decodeRefContext(raw: string | undefined | null): RefContext {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new Error('action context is not JSON');
  }
  return refContextSchema.parse(parsed);
}

// Digest buttons: Create fix carries the question ({ t: tag, p: product key, l: product
// label, w: week start, n: the week's count }); a fix item's buttons carry { f: fix id }.
const fixRequestSchema = z.object({
  t: z.string().min(1).max(64),
  // A product key whole: "name:" and a product name of up to 500 characters, lower-cased.
  p: z.string().max(1100).optional(),
  l: z.string().max(300).optional(),
  w: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  n: z.number().int().min(0),
});

export type FixRequest = z.infer<typeof fixRequestSchema>;

export function encodeFixRequest(ctx: FixRequest): string {
  return JSON.stringify(ctx);
}

export function decodeFixRequest(raw: string | undefined | null): FixRequest {
  return fixRequestSchema.parse(parseJson(raw));
}

const fixRefSchema = z.object({ f: z.number().int().positive() });

export function encodeFixRef(id: number): string {
  return JSON.stringify({ f: id });
}

export function decodeFixRef(raw: string | undefined | null): number {
  return fixRefSchema.parse(parseJson(raw)).f;
}

function parseJson(raw: string | undefined | null): unknown {
  try {
    return JSON.parse(raw ?? '');
  } catch {
    throw new Error('action context is not JSON');
  }
}
