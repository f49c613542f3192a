import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Db, openDatabase, queryRows } from '../../src/db/client';
import { getCase, insertCase, type NewCaseRow } from '../../src/db/queries/cases';
import { dueSlaCasesSql, MAX_DM_ITEMS, queueReminderDm } from '../../src/db/queries/sla';
import { type DmItem, OUTBOX_PAYLOADS } from '../../src/domain/outbox';
import { SLA_SWEEP_JOB, slaSweepJob } from '../../src/jobs/sla-sweep';
import { runExclusive, Scheduler } from '../../src/jobs/scheduler';
import { slaReminders } from '../../src/metrics';
import { type SweepResult, sweepSla } from '../../src/services/sla';
import { renderThreadPost } from '../../src/slack/deliveries';
import { createTestDatabase, hasServer, type TestDatabase } from '../support/db';
import { testConfig } from '../support/harness';

// The SLA sweep on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): what it
// reads, what it records and queues, and that each (case, target, cycle, level) reminder is
// recorded and queued once: across restarts, and with two replicas sweeping at the same time.

const logger = pino({ level: 'silent' });
const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-17:00']]));
const config = testConfig({
  sla: {
    hours: { berlin: { timezone: 'Europe/Berlin', weekly: weekdays } },
    defaults: { targets: { first_response: '1h', next_response: '30m', resolution: '8h' }, manager: 'U0MANAGER' },
    policies: { email: { hours: 'berlin', owner: 'S0EMAIL', on_duty: 'S0ONDUTY' } },
    reminders: { working_hours: { default: 'berlin' } },
  },
});
const deps = { config, logger };

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.database.db.execute(sql`truncate cases, outbox, case_reminders, case_events restart identity cascade`);
});

// Monday 2 March 2026, 09:00 in Berlin.
const T0 = new Date('2026-03-02T08:00:00Z');
const plus = (minutes: number, from = T0) => new Date(from.getTime() + minutes * 60_000);

async function addCase(overrides: Partial<NewCaseRow> & { ownerId?: string; mustEscalateAt?: Date } = {}): Promise<number> {
  const { ownerId, mustEscalateAt, ...row } = overrides;
  const { id } = await insertCase(t.database.db, {
    kind: 'ticket',
    source: 'live_chat',
    externalId: `X-${Math.random().toString(36).slice(2)}`,
    subject: 'Where is my order?',
    body: 'It has not arrived.',
    priority: 'normal',
    channelId: 'C0CHAT001',
    receivedAt: T0,
    actor: 'api',
    ...row,
  });
  if (ownerId || mustEscalateAt) {
    await t.database.db.execute(
      sql`update cases set owner_id = ${ownerId ?? null}, status = ${ownerId ? 'open' : 'new'},
        must_escalate_at = ${mustEscalateAt?.toISOString() ?? null}::timestamptz where id = ${id}`,
    );
  }
  // The card is in Slack (thread posts follow it).
  await t.database.db.execute(sql`update cases set slack_ts = ${`1700000000.${id}`} where id = ${id}`);
  await t.database.db.execute(sql`update outbox set status = 'done' where kind = 'card_post'`);
  return id;
}

async function sweep(now: Date, db: Db = t.database.db): Promise<SweepResult> {
  let result!: SweepResult;
  await runExclusive(db, SLA_SWEEP_JOB, async (tx) => {
    result = await sweepSla(tx, deps, now);
  });
  return result;
}

const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => queryRows<T>(t.database.db, q);
const reminders = () =>
  rows<{ case_id: number; target: string; level: string; superseded: boolean }>(
    sql`select case_id::int, target, level, superseded from case_reminders order by id`,
  );
// A thread entry is queued as a fact: it is read here as its delivery renders it.
const pending = (kind: string) =>
  rows<{ channel: string; payload: any; not_before: Date; case_id: number | null }>(
    sql`select channel, payload, not_before, case_id::int from outbox where kind = ${kind} and status = 'pending' order by id`,
  ).then((list) =>
    list.map((r) => ({
      ...r,
      payload: kind === 'thread_post' ? renderThreadPost(OUTBOX_PAYLOADS.thread_post.parse(r.payload), config) : r.payload,
      not_before: new Date(r.not_before),
    })),
  );

