import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, parseDailyInterval, type BusinessSchedule, type DailyInterval, type Weekday } from '../../src/domain/business-hours';
import {
  computeSlaState,
  deadlineTargetState,
  dueReminders,
  formatDuration,
  formatTargetStatus,
  mostUrgentTarget,
  nextThresholdAt,
  type SlaPolicy,
  type SlaState,
  type TargetState,
} from '../../src/domain/sla';

const M = 60_000;
const H = 60 * M;
const at = (iso: string) => new Date(iso);
const iv = (text: string) => parseDailyInterval(text) as DailyInterval;
const weekdays = (tz: string, range: string): BusinessSchedule => ({
  timezone: tz,
  weekly: Object.fromEntries((['mon', 'tue', 'wed', 'thu', 'fri'] as Weekday[]).map((d) => [d, [iv(range)]])),
});
const berlinOffice = weekdays('Europe/Berlin', '09:00-17:00');
const laOffice = weekdays('America/Los_Angeles', '08:00-17:00');

const target = (state: SlaState, name: string): TargetState => {
  const found = state.targets.find((t) => t.target === name);
  if (!found) throw new Error(`no ${name} in ${state.targets.map((t) => t.target).join(', ')}`);
  return found;
};
const crossings = (t: TargetState) => Object.fromEntries(t.thresholds.map((c) => [c.level, c.at?.toISOString() ?? null]));

