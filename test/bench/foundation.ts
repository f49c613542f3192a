import postgres from 'postgres';
import { SIGNING_SECRET, INGEST_TOKEN, PEOPLE, ticket } from '../support/harness';
import { slackHeaders } from '../support/signing';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';
import { benchDatabase, buildApp, cpuMs, fmt, freePort, request, rssMb, startProcess, stopProcess, summarize, writeConfig } from './support';

// The foundation's rows, each beside its floor measured in the same run and started by the bench
// itself: REST ingest with 32 concurrent senders beside raw single-row postgres.js inserts of the
// same rows; card button click acks at a steady arrival rate (open loop) beside a bare Bolt app
// that only acks; resident memory idle and under load; card delivery at a scaled pacing
// (20 posts/s per channel) beside the per-channel bound. Every figure is taken over at least three
// repetitions (Trustloop and its floor alternate, so a busy machine slows both alike) and printed
// as min / median / max. Trustloop runs as its own process, as `npm start` runs it.

export const FOUNDATION_ROWS = ['ingest', 'clicks', 'memory', 'delivery'] as const;
export type FoundationRow = (typeof FOUNDATION_ROWS)[number];

const REPS = Math.max(3, Number(process.env.BENCH_REPS ?? 3));
const SENDERS = 32;
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 5);
const CLICK_RATE = Number(process.env.BENCH_CLICK_RATE ?? 200);
const CLICK_SECONDS = Number(process.env.BENCH_CLICK_SECONDS ?? 10);
// Slack allows about one post per second per channel; the bench scales that by 20 so a run takes
// seconds, which makes any per-post overhead twenty times as visible against the pacing gap.
const DELIVERY_INTERVAL_MS = Number(process.env.BENCH_DELIVERY_INTERVAL_MS ?? 50);
const DELIVERY_CARDS = Number(process.env.BENCH_DELIVERY_CARDS ?? 40);

const CHANNELS = ['C0BENCH01', 'C0BENCH02', 'C0BENCH03'];
const SOURCES = ['email', 'live_chat', 'social_dm'];
const config = writeConfig(`store: { name: Bench }
channels:
  default: ${CHANNELS[0]}
  sources: { email: ${CHANNELS[0]}, live_chat: ${CHANNELS[1]}, social_dm: ${CHANNELS[2]} }
  escalation: C0ESCALAT
team: { members: [${PEOPLE.agent}, ${PEOPLE.agent2}] }
`);

const median = (xs: number[]) => summarize(xs).p50;
const spread = (xs: number[], f: (x: number) => string) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${f(s[0]!)}, median ${f(median(s))}, max ${f(s.at(-1)!)}`;
};
const perS = (x: number) => `${Math.round(x).toLocaleString('en')}/s`;
const mb = (x: number) => `${x.toFixed(0)} MB`;
const times = (x: number) => `${x.toFixed(2)}×`;

async function startTrustloop(slack: SlackDouble, url: string, extra: Record<string, string> = {}) {
  const port = await freePort();
  const child = await startProcess(
    'dist/main.js',
    {
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      INGEST_TOKEN,
      TRUSTLOOP_CONFIG: config,
      DATABASE_URL: url,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...extra,
    },
    `http://127.0.0.1:${port}/readyz`,
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Samples a process's resident set while load runs, for the peak "under load". */
class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly pid: number) {}
  start(): void {
    this.timer = setInterval(() => {
      rssMb(this.pid).then(
        (v) => (this.peak = Math.max(this.peak, v)),
        () => {},
      );
    }, 100);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

async function postTicket(base: string, body: unknown): Promise<{ status: number; body: string }> {
  return request(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

type Ticket = ReturnType<typeof ticket>;

/** 32 senders, each sending its next row as soon as the previous one is answered, for `seconds`. */
async function closedLoopRows(seconds: number, prefix: string, send: (row: Ticket) => Promise<boolean>) {
  let accepted = 0;
  let refused = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, s) => {
      let i = 0;
      while (performance.now() < until) {
        const row = ticket({ external_id: `${prefix}-${s}-${i}`, source: SOURCES[i % 3] });
        i++;
        if (await send(row)) accepted++;
        else refused++;
      }
    }),
  );
  return { perSecond: accepted / ((performance.now() - started) / 1000), accepted, refused };
}

