import { describe, expect, test } from 'vitest';
import { slaConfigSchema } from '../../src/config/sla';
import { recordMessage, resolve, reopen, type CaseState } from '../../src/domain/case';
import { CaseClosed } from '../../src/domain/errors';
import { formatTargetStatus } from '../../src/domain/sla';
import {
  evaluateCaseSla,
  policyFor,
  reminderPeople,
  riskLevel,
  type SlaCase,
  slaTimelineOf,
  stopWaiting,
  trackSla,
  waitOnCustomer,
} from '../../src/domain/sla-case';

// A case's SLA from what is stored on it, driven through the same transitions the services
// apply (resolve, reopen, messages, waiting), with a fixed clock.

const M = 60_000;
const at = (iso: string) => new Date(iso);

const config = slaConfigSchema.parse({
  hours: {
    berlin: {
      timezone: 'Europe/Berlin',
      weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] },
      holidays: ['2026-12-25'],
    },
  },
  defaults: { hours: '24/7', targets: { first_response: '1h', next_response: '30m', resolution: '8h' }, manager: 'U0BOSS' },
  policies: {
    email: { hours: 'berlin', owner: 'S0EMAIL', on_duty: 'S0ONDUTY' },
    live_chat: { owner: 'U0CHATLEAD', manager: 'U0CHATBOSS' },
    dispute: { targets: { first_response: '24h', next_response: null, resolution: null } },
  },
});

function newCase(overrides: Partial<SlaCase> = {}): SlaCase {
  return {
    id: 7,
    kind: 'ticket',
    source: 'live_chat',
    priority: 'normal',
    status: 'new',
    ownerId: null,
    receivedAt: at('2026-03-02T08:00:00Z'),
    firstResponseAt: null,
    lastAgentReplyAt: null,
    resolvedAt: null,
    awaitingReplySince: null,
    mustEscalateAt: null,
    slaPauses: [],
    slaResolutions: [],
    ...overrides,
  };
}

const stateOf = (c: SlaCase): CaseState => ({
  id: c.id,
  status: c.status as CaseState['status'],
  ownerId: c.ownerId,
  tags: [],
  priority: c.priority,
  escalatedAt: null,
  escalationReason: null,
  resolvedAt: c.resolvedAt,
  reopenCount: 0,
  firstResponseAt: c.firstResponseAt,
  lastCustomerMessageAt: null,
  lastAgentReplyAt: c.lastAgentReplyAt,
});

/** What the case services do: the domain patch, plus the SLA bookkeeping of the same change. */
function message(c: SlaCase, direction: 'customer' | 'agent', iso: string): SlaCase {
  const now = at(iso);
  const patch = recordMessage(stateOf(c), direction, now);
  return { ...c, ...patch, ...trackSla(c, { status: patch.status, message: { direction, at: now } }, now) } as SlaCase;
}
function transition(c: SlaCase, t: { changed: boolean; patch?: Record<string, unknown> }, iso: string): SlaCase {
  if (!t.changed || !t.patch) throw new Error('expected a change');
  const now = at(iso);
  return { ...c, ...t.patch, ...trackSla(c, { status: t.patch.status as string | undefined }, now) } as SlaCase;
}
const target = (c: SlaCase, name: string, iso: string) => evaluateCaseSla(config, c, at(iso)).state.targets.find((t) => t.target === name);