describe('first response', () => {
  const policy: SlaPolicy = { schedule: berlinOffice, targets: { firstResponse: 60 } };
  // Mon 2 Mar 09:00 CET.
  const receivedAt = at('2026-03-02T08:00:00Z');

  it('runs, with the ladder at 75%, 100% and 150% of business time', () => {
    const now = at('2026-03-02T08:40:00Z');
    const fr = target(computeSlaState(policy, { receivedAt }, now), 'first_response');
    expect(fr.status).toBe('running');
    expect(fr.dueAt).toEqual(at('2026-03-02T09:00:00Z'));
    expect(fr.elapsedMs).toBe(40 * M);
    expect(fr.remainingMs).toBe(20 * M);
    expect(fr.overdueMs).toBeNull();
    expect(crossings(fr)).toEqual({
      warning: '2026-03-02T08:45:00.000Z',
      breach: '2026-03-02T09:00:00.000Z',
      escalation: '2026-03-02T09:30:00.000Z',
    });
    expect(fr.cycleKey).toBe('first_response@2026-03-02T08:00:00.000Z');
    expect(formatTargetStatus(fr, now)).toBe('first reply due in 20m');
  });

  it('lists each crossed rung as due, marking the ones a higher rung supersedes', () => {
    const now = at('2026-03-02T09:35:00Z');
    const state = computeSlaState(policy, { receivedAt }, now);
    const fr = target(state, 'first_response');
    expect(fr.status).toBe('breached');
    expect(fr.overdueMs).toBe(35 * M);
    expect(fr.overdueBusinessMs).toBe(35 * M);
    expect(formatTargetStatus(fr, now)).toBe('first reply breached 35m ago');
    expect(dueReminders(state, now).map((r) => [r.level, r.kind, r.crossedAt.toISOString(), r.superseded])).toEqual([
      ['warning', 'warning', '2026-03-02T08:45:00.000Z', true],
      ['breach', 'breach', '2026-03-02T09:00:00.000Z', true],
      ['escalation', 'escalation', '2026-03-02T09:30:00.000Z', false],
    ]);
    expect(nextThresholdAt(state, now)).toBeNull();
  });

  it('lists only the warning between 75% and 100%, and knows when the next rung comes', () => {
    const now = at('2026-03-02T08:50:00Z');
    const state = computeSlaState(policy, { receivedAt }, now);
    expect(dueReminders(state, now)).toEqual([
      {
        target: 'first_response',
        cycleKey: 'first_response@2026-03-02T08:00:00.000Z',
        level: 'warning',
        kind: 'warning',
        crossedAt: at('2026-03-02T08:45:00.000Z'),
        superseded: false,
      },
    ]);
    expect(nextThresholdAt(state, now)).toEqual(at('2026-03-02T09:00:00Z'));
    expect(nextThresholdAt(state, at('2026-03-02T08:00:00Z'))).toEqual(at('2026-03-02T08:45:00Z'));
  });

  it('does not run over the weekend', () => {
    // Fri 6 Mar 16:30 CET: 30m on Friday, 30m on Monday from 09:00 CET.
    const friday = { receivedAt: at('2026-03-06T15:30:00Z') };
    const now = at('2026-03-07T12:00:00Z');
    const fr = target(computeSlaState(policy, friday, now), 'first_response');
    expect(fr.status).toBe('running');
    expect(fr.dueAt).toEqual(at('2026-03-09T08:30:00Z'));
    expect(fr.remainingBusinessMs).toBe(30 * M);
    expect(crossings(fr)).toEqual({
      warning: '2026-03-09T08:15:00.000Z',
      breach: '2026-03-09T08:30:00.000Z',
      escalation: '2026-03-09T09:00:00.000Z',
    });
    expect(formatTargetStatus(fr, now)).toBe('first reply due in 1d 20h');
  });

  it('is met by a reply before the due time, and stops reminding', () => {
    const now = at('2026-03-02T09:40:00Z');
    const state = computeSlaState(policy, { receivedAt, agentReplies: [at('2026-03-02T08:50:00Z')] }, now);
    const fr = target(state, 'first_response');
    expect(fr.status).toBe('met');
    expect(fr.stoppedAt).toEqual(at('2026-03-02T08:50:00Z'));
    expect(crossings(fr)).toEqual({ warning: '2026-03-02T08:45:00.000Z', breach: null, escalation: null });
    expect(dueReminders(state, now)).toEqual([]);
    expect(nextThresholdAt(state, now)).toBeNull();
    expect(formatTargetStatus(fr, now)).toBe('first reply met');
  });

  it('counts a reply at the due instant as met', () => {
    const fr = target(
      computeSlaState(policy, { receivedAt, firstResponseAt: at('2026-03-02T09:00:00Z') }, at('2026-03-02T12:00:00Z')),
      'first_response',
    );
    expect(fr.status).toBe('met');
    expect(crossings(fr).breach).toBeNull();
  });

  it('is breached by a late reply and says by how much', () => {
    const now = at('2026-03-02T12:00:00Z');
    const fr = target(computeSlaState(policy, { receivedAt, agentReplies: [at('2026-03-02T09:10:00Z')] }, now), 'first_response');
    expect(fr.status).toBe('breached');
    expect(fr.overdueMs).toBe(10 * M);
    expect(crossings(fr)).toEqual({ warning: '2026-03-02T08:45:00.000Z', breach: '2026-03-02T09:00:00.000Z', escalation: null });
    expect(formatTargetStatus(fr, now)).toBe('first reply missed by 10m');
  });

  it('keeps local business hours across the fall-back weekend in Berlin', () => {
    // Fri 23 Oct 16:30 CEST (14:30Z): 30m Friday, then Mon 26 Oct 09:00–09:30 CET (08:30Z).
    const fr = target(computeSlaState(policy, { receivedAt: at('2026-10-23T14:30:00Z') }, at('2026-10-24T00:00:00Z')), 'first_response');
    expect(fr.dueAt).toEqual(at('2026-10-26T08:30:00Z'));
  });
});