describe('what the sweep reads', () => {
  test('a new case is looked at on the next tick, then not again until its next threshold', async () => {
    const id = await addCase();
    expect((await sweep(plus(1))).examined).toBe(1);
    const c = (await getCase(t.database.db, { id }))!;
    // Live chat runs 24/7: first reply due at 09:00Z, warning at 75% (08:45Z).
    expect(c.slaCheckAt).toEqual(plus(45));
    expect(c.slaRiskAt).toEqual(plus(45));
    expect((await sweep(plus(2))).examined).toBe(0);
    expect((await sweep(plus(44))).examined).toBe(0);
    expect((await sweep(plus(45))).examined).toBe(1);
  });

  test('the due-cases query can use the partial index cases_sla_check_idx', async () => {
    await addCase();
    const plan = await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<Record<string, string>>(tx, sql`explain ${dueSlaCasesSql(plus(1), 500)}`);
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toMatch(/Index Scan (using|on) cases_sla_check_idx/);
  });

  test('a case waiting on the customer is not read again until something changes', async () => {
    const id = await addCase({ ownerId: 'U0AGENT01' });
    await t.database.db.execute(
      sql`update cases set status = 'waiting', sla_pauses = ${JSON.stringify([{ from: plus(10).toISOString(), to: null }])}::jsonb,
        sla_check_at = ${plus(10).toISOString()}::timestamptz where id = ${id}`,
    );
    expect((await sweep(plus(11))).examined).toBe(1);
    expect((await getCase(t.database.db, { id }))!.slaCheckAt).toBeNull();
    expect((await sweep(plus(600))).examined).toBe(0);
    expect(await reminders()).toEqual([]);
  });

  test('resolved cases are never read', async () => {
    const id = await addCase();
    await t.database.db.execute(
      sql`update cases set status = 'resolved', resolved_at = ${plus(5).toISOString()}::timestamptz where id = ${id}`,
    );
    expect((await sweep(plus(600))).examined).toBe(0);
  });

  test('a case whose clock cannot be worked out is skipped for an hour; the others go on', async () => {
    // Open on Mondays only, and every Monday of the next 400 days is a holiday: the clock never runs.
    const mondays = Array.from({ length: 60 }, (_, i) =>
      plus(i * 7 * 24 * 60)
        .toISOString()
        .slice(0, 10),
    );
    const closed = testConfig({
      sla: {
        hours: { never: { timezone: 'UTC', weekly: { mon: ['09:00-10:00'] }, holidays: mondays } },
        policies: { email: { hours: 'never' } },
      },
    });
    const broken = await addCase({ source: 'email', channelId: 'C0EMAIL01' });
    const fine = await addCase();
    let result!: SweepResult;
    await runExclusive(t.database.db, SLA_SWEEP_JOB, async (tx) => {
      result = await sweepSla(tx, { config: closed, logger }, plus(1));
    });
    expect(result).toMatchObject({ examined: 2, failed: 1 });
    expect((await getCase(t.database.db, { id: broken }))!.slaCheckAt).toEqual(plus(61));
    expect((await getCase(t.database.db, { id: fine }))!.slaCheckAt).not.toBeNull();
  });
});