describe('bookkeeping (trackSla)', () => {
  test('every change asks the sweep to look at once', () => {
    expect(trackSla(newCase(), {}, at('2026-03-02T08:05:00Z'))).toEqual({ slaCheckAt: at('2026-03-02T08:05:00Z') });
  });

  test('awaiting a reply: the earliest unanswered customer message, cleared by a later agent reply', () => {
    let c = message(newCase(), 'agent', '2026-03-02T08:10:00Z');
    expect(c.awaitingReplySince).toBeNull();
    c = message(c, 'customer', '2026-03-02T08:20:00Z');
    c = message(c, 'customer', '2026-03-02T08:25:00Z');
    expect(c.awaitingReplySince).toEqual(at('2026-03-02T08:20:00Z'));
    // A reply written before the customer's message does not answer it.
    c = { ...c, ...trackSla(c, { message: { direction: 'agent', at: at('2026-03-02T08:15:00Z') } }, at('2026-03-02T08:30:00Z')) };
    expect(c.awaitingReplySince).toEqual(at('2026-03-02T08:20:00Z'));
    c = message(c, 'agent', '2026-03-02T08:31:00Z');
    expect(c.awaitingReplySince).toBeNull();
    // A customer message older than the last reply arrived late: it was answered.
    c = { ...c, ...trackSla(c, { message: { direction: 'customer', at: at('2026-03-02T08:22:00Z') } }, at('2026-03-02T08:32:00Z')) };
    expect(c.awaitingReplySince).toBeNull();
  });

  test('waiting on the customer opens a pause, and their message closes it', () => {
    let c = transition(
      newCase({ status: 'open', ownerId: 'U0AGENT' }),
      waitOnCustomer(stateOf(newCase({ status: 'open' })), 'U0AGENT'),
      '2026-03-02T08:10:00Z',
    );
    expect(c.status).toBe('waiting');
    expect(c.slaPauses).toEqual([{ from: '2026-03-02T08:10:00.000Z', to: null }]);
    c = message(c, 'customer', '2026-03-02T09:00:00Z');
    expect(c.status).toBe('open');
    expect(c.slaPauses).toEqual([{ from: '2026-03-02T08:10:00.000Z', to: '2026-03-02T09:00:00.000Z' }]);
  });

  test('resolving records the resolution and ends the wait for a reply; reopening records when', () => {
    let c = message(
      message(newCase({ ownerId: 'U0AGENT', status: 'open' }), 'agent', '2026-03-02T08:10:00Z'),
      'customer',
      '2026-03-02T08:20:00Z',
    );
    c = transition(c, resolve(stateOf(c), 'U0AGENT', at('2026-03-02T09:00:00Z')), '2026-03-02T09:00:00Z');
    expect(c.awaitingReplySince).toBeNull();
    expect(c.slaResolutions).toEqual([{ resolvedAt: '2026-03-02T09:00:00.000Z', reopenedAt: null }]);
    c = transition(c, reopen(stateOf(c), 'U0AGENT'), '2026-03-02T11:00:00Z');
    expect(c.slaResolutions).toEqual([{ resolvedAt: '2026-03-02T09:00:00.000Z', reopenedAt: '2026-03-02T11:00:00.000Z' }]);
  });

  test('waiting can be set on open cases only, and stopped only while waiting', () => {
    expect(() => waitOnCustomer(stateOf(newCase({ status: 'resolved' })), 'U1')).toThrow(CaseClosed);
    expect(waitOnCustomer(stateOf(newCase({ status: 'waiting' })), 'U1')).toEqual({
      changed: false,
      notice: 'TL-7 is already waiting on the customer.',
    });
    expect(stopWaiting(stateOf(newCase({ status: 'open' })), 'U1')).toEqual({
      changed: false,
      notice: 'TL-7 is not waiting on the customer.',
    });
    expect(stopWaiting(stateOf(newCase({ status: 'waiting', ownerId: null })), 'U1')).toMatchObject({
      changed: true,
      patch: { status: 'new' },
    });
    expect(stopWaiting(stateOf(newCase({ status: 'waiting', ownerId: 'U2' })), 'U1')).toMatchObject({
      changed: true,
      patch: { status: 'open' },
    });
  });
});

