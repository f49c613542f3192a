import type { AuditEvent } from './audit';
import { CaseClosed, InvalidInput } from './errors';

// Pure case logic: no I/O, time is passed in. Services load a case, call one of these,
// and write the patch and the event in one transaction.

export const CASE_KINDS = ['ticket', 'review', 'dispute'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const TICKET_SOURCES = ['email', 'live_chat', 'social_dm', 'comment', 'marketplace', 'other'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

export const SOURCE_LABELS: Record<string, string> = {
  email: 'Email',
  live_chat: 'Live chat',
  social_dm: 'Social DM',
  comment: 'Comment',
  marketplace: 'Marketplace',
  other: 'Other',
  // Reviews and disputes are counted under their kind in metrics, the digest and the SLA.
  review: 'Reviews',
  dispute: 'Disputes',
};

/** new: nobody owns it yet · open: someone is on it · waiting: waiting on the customer · resolved. */
export const CASE_STATUSES = ['new', 'open', 'waiting', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'New',
  open: 'Open',
  waiting: 'Waiting on customer',
  resolved: 'Resolved',
};

/** The actor recorded for Trustloop's own decisions (automatic tags and escalations). */
export const SYSTEM_ACTOR = 'trustloop';

export interface CaseState {
  id: number;
  status: CaseStatus;
  ownerId: string | null;
  tags: string[];
  tagsReviewedAt?: Date | null;
  mustEscalateAt?: Date | null;
  priority: string;
  escalatedAt: Date | null;
  escalationReason: string | null;
  resolvedAt: Date | null;
  reopenCount: number;
  firstResponseAt: Date | null;
  lastCustomerMessageAt: Date | null;
  lastAgentReplyAt: Date | null;
}

export type CasePatch = Partial<Omit<CaseState, 'id'>> & { tagsReviewedBy?: string | null };

/** What happened, for the audit log and the thread timeline. */
export interface CaseEvent {
  action: CaseAction;
  actor: string;
  data: Record<string, unknown>;
}

/** The audit events a case's own transitions record. */
export type CaseAction = Extract<
  AuditEvent,
  | 'created'
  | 'claimed'
  | 'assigned'
  | 'tagged'
  | 'escalated'
  | 'resolved'
  | 'reopened'
  | 'customer_message'
  | 'agent_reply'
  | 'note'
  | 'tags_confirmed'
  | 'deescalated'
  | 'denied'
  // SLA: waiting on the customer pauses the clocks.
  | 'waiting'
  | 'resumed'
>;

export type Transition = { changed: true; patch: CasePatch; event: CaseEvent } | { changed: false; notice: string };

export function caseRef(id: number): string {
  return `TL-${id}`;
}

/**
 * The address of a Slack message, as https://<workspace>.slack.com/archives/<channel>/p<ts>
 * (a reply in a thread adds its thread), or null until the message is posted.
 */
export function cardPermalink(
  teamUrl: string | null | undefined,
  channel: string,
  ts: string | null | undefined,
  threadTs?: string,
): string | null {
  if (!teamUrl || !ts) return null;
  const base = `${teamUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

const unchanged = (notice: string): Transition => ({ changed: false, notice });

/**
 * Claims the case. `expectedOwner` is the owner the clicked card showed: if someone else became
 * owner since (two people clicked at once), the later click changes nothing and says who has it.
 * Taking over a case someone owns is done on purpose: from a card that shows them, or with Assign.
 */
export function claim(c: CaseState, actor: string, expectedOwner: string | null = null): Transition {
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'claim');
  if (c.ownerId === actor) return unchanged(`You already own ${caseRef(c.id)}.`);
  if (c.ownerId && c.ownerId !== expectedOwner) {
    return unchanged(`${caseRef(c.id)} was just claimed by <@${c.ownerId}>. Use Assign if you mean to take it over.`);
  }
  return {
    changed: true,
    patch: { ownerId: actor, status: c.status === 'new' ? 'open' : c.status },
    event: { action: 'claimed', actor, data: { previousOwner: c.ownerId } },
  };
}

export function assign(c: CaseState, actor: string, assignee: string): Transition {
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'assign');
  if (c.ownerId === assignee) return unchanged(`${caseRef(c.id)} is already assigned to <@${assignee}>.`);
  return {
    changed: true,
    patch: { ownerId: assignee, status: c.status === 'new' ? 'open' : c.status },
    event: { action: 'assigned', actor, data: { assignee, previousOwner: c.ownerId } },
  };
}

/** Staff set the tags. That also counts as reviewing Trustloop's suggestion (kept for accuracy figures). */
export function setTags(c: CaseState, actor: string, tags: string[], catalogue: readonly string[], now: Date): Transition {
  const unknown = tags.filter((t) => !catalogue.includes(t));
  if (unknown.length > 0) throw new InvalidInput(`Unknown tag${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, ['tags']);
  const next = [...new Set(tags)].sort();
  const added = next.filter((t) => !c.tags.includes(t));
  const removed = c.tags.filter((t) => !next.includes(t));
  if (added.length === 0 && removed.length === 0) return unchanged(`Tags of ${caseRef(c.id)} are unchanged.`);
  return {
    changed: true,
    patch: { tags: next, tagsReviewedBy: actor, tagsReviewedAt: now },
    event: { action: 'tagged', actor, data: { added, removed } },
  };
}

/** Staff agree with the tags as they are (usually Trustloop's suggestion). */
export function confirmTags(c: CaseState, actor: string, now: Date): Transition {
  if (c.tagsReviewedAt) return unchanged(`The tags of ${caseRef(c.id)} were already confirmed.`);
  return {
    changed: true,
    patch: { tagsReviewedBy: actor, tagsReviewedAt: now },
    event: { action: 'tags_confirmed', actor, data: { tags: c.tags } },
  };
}

/**
 * Staff overrule an escalation (most often Trustloop's automatic one): the priority goes back to
 * the default and the must-escalate mark is cleared, so reminders stop treating it as urgent. The
 * audit log keeps both the decision and the correction.
 */
export function deescalate(c: CaseState, actor: string, defaultPriority: string): Transition {
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'de-escalate');
  if (!c.escalatedAt && !c.mustEscalateAt) return unchanged(`${caseRef(c.id)} is not escalated.`);
  return {
    changed: true,
    patch: { escalatedAt: null, escalationReason: null, mustEscalateAt: null, priority: defaultPriority },
    event: {
      action: 'deescalated',
      actor,
      data: { reason: c.escalationReason, previousPriority: c.priority, automatic: !!c.mustEscalateAt },
    },
  };
}

export function escalate(
  c: CaseState,
  actor: string,
  reason: string,
  now: Date,
  priorities: { levels: readonly string[]; escalated?: string },
): Transition {
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'escalate');
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new InvalidInput('Say why the case needs escalating.', ['reason']);
  const target = priorities.escalated ?? priorities.levels[priorities.levels.length - 1]!;
  const priority = rank(priorities.levels, target) > rank(priorities.levels, c.priority) ? target : c.priority;
  return {
    changed: true,
    patch: { escalatedAt: now, escalationReason: trimmed, priority },
    event: { action: 'escalated', actor, data: { reason: trimmed, priority, previousPriority: c.priority } },
  };
}