describe('next response', () => {
  const policy: SlaPolicy = { schedule: ALWAYS_OPEN, targets: { firstResponse: 60, nextResponse: 120 } };
  const base = {
    receivedAt: at('2026-03-02T10:00:00Z'),
    agentReplies: [at('2026-03-02T10:30:00Z'), at('2026-03-02T12:00:00Z')],
    customerMessages: [at('2026-03-02T11:00:00Z'), at('2026-03-02T11:30:00Z'), at('2026-03-02T14:00:00Z')],
  };

  it('has no cycle until the customer writes after the first reply', () => {
    const state = computeSlaState(
      policy,
      { receivedAt: base.receivedAt, customerMessages: [at('2026-03-02T10:10:00Z')], agentReplies: [at('2026-03-02T10:30:00Z')] },
      at('2026-03-02T11:00:00Z'),
    );
    expect(state.targets.map((t) => t.target)).toEqual(['first_response']);
  });

  it('starts at the earliest unanswered message (chasing does not move it) and stops at the reply', () => {
    const now = at('2026-03-02T12:30:00Z');
    const nr = target(computeSlaState(policy, base, now), 'next_response');
    expect(nr.cycleStart).toEqual(at('2026-03-02T11:00:00Z'));
    expect(nr.stoppedAt).toEqual(at('2026-03-02T12:00:00Z'));
    expect(nr.status).toBe('met');
  });

  it('breaches from the first of several unanswered messages', () => {
    const now = at('2026-03-02T13:10:00Z');
    const nr = target(computeSlaState(policy, { ...base, agentReplies: [at('2026-03-02T10:30:00Z')] }, now), 'next_response');
    expect(nr.dueAt).toEqual(at('2026-03-02T13:00:00Z'));
    expect(formatTargetStatus(nr, now)).toBe('next reply breached 10m ago');
  });

  it('restarts with a new cycle key when the customer writes after a reply', () => {
    const now = at('2026-03-02T15:00:00Z');
    const state = computeSlaState(policy, base, now);
    const nr = target(state, 'next_response');
    expect(nr.cycleKey).toBe('next_response@2026-03-02T14:00:00.000Z');
    expect(nr.status).toBe('running');
    expect(nr.dueAt).toEqual(at('2026-03-02T16:00:00Z'));
    expect(nr.elapsedMs).toBe(1 * H);
    // Warning of the new cycle at 14:00 + 90m.
    expect(nextThresholdAt(state, now)).toEqual(at('2026-03-02T15:30:00Z'));
  });

  it('stops when the case is resolved without a reply', () => {
    const now = at('2026-03-02T16:00:00Z');
    const nr = target(
      computeSlaState(policy, { ...base, resolutions: [{ resolvedAt: at('2026-03-02T14:30:00Z'), reopenedAt: null }] }, now),
      'next_response',
    );
    expect(nr.stoppedAt).toEqual(at('2026-03-02T14:30:00Z'));
    expect(nr.status).toBe('met');
  });
});

describe('waiting on the customer pauses the clock', () => {
  const policy: SlaPolicy = { schedule: berlinOffice, targets: { resolution: 480 } };
  // Mon 2 Mar 09:00 CET; waiting 11:00–13:00 CET.
  const receivedAt = at('2026-03-02T08:00:00Z');

  it('moves every rung by the pause, counted in business hours', () => {
    const timeline = { receivedAt, waiting: [{ from: at('2026-03-02T10:00:00Z'), to: at('2026-03-02T12:00:00Z') }] };
    const now = at('2026-03-02T13:00:00Z');
    const res = target(computeSlaState(policy, timeline, now), 'resolution');
    expect(res.status).toBe('running');
    expect(res.elapsedMs).toBe(3 * H); // 09–11 and 13–14 CET
    // 6h by Mon 17:00 CET, then Tue 09:00–11:00 CET.
    expect(res.dueAt).toEqual(at('2026-03-03T10:00:00Z'));
    expect(crossings(res)).toEqual({
      warning: '2026-03-02T16:00:00.000Z',
      breach: '2026-03-03T10:00:00.000Z',
      escalation: '2026-03-03T14:00:00.000Z',
    });
  });

  it('is paused with no due time while still waiting', () => {
    const timeline = { receivedAt, waiting: [{ from: at('2026-03-02T10:00:00Z'), to: null }] };
    const now = at('2026-03-02T11:00:00Z');
    const state = computeSlaState(policy, timeline, now);
    const res = target(state, 'resolution');
    expect(res.status).toBe('paused');
    expect(res.paused).toBe(true);
    expect(res.dueAt).toBeNull();
    expect(res.elapsedMs).toBe(2 * H);
    expect(res.remainingBusinessMs).toBe(6 * H);
    expect(crossings(res)).toEqual({ warning: null, breach: null, escalation: null });
    expect(nextThresholdAt(state, now)).toBeNull();
    expect(formatTargetStatus(res, now)).toBe('resolution paused, 6h left');
  });

  it('shows a breach that happened before the pause', () => {
    const timeline = { receivedAt, waiting: [{ from: at('2026-03-03T09:00:00Z'), to: null }] };
    const now = at('2026-03-03T12:00:00Z');
    const res = target(computeSlaState(policy, timeline, now), 'resolution');
    // Due Mon 17:00 CET (16:00Z); paused since Tue 10:00 CET.
    expect(res.dueAt).toEqual(at('2026-03-02T16:00:00Z'));
    expect(res.status).toBe('breached');
    expect(res.paused).toBe(true);
    expect(res.overdueBusinessMs).toBe(1 * H);
  });
});

