import type { TimeSpan } from './business-hours';
import { CaseClosed } from './errors';
import { type CaseState, caseRef, type Transition } from './case';
import {
  computeSlaState,
  dueReminders,
  MUST_ESCALATE,
  nextThresholdAt,
  type ReminderDue,
  type ReminderKind,
  type Resolution,
  type SlaState,
  type SlaTimeline,
  type TargetState,
} from './sla';
import type { SlaConfig } from '../config/sla';
import { type EffectiveSlaPolicy, resolvePolicy } from './sla-policy';

// A case's SLA, from what is stored on it. Pure: the caller passes the case's fields, the
// config and `now`.
//
// What a case stores for its clocks (kept by `trackSla` on every change):
// - awaiting_reply_since: the earliest customer message after the last agent reply, cleared by
//   an agent reply (or a resolution). It starts the next-response clock; the first-response
//   clock runs from receipt;
// - sla_pauses: spans waiting on the customer (status `waiting`), during which every clock pauses;
// - sla_resolutions: each resolution and the reopen after it (a reopen restarts resolution).

/** The fields of a case the clocks read (a `cases` row has them all). */
export interface SlaCase {
  id: number;
  kind: string;
  source: string;
  priority: string;
  status: string;
  ownerId: string | null;
  receivedAt: Date;
  firstResponseAt: Date | null;
  lastAgentReplyAt: Date | null;
  resolvedAt: Date | null;
  updatedAt?: Date;
  awaitingReplySince: Date | null;
  mustEscalateAt: Date | null;
  slaPauses: readonly { from: string; to: string | null }[];
  slaResolutions: readonly { resolvedAt: string; reopenedAt: string | null }[];
}

/** The SLA channel a case counts under: disputes and reviews by kind, tickets by their source. */
export function slaChannelOf(c: { kind: string; source: string }): string {
  if (c.kind === 'dispute') return 'dispute';
  if (c.kind === 'review') return 'review';
  return c.source;
}

export function policyFor(cfg: SlaConfig, c: { kind: string; source: string; priority: string }): EffectiveSlaPolicy {
  return resolvePolicy(cfg, { source: slaChannelOf(c), priority: c.priority });
}

/** The compact timeline computeSlaState reads, from the stored fields. */
export function slaTimelineOf(c: SlaCase): SlaTimeline {
  const waiting: TimeSpan[] = [];
  for (const p of c.slaPauses) {
    // An unended pause counts only while the case is still waiting (guards against stale data).
    if (p.to === null && c.status !== 'waiting') continue;
    waiting.push({ from: new Date(p.from), to: p.to === null ? null : new Date(p.to) });
  }
  const resolutions: Resolution[] = c.slaResolutions.map((r) => ({
    resolvedAt: new Date(r.resolvedAt),
    reopenedAt: r.reopenedAt === null ? null : new Date(r.reopenedAt),
  }));
  // A case resolved before its resolutions were recorded still counts as resolved.
  const last = resolutions[resolutions.length - 1];
  if (c.status === 'resolved' && (!last || last.reopenedAt !== null)) {
    resolutions.push({ resolvedAt: c.resolvedAt ?? c.updatedAt ?? c.receivedAt, reopenedAt: null });
  }
  return {
    receivedAt: c.receivedAt,
    firstResponseAt: c.firstResponseAt,
    customerMessages: c.awaitingReplySince ? [c.awaitingReplySince] : [],
    agentReplies: c.lastAgentReplyAt ? [c.lastAgentReplyAt] : [],
    waiting,
    resolutions,
    mustEscalateAt: c.mustEscalateAt,
  };
}

/** A case in a reminder DM or the SLA report: its standing against the target that is worst off. */
export interface CaseLine {
  caseId: number;
  subject: string;
  cardUrl: string | null;
  kind: ReminderKind;
  /** "first reply breached 35m ago". */
  statusText: string;
  ownerId?: string | null;
  channelId?: string;
  /** Flagged by a must-escalate rule: marked on its own, never counted as a breach. */
  mustEscalate?: boolean;
}

/** Where `/trustloop sla` looks: every channel (managers), or the channel it is run in and the caller's own cases. */
export type SlaReportScope = { kind: 'every_channel' } | { kind: 'channel_and_own'; channelId: string } | { kind: 'own' };

export interface SlaReport {
  scope: SlaReportScope;
  breached: CaseLine[];
  atRisk: CaseLine[];
  /** Most lines listed in all. */
  max: number;
  /** Set when more cases are at risk than were checked: how many there are in all. */
  moreThanChecked?: number;
}

