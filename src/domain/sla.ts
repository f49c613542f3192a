import { ALWAYS_OPEN, businessDeadlines, businessTimeBetween, type BusinessSchedule, type TimeSpan } from './business-hours';

/** The source channels an SLA policy can be set for (the `sla.policies` keys of the config). */
export const SLA_CHANNELS = ['email', 'live_chat', 'social_dm', 'comment', 'marketplace', 'review', 'dispute', 'other'] as const;
export type SlaChannel = (typeof SLA_CHANNELS)[number];

/** Policy `hours` value for a clock that never stops. */
export const TWENTY_FOUR_SEVEN = '24/7';

// SLA clocks and the reminder ladder. Pure: the caller passes the policy, a compact case
// timeline and `now`; nothing here reads the clock or the database.
//
// Rules from the brief:
// - first response: from receipt to the first agent reply;
// - next response: a customer message after the first reply starts the clock, an agent reply
//   stops it. Further customer messages while it runs do not push the deadline out (a customer
//   chasing must not buy the team more time); the next message after a reply starts a new cycle;
// - resolution: from receipt, or from the latest reopen (a reopen restarts it), to resolution;
// - every clock counts business time only (unless the policy is 24/7) and pauses while the
//   case waits on the customer; resolving a case stops every clock.
// Each restart is a new *cycle* with its own key, so the reminder log's unique key
// (case, cycle key, level) lets a restarted clock remind again, and never twice per cycle.

const MINUTE = 60_000;

export const SLA_TARGETS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaTargetName = (typeof SLA_TARGETS)[number];

export type ReminderKind = 'warning' | 'breach' | 'escalation';

/** One rung of the ladder: `level` names it in the reminder key, `kind` says what to send. */
export interface LadderStep {
  readonly level: string;
  readonly kind: ReminderKind;
  /** Percent of the target's business time. */
  readonly percent: number;
}

export const DEFAULT_LADDER: readonly LadderStep[] = Object.freeze([
  { level: 'warning', kind: 'warning', percent: 75 },
  { level: 'breach', kind: 'breach', percent: 100 },
  { level: 'escalation', kind: 'escalation', percent: 150 },
]);

/** Targets in minutes of business time; null or absent: no such target. */
export interface SlaTargets {
  readonly firstResponse?: number | null;
  readonly nextResponse?: number | null;
  readonly resolution?: number | null;
}

export interface SlaPolicy {
  /** The clock's hours; `ALWAYS_OPEN` for a 24/7 policy. */
  readonly schedule: BusinessSchedule;
  readonly targets: SlaTargets;
  readonly ladder?: readonly LadderStep[];
  /** Must-escalate cases get the escalation reminder at once (default true). */
  readonly mustEscalateImmediately?: boolean;
}

export interface Resolution {
  readonly resolvedAt: Date;
  /** When the case was reopened after this resolution; null while it stays resolved. */
  readonly reopenedAt: Date | null;
}

/** What the clocks need to know about a case. Lists may be in any order. */
export interface SlaTimeline {
  /** The customer's first message (the case's creation). */
  readonly receivedAt: Date;
  /** First agent reply; defaults to the earliest of `agentReplies`. */
  readonly firstResponseAt?: Date | null;
  /** Customer messages after the first one; only those after the latest agent reply matter. */
  readonly customerMessages?: readonly Date[];
  /** Agent replies (from Slack or the helpdesk); only the latest ones matter. */
  readonly agentReplies?: readonly Date[];
  /** Waiting on the customer: every clock pauses. `to: null` while still waiting. */
  readonly waiting?: readonly TimeSpan[];
  /** Resolutions and the reopen that followed each. */
  readonly resolutions?: readonly Resolution[];
  /** When a must-escalate rule flagged the case. */
  readonly mustEscalateAt?: Date | null;
}

export type TargetStatus = 'running' | 'paused' | 'met' | 'breached';

