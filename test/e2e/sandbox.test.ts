import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { sandboxRequested } from '../../src/sandbox';
import { appArgs, childEnv } from '../support/child';

// `npm start` on a fresh clone with nothing configured: the built app starts in sandbox mode,
// prints the page's address and how to connect a real workspace, and the page's channels fill
// with the sample store's cards, delivered through the app's real routes and outbox.

const root = path.resolve(import.meta.dirname, '../..');
let child: ChildProcess;
let stdout = '';
let pageUrl = '';

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tl-sandbox-'));
  child = spawn(process.execPath, await appArgs(), {
    cwd: root,
    // Nothing but a data folder and a free port: no Slack setting, no token, no config file.
    env: childEnv({ TRUSTLOOP_DATA_DIR: dataDir, PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stdout += d));
  await vi.waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stdout}`);
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (!m) throw new Error('no page address yet');
      pageUrl = m[1]!;
    },
    { timeout: 90_000, interval: 100 },
  );
}, 120_000);

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
});

interface State {
  channels: { id: string; name: string }[];
  messages: { channel: string; thread_ts?: string; blocks?: { block_id?: string; text?: { text?: string } }[] }[];
}

async function state(user = 'U0SBAGENT1'): Promise<State> {
  return (await fetch(`${pageUrl}sandbox/state?user=${user}`)).json() as Promise<State>;
}

describe('sandbox mode', () => {
  test('says it is the sandbox, where the page is and how to connect a real workspace', () => {
    expect(stdout).toContain('SANDBOX mode');
    expect(stdout).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\/ in a browser/);
    expect(stdout).toContain('SLACK_BOT_TOKEN');
    expect(stdout).toContain('npm run sandbox:reset');
  });

  test('listens on 127.0.0.1 only: the page and the API are not reachable on this machine’s other addresses', async () => {
    const api = /The app's API: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
    expect(api).not.toBeNull();
    const outside = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!outside) return void console.warn('listen check skipped: this machine has no address besides loopback');
    for (const url of [pageUrl, `${api![1]}/`]) {
      const port = new URL(url).port;
      await expect(fetch(`http://${outside}:${port}/`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    }
  });

  test('serves the page, and the sample cards reach their channels', async () => {
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Trustloop sandbox</title>');

    const s0 = await state();
    expect(s0.channels.map((c) => c.name)).toEqual([
      'support',
      'live-chat',
      'social',
      'reviews',
      'disputes',
      'escalation',
      'digest',
      'ugc',
    ]);
    const byName = Object.fromEntries(s0.channels.map((c) => [c.name, c.id]));
    const headers = (s: State, channel: string) =>
      s.messages
        .filter((m) => m.channel === byName[channel] && !m.thread_ts)
        .flatMap((m) => (m.blocks ?? []).filter((b) => /header$/.test(b.block_id ?? '')).map((b) => b.text?.text ?? ''));
    // Deliveries are paced per channel as Slack requires, so the cards arrive over a few seconds.
    const s = await vi.waitFor(
      async () => {
        const s = await state();
        expect(headers(s, 'support').length + headers(s, 'live-chat').length + headers(s, 'social').length).toBe(13);
        expect(headers(s, 'disputes')).toHaveLength(2);
        expect(headers(s, 'reviews').length).toBeGreaterThanOrEqual(2);
        return s;
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(headers(s, 'support').join(' | ')).toContain('Tracking number?');
    expect(headers(s, 'social').join(' | ')).toContain('Colis abîmé');
    expect(stdout).not.toMatch(/refused|could not be loaded/);
  }, 90_000);

  test('a week of history: the oldest sample cases were claimed and resolved with real clicks', async () => {
    const fieldsOf = (s: State, subject: string) =>
      JSON.stringify(
        s.messages.find((m) => !m.thread_ts && m.blocks?.some((b) => b.block_id === 'case_header' && b.text?.text?.endsWith(subject)))
          ?.blocks ?? [],
      );
    await vi.waitFor(
      async () => {
        const s = await state();
        for (const subject of ['Wrong size delivered', 'Duvet cover sizes', 'Colis abîmé'])
          expect(fieldsOf(s, subject)).toContain('Resolved');
        expect(fieldsOf(s, 'Tracking number?')).not.toContain('Resolved');
      },
      { timeout: 60_000, interval: 250 },
    );
  }, 90_000);
});

describe('the switch', () => {
  test('any Slack setting means the real thing, as before', () => {
    expect(sandboxRequested({})).toBe(true);
    expect(sandboxRequested({ SLACK_BOT_TOKEN: ' ', PORT: '3000' })).toBe(true);
    expect(sandboxRequested({ SLACK_BOT_TOKEN: 'xoxb-1' })).toBe(false);
    expect(sandboxRequested({ SLACK_SIGNING_SECRET: 'abc' })).toBe(false);
    expect(sandboxRequested({ SLACK_APP_TOKEN: 'xapp-1' })).toBe(false);
  });
});
