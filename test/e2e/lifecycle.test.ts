import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { startTrustloop, type Trustloop } from '../../src/app';
import { cases } from '../../src/db/schema';
import { loadEnv } from '../../src/config/env';
import { createHttpServer } from '../../src/ingest/http';
import { childEnv } from '../support/child';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { cardOf, CHANNELS, INGEST_TOKEN, PEOPLE, SIGNING_SECRET, startHarness, testConfig, ticket } from '../support/harness';
import { ACTION, encodeContext } from '../../src/slack/ids';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';

// How Trustloop starts and stops as an operator runs it: a deploy during a Slack outage still
// takes in cases; SIGTERM lets requests in flight finish; npm start passes the signal on.

const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Sends the request line, the headers and the first half of a JSON body; `finish` sends the rest. */
function halfSent(url: string, pathname: string, body: string) {
  const u = new URL(pathname, url);
  const req = request({
    host: u.hostname,
    port: u.port,
    path: u.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${INGEST_TOKEN}` },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  const cut = Math.floor(body.length / 2);
  req.write(body.slice(0, cut));
  return { req, response, finish: () => req.end(body.slice(cut)) };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('a deploy while Slack is unreachable', () => {
  let app: Trustloop;
  let db: TestDatabase;
  let slack: SlackDouble;

  test('Trustloop starts, takes in a ticket, says so on /readyz, and posts the card once Slack answers', async () => {
    const port = await freePort();
    db = await createTestDatabase();
    cleanups.push(() => db.close());
    const env = loadEnv({
      SLACK_BOT_TOKEN: 'xoxb-outage',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      // Nothing listens here yet: Slack is "down".
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      INGEST_TOKEN,
      PORT: '0',
      SLACK_CHANNEL_INTERVAL_MS: '0',
    });
    app = await startTrustloop({
      env,
      config: testConfig(),
      database: db.database,
      logger: pino({ level: 'silent' }),
      dispatcher: { pollMs: 50, leaseMs: 2_000 },
      scheduleJobs: false,
    });
    cleanups.push(() => app.stop());

    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, slack: 'connecting', slackDetail: expect.stringMatching(/could not be reached/) });

    const res = await fetch(`${app.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(ticket({ external_id: 'OUTAGE-1', subject: 'Sent during the outage' })),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };

    // Slack comes back on the address Trustloop was given.
    slack = await new SlackDouble().start(port);
    cleanups.push(() => slack.stop());
    const card = await slack.waitFor(() => cardOf(slack, id), 20_000, 'card posted after the outage');
    expect(card.channel).toBe(CHANNELS.email);
    await vi.waitFor(async () => expect(await (await fetch(`${app.url}/readyz`)).json()).toMatchObject({ slack: 'connected' }), {
      timeout: 5_000,
    });
  });
});

describe('stopping', () => {
  test('a request in flight when the stop begins is finished and stored; new requests are turned away', async () => {
    const slack = await new SlackDouble().start();
    cleanups.push(() => slack.stop());
    const db = await createTestDatabase();
    cleanups.push(() => db.close());
    const env = loadEnv({
      SLACK_BOT_TOKEN: 'xoxb-stop',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      INGEST_TOKEN,
      PORT: '0',
    });
    const app = await startTrustloop({ env, config: testConfig(), database: db.database, logger: pino({ level: 'silent' }), scheduleJobs: false });
    const body = JSON.stringify(ticket({ external_id: 'DRAIN-1', subject: 'Arrived while stopping' }));
    const slow = halfSent(app.url, '/api/v1/tickets', body);
    // The half-sent request is in flight (its body half read) before the stop begins.
    await vi.waitFor(() => expect(app.inFlight()).toBe(1));
    const stopping = app.stop();
    slow.finish();
    const answer = await slow.response;
    expect(answer.status).toBe(201);
    await stopping;
    const stored = await db.database.db.select({ externalId: cases.externalId }).from(cases);
    expect(stored.map((c) => c.externalId)).toContain('DRAIN-1');
    // The port is closed: nothing new is taken.
    await expect(fetch(`${app.url}/readyz`)).rejects.toThrow();
  });

  test('a Slack action still working after its ack finishes before the stop closes the database', async () => {
    const h = await startHarness();
    cleanups.push(() => h.slack.stop(), () => h.testDb.close());
    const created = await h.ingest(ticket({ external_id: 'STOP-CLICK-1', subject: 'Parcel stuck in customs' }));
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await h.settle();
    const card = cardOf(h.slack, id)!;
    // Slack is slow to open the modal: the click has its ack, the listener is still waiting.
    h.slack.fail('views.open', { kind: 'delay', ms: 2_500 });
    const clicked = await h.click({ actionId: ACTION.escalate, caseId: id, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: encodeContext({ c: id }) });
    expect(clicked.status).toBe(200);
    await vi.waitFor(() => expect(h.slack.callsOf('views.open')).toHaveLength(1));
    expect(h.app.listenersWorking()).toBe(1);
    await h.app.stop();
    expect(h.app.listenersWorking()).toBe(0);
  });

  test('a client that hangs up mid-body is logged as a closed request (499), never as a server error', async () => {
    const lines: { level: number; msg: string; status?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const server = createHttpServer({
      logger,
      ingestToken: INGEST_TOKEN,
      routes: [{ method: 'POST', path: '/api/v1/tickets', auth: 'ingest', json: true, handler: async (ctx) => ({ status: 201, body: ctx.json(ticketSchema) }) }],
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const slow = halfSent(url, '/api/v1/tickets', JSON.stringify({ subject: 'x'.repeat(10_000) }));
    slow.response.catch(() => undefined);
    await vi.waitFor(() => expect(server.inFlight()).toBe(1));
    slow.req.destroy();
    await vi.waitFor(() => expect(lines.find((l) => l.msg === 'request closed by the client')).toMatchObject({ status: 499, level: 30 }));
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});

const ticketSchema = { safeParse: (v: unknown) => ({ success: true as const, data: v }) } as never;

describe('npm start', () => {
  test('SIGTERM to npm reaches Trustloop, which stops and frees its port', async () => {
    const slack = await new SlackDouble().start();
    cleanups.push(() => slack.stop());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-npm-'));
    const config = path.join(dir, 'trustloop.yml');
    writeFileSync(config, 'store: { name: T }\nchannels: { default: C0DEFAULT, escalation: C0ESCALATE }\nteam: { members: [U0AGENT01] }\n');
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: childEnv({
        SLACK_BOT_TOKEN: 'xoxb-npm',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        INGEST_TOKEN,
        TRUSTLOOP_CONFIG: config,
        TRUSTLOOP_DATA_DIR: path.join(dir, 'data'),
        PORT: String(port),
        npm_config_update_notifier: 'false',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own, so a failed run can take down Trustloop too: SIGKILL to npm alone
      // left the app it started running (and polling its database) after the suite.
      detached: true,
    });
    let out = '';
    npm.stdout.on('data', (d) => (out += d));
    npm.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    cleanups.push(async () => {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    });
    await vi.waitFor(async () => expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200), { timeout: 60_000, interval: 200 });
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM received');
    // Off a terminal its log is JSON lines with an ISO time and the level by name, and no secret in them.
    const logged = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: unknown; time: unknown; msg: string });
    expect(logged.find((l) => l.msg === 'Trustloop started')).toMatchObject({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(logged.every((l) => typeof l.level === 'string')).toBe(true);
    for (const secret of [SIGNING_SECRET, INGEST_TOKEN, 'xoxb-npm']) expect(out).not.toContain(secret);
    // Trustloop itself stopped: nothing is left listening on its port.
    await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
  }, 90_000);
});