export interface ThresholdCrossing {
  readonly level: string;
  readonly kind: ReminderKind;
  /**
   * When the clock crossed (past) or will cross (future, if it keeps running) this rung;
   * null when it never did before the clock stopped, or cannot while the clock is paused.
   */
  readonly at: Date | null;
}

export interface TargetState {
  /** 'first_response' | 'next_response' | 'resolution', or a deadline target's name. */
  readonly target: string;
  readonly cycleStart: Date;
  /** `${target}@${cycleStart ISO}`: the reminder log's kind for this cycle. */
  readonly cycleKey: string;
  /** Business ms allowed (wall ms from start to due for a deadline target). */
  readonly targetMs: number;
  /** When the target is or was due; null while a pause holds the clock short of it. */
  readonly dueAt: Date | null;
  /** When the clock stopped (reply, resolution, completion); null while it runs or pauses. */
  readonly stoppedAt: Date | null;
  readonly status: TargetStatus;
  /** Waiting on the customer right now. */
  readonly paused: boolean;
  /** Business ms counted so far (to `stoppedAt` when stopped). */
  readonly elapsedMs: number;
  /** Wall ms until `dueAt`, for a running clock not yet due; else null. */
  readonly remainingMs: number | null;
  /** Wall ms past `dueAt` (to now, or to `stoppedAt` when it stopped late); null unless breached. */
  readonly overdueMs: number | null;
  readonly remainingBusinessMs: number;
  readonly overdueBusinessMs: number;
  readonly thresholds: readonly ThresholdCrossing[];
}

export interface SlaState {
  readonly computedAt: Date;
  readonly targets: readonly TargetState[];
  /** Set while an unresolved must-escalate case awaits its immediate escalation. */
  readonly mustEscalate: { readonly at: Date } | null;
}

// ---- deadline targets (disputes) -----------------------------------------------------------

/** A rung relative to a fixed deadline: negative offsets are before it. */
export interface DeadlineStep {
  readonly level: string;
  readonly kind: ReminderKind;
  readonly offsetMs: number;
}

const HOUR = 60 * MINUTE;

export const DEFAULT_DEADLINE_STEPS: readonly DeadlineStep[] = Object.freeze([
  { level: 'due_in_72h', kind: 'warning', offsetMs: -72 * HOUR },
  { level: 'due_in_24h', kind: 'warning', offsetMs: -24 * HOUR },
  { level: 'due_in_6h', kind: 'warning', offsetMs: -6 * HOUR },
  { level: 'escalation', kind: 'escalation', offsetMs: 0 },
]);

/** A target with a fixed, wall-clock deadline set by someone else (a payment provider). */
export interface DeadlineTarget {
  readonly target: string;
  /** When the deadline became known (the dispute arrived). */
  readonly startedAt: Date;
  readonly dueAt: Date;
  /** When the work was done (evidence submitted); stops the target. */
  readonly completedAt?: Date | null;
  readonly steps?: readonly DeadlineStep[];
}

/**
 * State of a deadline target. Rungs that had passed before the target started are folded into
 * one: only the latest of them fires (at the start), so a dispute that arrives 20 hours before
 * its deadline gets the 24-hour reminder once, not the 72-hour one too.
 */
export function deadlineTargetState(d: DeadlineTarget, now: Date): TargetState {
  const start = d.startedAt.getTime();
  const due = d.dueAt.getTime();
  const t = now.getTime();
  const stop = d.completedAt && d.completedAt.getTime() <= t ? d.completedAt.getTime() : null;
  const steps = [...(d.steps ?? DEFAULT_DEADLINE_STEPS)].sort((a, b) => a.offsetMs - b.offsetMs);
  const lastPassedAtStart = steps.filter((s) => due + s.offsetMs <= start).pop();
  const thresholds = steps.map((s): ThresholdCrossing => {
    let at: number | null = due + s.offsetMs;
    if (at <= start) at = s === lastPassedAtStart ? start : null;
    if (at !== null && stop !== null && at >= stop) at = null;
    return { level: s.level, kind: s.kind, at: at === null ? null : new Date(at) };
  });
  const end = stop ?? t;
  const targetMs = due - start;
  const breached = stop !== null ? stop > due : t >= due;
  return {
    target: d.target,
    cycleStart: d.startedAt,
    cycleKey: cycleKey(d.target, d.startedAt),
    targetMs,
    dueAt: d.dueAt,
    stoppedAt: stop === null ? null : new Date(stop),
    status: stop !== null ? (breached ? 'breached' : 'met') : breached ? 'breached' : 'running',
    paused: false,
    elapsedMs: Math.max(0, end - start),
    remainingMs: stop === null && !breached ? due - t : null,
    overdueMs: breached ? end - due : null,
    remainingBusinessMs: Math.max(0, due - end),
    overdueBusinessMs: Math.max(0, end - due),
    thresholds,
  };
}