/**
 * The floor: the same rows inserted, one row per statement, by postgres.js straight from the bench,
 * into a table made like cases (its columns, defaults, constraints and indexes). Not into cases
 * itself: Trustloop would take those rows for cases of its own, and its SLA sweep would spend the
 * next ingest run working through the floor's rows.
 */
function rawInsert(sql: postgres.Sql) {
  return async (t: Ticket): Promise<boolean> => {
    const now = new Date();
    await sql`
      insert into floor_cases (kind, source, external_id, subject, body, customer_name, customer_email, customer_order_count,
        order_id, order_amount, order_currency, order_country, order_items, priority, channel_id, received_at, reported_at)
      values ('ticket', ${t.source}, ${t.external_id}, ${t.subject}, ${t.body}, ${t.customer.name}, ${t.customer.email},
        ${t.customer.order_count}, ${t.order.id}, ${t.order.amount}, ${t.order.currency}, ${t.order.country},
        ${sql.json(t.order.items)}, 'normal', ${CHANNELS[SOURCES.indexOf(t.source)]!}, ${now}, ${now})`;
    return true;
  };
}

async function ingestRow(base: string, url: string, pid: number) {
  // Warm up connections and the JIT of both sides.
  const raw = postgres(url, { max: SENDERS, onnotice: () => {} });
  await raw`create table if not exists floor_cases (like cases including all)`;
  await closedLoopRows(1, 'WARM', async (t) => (await postTicket(base, t)).status === 201);
  await closedLoopRows(1, 'RAWWARM', rawInsert(raw));
  const app: number[] = [];
  const floor: number[] = [];
  const cpu: number[] = [];
  const behind: number[] = [];
  let lost = 0;
  let refused = 0;
  for (let rep = 0; rep < REPS; rep++) {
    const prefix = `BENCH${rep}`;
    const cpuBefore = await cpuMs(pid);
    const r = await closedLoopRows(INGEST_SECONDS, prefix, async (t) => (await postTicket(base, t)).status === 201);
    const [{ n }] = (await raw`select count(*)::int as n from cases where external_id like ${prefix + '-%'}`) as unknown as [{ n: number }];
    lost += r.accepted - n;
    // The judgement follows the answer: wait until every ticket of the run is judged, so the floor
    // that comes next does not share the machine with Trustloop's backlog, and say how far behind it was.
    const ended = performance.now();
    for (;;) {
      const [{ open }] = (await raw`select count(*)::int as open from cases where external_id like ${prefix + '-%'} and judgement is null`) as unknown as [
        { open: number },
      ];
      if (open === 0 || performance.now() - ended > 60_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    behind.push(performance.now() - ended);
    // The process's CPU (every thread) from the first ticket to the last one judged, per ticket.
    cpu.push(((await cpuMs(pid)) - cpuBefore) / Math.max(1, r.accepted));
    refused += r.refused;
    app.push(r.perSecond);
    floor.push((await closedLoopRows(INGEST_SECONDS, `RAW${rep}`, rawInsert(raw))).perSecond);
  }
  await raw.end();
  const ratios = app.map((a, i) => a / floor[i]!);
  console.log(`  REST ingest, ${SENDERS} concurrent senders, ${REPS} × ${INGEST_SECONDS} s`);
  console.log(
    `    Trustloop   ${spread(app, perS)}  (target ≥ 2,000/s); ${refused} refused, ${lost === 0 ? 'nothing lost' : `${lost} LOST`}`,
  );
  console.log(`    raw inserts ${spread(floor, perS)}  (single-row postgres.js inserts of the same rows, ${SENDERS} connections)`);
  console.log(`    ratio       ${spread(ratios, times)} the raw floor (target ≥ 0.25×)`);
  console.log(`    CPU of the Trustloop process per ticket accepted (its judgement included): ${spread(cpu, (x) => `${x.toFixed(2)} ms`)}`);
  console.log(`    every ticket judged within ${spread(behind, (x) => `${(x / 1000).toFixed(2)} s`)} of the run's last answer`);
}

// Who the generator last made owner of each case: Claim carries the owner the card shows, so a
// click from a card that shows the previous claimer is a deliberate take-over, as in real use.
const shownOwner = new Map<number, string>();

function clickBody(caseId: number, user: string, slack: SlackDouble) {
  const o = shownOwner.get(caseId) ?? null;
  shownOwner.set(caseId, user);
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user, team_id: 'T0TEAM001' },
    api_app_id: 'A0TRUSTLP',
    container: { type: 'message', message_ts: '1.1', channel_id: CHANNELS[0] },
    trigger_id: '1.2.3',
    team: { id: 'T0TEAM001', domain: 'bench' },
    channel: { id: CHANNELS[0], name: 'bench' },
    response_url: slack.responseUrl('bench'),
    actions: [
      {
        action_id: 'case_claim',
        block_id: `case_actions.${caseId}`,
        type: 'button',
        value: JSON.stringify({ c: caseId, o }),
        action_ts: '1',
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function click(base: string, body: string): Promise<number> {
  const res = await request(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackHeaders(SIGNING_SECRET, body) },
    body,
  });
  return res.status;
}

/** Open loop: clicks leave on a fixed schedule whatever the answers do; latency counts from the planned send time. */
async function openLoop(base: string, ids: number[], slack: SlackDouble, rate: number, seconds: number) {
  const total = rate * seconds;
  const gap = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 50;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const planned = start + i * gap;
    const wait = planned - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // The two agents take turns on each case (not on each click: with an even number of cases the
    // same agent would click the same case every round, and every click after the first would be a
    // no-op answered with "already yours").
    const round = Math.floor(i / ids.length);
    const body = clickBody(ids[i % ids.length]!, (i + round) % 2 ? PEOPLE.agent : PEOPLE.agent2, slack);
    inflight.push(
      click(base, body).then(
        (status) => {
          latencies.push(performance.now() - planned);
          if (status !== 200) errors++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inflight);
  return { ...summarize(latencies), errors };
}

async function clicksRow(base: string, slack: SlackDouble, pid: number) {
  const ids: number[] = [];
  for (let i = 0; i < 200; i++) {
    const res = await postTicket(base, ticket({ external_id: `CLICK-${i}` }));
    ids.push((JSON.parse(res.body) as { id: number }).id);
  }
  const barePort = await freePort();
  const bare = await startProcess(
    'test/bench/bare-bolt.ts',
    { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/`,
  );
  const bareBase = `http://127.0.0.1:${barePort}`;
  await openLoop(base, ids, slack, 50, 2); // warm-up
  await openLoop(bareBase, ids, slack, 50, 2);
  const app: Awaited<ReturnType<typeof openLoop>>[] = [];
  const floor: Awaited<ReturnType<typeof openLoop>>[] = [];
  const cpu: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const cpuBefore = await cpuMs(pid);
    app.push(await openLoop(base, ids, slack, CLICK_RATE, CLICK_SECONDS));
    cpu.push(((await cpuMs(pid)) - cpuBefore) / (CLICK_RATE * CLICK_SECONDS));
    floor.push(await openLoop(bareBase, ids, slack, CLICK_RATE, CLICK_SECONDS));
  }
  await stopProcess(bare);
  const errors = app.reduce((n, r) => n + r.errors, 0);
  console.log(
    `  Button click ack (Claim; each click takes the case over), open loop at ${CLICK_RATE} clicks/s, ${REPS} × ${CLICK_SECONDS} s`,
  );
  console.log(
    `    Trustloop p50  ${spread(
      app.map((r) => r.p50),
      fmt,
    )}`,
  );
  console.log(
    `    Trustloop p99  ${spread(
      app.map((r) => r.p99),
      fmt,
    )}  (target ≤ 25 ms); max ${fmt(Math.max(...app.map((r) => r.max)))}, ${errors} errors`,
  );
  console.log(
    `    bare Bolt p50  ${spread(
      floor.map((r) => r.p50),
      fmt,
    )}`,
  );
  console.log(
    `    bare Bolt p99  ${spread(
      floor.map((r) => r.p99),
      fmt,
    )}`,
  );
  console.log(
    `    ratio p99      ${spread(
      app.map((r, i) => r.p99 / floor[i]!.p99),
      times,
    )} the bare app (target ≤ 2×)`,
  );
  console.log(
    `    CPU of the Trustloop process per click, while the clicks arrive: ${spread(cpu, (x) => `${x.toFixed(2)} ms`)}`,
  );
}

async function deliveryRow(slack: SlackDouble, url: string) {
  const { child, base } = await startTrustloop(slack, url, { SLACK_CHANNEL_INTERVAL_MS: String(DELIVERY_INTERVAL_MS) });
  const ratios: number[] = [];
  const rates: number[] = [];
  let lost = 0;
  let dupes = 0;
  try {
    for (let rep = 0; rep < REPS; rep++) {
      slack.reset();
      // The queue is filled at once (as on a busy morning), by 8 senders per channel so that filling
      // it takes well under the time its cards need at the channel's pace; cards then go out at
      // that pace. (One sender per channel fed the queue slower than the pace on a busy machine, and
      // the row measured ingest instead of delivery.)
      const SENDERS_PER_CHANNEL = 8;
      await Promise.all(
        SOURCES.flatMap((source) =>
          Array.from({ length: SENDERS_PER_CHANNEL }, async (_, s) => {
            for (let i = s; i < DELIVERY_CARDS; i += SENDERS_PER_CHANNEL)
              await postTicket(base, ticket({ external_id: `DELIVER${rep}-${source}-${i}`, source }));
          }),
        ),
      );
      const expected = DELIVERY_CARDS * SOURCES.length;
      await slack.waitFor(
        () => new Set(slack.callsOf('chat.postMessage').map((c) => c.args.metadata?.event_payload?.case_id)).size >= expected,
        (DELIVERY_CARDS * DELIVERY_INTERVAL_MS * 10 + 30_000) | 0,
        'all cards',
      );
      await new Promise((r) => setTimeout(r, 500));
      const posted = new Set<number>();
      for (const channel of CHANNELS) {
        const calls = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);
        const span = calls.at(-1)!.at - calls[0]!.at;
        const bound = (calls.length - 1) * DELIVERY_INTERVAL_MS;
        ratios.push(span / bound);
        rates.push(((calls.length - 1) / span) * 1000);
        const ids = calls.map((c) => c.args.metadata.event_payload.case_id as number);
        dupes += ids.length - new Set(ids).size;
        for (const id of ids) posted.add(id);
      }
      lost += expected - posted.size;
    }
  } finally {
    await stopProcess(child);
  }
  const bound = 1000 / DELIVERY_INTERVAL_MS;
  console.log(
    `  Card delivery, ${DELIVERY_CARDS} queued cards in each of ${CHANNELS.length} channels, pacing scaled to ${bound} posts/s per channel, ${REPS} runs`,
  );
  console.log(`    rate           ${spread(rates, (x) => `${x.toFixed(1)} posts/s`)} per channel (bound ${bound} posts/s)`);
  console.log(`    time ÷ bound   ${spread(ratios, times)} (target ≤ 1.10×); ${lost} lost, ${dupes} duplicated`);
}

/** Runs the rows asked for (all of them by default) against one Trustloop process, then delivery against a fresh one. */
export async function benchFoundation(rows: readonly FoundationRow[] = FOUNDATION_ROWS): Promise<void> {
  console.log(`Case foundation (${REPS} repetitions per figure; Trustloop and its floor alternate)`);
  buildApp();
  const slack = await new SlackDouble().start();
  try {
    const needsApp = rows.some((r) => r === 'ingest' || r === 'clicks' || r === 'memory');
    if (needsApp) {
      const db = await benchDatabase();
      if (!db) return;
      const { child, base } = await startTrustloop(slack, db.url);
      try {
        await new Promise((r) => setTimeout(r, 2000));
        const idle = await rssMb(child.pid!);
        const sampler = new RssSampler(child.pid!);
        sampler.start();
        // Memory under load is taken over the ingest and click loads, so the memory row runs them too.
        if (rows.includes('ingest') || rows.includes('memory')) await ingestRow(base, db.url, child.pid!);
        if (rows.includes('clicks') || rows.includes('memory')) await clicksRow(base, slack, child.pid!);
        sampler.stop();
        const after = await rssMb(child.pid!);
        if (rows.includes('memory')) {
          console.log(`  Resident memory of the Trustloop process`);
          console.log(`    idle after start      ${mb(idle)} (target ≤ 150 MB)`);
          console.log(
            `    peak under load       ${mb(Math.max(sampler.peak, after))} (target ≤ 300 MB; sampled every 100 ms over the ingest and click loads)`,
          );
          console.log(`    after the load        ${mb(after)}`);
        }
      } finally {
        await stopProcess(child);
        await db.drop();
      }
    }
    if (rows.includes('delivery')) {
      const db = await benchDatabase();
      if (!db) return;
      try {
        await deliveryRow(slack, db.url);
      } finally {
        await db.drop();
      }
    }
  } finally {
    await slack.stop();
  }
}