export interface CaseSlaEvaluation {
  policy: EffectiveSlaPolicy;
  state: SlaState;
  /** Rungs crossed by `now` on clocks that still run (each sent once, by its reminder key). */
  due: ReminderDue[];
  /** When the sweep must look again: the next rung or due time; null when nothing is ahead. */
  nextCheckAt: Date | null;
  /**
   * When the case is or was first at risk of missing a target (its warning rung, or its due time
   * without one). A must-escalate flag is not a risk: it is shown as its own marker.
   */
  riskAt: Date | null;
  /** Flagged by a must-escalate rule and still open: a person must handle it, whatever its clocks say. */
  mustEscalate: boolean;
}

export function evaluateCaseSla(cfg: SlaConfig, c: SlaCase, now: Date): CaseSlaEvaluation {
  const policy = policyFor(cfg, c);
  const state = computeSlaState(policy, slaTimelineOf(c), now);
  return {
    policy,
    state,
    due: dueReminders(state, now),
    nextCheckAt: nextThresholdAt(state, now),
    riskAt: riskAt(state),
    mustEscalate: state.mustEscalate !== null,
  };
}

function riskAt(state: SlaState): Date | null {
  let first = Infinity;
  for (const t of state.targets) {
    if (t.stoppedAt !== null) continue;
    const rungs = t.thresholds.map((x) => x.at?.getTime() ?? Infinity);
    first = Math.min(first, ...rungs, t.dueAt?.getTime() ?? Infinity);
  }
  return first === Infinity ? null : new Date(first);
}

/** Targets whose clock still runs (or pauses). */
export function activeTargets(state: SlaState): TargetState[] {
  return state.targets.filter((t) => t.stoppedAt === null);
}

/**
 * Where a case stands against its response targets: breached (a target passed), at risk (a
 * warning rung crossed), or fine. A must-escalate flag does not change it (see `mustEscalate`).
 */
export function riskLevel(e: Pick<CaseSlaEvaluation, 'state'>, now: Date): 'breached' | 'at_risk' | 'ok' {
  const active = activeTargets(e.state);
  if (active.some((t) => t.status === 'breached')) return 'breached';
  const t = now.getTime();
  if (active.some((x) => x.thresholds.some((r) => r.kind === 'warning' && r.at !== null && r.at.getTime() <= t))) return 'at_risk';
  return 'ok';
}

/**
 * When the SLA sweep should next look at a case as a change leaves it, and when it falls at risk:
 * at its next threshold, or at once when one has already passed (so the sweep sends that
 * reminder). Worked out where the change is made, so the sweep does not read, work out and
 * rewrite every case that changed; a case whose clocks cannot be worked out is looked at now and
 * the sweep says why.
 */
export function nextSlaCheck(cfg: SlaConfig, c: SlaCase, now: Date): { slaCheckAt: Date | null; slaRiskAt: Date | null } {
  try {
    const e = evaluateCaseSla(cfg, c, now);
    return { slaCheckAt: e.due.length > 0 ? now : e.nextCheckAt, slaRiskAt: e.riskAt };
  } catch {
    return { slaCheckAt: now, slaRiskAt: null };
  }
}

// ---- bookkeeping -----------------------------------------------------------------------------

export interface SlaTrackingPatch {
  awaitingReplySince?: Date | null;
  slaPauses?: { from: string; to: string | null }[];
  slaResolutions?: { resolvedAt: string; reopenedAt: string | null }[];
  slaCheckAt?: Date | null;
}

/** Kept per case: enough history for every clock; older entries no longer move any of them. */
const MAX_PAUSES = 100;
const MAX_RESOLUTIONS = 20;

/**
 * What a change does to the stored SLA fields: a status change (into or out of `waiting`,
 * resolve, reopen) at `now`, and a customer message or agent reply written at `message.at`.
 * Every change also asks the sweep to look at the case at once (`slaCheckAt = now`): a new
 * priority, a reply or a reopen moves the thresholds. (The case services then set the look to the
 * case's next threshold instead: nextSlaCheck.)
 */