// ---- policy clocks -------------------------------------------------------------------------

export function cycleKey(target: string, start: Date): string {
  return `${target}@${start.toISOString()}`;
}

interface Cycle {
  start: number;
  stop: number | null;
}

const times = (list: readonly Date[] | undefined, now: number): number[] =>
  (list ?? [])
    .map((d) => d.getTime())
    .filter((t) => t <= now)
    .sort((a, b) => a - b);

/**
 * The state of every target of the policy for this case at `now`, plus any deadline targets
 * (disputes), in the order first response, next response, resolution, deadlines.
 * A next-response entry appears once a customer has written after the first reply.
 */
export function computeSlaState(
  policy: SlaPolicy,
  timeline: SlaTimeline,
  now: Date,
  extra: { deadlines?: readonly DeadlineTarget[] } = {},
): SlaState {
  const t = now.getTime();
  const received = timeline.receivedAt.getTime();
  const resolutions = (timeline.resolutions ?? [])
    .filter((r) => r.resolvedAt.getTime() <= t)
    .map((r) => ({
      resolved: r.resolvedAt.getTime(),
      reopened: r.reopenedAt && r.reopenedAt.getTime() <= t ? r.reopenedAt.getTime() : null,
    }))
    .sort((a, b) => a.resolved - b.resolved);
  const resolvedTimes = resolutions.map((r) => r.resolved);
  const firstAtOrAfter = (list: number[], from: number) => list.find((x) => x >= from) ?? null;
  const replies = times(timeline.agentReplies, t);
  const firstReply =
    timeline.firstResponseAt && timeline.firstResponseAt.getTime() <= t ? timeline.firstResponseAt.getTime() : (replies[0] ?? null);

  const targets: TargetState[] = [];

  // First response: one cycle, from receipt to the first reply (or a resolution without one).
  const firstStops = [firstReply, firstAtOrAfter(resolvedTimes, received)].filter((x): x is number => x !== null);
  const firstCycle: Cycle = { start: received, stop: firstStops.length ? Math.min(...firstStops) : null };
  if (policy.targets.firstResponse != null)
    targets.push(clockState('first_response', firstCycle, policy.targets.firstResponse, policy, timeline, t));

  // Next response: the earliest customer message not yet answered starts the current cycle.
  if (policy.targets.nextResponse != null && firstReply !== null) {
    const stoppers = [...replies, ...resolvedTimes].sort((a, b) => a - b);
    let cycle: Cycle | null = null;
    for (const c of times(timeline.customerMessages, t)) {
      if (c <= firstReply) continue;
      if (cycle && (cycle.stop === null || c < cycle.stop)) continue;
      cycle = { start: c, stop: firstAtOrAfter(stoppers, c) };
    }
    if (cycle) targets.push(clockState('next_response', cycle, policy.targets.nextResponse, policy, timeline, t));
  }

  // Resolution: from receipt or the latest reopen to the next resolution.
  const reopens = resolutions.map((r) => r.reopened).filter((x): x is number => x !== null);
  const resolutionStart = Math.max(received, ...reopens);
  const resolutionCycle: Cycle = { start: resolutionStart, stop: firstAtOrAfter(resolvedTimes, resolutionStart) };
  if (policy.targets.resolution != null)
    targets.push(clockState('resolution', resolutionCycle, policy.targets.resolution, policy, timeline, t));

  for (const d of extra.deadlines ?? []) targets.push(deadlineTargetState(d, now));

  const open = resolutionCycle.stop === null;
  const flagged = timeline.mustEscalateAt && timeline.mustEscalateAt.getTime() <= t ? timeline.mustEscalateAt : null;
  return {
    computedAt: now,
    targets,
    mustEscalate: flagged && open && policy.mustEscalateImmediately !== false ? { at: flagged } : null,
  };
}