describe('resolution and reopening', () => {
  const policy: SlaPolicy = { schedule: ALWAYS_OPEN, targets: { resolution: 240 } };
  const receivedAt = at('2026-03-02T08:00:00Z');
  const resolved = { resolvedAt: at('2026-03-02T09:00:00Z'), reopenedAt: at('2026-03-03T10:00:00Z') };

  it('is met when resolved in time', () => {
    const res = target(
      computeSlaState(policy, { receivedAt, resolutions: [{ ...resolved, reopenedAt: null }] }, at('2026-03-02T20:00:00Z')),
      'resolution',
    );
    expect(res.status).toBe('met');
    expect(res.cycleKey).toBe('resolution@2026-03-02T08:00:00.000Z');
  });

  it('restarts from the reopen with the full target and a new cycle key', () => {
    const now = at('2026-03-03T13:30:00Z');
    const state = computeSlaState(policy, { receivedAt, resolutions: [resolved] }, now);
    const res = target(state, 'resolution');
    expect(res.cycleStart).toEqual(at('2026-03-03T10:00:00Z'));
    expect(res.dueAt).toEqual(at('2026-03-03T14:00:00Z'));
    expect(res.status).toBe('running');
    expect(dueReminders(state, now).map((r) => `${r.cycleKey}:${r.level}`)).toEqual(['resolution@2026-03-03T10:00:00.000Z:warning']);
    expect(formatTargetStatus(res, now)).toBe('resolution due in 30m');
  });

  it('is met again by a second resolution', () => {
    const now = at('2026-03-04T00:00:00Z');
    const res = target(
      computeSlaState(policy, { receivedAt, resolutions: [resolved, { resolvedAt: at('2026-03-03T11:00:00Z'), reopenedAt: null }] }, now),
      'resolution',
    );
    expect(res.cycleStart).toEqual(at('2026-03-03T10:00:00Z'));
    expect(res.stoppedAt).toEqual(at('2026-03-03T11:00:00Z'));
    expect(res.status).toBe('met');
  });

  it('runs in Los Angeles business hours across the spring-forward weekend', () => {
    const la: SlaPolicy = { schedule: laOffice, targets: { resolution: 600 } };
    // Fri 6 Mar 16:00 PST: 1h Friday, 9h on Mon 9 Mar (PDT) 08:00–17:00 = Tue 00:00Z.
    const res = target(computeSlaState(la, { receivedAt: at('2026-03-07T00:00:00Z') }, at('2026-03-07T01:00:00Z')), 'resolution');
    expect(res.dueAt).toEqual(at('2026-03-10T00:00:00Z'));
    expect(res.elapsedMs).toBe(1 * H);
  });
});

describe('ladder and must-escalate', () => {
  it('uses a configured ladder', () => {
    const policy: SlaPolicy = {
      schedule: ALWAYS_OPEN,
      targets: { firstResponse: 60 },
      ladder: [
        { level: 'warning', kind: 'warning', percent: 50 },
        { level: 'breach', kind: 'breach', percent: 100 },
        { level: 'escalation', kind: 'escalation', percent: 200 },
      ],
    };
    const fr = target(computeSlaState(policy, { receivedAt: at('2026-03-02T08:00:00Z') }, at('2026-03-02T08:00:00Z')), 'first_response');
    expect(crossings(fr)).toEqual({
      warning: '2026-03-02T08:30:00.000Z',
      breach: '2026-03-02T09:00:00.000Z',
      escalation: '2026-03-02T10:00:00.000Z',
    });
  });

  const policy: SlaPolicy = { schedule: berlinOffice, targets: { firstResponse: 60, resolution: 480 } };
  // Sunday: out of hours, yet a must-escalate case escalates at once.
  const timeline = { receivedAt: at('2026-03-08T10:00:00Z'), mustEscalateAt: at('2026-03-08T10:00:00Z') };

  it('escalates a must-escalate case at once, out of hours too', () => {
    const now = at('2026-03-08T10:00:00Z');
    expect(dueReminders(computeSlaState(policy, timeline, now), now)).toEqual([
      { target: 'must_escalate', cycleKey: 'must_escalate', level: 'escalation', kind: 'escalation', crossedAt: now, superseded: false },
    ]);
  });

  it('does not escalate when the policy turns it off or the case is resolved', () => {
    const now = at('2026-03-08T11:00:00Z');
    expect(dueReminders(computeSlaState({ ...policy, mustEscalateImmediately: false }, timeline, now), now)).toEqual([]);
    const resolved = { ...timeline, resolutions: [{ resolvedAt: at('2026-03-08T10:30:00Z'), reopenedAt: null }] };
    expect(computeSlaState(policy, resolved, now).mustEscalate).toBeNull();
  });
});

