import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createServerDatabase, hasServer, seedDataDir } from '../support/db';
import { CHANNELS, INGEST_TOKEN, PEOPLE, SIGNING_SECRET, ticket } from '../support/harness';
import { appArgs, childEnv } from '../support/child';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';

// The real process, killed with SIGKILL while Slack holds a card post it has already
// processed, then started again on the same database: every card exists exactly once.

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const c of cleanups) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startProcess(env: Record<string, string>, port: number): Promise<ChildProcess> {
  // The way `npm start` runs it: one node process on the bundle, so SIGKILL kills the app itself.
  const child = spawn(process.execPath, await appArgs(), {
    cwd: root,
    env: childEnv({ ...env, PORT: String(port) }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  children.push(child);
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`trustloop exited: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`trustloop did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(databaseEnv: Record<string, string>) {
  const slack = await new SlackDouble().start();
  cleanups.push(() => slack.stop());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const configFile = path.join(dir, 'trustloop.yml');
  writeFileSync(
    configFile,
    `store: { name: Test }\nchannels: { default: ${CHANNELS.support}, sources: { email: ${CHANNELS.email} }, escalation: ${CHANNELS.escalation} }\nteam: { members: [${PEOPLE.agent}] }\n`,
  );
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-restart',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    INGEST_TOKEN,
    TRUSTLOOP_CONFIG: configFile,
    TRUSTLOOP_DATA_DIR: path.join(dir, 'data'),
    SLACK_CHANNEL_INTERVAL_MS: '0',
    OUTBOX_LEASE_MS: '1500',
    LOG_LEVEL: 'warn',
    ...databaseEnv,
  };
  // Not a fresh install: the embedded database starts migrated, as it is on a restart.
  if (!databaseEnv.DATABASE_URL) seedDataDir(env.TRUSTLOOP_DATA_DIR);
  const port = await freePort();
  const first = await startProcess(env, port);
  // Slack will process the first card post but never answer it.
  slack.fail('chat.postMessage', { kind: 'hang' }, 1);
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(ticket({ external_id: `KILL-${i}` })),
    });
    expect(res.status).toBe(201);
    ids.push(((await res.json()) as { id: number }).id);
  }
  await slack.waitFor(() => slack.callsOf('chat.postMessage').length >= 1, 10_000, 'first post');
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));

  const second = await startProcess(env, port);
  await slack.waitFor(() => ids.every((id) => slack.messages.some((m) => m.metadata?.event_payload?.case_id === id)), 30_000, 'all cards');
  // Give a duplicate every chance to appear before counting.
  await new Promise((r) => setTimeout(r, 2500));
  for (const id of ids) {
    expect(slack.messages.filter((m) => m.metadata?.event_payload?.case_id === id && !m.thread_ts)).toHaveLength(1);
  }
  // The restarted process looked for the unanswered post before posting it again.
  expect(slack.callsOf('conversations.history').length).toBeGreaterThan(0);
  const api = await fetch(`http://127.0.0.1:${port}/api/v1/tickets/${ids[0]}`, { headers: { authorization: `Bearer ${INGEST_TOKEN}` } });
  const card = slack.messages.find((m) => m.metadata?.event_payload?.case_id === ids[0])!;
  expect(((await api.json()) as { slack: { ts: string } }).slack.ts).toBe(card.ts);
  second.kill('SIGTERM');
  await new Promise((r) => second.once('exit', r));
}

describe('killed mid-delivery and restarted', () => {
  test('on the embedded database, every card is posted exactly once', async () => {
    await run({});
  }, 90_000);

  test.skipIf(!hasServer)(
    'on PostgreSQL, every card is posted exactly once (needs TEST_DATABASE_URL)',
    async () => {
      const { url, drop } = await createServerDatabase();
      cleanups.push(drop);
      await run({ DATABASE_URL: url });
    },
    90_000,
  );
});