describe('clock rules, from the stored fields', () => {
  test('a customer message restarts the next-response clock; an agent reply stops it', () => {
    let c = message(newCase(), 'agent', '2026-03-02T08:10:00Z');
    expect(target(c, 'first_response', '2026-03-02T08:10:00Z')).toMatchObject({ status: 'met' });
    expect(target(c, 'next_response', '2026-03-02T08:10:00Z')).toBeUndefined();
    c = message(c, 'customer', '2026-03-02T09:00:00Z');
    const first = target(c, 'next_response', '2026-03-02T09:10:00Z')!;
    expect(first).toMatchObject({
      status: 'running',
      dueAt: at('2026-03-02T09:30:00Z'),
      cycleKey: 'next_response@2026-03-02T09:00:00.000Z',
    });
    // The customer chasing does not move the deadline.
    c = message(c, 'customer', '2026-03-02T09:20:00Z');
    expect(target(c, 'next_response', '2026-03-02T09:25:00Z')!.dueAt).toEqual(at('2026-03-02T09:30:00Z'));
    c = message(c, 'agent', '2026-03-02T09:28:00Z');
    // Answered: no next-response clock runs until the customer writes again.
    expect(target(c, 'next_response', '2026-03-02T10:00:00Z')).toBeUndefined();
    c = message(c, 'customer', '2026-03-02T11:00:00Z');
    expect(target(c, 'next_response', '2026-03-02T11:00:00Z')!.cycleKey).toBe('next_response@2026-03-02T11:00:00.000Z');
  });

  test('reopening restarts the resolution clock, as a new cycle', () => {
    let c = newCase({ status: 'open', ownerId: 'U0AGENT' });
    c = transition(c, resolve(stateOf(c), 'U0AGENT', at('2026-03-02T10:00:00Z')), '2026-03-02T10:00:00Z');
    expect(target({ ...c, resolvedAt: at('2026-03-02T10:00:00Z') }, 'resolution', '2026-03-02T10:00:00Z')).toMatchObject({ status: 'met' });
    c = transition(c, reopen(stateOf(c), 'U0AGENT'), '2026-03-02T12:00:00Z');
    const res = target(c, 'resolution', '2026-03-02T12:30:00Z')!;
    expect(res).toMatchObject({ status: 'running', cycleKey: 'resolution@2026-03-02T12:00:00.000Z', dueAt: at('2026-03-02T20:00:00Z') });
    expect(res.elapsedMs).toBe(30 * M);
  });

  test('waiting on the customer pauses every clock for as long as it lasts', () => {
    let c = newCase({ status: 'open', ownerId: 'U0AGENT' });
    c = transition(c, waitOnCustomer(stateOf(c), 'U0AGENT'), '2026-03-02T08:30:00Z');
    const paused = target(c, 'first_response', '2026-03-02T12:00:00Z')!;
    expect(paused).toMatchObject({ status: 'paused', paused: true, elapsedMs: 30 * M, dueAt: null });
    expect(formatTargetStatus(paused, at('2026-03-02T12:00:00Z'))).toBe('first reply paused, 30m left');
    expect(evaluateCaseSla(config, c, at('2026-03-02T12:00:00Z')).nextCheckAt).toBeNull();
    c = transition(c, stopWaiting(stateOf(c), 'U0AGENT'), '2026-03-02T10:00:00Z');
    // 30 minutes used before the pause, 30 left after it ends at 10:00.
    expect(target(c, 'first_response', '2026-03-02T10:00:00Z')!.dueAt).toEqual(at('2026-03-02T10:30:00Z'));
  });

  test('a wait that begins at this very instant already shows the clocks paused', () => {
    let c = newCase({ status: 'open', ownerId: 'U0AGENT' });
    c = transition(c, waitOnCustomer(stateOf(c), 'U0AGENT'), '2026-03-02T08:20:00Z');
    expect(target(c, 'first_response', '2026-03-02T08:20:00Z')).toMatchObject({
      status: 'paused',
      paused: true,
      dueAt: null,
      elapsedMs: 20 * M,
    });
  });

  test('business hours of the channel’s team: a Friday-evening email is due on Monday', () => {
    // Fri 4 Dec 2026 16:30 in Berlin (15:30Z); 30 minutes of Friday left, then Monday 09:00.
    const c = newCase({ source: 'email', receivedAt: at('2026-12-04T15:30:00Z') });
    const e = evaluateCaseSla(config, c, at('2026-12-05T12:00:00Z'));
    const fr = e.state.targets.find((t) => t.target === 'first_response')!;
    expect(fr.dueAt).toEqual(at('2026-12-07T08:30:00Z'));
    expect(fr.thresholds.map((t) => [t.level, t.at?.toISOString()])).toEqual([
      ['warning', '2026-12-07T08:15:00.000Z'],
      ['breach', '2026-12-07T08:30:00.000Z'],
      ['escalation', '2026-12-07T09:00:00.000Z'],
    ]);
    expect(e.nextCheckAt).toEqual(at('2026-12-07T08:15:00Z'));
    expect(e.riskAt).toEqual(at('2026-12-07T08:15:00Z'));
    expect(e.due).toEqual([]);
  });

  test('a must-escalate case is due for escalation at once, and no longer once resolved', () => {
    const flagged = newCase({ mustEscalateAt: at('2026-03-02T08:00:05Z') });
    const e = evaluateCaseSla(config, flagged, at('2026-03-02T08:00:10Z'));
    expect(e.due.map((r) => [r.target, r.level])).toEqual([['must_escalate', 'escalation']]);
    // Flagged is not breached: no target has passed, so it is marked on its own.
    expect(riskLevel(e, at('2026-03-02T08:00:10Z'))).toBe('ok');
    expect(e.mustEscalate).toBe(true);
    expect(e.riskAt).toEqual(at('2026-03-02T08:45:00Z'));
    const resolved = newCase({ mustEscalateAt: at('2026-03-02T08:00:05Z'), status: 'resolved', resolvedAt: at('2026-03-02T08:00:07Z') });
    expect(evaluateCaseSla(config, resolved, at('2026-03-02T08:00:10Z')).due).toEqual([]);
  });

  test('risk: fine before the warning rung, at risk after it, breached past due', () => {
    const c = newCase(); // live chat, 24/7, first reply 1h: warning 08:45, due 09:00
    const level = (iso: string) => riskLevel(evaluateCaseSla(config, c, at(iso)), at(iso));
    expect(level('2026-03-02T08:44:00Z')).toBe('ok');
    expect(level('2026-03-02T08:46:00Z')).toBe('at_risk');
    expect(level('2026-03-02T09:01:00Z')).toBe('breached');
  });

  test('a resolved case stored before resolutions were kept still counts as resolved', () => {
    const legacy = newCase({ status: 'resolved', resolvedAt: at('2026-03-02T08:30:00Z') });
    expect(slaTimelineOf(legacy).resolutions).toEqual([{ resolvedAt: at('2026-03-02T08:30:00Z'), reopenedAt: null }]);
    expect(evaluateCaseSla(config, legacy, at('2026-03-02T12:00:00Z')).due).toEqual([]);
  });
});