export function trackSla(
  before: Pick<SlaCase, 'status' | 'awaitingReplySince' | 'lastAgentReplyAt' | 'slaPauses' | 'slaResolutions'>,
  change: { status?: string; message?: { direction: 'customer' | 'agent' | 'note'; at: Date } },
  now: Date,
): SlaTrackingPatch {
  const patch: SlaTrackingPatch = { slaCheckAt: now };
  const from = before.status;
  const to = change.status ?? from;
  const iso = now.toISOString();
  let awaiting = before.awaitingReplySince;
  if (to !== from) {
    const pauses = before.slaPauses.map((p) => ({ ...p }));
    const resolutions = before.slaResolutions.map((r) => ({ ...r }));
    const openPause = pauses[pauses.length - 1];
    if (from === 'waiting' && openPause && openPause.to === null) openPause.to = iso;
    if (to === 'waiting') pauses.push({ from: iso, to: null });
    const lastResolution = resolutions[resolutions.length - 1];
    if (from === 'resolved' && lastResolution && lastResolution.reopenedAt === null) lastResolution.reopenedAt = iso;
    if (to === 'resolved') {
      resolutions.push({ resolvedAt: iso, reopenedAt: null });
      // Resolving answers the customer as far as the clocks go.
      awaiting = null;
    }
    if (from === 'waiting' || to === 'waiting') patch.slaPauses = pauses.slice(-MAX_PAUSES);
    if (to === 'resolved' || from === 'resolved') patch.slaResolutions = keepFirstAndLatest(resolutions);
  }
  const m = change.message;
  if (m?.direction === 'customer' && to !== 'resolved') {
    if (awaiting) awaiting = m.at < awaiting ? m.at : awaiting;
    // A message older than the latest reply was answered by it (it arrived late).
    else if (!(before.lastAgentReplyAt && m.at <= before.lastAgentReplyAt)) awaiting = m.at;
  } else if (m?.direction === 'agent' && awaiting && m.at >= awaiting) {
    awaiting = null;
  }
  if (awaiting !== before.awaitingReplySince) patch.awaitingReplySince = awaiting;
  return patch;
}

function keepFirstAndLatest<T>(list: T[]): T[] {
  // The first resolution stops a first-response clock that never got a reply; the latest ones drive the rest.
  return list.length <= MAX_RESOLUTIONS ? list : [list[0]!, ...list.slice(-(MAX_RESOLUTIONS - 1))];
}

// ---- waiting on the customer -------------------------------------------------------------------

/** Marks the case as waiting on the customer: every SLA clock pauses until they write or staff resume it. */
export function waitOnCustomer(c: CaseState, actor: string): Transition {
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'mark as waiting');
  if (c.status === 'waiting') return { changed: false, notice: `${caseRef(c.id)} is already waiting on the customer.` };
  return { changed: true, patch: { status: 'waiting' }, event: { action: 'waiting', actor, data: {} } };
}

/** Ends a wait without a customer message (they answered elsewhere, or it was set by mistake). */
export function stopWaiting(c: CaseState, actor: string): Transition {
  if (c.status !== 'waiting') return { changed: false, notice: `${caseRef(c.id)} is not waiting on the customer.` };
  return { changed: true, patch: { status: c.ownerId ? 'open' : 'new' }, event: { action: 'resumed', actor, data: {} } };
}

// ---- who is reminded -------------------------------------------------------------------------

const isUser = (id: string | null | undefined): id is string => !!id && /^[UW]/.test(id);

export interface ReminderPeople {
  /** Mentioned in the warning: the case's owner, else the channel's on-duty group (or owner). */
  warn: string | null;
  /** DMed on a breach: the case's owner, else the channel owner when that is a person (a group cannot be DMed). */
  dm: string | null;
  /** Mentioned in the breach thread message when nobody can be DMed (an unowned case of a group-owned channel). */
  breachMention: string | null;
  /** DMed on escalation: the channel's manager, else the workspace's managers. */
  managers: string[];
}

export function reminderPeople(
  policy: EffectiveSlaPolicy,
  c: { ownerId: string | null },
  workspaceManagers: readonly string[],
): ReminderPeople {
  const group = policy.onDuty ?? policy.owner;
  const dm = isUser(c.ownerId) ? c.ownerId : isUser(policy.owner) ? policy.owner : null;
  return {
    warn: c.ownerId ?? group,
    dm,
    breachMention: dm ? null : group,
    managers: policy.manager ? [policy.manager] : [...workspaceManagers],
  };
}

export { MUST_ESCALATE };

/** The clocks for a card: never lets an SLA problem (a schedule that never opens) break the card. */
export function slaStateOrNull(cfg: SlaConfig, c: SlaCase, now: Date): SlaState | null {
  try {
    return computeSlaState(policyFor(cfg, c), slaTimelineOf(c), now);
  } catch {
    return null;
  }
}
