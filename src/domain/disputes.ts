import { DISPUTE_STAGES, type DisputeEvent } from './provider-events';
import { formatDuration } from './sla';

// Payment disputes, pure: how an update moves a dispute, the evidence checklist from the brief,
// and the respond-by countdown. The reminder ladder itself is sla.ts's deadlineTargetState.

export const DISPUTE_TARGET = 'dispute_response';

export const STAGE_LABELS: Record<string, string> = {
  inquiry: 'Inquiry',
  chargeback: 'Chargeback',
  pre_arbitration: 'Pre-arbitration',
  arbitration: 'Arbitration',
};

export const STATE_LABELS: Record<string, string> = {
  needs_response: 'Needs a response',
  under_review: 'Under review',
  won: 'Won',
  lost: 'Lost',
  closed: 'Closed',
};

function stageRank(stage: string): number {
  return (DISPUTE_STAGES as readonly string[]).indexOf(stage);
}

const CLOSED_STATES = new Set(['won', 'lost', 'closed']);
export const isClosedState = (state: string) => CLOSED_STATES.has(state);

/** The stored facts of a dispute that an update may change. */
export interface DisputeFacts {
  stage: string;
  status: string;
  state: string;
  reasonCode: string;
  reasonText: string;
  amount: string;
  currency: string;
  respondBy: Date | null;
  respondedAt: Date | null;
  closedAt: Date | null;
  outcome: string | null;
}

export interface DisputeChange {
  field: 'stage' | 'state' | 'respond_by' | 'amount' | 'reason';
  from: string | null;
  to: string | null;
}

