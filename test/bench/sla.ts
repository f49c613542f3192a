import { renderDigest } from '../../blocks/digest';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { renderSlaReport } from '../../blocks/sla';
import { type Database, migrate, openDatabase, queryRows } from '../../src/db/client';
import { dueSlaCasesSql } from '../../src/db/queries/sla';
import { runExclusive } from '../../src/jobs/scheduler';
import { SLA_SWEEP_JOB } from '../../src/jobs/sla-sweep';
import { slaReport, type SweepResult, sweepSla } from '../../src/services/sla';
import { testConfig } from '../support/harness';
import { benchDatabase, fmt, summarize } from './support';

// The SLA sweep's figure: the SLA sweep over 1M cases of which 100k are open. The open cases get
// their first look in a catch-up (as after an upgrade), then the sweep ticks every 15 s of
// simulated time through a working morning: each tick reads only the cases whose next check
// is due (index range scan), records and queues their reminders and stores their next check.
// Target (DESIGN.md): ≤ 50 ms per tick, index-backed.

const TOTAL = Number(process.env.BENCH_SLA_CASES ?? 1_000_000);
const OPEN_EVERY = 10; // 1 case in 10 is open: 100k of 1M
const TICKS = Number(process.env.BENCH_SLA_TICKS ?? 240); // one hour of 15-second ticks
const AGENTS = Array.from({ length: 20 }, (_, i) => `U0AGENT${String(i).padStart(3, '0')}`);
// Wednesday 25 November 2026, 10:00 in Berlin.
const START = new Date('2026-11-25T09:00:00Z');

const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-12:30', '13:30-18:00']]));
const config = testConfig({
  channels: {
    default: 'C0BENCH01',
    sources: { email: 'C0BENCH01', live_chat: 'C0BENCH02', social_dm: 'C0BENCH03' },
    escalation: 'C0ESCALAT',
  },
  team: { members: AGENTS, managers: ['U0MANAGER'] },
  sla: {
    hours: { support: { timezone: 'Europe/Berlin', weekly: weekdays, holidays: ['2026-12-25'] } },
    defaults: { hours: 'support', targets: { first_response: '4h', next_response: '8h', resolution: '48h' }, on_duty: 'S0ONDUTY' },
    policies: {
      live_chat: { hours: '24/7', targets: { first_response: '15m', next_response: '30m', resolution: '8h' } },
      social_dm: { targets: { first_response: '2h' } },
    },
    reminders: { working_hours: { default: 'support' } },
  },
});
const deps = { config, logger: pino({ level: 'silent' }) };