describe('deadline targets (disputes)', () => {
  const dispute = { target: 'dispute_response', startedAt: at('2026-03-05T12:00:00Z'), dueAt: at('2026-03-10T12:00:00Z') };

  it('reminds 72h, 24h and 6h before and escalates when the deadline passes', () => {
    const now = at('2026-03-09T13:00:00Z');
    const d = deadlineTargetState(dispute, now);
    expect(crossings(d)).toEqual({
      due_in_72h: '2026-03-07T12:00:00.000Z',
      due_in_24h: '2026-03-09T12:00:00.000Z',
      due_in_6h: '2026-03-10T06:00:00.000Z',
      escalation: '2026-03-10T12:00:00.000Z',
    });
    const state = computeSlaState({ schedule: ALWAYS_OPEN, targets: {} }, { receivedAt: dispute.startedAt }, now, { deadlines: [dispute] });
    expect(dueReminders(state, now).map((r) => [r.level, r.superseded])).toEqual([
      ['due_in_72h', true],
      ['due_in_24h', false],
    ]);
    expect(nextThresholdAt(state, now)).toEqual(at('2026-03-10T06:00:00Z'));
    expect(formatTargetStatus(d, now)).toBe('dispute response due in 23h');
  });

  it('sends only the latest rung already passed when the deadline arrives late', () => {
    const late = { ...dispute, startedAt: at('2026-03-09T16:00:00Z') };
    expect(crossings(deadlineTargetState(late, late.startedAt))).toEqual({
      due_in_72h: null,
      due_in_24h: '2026-03-09T16:00:00.000Z',
      due_in_6h: '2026-03-10T06:00:00.000Z',
      escalation: '2026-03-10T12:00:00.000Z',
    });
  });

  it('is met when completed in time, breached when the deadline passes', () => {
    const done = deadlineTargetState({ ...dispute, completedAt: at('2026-03-10T08:00:00Z') }, at('2026-03-11T00:00:00Z'));
    expect(done.status).toBe('met');
    expect(crossings(done).escalation).toBeNull();
    const now = at('2026-03-10T12:20:00Z');
    const passed = deadlineTargetState(dispute, now);
    expect(passed.status).toBe('breached');
    expect(formatTargetStatus(passed, now)).toBe('dispute response breached 20m ago');
  });
});

describe('card text', () => {
  it('formats durations rounded down to the minute', () => {
    expect([0, 59_999, 35 * M, 80 * M, 2 * H, 28 * H + 59 * M, 48 * H].map(formatDuration)).toEqual([
      'under 1m',
      'under 1m',
      '35m',
      '1h 20m',
      '2h',
      '1d 4h',
      '2d',
    ]);
  });

  it('says "just now" in the first minute of a breach', () => {
    const policy: SlaPolicy = { schedule: ALWAYS_OPEN, targets: { firstResponse: 60 } };
    const now = at('2026-03-02T09:00:30Z');
    const fr = target(computeSlaState(policy, { receivedAt: at('2026-03-02T08:00:00Z') }, now), 'first_response');
    expect(formatTargetStatus(fr, now)).toBe('first reply breached just now');
  });

  it('picks the longest-breached running target to show first', () => {
    const policy: SlaPolicy = { schedule: ALWAYS_OPEN, targets: { firstResponse: 60, resolution: 120 } };
    const now = at('2026-03-02T11:00:00Z');
    const state = computeSlaState(policy, { receivedAt: at('2026-03-02T08:00:00Z') }, now);
    expect(mostUrgentTarget(state, now)?.target).toBe('first_response');
    const replied = computeSlaState(policy, { receivedAt: at('2026-03-02T08:00:00Z'), agentReplies: [at('2026-03-02T08:10:00Z')] }, now);
    expect(mostUrgentTarget(replied, now)?.target).toBe('resolution');
  });
});