export interface DisputeMerge {
  patch: Partial<DisputeFacts & { respondBySetAt: Date | null; status: string }>;
  changes: DisputeChange[];
  /** The dispute closed with this update: won, lost, or null when settled otherwise. */
  closed: { outcome: 'won' | 'lost' | null } | null;
  /** A closed dispute moved on (pre-arbitration after a win): the case opens again. */
  reopened: boolean;
  /** The update is older news than what is stored (providers deliver out of order). */
  stale: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Applies an update to the stored facts. Stages never move backwards and a closed dispute stays
 * closed unless the update brings a later stage (providers deliver at least once, in any order).
 * A new respond-by deadline starts a new reminder cycle; a response (state under review or
 * closed) stops the current one.
 */
export function mergeDispute(
  current: DisputeFacts,
  e: Pick<DisputeEvent, 'stage' | 'status' | 'state' | 'reasonCode' | 'reasonText' | 'amount' | 'currency' | 'respondBy' | 'action'>,
  now: Date,
): DisputeMerge {
  const wasClosed = current.closedAt !== null;
  const laterStage = stageRank(e.stage) > stageRank(current.stage);
  const earlierStage = stageRank(e.stage) < stageRank(current.stage);
  const closing = isClosedState(e.state) || e.action === 'closed';
  if (earlierStage || (wasClosed && !closing && !laterStage)) {
    return { patch: {}, changes: [], closed: null, reopened: false, stale: true };
  }
  const patch: DisputeMerge['patch'] = {};
  const changes: DisputeChange[] = [];
  if (e.stage !== current.stage) {
    patch.stage = e.stage;
    changes.push({ field: 'stage', from: current.stage, to: e.stage });
  }
  if (e.status !== current.status) patch.status = e.status;
  const state = closing && !isClosedState(e.state) ? 'closed' : e.state;
  if (state !== current.state) {
    patch.state = state;
    changes.push({ field: 'state', from: current.state, to: state });
  }
  if (e.reasonCode !== current.reasonCode) {
    patch.reasonCode = e.reasonCode;
    patch.reasonText = e.reasonText;
    changes.push({ field: 'reason', from: current.reasonText, to: e.reasonText });
  }
  if (e.amount !== current.amount || e.currency !== current.currency) {
    patch.amount = e.amount;
    patch.currency = e.currency;
    changes.push({ field: 'amount', from: `${current.amount} ${current.currency}`, to: `${e.amount} ${e.currency}` });
  }
  const deadlineMoved = iso(e.respondBy) !== iso(current.respondBy);
  if (deadlineMoved && e.respondBy) {
    patch.respondBy = e.respondBy;
    patch.respondBySetAt = now;
    changes.push({ field: 'respond_by', from: iso(current.respondBy), to: iso(e.respondBy) });
  }
  let closed: DisputeMerge['closed'] = null;
  let reopened = false;
  if (closing && !wasClosed) {
    const outcome = state === 'won' || state === 'lost' ? state : null;
    patch.closedAt = now;
    patch.outcome = outcome;
    closed = { outcome };
  } else if (closing && wasClosed && state !== current.state && (state === 'won' || state === 'lost')) {
    // A later final word (closed, then lost) updates the outcome for the metrics.
    patch.outcome = state;
  } else if (wasClosed && laterStage) {
    patch.closedAt = null;
    patch.outcome = null;
    reopened = true;
  }
  if (state === 'needs_response') {
    // A new deadline (a new stage, a re-opened dispute) needs a new response.
    if ((deadlineMoved && e.respondBy) || reopened || laterStage) patch.respondedAt = null;
  } else if (current.respondedAt === null) {
    // Under review or closed: the merchant answered (or it no longer matters); reminders stop.
    patch.respondedAt = now;
  }
  return { patch, changes, closed, reopened, stale: false };
}

// ---- evidence checklist (brief: "Collect order records, shipping proof, communication
// history, and policy evidence quickly.") ---------------------------------------------------

export const EVIDENCE_ITEMS = [
  { id: 'order_record', label: 'Order record', hint: 'order number, items, amount, billing and shipping address' },
  { id: 'shipping_proof', label: 'Shipping proof', hint: 'carrier, tracking number and the delivered event' },
  { id: 'communication', label: 'Communication history', hint: "the customer's tickets and messages" },
  { id: 'policy', label: 'Policy evidence', hint: 'refund, shipping and terms pages the customer accepted' },
] as const;
export type EvidenceItemId = (typeof EVIDENCE_ITEMS)[number]['id'];

/**
 * What Trustloop already holds for a dispute's evidence: the related case carrying the order
 * (order record evidence), the related cases with messages (communication history) and the
 * store's policy pages. `C` is the related case as the database reads it.
 */
export interface DisputeEvidenceHeld<C> {
  orderCase: C | null;
  communication: C[];
  policies: Record<string, string>;
}

export interface EvidenceLine {
  id: EvidenceItemId;
  label: string;
  hint: string;
  /** Trustloop holds it (filled in automatically). */
  auto: boolean;
  /** Someone ticked it on the card. */
  checked: boolean;
  held: string[];
  note?: string;
  by?: string;
}

export function evidenceLines(
  held: Partial<Record<EvidenceItemId, string[]>>,
  marks: Record<string, { checked: boolean; note?: string; by?: string }>,
): EvidenceLine[] {
  return EVIDENCE_ITEMS.map((item) => {
    const h = held[item.id] ?? [];
    const mark = marks[item.id];
    return {
      id: item.id,
      label: item.label,
      hint: item.hint,
      auto: h.length > 0,
      checked: mark?.checked ?? false,
      held: h,
      ...(mark?.note ? { note: mark.note } : {}),
      ...(mark?.by ? { by: mark.by } : {}),
    };
  });
}

export const evidenceReady = (lines: readonly EvidenceLine[]) => lines.filter((l) => l.auto || l.checked).length;

// ---- countdown -------------------------------------------------------------------------------

/** "due in 2d 3h", "overdue by 5h", "answered", or null when there is no deadline. */
export function countdown(d: { respondBy: Date | null; respondedAt: Date | null; closedAt: Date | null }, now: Date): string | null {
  if (d.closedAt) return null;
  if (d.respondedAt) return 'answered';
  if (!d.respondBy) return null;
  const ms = d.respondBy.getTime() - now.getTime();
  return ms > 0 ? `due in ${formatDuration(ms)}` : `overdue by ${formatDuration(-ms)}`;
}

/** Disputes are always worked by a person at a raised priority: `high` when the ladder has it, else the top. */
export function disputePriority(levels: readonly string[]): string {
  return levels.includes('high') ? 'high' : levels[levels.length - 1]!;
}