function clockState(
  target: SlaTargetName,
  cycle: Cycle,
  minutes: number,
  policy: SlaPolicy,
  timeline: SlaTimeline,
  now: number,
): TargetState {
  if (!(minutes > 0)) throw new RangeError(`${target} target must be more than 0 minutes, got ${minutes}`);
  const schedule = policy.schedule ?? ALWAYS_OPEN;
  const targetMs = minutes * MINUTE;
  const end = cycle.stop ?? now;
  // Pauses of this cycle. One still going counts as open-ended for a running clock and ends
  // where a stopped clock stopped.
  const pauses: TimeSpan[] = [];
  let paused = false;
  for (const w of timeline.waiting ?? []) {
    const from = w.from.getTime();
    // A pause that begins at this very instant already holds a running clock (it counts no time yet).
    if (from > end || (from === end && cycle.stop !== null)) continue;
    let to = w.to === null || w.to.getTime() > now ? null : w.to.getTime();
    if (to !== null && to <= cycle.start) continue;
    if (cycle.stop !== null) to = Math.min(to ?? cycle.stop, cycle.stop);
    else if (to === null) paused = true;
    pauses.push({ from: new Date(from), to: to === null ? null : new Date(to) });
  }
  const start = new Date(cycle.start);
  const elapsedMs = businessTimeBetween(start, new Date(end), schedule, pauses);
  const ladder = policy.ladder ?? DEFAULT_LADDER;
  const [due, ...crossings] = businessDeadlines(start, [targetMs, ...ladder.map((s) => (targetMs * s.percent) / 100)], schedule, pauses);
  const stopped = cycle.stop !== null;
  const breached = elapsedMs > targetMs || (!stopped && elapsedMs === targetMs);
  const dueMs = due ? due.getTime() : null;
  return {
    target,
    cycleStart: start,
    cycleKey: cycleKey(target, start),
    targetMs,
    dueAt: due ?? null,
    stoppedAt: stopped ? new Date(end) : null,
    status: stopped ? (breached ? 'breached' : 'met') : breached ? 'breached' : paused ? 'paused' : 'running',
    paused,
    elapsedMs,
    remainingMs: !stopped && !breached && dueMs !== null ? dueMs - now : null,
    overdueMs: breached && dueMs !== null ? end - dueMs : null,
    remainingBusinessMs: Math.max(0, targetMs - elapsedMs),
    overdueBusinessMs: Math.max(0, elapsedMs - targetMs),
    thresholds: ladder.map((s, i): ThresholdCrossing => {
      const at = crossings[i] ?? null;
      // A stopped clock crossed a rung only if it got there before it stopped: a reply at
      // the very due instant meets the target.
      return { level: s.level, kind: s.kind, at: at && (!stopped || at.getTime() < end) ? at : null };
    }),
  };
}

// ---- reminders -----------------------------------------------------------------------------

export interface ReminderDue {
  /** Target name, or 'must_escalate'. */
  readonly target: string;
  /** With `level`, the reminder log's unique key for the case. */
  readonly cycleKey: string;
  readonly level: string;
  readonly kind: ReminderKind;
  readonly crossedAt: Date;
  /**
   * A higher rung of the same cycle is due too (the sweep fell behind): record this one as
   * done but send only the highest.
   */
  readonly superseded: boolean;
}

export const MUST_ESCALATE = 'must_escalate';

function isActive(t: TargetState): boolean {
  return t.stoppedAt === null;
}