describe('policies and people', () => {
  test('disputes and reviews count under their own channel; tickets under their source', () => {
    expect(policyFor(config, { kind: 'dispute', source: 'stripe', priority: 'normal' }).targets).toEqual({
      firstResponse: 24 * 60,
      nextResponse: null,
      resolution: null,
    });
    expect(policyFor(config, { kind: 'ticket', source: 'email', priority: 'normal' }).hoursTeam).toBe('berlin');
  });

  test('the owner is mentioned and DMed; unowned, the on-duty group is mentioned and nobody can be DMed', () => {
    const email = policyFor(config, { kind: 'ticket', source: 'email', priority: 'normal' });
    expect(reminderPeople(email, { ownerId: 'U0AGENT' }, ['U0MGR'])).toEqual({
      warn: 'U0AGENT',
      dm: 'U0AGENT',
      breachMention: null,
      managers: ['U0BOSS'],
    });
    expect(reminderPeople(email, { ownerId: null }, ['U0MGR'])).toEqual({
      warn: 'S0ONDUTY',
      dm: null,
      breachMention: 'S0ONDUTY',
      managers: ['U0BOSS'],
    });
    const chat = policyFor(config, { kind: 'ticket', source: 'live_chat', priority: 'normal' });
    // A channel owned by a person: they get the DM for unowned cases.
    expect(reminderPeople(chat, { ownerId: null }, [])).toEqual({
      warn: 'U0CHATLEAD',
      dm: 'U0CHATLEAD',
      breachMention: null,
      managers: ['U0CHATBOSS'],
    });
  });

  test('without a manager in the SLA config, escalations go to the workspace’s managers', () => {
    const bare = slaConfigSchema.parse({});
    const p = policyFor(bare, { kind: 'ticket', source: 'email', priority: 'normal' });
    expect(reminderPeople(p, { ownerId: null }, ['U0MGR1', 'U0MGR2'])).toEqual({
      warn: null,
      dm: null,
      breachMention: null,
      managers: ['U0MGR1', 'U0MGR2'],
    });
  });
});