export function resolve(c: CaseState, actor: string, now: Date): Transition {
  if (c.status === 'resolved') return unchanged(`${caseRef(c.id)} is already resolved.`);
  return { changed: true, patch: { status: 'resolved', resolvedAt: now }, event: { action: 'resolved', actor, data: {} } };
}

export function reopen(c: CaseState, actor: string, data: Record<string, unknown> = {}): Transition {
  if (c.status !== 'resolved') return unchanged(`${caseRef(c.id)} is not resolved.`);
  return {
    changed: true,
    patch: { status: c.ownerId ? 'open' : 'new', resolvedAt: null, reopenCount: c.reopenCount + 1 },
    event: { action: 'reopened', actor, data },
  };
}

export type MessageDirection = 'customer' | 'agent' | 'note';

/**
 * A message on the case. A customer writing again reopens a resolved case (helpdesks do the
 * same: the customer is not done); the first agent reply sets the first response time.
 */
export function recordMessage(c: CaseState, direction: MessageDirection, at: Date): CasePatch {
  switch (direction) {
    case 'customer': {
      const patch: CasePatch = { lastCustomerMessageAt: later(c.lastCustomerMessageAt, at) };
      if (c.status === 'resolved') {
        Object.assign(patch, { status: c.ownerId ? 'open' : 'new', resolvedAt: null, reopenCount: c.reopenCount + 1 });
      } else if (c.status === 'waiting') {
        patch.status = 'open';
      }
      return patch;
    }
    case 'agent':
      return {
        firstResponseAt: c.firstResponseAt && c.firstResponseAt <= at ? c.firstResponseAt : at,
        lastAgentReplyAt: later(c.lastAgentReplyAt, at),
      };
    case 'note':
      return {};
  }
}

function later(a: Date | null, b: Date): Date {
  return a && a > b ? a : b;
}

export function rank(levels: readonly string[], level: string): number {
  return levels.indexOf(level);
}