/**
 * Reminders whose rung has been crossed by `now` on a clock that still runs (or pauses).
 * Clocks that stopped (replied, resolved) remind no more. The caller sends each one once,
 * guarded by a unique (case, cycleKey, level) row.
 */
export function dueReminders(state: SlaState, now: Date): ReminderDue[] {
  const t = now.getTime();
  const out: ReminderDue[] = [];
  if (state.mustEscalate && state.mustEscalate.at.getTime() <= t) {
    out.push({
      target: MUST_ESCALATE,
      cycleKey: MUST_ESCALATE,
      level: 'escalation',
      kind: 'escalation',
      crossedAt: state.mustEscalate.at,
      superseded: false,
    });
  }
  for (const target of state.targets) {
    if (!isActive(target)) continue;
    const crossed = target.thresholds.filter((c): c is ThresholdCrossing & { at: Date } => c.at !== null && c.at.getTime() <= t);
    const latest = Math.max(...crossed.map((c) => c.at.getTime()));
    for (const c of crossed) {
      out.push({
        target: target.target,
        cycleKey: target.cycleKey,
        level: c.level,
        kind: c.kind,
        crossedAt: c.at,
        superseded: c.at.getTime() < latest,
      });
    }
  }
  return out.sort((a, b) => a.crossedAt.getTime() - b.crossedAt.getTime());
}

/**
 * The next instant after `now` at which a running clock crosses a rung or its due time: when
 * the card must be re-rendered next (and the sweep has something new). Null when nothing is
 * ahead (all stopped, or paused short of the next rung).
 */
export function nextThresholdAt(state: SlaState, now: Date): Date | null {
  const t = now.getTime();
  let next = Infinity;
  for (const target of state.targets) {
    if (!isActive(target)) continue;
    for (const at of [target.dueAt, ...target.thresholds.map((c) => c.at)]) {
      if (at && at.getTime() > t && at.getTime() < next) next = at.getTime();
    }
  }
  return next === Infinity ? null : new Date(next);
}

/** The target to show first: the longest-breached running one, else the soonest due, else a paused one. */
export function mostUrgentTarget(state: SlaState, now: Date): TargetState | null {
  const t = now.getTime();
  const active = state.targets.filter(isActive);
  const rank = (x: TargetState) => (x.dueAt === null ? Infinity : x.dueAt.getTime() - t);
  return active.sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

// ---- card text -----------------------------------------------------------------------------

export const TARGET_LABELS: Record<string, string> = {
  first_response: 'first reply',
  next_response: 'next reply',
  resolution: 'resolution',
};

/** "2d 3h", "1h 20m", "35m", "under 1m" (rounded down to the minute). */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 1) return 'under 1m';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

/**
 * One line for the case card, from the due time and `now`: "first reply due in 1h 20m",
 * "first reply breached 35m ago", "first reply met", "first reply missed by 10m",
 * "resolution paused, 3h left".
 */
/** What a target's standing is told from: enough of its state to say it again later. */
export type TargetStanding = Pick<
  TargetState,
  'target' | 'status' | 'targetMs' | 'dueAt' | 'stoppedAt' | 'paused' | 'overdueMs' | 'remainingBusinessMs'
>;

export function formatTargetStatus(state: TargetStanding, now: Date): string {
  const label = TARGET_LABELS[state.target] ?? state.target.replace(/_/g, ' ');
  const t = now.getTime();
  if (state.stoppedAt !== null) {
    return state.status === 'met' ? `${label} met` : `${label} missed by ${formatDuration(state.overdueMs ?? 0)}`;
  }
  const due = state.dueAt?.getTime() ?? null;
  if (due !== null && due <= t) {
    const ago = t - due;
    return ago < MINUTE ? `${label} breached just now` : `${label} breached ${formatDuration(ago)} ago`;
  }
  if (state.paused || due === null) return `${label} paused, ${formatDuration(state.remainingBusinessMs)} left`;
  return `${label} due in ${formatDuration(due - t)}`;
}
