import { renderDigest } from '../../blocks/digest';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { type Database, migrate, openDatabase, queryRows } from '../../src/db/client';
import { metricsBreakdown, periodMetrics, receivedFiguresSql, resolvedFiguresSql } from '../../src/db/queries/metrics';
import { teamMetrics } from '../../src/services/metrics';
import { testConfig } from '../support/harness';
import { benchDatabase, fmt, summarize } from './support';

// The metrics' figure: the manager metrics over 1M cases received over a year (one in ten still
// open, one in twenty reopened), 100k CSAT ratings and 50k reviews. One period's figures are
// SQL aggregates over the cases received, or resolved, in it: index range scans on
// cases_received_idx and cases_resolved_idx, whatever the table's size.
// Target: ≤ 300 ms for one period.

const TOTAL = Number(process.env.BENCH_METRICS_CASES ?? 1_000_000);
const AGENTS = Array.from({ length: 20 }, (_, i) => `U0AGENT${String(i).padStart(3, '0')}`);
const NOW = new Date('2026-11-27T10:00:00Z');
const YEAR_S = 365 * 86_400;
const config = testConfig({ team: { members: AGENTS, managers: ['U0MANAGER'] } });

async function seed(database: Database): Promise<void> {
  const db = database.db;
  const started = performance.now();
  const chunk = 100_000;
  for (let from = 1; from <= TOTAL; from += chunk) {
    const to = Math.min(TOTAL, from + chunk - 1);
    // Received evenly over the year before NOW; first reply after 5–245 min (business time a
    // third of it); resolved 1–49 h after receipt unless open (i % 10 = 0); 1–3 replies; one
    // in twenty reopened before its final resolution.
    await db.execute(sql`
      insert into cases (kind, source, external_id, subject, body, priority, channel_id, received_at, status, owner_id, tags,
        first_response_at, first_response_business_ms, first_response_within_sla, resolved_at, resolution_business_ms,
        agent_reply_count, reopen_count, sla_check_at, reported_at)
      select 'ticket', src, 'M-' || i, 'Order ' || i, 'Where is my order?', 'normal', 'C0BENCH01', received,
        case when open then 'open' else 'resolved' end,
        (${`{${AGENTS.join(',')}}`}::text[])[1 + i % ${AGENTS.length}],
        case i % 4 when 0 then '{order_status}'::text[] when 1 then '{damaged,refund}'::text[] when 2 then '{}'::text[] else '{sizing}'::text[] end,
        received + fr, (extract(epoch from fr) * 1000 / 3)::bigint, fr <= interval '4 hours',
        case when not open then received + res end,
        case when not open then (extract(epoch from res) * 1000 / 3)::bigint end,
        1 + i % 3, case when i % 20 = 7 then 1 else 0 end, null, received
      from (
        select i, (i % 10 = 0) as open,
          (array['email', 'live_chat', 'social_dm', 'comment', 'marketplace'])[1 + i % 5] as src,
          ${NOW.toISOString()}::timestamptz - (((i * 7919) % ${YEAR_S}) * interval '1 second') as received,
          (5 + (i * 31) % 240) * interval '1 minute' as fr,
          (1 + (i * 17) % 48) * interval '1 hour' as res
        from generate_series(${from}::bigint, ${to}::bigint) as i
      ) s`);
    process.stdout.write(`\r  seeding cases: ${to.toLocaleString('en')} / ${TOTAL.toLocaleString('en')}`);
  }
  await db.execute(sql`
    insert into csat_responses (case_id, rating, via, responded_at)
    select id, 1 + id % 5, 'link', resolved_at + interval '2 hours' from cases where id % 9 = 0 and resolved_at is not null`);
  await db.execute(sql`
    insert into reviews (provider, external_id, rating, written_at, received_at, updated_at, negative)
    select 'judgeme', 'R-' || i, 1 + i % 5, t, t, t, (1 + i % 5) <= 2
    from (select i, ${NOW.toISOString()}::timestamptz - (((i * 104729) % ${YEAR_S}) * interval '1 second') as t
          from generate_series(1::bigint, ${Math.round(TOTAL / 20)}::bigint) as i) s`);
  await db.execute(sql`analyze`);
  console.log(`\r  seeded ${TOTAL.toLocaleString('en')} cases, CSAT and reviews in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function timed<T>(runs: number, f: () => Promise<T>): Promise<{ samples: number[]; last: T }> {
  const samples: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await f();
    samples.push(performance.now() - t0);
  }
  return { samples, last };
}

export async function benchMetrics(): Promise<void> {
  console.log(`Metrics: ${TOTAL.toLocaleString('en')} cases over a year (PostgreSQL)`);
  const target = await benchDatabase();
  if (!target) return;
  const database = await openDatabase({ url: target.url, poolSize: 2 });
  try {
    await migrate(database);
    await seed(database);
    const db = database.db;
    for (const days of [7, 30]) {
      const p = { start: new Date(NOW.getTime() - days * 86_400_000), end: NOW };
      const { samples, last } = await timed(10, () => periodMetrics(db, config, p));
      const s = summarize(samples);
      console.log(
        `  periodMetrics, ${days} days (${last.cases.toLocaleString('en')} cases received, ${last.resolution.count.toLocaleString('en')} resolved): ` +
          `median ${fmt(s.p50)}, p90 ${fmt(s.p90)}, max ${fmt(s.max)} (target ≤ 300 ms)`,
      );
      const h = (ms: number | null) => (ms === null ? '–' : `${(ms / 3_600_000).toFixed(2)} h`);
      console.log(
        `    first reply median ${h(last.firstResponse.medianMs)}, p90 ${h(last.firstResponse.p90Ms)}, business median ${h(last.firstResponse.businessMedianMs)}, ` +
          `within SLA ${((last.firstResponse.withinSla ?? 0) * 100).toFixed(1)}%; resolution median ${h(last.resolution.medianMs)}, p90 ${h(last.resolution.p90Ms)}; ` +
          `FCR ${((last.firstContactResolution.share ?? 0) * 100).toFixed(1)}%; CSAT ${last.csat.average?.toFixed(2)} (${last.csat.responses}); ` +
          `reviews ${last.reviews?.averageRating?.toFixed(2)} (${last.reviews?.count}, ${((last.reviews?.negativeShare ?? 0) * 100).toFixed(1)}% negative)`,
      );
      for (const by of ['source', 'tag', 'owner'] as const) {
        const b = await timed(5, () => metricsBreakdown(db, config, { ...p, by }));
        console.log(`    breakdown by ${by}: median ${fmt(summarize(b.samples).p50)} (${b.last.length} rows)`);
      }
    }
    // The whole /trustloop metrics 7d answer: this period, the previous one and three breakdowns.
    const deps = { db, config, clock: () => NOW, logger: pino({ level: 'silent' }), team: {} as never, judgement: {} as never, renderDigest, notify: () => {} };
    const full = await timed(5, () => teamMetrics(deps, { userId: 'U0MANAGER', text: '7d' }));
    console.log(`  /trustloop metrics 7d (both periods, three breakdowns): median ${fmt(summarize(full.samples).p50)}`);

    const p30 = { start: new Date(NOW.getTime() - 30 * 86_400_000), end: NOW };
    for (const [name, query] of [
      ['first-response (received in the period)', receivedFiguresSql(p30)],
      ['resolution (resolved in the period)', resolvedFiguresSql(p30)],
    ] as const) {
      const plan = await queryRows<Record<string, string>>(db, sql`explain (analyze, buffers, costs off) ${query}`);
      console.log(`  query plan of the ${name} figures, 30 days:`);
      for (const r of plan) console.log(`    ${Object.values(r)[0]}`);
    }
  } finally {
    await database.close();
    await target.drop();
  }
}
