import postgres from 'postgres';
import { SIGNING_SECRET, INGEST_TOKEN, PEOPLE, ticket } from '../support/harness';
import { slackHeaders } from '../support/signing';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';
import { benchDatabase, buildApp, fmt, freePort, request, rssMb, startProcess, stopProcess, summarize, writeConfig } from './support';

// The foundation's figures: REST ingest throughput with 32 concurrent senders, the ack latency of
// card button clicks (open loop at a steady rate, and 50 concurrent), compared with a bare
// Bolt app that only acks, the delivery rate of queued cards against Slack's per-channel
// bound, and resident memory. Trustloop runs as its own process, as `npm start` runs it.

const CHANNELS = ['C0BENCH01', 'C0BENCH02', 'C0BENCH03'];
const config = writeConfig(`store: { name: Bench }
channels:
  default: ${CHANNELS[0]}
  sources: { email: ${CHANNELS[0]}, live_chat: ${CHANNELS[1]}, social_dm: ${CHANNELS[2]} }
  escalation: C0ESCALAT
team: { members: [${PEOPLE.agent}, ${PEOPLE.agent2}] }
`);

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

async function postTicket(base: string, body: unknown): Promise<number> {
  const res = await request(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

async function ingestThroughput(base: string, url: string) {
  const senders = 32;
  const seconds = Number(process.env.BENCH_INGEST_SECONDS ?? 10);
  // Warm up connections and the JIT.
  await Promise.all(Array.from({ length: senders }, (_, s) => postTicket(base, ticket({ external_id: `WARM-${s}` }))));
  let sent = 0;
  let accepted = 0;
  let failed = 0;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      let i = 0;
      while (performance.now() < until) {
        const body = ticket({ external_id: `BENCH-${s}-${i++}`, source: ['email', 'live_chat', 'social_dm'][i % 3] });
        const t0 = performance.now();
        sent++;
        const status = await postTicket(base, body);
        latencies.push(performance.now() - t0);
        if (status === 201) accepted++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [{ n }] = (await sql`select count(*)::int as n from cases where external_id like 'BENCH-%'`) as unknown as [{ n: number }];
  await sql.end();
  const lat = summarize(latencies);
  console.log(`  REST ingest, ${senders} concurrent senders for ${seconds} s`);
  console.log(
    `    ${(accepted / elapsed).toFixed(0)} tickets/s sustained (target ≥ 2,000/s); ${sent} sent, ${accepted} created, ${failed} refused`,
  );
  console.log(`    stored ${n} of ${accepted} created: ${n === accepted ? 'nothing lost' : `${accepted - n} LOST`}`);
  console.log(`    request latency p50 ${fmt(lat.p50)}, p99 ${fmt(lat.p99)}`);
  return { perSecond: accepted / elapsed, lost: accepted - n };
}

// Who the generator last made owner of each case: Claim carries the owner the card shows, so a
// click from a card that shows the previous claimer is a deliberate take-over, as in real use.
const shownOwner = new Map<number, string>();

function clickBody(caseId: number, user: string, slackUrl: SlackDouble) {
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
    response_url: slackUrl.responseUrl('bench'),
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

/** Open loop: clicks leave at a steady rate whatever the answers do; latency counts from the planned send time. */
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
    const body = clickBody(ids[i % ids.length]!, i % 2 ? PEOPLE.agent : PEOPLE.agent2, slack);
    inflight.push(
      click(base, body).then((status) => {
        latencies.push(performance.now() - planned);
        if (status !== 200) errors++;
      }),
    );
  }
  await Promise.all(inflight);
  return { ...summarize(latencies), errors };
}

async function closedLoop(base: string, ids: number[], slack: SlackDouble, concurrency: number, total: number) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const body = clickBody(ids[i % ids.length]!, i % 2 ? PEOPLE.agent : PEOPLE.agent2, slack);
        const t0 = performance.now();
        const status = await click(base, body);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  return { ...summarize(latencies), errors };
}

async function clickLatency(base: string, slack: SlackDouble) {
  const ids: number[] = [];
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${base}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(ticket({ external_id: `CLICK-${i}` })),
    });
    ids.push(((await res.json()) as { id: number }).id);
  }
  const rate = Number(process.env.BENCH_CLICK_RATE ?? 200);
  const seconds = Number(process.env.BENCH_CLICK_SECONDS ?? 20);
  await openLoop(base, ids, slack, 50, 2); // warm-up
  const open = await openLoop(base, ids, slack, rate, seconds);
  await closedLoop(base, ids, slack, 50, 500); // warm-up: 50 connections opened
  const closed = await closedLoop(base, ids, slack, 50, 2000);

  const barePort = await freePort();
  const bare = await startProcess(
    'test/bench/bare-bolt.ts',
    { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/`,
  );
  const bareBase = `http://127.0.0.1:${barePort}`;
  await openLoop(bareBase, ids, slack, 50, 2);
  const bareOpen = await openLoop(bareBase, ids, slack, rate, seconds);
  await closedLoop(bareBase, ids, slack, 50, 500);
  const bareClosed = await closedLoop(bareBase, ids, slack, 50, 2000);
  await stopProcess(bare);

  console.log(`  Button click ack (Claim; each click takes the case over), open loop at ${rate} clicks/s for ${seconds} s`);
  console.log(
    `    Trustloop   p50 ${fmt(open.p50)}, p99 ${fmt(open.p99)}, max ${fmt(open.max)}, ${open.errors} errors (target p99 ≤ 25 ms)`,
  );
  console.log(`    bare Bolt   p50 ${fmt(bareOpen.p50)}, p99 ${fmt(bareOpen.p99)}, max ${fmt(bareOpen.max)}`);
  console.log(`    ratio p99   ${(open.p99 / bareOpen.p99).toFixed(2)}× the bare app (target within 2×)`);
  console.log(`  Button click ack, 50 concurrent with no pause between clicks (a stress test), 2,000 clicks`);
  console.log(`    Trustloop   p50 ${fmt(closed.p50)}, p99 ${fmt(closed.p99)}, ${closed.errors} errors (target p99 ≤ 50 ms)`);
  console.log(`    bare Bolt   p50 ${fmt(bareClosed.p50)}, p99 ${fmt(bareClosed.p99)}`);
}

async function deliveryRate(slack: SlackDouble, url: string) {
  const perChannel = Number(process.env.BENCH_DELIVERY_CARDS ?? 20);
  const { child, base } = await startTrustloop(slack, url, { SLACK_CHANNEL_INTERVAL_MS: '1000' });
  slack.reset();
  const sources = ['email', 'live_chat', 'social_dm'];
  for (let i = 0; i < perChannel; i++) {
    for (const source of sources) await postTicket(base, ticket({ external_id: `DELIVER-${source}-${i}`, source }));
  }
  await slack.waitFor(() => slack.messages.length >= perChannel * sources.length, perChannel * 3000 + 10_000, 'all cards');
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`  Delivery of ${perChannel} queued cards in each of ${sources.length} channels (Slack's bound: 1 post/s per channel)`);
  for (const channel of CHANNELS) {
    const calls = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);
    const spanS = (calls.at(-1)!.at - calls[0]!.at) / 1000;
    const rate = (calls.length - 1) / spanS;
    const ids = calls.map((c) => c.args.metadata.event_payload.case_id as number);
    const dupes = ids.length - new Set(ids).size;
    console.log(
      `    ${channel}: ${calls.length} posted in ${spanS.toFixed(1)} s = ${rate.toFixed(2)} posts/s (${((rate / 1) * 100).toFixed(0)}% of the bound), ${dupes} duplicated`,
    );
  }
  const posted = new Set(slack.messages.map((m) => m.metadata?.event_payload?.case_id)).size;
  console.log(`    lost: ${perChannel * sources.length - posted}`);
  const idle = await rssMb(child.pid!);
  console.log(`  Memory: ${idle.toFixed(0)} MB resident after this run (target ≤ 150 MB idle)`);
  await stopProcess(child);
}

export async function benchDelivery(): Promise<void> {
  buildApp();
  const db = await benchDatabase();
  if (!db) return;
  const slack = await new SlackDouble().start();
  try {
    await deliveryRate(slack, db.url);
  } finally {
    await db.drop();
    await slack.stop();
  }
}

export async function benchFoundation(): Promise<void> {
  console.log('Case foundation');
  buildApp();
  const db = await benchDatabase();
  if (!db) return;
  const slack = await new SlackDouble().start();
  try {
    const { child, base } = await startTrustloop(slack, db.url);
    await new Promise((r) => setTimeout(r, 1000));
    console.log(`  Memory: ${(await rssMb(child.pid!)).toFixed(0)} MB resident idle after start (target ≤ 150 MB)`);
    await ingestThroughput(base, db.url);
    await clickLatency(base, slack);
    console.log(`  Memory: ${(await rssMb(child.pid!)).toFixed(0)} MB resident after the load`);
    await stopProcess(child);
    await db.drop();
    const db2 = await benchDatabase();
    if (db2) {
      await deliveryRate(slack, db2.url);
      await db2.drop();
    }
  } finally {
    await slack.stop();
  }
}