async function seed(database: Database): Promise<void> {
  const db = database.db;
  const started = performance.now();
  const chunk = 100_000;
  for (let from = 1; from <= TOTAL; from += chunk) {
    const to = Math.min(TOTAL, from + chunk - 1);
    // Open cases (i % 10 = 0) arrived over the 48 hours before the start; the rest over a year
    // and are resolved. Of the open ones: half were answered, some wait on the customer again,
    // one in ten waits on the customer, one in five is unowned.
    await db.execute(sql`
      insert into cases (kind, source, external_id, subject, body, priority, channel_id, received_at, status,
        owner_id, resolved_at, first_response_at, last_agent_reply_at, awaiting_reply_since, sla_pauses, sla_check_at, slack_ts, reported_at)
      select 'ticket', src, 'B-' || i, 'Order ' || i || ' has not arrived', 'Where is my order?', 'normal',
        case src when 'live_chat' then 'C0BENCH02' when 'social_dm' then 'C0BENCH03' else 'C0BENCH01' end,
        received,
        case when not open then 'resolved' when i % 100 = 0 then 'waiting' when i % 50 = 0 then 'new' else 'open' end,
        case when open and i % 50 = 0 then null else (${`{${AGENTS.join(',')}}`}::text[])[1 + i % ${AGENTS.length}] end,
        case when open then null else received + interval '20 hours' end,
        case when i % 20 < 10 then received + interval '30 minutes' end,
        case when i % 20 < 10 then received + interval '30 minutes' end,
        case when open and i % 20 < 3 then received + interval '50 minutes' end,
        case when open and i % 100 = 0 then jsonb_build_array(jsonb_build_object('from', to_char((received + interval '1 hour') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'to', null)) else '[]'::jsonb end,
        case when open then 'epoch'::timestamptz end,
        '1700000000.' || lpad(i::text, 6, '0'), received
      from (
        select i, (i % ${OPEN_EVERY} = 0) as open,
          (array['email', 'live_chat', 'social_dm', 'comment', 'marketplace'])[1 + (i / ${OPEN_EVERY}) % 5] as src,
          case when i % ${OPEN_EVERY} = 0
            then ${START.toISOString()}::timestamptz - (((i * 7919) % 172800) * interval '1 second')
            else ${START.toISOString()}::timestamptz - interval '2 days' - (((i * 7919) % 31536000) * interval '1 second')
          end as received
        from generate_series(${from}::bigint, ${to}::bigint) as i
      ) s`);
    process.stdout.write(`\r  seeding cases: ${to.toLocaleString('en')} / ${TOTAL.toLocaleString('en')}`);
  }
  await db.execute(sql`analyze cases`);
  console.log(`\r  seeded ${TOTAL.toLocaleString('en')} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function tick(
  database: Database,
  now: Date,
  opts: { batch?: number; budgetMs?: number } = {},
): Promise<{ ms: number; r: SweepResult }> {
  let r!: SweepResult;
  const t0 = performance.now();
  await runExclusive(database.db, SLA_SWEEP_JOB, async (tx) => {
    r = await sweepSla(tx, deps, now, opts);
  });
  return { ms: performance.now() - t0, r };
}

export async function benchSla(): Promise<void> {
  console.log(`SLA sweep: ${TOTAL.toLocaleString('en')} cases, ${(TOTAL / OPEN_EVERY).toLocaleString('en')} open (PostgreSQL)`);
  const target = await benchDatabase();
  if (!target) return;
  const database = await openDatabase({ url: target.url, poolSize: 2 });
  try {
    await migrate(database);
    await seed(database);
    const [size] = await queryRows<{ open: number; index: string }>(
      database.db,
      sql`select (select count(*)::int from cases where status <> 'resolved') as open,
        pg_size_pretty(pg_relation_size('cases_sla_check_idx')) as index`,
    );
    console.log(`  open cases: ${size!.open.toLocaleString('en')}; cases_sla_check_idx: ${size!.index}`);

    // Catch-up: every open case gets its first look (as after the upgrade that adds the SLA).
    const catchUp = performance.now();
    const totals = { examined: 0, recorded: 0, threadPosts: 0, dms: 0 };
    for (;;) {
      const { r } = await tick(database, START, { batch: 1000, budgetMs: 5_000 });
      totals.examined += r.examined;
      totals.recorded += r.recorded;
      totals.threadPosts += r.threadPosts;
      totals.dms += r.dms;
      if (r.examined === 0) break;
    }
    const catchUpS = (performance.now() - catchUp) / 1000;
    console.log(
      `  catch-up: ${totals.examined.toLocaleString('en')} open cases in ${catchUpS.toFixed(1)} s ` +
        `(${Math.round(totals.examined / catchUpS).toLocaleString('en')} cases/s); ${totals.recorded.toLocaleString('en')} reminders recorded, ` +
        `${totals.threadPosts.toLocaleString('en')} thread messages, ${totals.dms.toLocaleString('en')} DMs queued`,
    );
    await database.db.execute(sql`analyze cases`);

    // Steady state: one tick per 15 s of simulated time.
    const times: number[] = [];
    const due: number[] = [];
    let sent = 0;
    for (let i = 1; i <= TICKS; i++) {
      const { ms, r } = await tick(database, new Date(START.getTime() + i * 15_000));
      times.push(ms);
      due.push(r.examined);
      sent += r.recorded;
    }
    const s = summarize(times);
    const d = summarize(due);
    console.log(
      `  steady state, ${TICKS} ticks (${((TICKS * 15) / 60).toFixed(0)} min of simulated time): median ${fmt(s.p50)}, p90 ${fmt(s.p90)}, ` +
        `p99 ${fmt(s.p99)}, max ${fmt(s.max)} per tick (target ≤ 50 ms median)`,
    );
    console.log(
      `  cases due per tick: median ${d.p50}, p90 ${d.p90}, max ${d.max}; reminders recorded in those ticks: ${sent.toLocaleString('en')}`,
    );
    const quiet: number[] = [];
    const last = new Date(START.getTime() + TICKS * 15_000);
    for (let i = 0; i < 50; i++) quiet.push((await tick(database, last)).ms);
    console.log(`  a tick with nothing due: median ${fmt(summarize(quiet).p50)}`);

    // /trustloop sla: a manager (every channel) and an agent (one channel and own cases).
    const reportDeps = { db: database.db, config, clock: () => last, logger: deps.logger, team: {} as never, judgement: {} as never, renderDigest, notify: () => {} };
    for (const [who, userId, channelId] of [
      ['a manager, every channel', 'U0MANAGER', 'C0ESCALAT'],
      ['an agent, one channel', AGENTS[0]!, 'C0BENCH02'],
    ] as const) {
      const samples: number[] = [];
      let report!: Awaited<ReturnType<typeof slaReport>>;
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        report = await slaReport(reportDeps, { userId, channelId, teamUrl: 'https://bench.slack.com/' });
        samples.push(performance.now() - t0);
      }
      console.log(`  /trustloop sla for ${who}: median ${fmt(summarize(samples).p50)} (${renderSlaReport(report).text})`);
    }

    // The plan of the due-cases query at the next tick, on the real data (its row locks end with the transaction).
    const plan = await database.db.transaction((tx) =>
      queryRows<Record<string, string>>(
        tx,
        sql`explain (analyze, buffers, costs off) ${dueSlaCasesSql(new Date(last.getTime() + 15_000), 500)}`,
      ),
    );
    console.log('  query plan of the due-cases read:');
    for (const r of plan) console.log(`    ${Object.values(r)[0]}`);
  } finally {
    await database.close();
    await target.drop();
  }
}
