import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { appArgs, childEnv } from '../support/child';
import { seedDataDir } from '../support/db';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';

// `npm start` with a missing or bad setting prints one line naming it and exits non-zero.

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-start-'));
const goodConfig = path.join(dir, 'good.yml');
writeFileSync(goodConfig, 'store: { name: T }\nchannels: { default: C0DEFAULT, escalation: C0ESCALATE }\nteam: { members: [U0AGENT01] }\n');
const badConfig = path.join(dir, 'bad.yml');
// What is checked here comes before the database; the ones that get that far open a migrated copy.
seedDataDir(path.join(dir, 'data'));
writeFileSync(badConfig, 'store: { name: T }\nchannels: { default: general, escalation: C0ESCALATE }\nteam: { members: [U0AGENT01] }\n');

let slack: SlackDouble;
beforeAll(async () => {
  slack = await new SlackDouble().start();
});
afterAll(async () => {
  await slack.stop();
});

// Asynchronous, so the Slack double in this process can answer the child's auth.test.
async function start(env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, await appArgs(), {
    cwd: root,
    env: childEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: stderr.trim().split('\n') });
    }),
  );
}

const base = () => ({
  SLACK_BOT_TOKEN: 'xoxb-start',
  SLACK_SIGNING_SECRET: 'secret',
  INGEST_TOKEN: '0123456789abcdef0123',
  SLACK_API_URL: slack.url,
  TRUSTLOOP_CONFIG: goodConfig,
  TRUSTLOOP_DATA_DIR: path.join(dir, 'data'),
  PORT: '0',
});

describe('start-up checks', () => {
  test('a missing setting is named in one line', async () => {
    const { SLACK_BOT_TOKEN: _, ...env } = base();
    const r = await start(env);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^trustloop: SLACK_BOT_TOKEN is not set: .*Bot User OAuth Token/)]);
  });

  test('a malformed setting is named in one line', async () => {
    const r = await start({ ...base(), DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(['trustloop: DATABASE_URL must be a postgres:// URL, or unset to use the embedded database']);
  });

  test('a bad workspace config names the file and each bad path', async () => {
    const r = await start({ ...base(), TRUSTLOOP_CONFIG: badConfig });
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe(`trustloop: ${badConfig} is not valid:`);
    expect(r.lines[1]).toMatch(/^ {2}channels\.default \(line 2\): must be a Slack channel ID/);
  });

  test('a private channel the bot was not invited to is named, with the fix', async () => {
    slack.privateChannels = { C0ESCALATE: { member: false } };
    const r = await start(base());
    slack.privateChannels = {};
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'trustloop: TRUSTLOOP_CONFIG names channel C0ESCALATE, which Slack cannot find: check the ID, or invite @Trustloop if it is a private channel',
    ]);
  });

  test('a private channel the bot was invited to is fine', async () => {
    slack.privateChannels = { C0ESCALATE: { member: true } };
    const child = spawn(process.execPath, await appArgs(), {
      cwd: root,
      env: childEnv({ ...base(), PORT: '0', LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await vi.waitFor(() => expect(out).toContain('Trustloop started'), { timeout: 20_000 });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    slack.privateChannels = {};
    expect(slack.callsOf('conversations.info').map((c) => c.args.channel)).toContain('C0ESCALATE');
  });

  test('a channel that does not exist is named', async () => {
    slack.missingChannels = new Set(['C0DEFAULT']);
    const r = await start(base());
    slack.missingChannels = new Set();
    expect(r.code).toBe(1);
    expect(r.lines[0]).toMatch(/^trustloop: TRUSTLOOP_CONFIG names channel C0DEFAULT, which Slack cannot find/);
  });

  test('a bot token Slack refuses is named', async () => {
    slack.fail('auth.test', { kind: 'error', error: 'invalid_auth' }, 1);
    const r = await start(base());
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^trustloop: SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\)/)]);
  });
});