describe('the reminder ladder', () => {
  test('warning, breach and escalation: each once, with its thread message, DM and escalation post', async () => {
    const metric = async () => {
      const out: Record<string, number> = { warning: 0, breach: 0, escalation: 0 };
      for (const v of (await slaReminders.get()).values) out[String(v.labels.level)] = v.value;
      return out;
    };
    const before = await metric();
    const id = await addCase({ ownerId: 'U0AGENT01' });
    await sweep(plus(1));
    expect(await reminders()).toEqual([]);

    await sweep(plus(46));
    expect(await reminders()).toEqual([{ case_id: id, target: 'first_response', level: 'warning', superseded: false }]);
    const [warning] = await pending('thread_post');
    expect(warning!.payload.text).toMatch(/^:hourglass_flowing_sand: <@U0AGENT01> TL-\d+: first reply due in 14m/);
    expect(await pending('card_update')).toHaveLength(1);
    // Run again (a restart, a retried tick): nothing is recorded or queued twice.
    await sweep(plus(46));
    await sweep(plus(47));
    expect(await reminders()).toHaveLength(1);
    expect(await pending('thread_post')).toHaveLength(1);

    await sweep(plus(61));
    expect((await reminders()).map((r) => r.level)).toEqual(['warning', 'breach']);
    expect((await pending('thread_post'))[1]!.payload.text).toMatch(/first reply breached 1m ago .*The owner gets a DM\.$/);
    const [dm] = await pending('sla_dm');
    expect(dm).toMatchObject({ channel: 'U0AGENT01', case_id: null });
    expect(dm!.payload.items).toEqual([
      {
        caseId: id,
        target: 'first_response',
        cycleKey: `first_response@${T0.toISOString()}`,
        level: 'breach',
        kind: 'breach',
        crossedAt: plus(60).toISOString(),
      },
    ]);
    // Inside working hours a DM waits batch_minutes (5) for more reminders to join it.
    expect(dm!.not_before).toEqual(plus(66));

    await sweep(plus(91));
    expect((await reminders()).map((r) => r.level)).toEqual(['warning', 'breach', 'escalation']);
    const [escalation] = await pending('sla_escalation');
    expect(escalation).toMatchObject({ channel: 'C0ESCALAT', case_id: id, payload: { target: 'first_response', level: 'escalation' } });
    expect(escalation!.payload.statusText).toBe('first reply breached 31m ago');
    expect((await pending('sla_dm')).map((d) => d.channel)).toEqual(['U0AGENT01', 'U0MANAGER']);
    const events = await rows<{ action: string; actor: string }>(
      sql`select action, actor from case_events where action like 'sla_%' order by id`,
    );
    expect(events).toEqual([
      { action: 'sla_warning', actor: 'trustloop' },
      { action: 'sla_breach', actor: 'trustloop' },
      { action: 'sla_escalation', actor: 'trustloop' },
    ]);
    // /metrics counts each reminder once by level, however often the sweep ran.
    const after = await metric();
    expect(Object.fromEntries(Object.keys(after).map((level) => [level, after[level]! - (before[level] ?? 0)]))).toEqual({ warning: 1, breach: 1, escalation: 1 });
    // Nothing is ahead for the first reply; the resolution clock (8h) is next.
    expect((await getCase(t.database.db, { id }))!.slaCheckAt).toEqual(plus(360));
  });

  test('a sweep that fell behind records the passed rungs but sends only the highest', async () => {
    await addCase({ ownerId: 'U0AGENT01' });
    await sweep(plus(100));
    expect((await reminders()).map((r) => [r.level, r.superseded])).toEqual([
      ['warning', true],
      ['breach', true],
      ['escalation', false],
    ]);
    expect(await pending('thread_post')).toHaveLength(1);
    expect(await pending('sla_escalation')).toHaveLength(1);
    expect((await pending('sla_dm')).map((d) => d.channel)).toEqual(['U0MANAGER']);
  });

  test('a must-escalate case escalates at once: its manager gets a DM (the escalation channel heard from the rules already)', async () => {
    const id = await addCase({ mustEscalateAt: T0 });
    await sweep(plus(0.5));
    expect(await reminders()).toEqual([{ case_id: id, target: 'must_escalate', level: 'escalation', superseded: false }]);
    expect((await pending('thread_post')).map((p) => p.payload.text)).toEqual([
      `:rotating_light: TL-${id} must be handled by a person (a must-escalate rule flagged it). The manager gets a DM.`,
    ]);
    expect(await pending('sla_escalation')).toEqual([]);
    expect((await pending('sla_dm')).map((d) => [d.channel, d.payload.items[0].target])).toEqual([['U0MANAGER', 'must_escalate']]);
    await sweep(plus(1));
    expect(await reminders()).toHaveLength(1);
  });

  test('unowned in a group-owned channel: the warning and the breach mention the on-duty group; nobody is DMed', async () => {
    await addCase({ source: 'email', channelId: 'C0EMAIL01' });
    await sweep(plus(61));
    const posts = await pending('thread_post');
    expect(posts.map((p) => p.payload.text.split(' TL-')[0])).toEqual([':red_circle: <!subteam^S0ONDUTY>']);
    expect(await pending('sla_dm')).toEqual([]);
  });
});

