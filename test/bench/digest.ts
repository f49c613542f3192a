import { renderDigest } from '../../blocks/digest';
import { sql } from 'drizzle-orm';
import { type Database, migrate, openDatabase, queryRows } from '../../src/db/client';
import { CHART_WEEKS } from '../../src/domain/digest';
import { lastFullWeek } from '../../src/domain/period';
import { computeDigest } from '../../src/services/digest';
import { renderTagChart } from '../../src/slack/digest-chart';
import { testConfig } from '../support/harness';
import { benchDatabase, fmt, summarize } from './support';

// The digest's figure: the weekly digest for one week over a 2M-case history (two years, about
// 19k cases a week, with reviews, disputes, CSAT and fixes), worked out the way the scheduled
// job does it (every aggregate in SQL), then rendered, and the chart drawn. Target (DESIGN.md):
// ≤ 3 s. Peak memory is the process's resident set while the digests are worked out.

const TOTAL = Number(process.env.BENCH_DIGEST_CASES ?? 2_000_000);
const WEEKS = 104;
const RUNS = Number(process.env.BENCH_DIGEST_RUNS ?? 5);
// Tuesday 24 November 2026: the digest covers Monday 16 to Sunday 22 November (Berlin).
const NOW = new Date('2026-11-24T09:00:00Z');
const config = testConfig({ digest: { repeated_question_threshold: 400 } });
const TAGS = config.tags.map((t) => t.id);