describe('batched DMs', () => {
  test('five breaching cases of one person make one DM, queued until their working hours start', async () => {
    // Friday 6 March, 16:00 Berlin: first replies (Berlin business hours, 1h) are due at 17:00, closing time.
    const friday = new Date('2026-03-06T15:00:00Z');
    for (let i = 0; i < 5; i++) await addCase({ ownerId: 'U0AGENT01', source: 'email', channelId: 'C0EMAIL01', receivedAt: friday });
    await sweep(plus(30, friday)); // 16:30: nothing due yet
    expect(await pending('sla_dm')).toEqual([]);
    await sweep(plus(120, friday)); // 18:00, after hours: five breaches
    const dms = await pending('sla_dm');
    expect(dms).toHaveLength(1);
    expect(dms[0]!.channel).toBe('U0AGENT01');
    expect(dms[0]!.payload.items.map((i: { level: string }) => i.level)).toEqual(['breach', 'breach', 'breach', 'breach', 'breach']);
    expect(dms[0]!.not_before).toEqual(new Date('2026-03-09T08:00:00Z')); // Monday 09:00 Berlin
    // The thread messages are not held back: they go out at once.
    expect(await pending('thread_post')).toHaveLength(5);
  });

  test('outside working hours the DM waits for them; later reminders join the waiting DM', async () => {
    // A 24/7 live-chat case breaching on Saturday: the owner works Berlin office hours.
    const saturday = new Date('2026-03-07T10:00:00Z');
    const first = await addCase({ ownerId: 'U0AGENT01', receivedAt: saturday });
    await sweep(plus(61, saturday));
    const [dm] = await pending('sla_dm');
    expect(dm!.not_before).toEqual(new Date('2026-03-09T08:00:00Z')); // Monday 09:00 Berlin
    const second = await addCase({ ownerId: 'U0AGENT01', receivedAt: plus(30, saturday) });
    await sweep(plus(91, saturday));
    const dms = await pending('sla_dm');
    expect(dms.map((d) => d.channel)).toEqual(['U0AGENT01', 'U0MANAGER']);
    expect(dms[0]!.payload.items.map((i: { caseId: number; kind: string }) => [i.caseId, i.kind])).toEqual([
      [first, 'breach'],
      [second, 'breach'],
    ]);
    // The first case escalated at 150%: the manager's DM waits for the manager's hours too.
    expect(dms[1]!.payload.items.map((i: { caseId: number; kind: string }) => [i.caseId, i.kind])).toEqual([[first, 'escalation']]);
    expect(dms[1]!.not_before).toEqual(new Date('2026-03-09T08:00:00Z'));
  });

  test('a DM already being delivered is left alone: new reminders make a new one', async () => {
    const saturday = new Date('2026-03-07T10:00:00Z');
    await addCase({ ownerId: 'U0AGENT01', receivedAt: saturday });
    await sweep(plus(61, saturday));
    await t.database.db.execute(sql`update outbox set status = 'in_flight', attempts = 1 where kind = 'sla_dm'`);
    await addCase({ ownerId: 'U0AGENT01', receivedAt: plus(30, saturday) });
    await sweep(plus(91, saturday));
    const mine = (await pending('sla_dm')).filter((d) => d.channel === 'U0AGENT01');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.payload.items).toMatchObject([{ kind: 'breach', crossedAt: plus(90, saturday).toISOString() }]);
  });
});

describe('a DM that waits long', () => {
  test('keeps at most MAX_DM_ITEMS items to re-check and counts the rest', async () => {
    const item = (i: number): DmItem => ({
      caseId: i,
      target: 'first_response',
      cycleKey: 'k',
      level: 'breach',
      kind: 'breach',
      crossedAt: T0.toISOString(),
    });
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => item(from + i));
    await t.database.db.transaction(async (tx) => {
      expect(await queueReminderDm(tx, { recipient: 'U0AGENT01', items: batch(1, 60), notBefore: T0 })).toBe('queued');
      expect(await queueReminderDm(tx, { recipient: 'U0AGENT01', items: batch(61, 30), notBefore: T0 })).toBe('merged');
      // 90 + 30 would pass 100: these are only counted.
      expect(await queueReminderDm(tx, { recipient: 'U0AGENT01', items: batch(91, 30), notBefore: T0 })).toBe('merged');
    });
    const [dm] = await pending('sla_dm');
    expect(dm!.payload.items).toHaveLength(90);
    expect(dm!.payload.overflow).toBe(30);
    expect(MAX_DM_ITEMS).toBe(100);
  });
});