async function seed(database: Database, end: Date): Promise<void> {
  const db = database.db;
  const started = performance.now();
  const span = WEEKS * 7 * 86_400;
  const chunk = 200_000;
  const tags = `{${TAGS.join(',')}}`;
  for (let from = 1; from <= TOTAL; from += chunk) {
    const to = Math.min(TOTAL, from + chunk - 1);
    // Arrivals spread evenly over two years and stored in arrival order, as a live table is; one or two tags each, skewed so some tags are
    // common; 60 products; 12 countries; 5 carriers; most answered and resolved.
    await db.execute(sql`
      insert into cases (kind, source, external_id, subject, body, priority, channel_id, received_at, status, tags,
        product_keys, order_items, order_country, carrier, first_response_at, first_response_business_ms,
        first_response_within_sla, resolved_at, resolution_business_ms, agent_reply_count, reopen_count, sla_check_at, reported_at)
      select 'ticket', (array['email','live_chat','social_dm','comment','marketplace'])[1 + i % 5], 'G-' || i, 'Question ' || i, 'Body',
        'normal', 'C0BENCH01', received, case when i % 20 = 0 then 'open' else 'resolved' end,
        case when i % 3 = 0
          then array[(${tags}::text[])[1 + (i * i) % ${TAGS.length}], (${tags}::text[])[1 + (i / 3) % 6]]
          else array[(${tags}::text[])[1 + ((i * 7) % 97) % ${TAGS.length}]] end,
        array['name:product ' || (i % 60)],
        jsonb_build_array(jsonb_build_object('name', 'Product ' || (i % 60), 'quantity', 1)),
        (array['DE','FR','GB','US','NL','AT','CH','IT','ES','SE','PL','BE'])[1 + i % 12],
        (array['DHL','UPS','DPD','GLS','Hermes'])[1 + (i / 7) % 5],
        received + ((20 + i % 400) * interval '1 minute'), (20 + i % 400) * 60000, i % 4 <> 0,
        case when i % 20 = 0 then null else received + ((60 + i % 3000) * interval '1 minute') end,
        case when i % 20 = 0 then null else (60 + i % 3000) * 60000 end,
        1 + i % 3, case when i % 50 = 0 then 1 else 0 end, null, received
      from (
        select i, ${end.toISOString()}::timestamptz - ((${span} - floor(i::numeric * ${span} / ${TOTAL}) + 1) * interval '1 second') as received
        from generate_series(${from}::bigint, ${to}::bigint) as i
      ) s`);
    process.stdout.write(`\r  seeding cases: ${to.toLocaleString('en')} / ${TOTAL.toLocaleString('en')}`);
  }
  const reviews = Math.round(TOTAL / 10);
  await db.execute(sql`
    insert into reviews (provider, external_id, rating, body, product_title, written_at, received_at, updated_at, negative, problem_tags)
    select 'generic', 'R-' || i, 1 + i % 5, 'Review text number ' || i || ' about the product and its delivery', 'Product ' || (i % 60),
      at, at, at, 1 + i % 5 <= 3, case when 1 + i % 5 <= 3 then array[(array['damaged','quality','shipping_delay','sizing'])[1 + i % 4]] else '{}' end
    from (select i, ${end.toISOString()}::timestamptz - ((${span} - floor(i::numeric * ${span} / ${reviews}) + 1) * interval '1 second') as at
          from generate_series(1, ${reviews}) as i) s`);
  await db.execute(sql`
    insert into disputes (provider, external_id, stage, status, state, reason_code, reason_text, amount, currency, respond_by,
      opened_at, closed_at, outcome, created_at, updated_at)
    select 'generic', 'D-' || i, 'chargeback', 'x', case when i % 3 = 0 then 'needs_response' else 'won' end, 'fraudulent', 'Fraudulent',
      (10 + i % 200)::numeric, (array['EUR','USD','GBP'])[1 + i % 3], at + interval '10 days', at,
      case when i % 3 = 0 then null else at + interval '20 days' end, case when i % 3 = 0 then null when i % 2 = 0 then 'won' else 'lost' end, at, at
    from (select i, ${end.toISOString()}::timestamptz - (((i * 7919) % ${span}) * interval '1 second') as at
          from generate_series(1, ${Math.round(TOTAL / 200)}) as i) s`);
  await db.execute(sql`
    insert into csat_responses (case_id, rating, via, responded_at)
    select id, 1 + id % 5, 'api', received_at + interval '2 days' from cases where id % 10 = 0`);
  await db.execute(sql`
    insert into fix_items (tag, product_key, product_label, target, owner_id, due_on, state, created_by, created_at, done_at)
    select (${tags}::text[])[1 + i % ${TAGS.length}], case when i % 2 = 0 then 'name:product ' || i end, case when i % 2 = 0 then 'Product ' || i end,
      'faq', 'U0OWNER01', '2026-11-01', 'done', 'U0MANAGER', ${end.toISOString()}::timestamptz - interval '90 days',
      ${end.toISOString()}::timestamptz - interval '8 days' - (i * interval '1 day')
    from generate_series(1, 40) as i`);
  await db.execute(sql`analyze`);
  console.log(
    `\r  seeded ${TOTAL.toLocaleString('en')} cases, ${reviews.toLocaleString('en')} reviews, disputes, CSAT and fixes in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

export async function benchDigest(): Promise<void> {
  console.log(`Weekly digest: one week over ${TOTAL.toLocaleString('en')} cases in ${WEEKS} weeks (PostgreSQL)`);
  const target = await benchDatabase();
  if (!target) return;
  const database = await openDatabase({ url: target.url, poolSize: 2 });
  try {
    await migrate(database);
    const week = lastFullWeek(NOW, config.store.timezone);
    await seed(database, week.end);
    const [inWeek] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from cases where received_at >= ${week.start.toISOString()}::timestamptz and received_at < ${week.end.toISOString()}::timestamptz`,
    );
    console.log(`  the week (${week.label}): ${inWeek!.n.toLocaleString('en')} cases; the chart reads ${CHART_WEEKS} weeks`);

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const compute: number[] = [];
    const total: number[] = [];
    let model!: Awaited<ReturnType<typeof computeDigest>>;
    let blocks = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      model = await database.db.transaction((tx) => computeDigest(tx, config, week));
      const t1 = performance.now();
      const rendered = renderDigest(config, model);
      await renderTagChart(model.chart, 'Top tags');
      compute.push(t1 - t0);
      total.push(performance.now() - t0);
      blocks = rendered.main.blocks.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    clearInterval(sampler);
    const c = summarize(compute);
    const all = summarize(total);
    console.log(
      `  digest figures (SQL): median ${fmt(c.p50)}, max ${fmt(c.max)}; with rendering and the PNG chart: median ${fmt(all.p50)}, max ${fmt(all.max)} over ${RUNS} runs (target ≤ 3 s)`,
    );
    console.log(
      `  ${model.topTags.length} top tags, ${model.repeated.length} repeated questions, ${model.loop.length} fixes followed, ${model.logistics.length} country/carrier lines; main message ${blocks} blocks`,
    );
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      `  resident memory: ${mb(rssBefore)} before, peak ${mb(peak)} while working out and drawing digests (+${mb(peak - rssBefore)})`,
    );
  } finally {
    await database.close();
    await target.drop();
  }
}