describe.skipIf(!hasServer)('two replicas on one PostgreSQL database (needs TEST_DATABASE_URL)', () => {
  test('two schedulers ticking together: one reminder per level, and one message each', async () => {
    const other = await openDatabase({ url: t.url!, poolSize: 2 });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) ids.push(await addCase({ ownerId: 'U0AGENT01' }));
      const job = slaSweepJob(deps);
      for (const minutes of [46, 61, 91]) {
        const now = plus(minutes);
        const a = new Scheduler(t.database.db, logger, () => now);
        const b = new Scheduler(other.db, logger, () => now);
        await Promise.all([a.runNow(job), b.runNow(job), a.runNow(job), b.runNow(job)]);
      }
      const counts = await rows<{ level: string; n: number }>(
        sql`select level, count(*)::int as n, count(distinct case_id)::int as cases from case_reminders group by level order by level`,
      );
      expect(counts).toEqual([
        { level: 'breach', n: 20, cases: 20 },
        { level: 'escalation', n: 20, cases: 20 },
        { level: 'warning', n: 20, cases: 20 },
      ]);
      expect(await pending('thread_post')).toHaveLength(60);
      expect(await pending('sla_escalation')).toHaveLength(20);
      const dmItems = (await pending('sla_dm')).flatMap((d) => d.payload.items);
      expect(dmItems).toHaveLength(40); // 20 breaches to the owner, 20 escalations to the manager
    } finally {
      await other.close();
    }
  });

  test('without the advisory lock (two replicas overlapping), row locks and the unique key still send each once', async () => {
    const other = await openDatabase({ url: t.url!, poolSize: 2 });
    try {
      for (let i = 0; i < 10; i++) await addCase({ ownerId: 'U0AGENT01' });
      const now = plus(61);
      let releaseA!: () => void;
      const aMayCommit = new Promise<void>((r) => (releaseA = r));
      let aSwept!: () => void;
      const aHasSwept = new Promise<void>((r) => (aSwept = r));
      const results: SweepResult[] = [];
      // A sweeps and holds its transaction open; B sweeps meanwhile on another connection.
      const a = t.database.db.transaction(async (tx) => {
        results.push(await sweepSla(tx, deps, now));
        aSwept();
        await aMayCommit;
      });
      await aHasSwept;
      const b = await other.db.transaction((tx) => sweepSla(tx, deps, now));
      releaseA();
      await a;
      // And C after A committed, as a replica that restarts would.
      const c = await other.db.transaction((tx) => sweepSla(tx, deps, now));
      expect(results[0]).toMatchObject({ examined: 10, recorded: 20 });
      expect(b).toMatchObject({ examined: 0, recorded: 0 });
      expect(c).toMatchObject({ recorded: 0, threadPosts: 0, dms: 0 });
      expect(await reminders()).toHaveLength(20);
      expect(await pending('thread_post')).toHaveLength(10);
    } finally {
      await other.close();
    }
  });

  test('the same rung recorded from two transactions at once: the second waits, then records nothing', async () => {
    const id = await addCase();
    const other = await openDatabase({ url: t.url!, poolSize: 2 });
    try {
      const key = { caseId: id, target: 'first_response', cycleKey: 'k', level: 'warning', dueAt: T0 };
      const { recordReminders } = await import('../../src/db/queries/sla');
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const aInserted = new Promise<void>((r) => (inserted = r));
      const a = t.database.db.transaction(async (tx) => {
        const got = await recordReminders(tx, [key]);
        inserted();
        await held;
        return got.size;
      });
      await aInserted;
      const b = other.db.transaction(async (tx) => (await recordReminders(tx, [key])).size);
      await new Promise((r) => setTimeout(r, 100));
      release();
      expect([await a, await b]).toEqual([1, 0]);
    } finally {
      await other.close();
    }
  });
});
