import '../support/suite';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { runInit } from '../../src/cli/init';
import { parseWorkspaceConfig } from '../../src/config/workspace';
import { childEnv, cliArgs } from '../support/child';

// `trustloop init` writes .env (private, with fresh secrets), a starter trustloop.yml and a
// manifest.yml with the address filled in, asking before it replaces anything.

const root = path.resolve(import.meta.dirname, '../..');
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'tl-init-'));
const envOf = (dir: string) => Object.fromEntries([...readFileSync(path.join(dir, '.env'), 'utf8').matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));

/** Answers each prompt in turn, checking it is the question expected. */
function scripted(steps: [RegExp, string][]) {
  const said: string[] = [];
  const asked: string[] = [];
  return {
    said,
    asked,
    io: {
      interactive: true,
      say: (line: string) => said.push(line),
      ask: async (question: string) => {
        asked.push(question);
        const step = steps.shift();
        if (!step) throw new Error(`unexpected prompt: ${question}`);
        expect(question).toMatch(step[0]);
        return step[1];
      },
    },
  };
}

describe('trustloop init', () => {
  test('--non-interactive writes .env (mode 600, fresh secrets), trustloop.yml and manifest.yml', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const args = [...(await cliArgs()), 'init', '--dir', dir, '--non-interactive', '--store', 'Linen & Loom', '--timezone', 'Europe/Berlin'];
    const { stdout } = await promisify(execFile)(process.execPath, [...args, '--mode', 'http', '--url', 'https://tl.linenloom.example'], { cwd: root, env: childEnv() });
    expect(stdout).toMatch(/^wrote \.env\nwrote trustloop\.yml\nwrote manifest\.yml\n/);
    expect(statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
    const env = envOf(dir);
    expect(env.INGEST_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect(env.CSAT_LINK_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(env.CSAT_LINK_SECRET).not.toBe(env.INGEST_TOKEN);
    expect(env).toMatchObject({ SLACK_BOT_TOKEN: 'xoxb-...', SLACK_SIGNING_SECRET: '...', PUBLIC_URL: 'https://tl.linenloom.example' });
    const config = parseWorkspaceConfig(readFileSync(path.join(dir, 'trustloop.yml'), 'utf8'));
    expect(config.store).toEqual({ name: 'Linen & Loom', timezone: 'Europe/Berlin' });
    const manifest = parse(readFileSync(path.join(dir, 'manifest.yml'), 'utf8'));
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://tl.linenloom.example/slack/events');
    expect(manifest.settings.interactivity.request_url).toBe('https://tl.linenloom.example/slack/events');
    expect(manifest.features.slash_commands[0].url).toBe('https://tl.linenloom.example/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);

    // Run again: nothing is replaced without --force, and the secrets stay as they were.
    const again = await promisify(execFile)(process.execPath, [...args, '--mode', 'socket'], { cwd: root, env: childEnv() });
    expect(again.stdout).toMatch(/^kept \.env as it is\nkept trustloop\.yml as it is\nkept manifest\.yml as it is\n/);
    expect(envOf(dir)).toEqual(env);
  });

  test('asks for what it needs, again when an answer is unusable, and writes Socket Mode settings', async () => {
    const dir = tempDir();
    const s = scripted([
      [/^Your store's name: $/, ''],
      [/^Your store's name: $/, 'Linen Loom'],
      [/^Time zone of your support team \[.+\]: $/, 'Mars/Olympus'],
      [/^Time zone of your support team/, 'America/New_York'],
      [/\(http\), or should it connect out to Slack \(socket\)\? \[http\]: $/, 'socket'],
    ]);
    const result = await runInit({ dir }, s.io);
    expect(result).toEqual({ '.env': 'written', 'trustloop.yml': 'written', 'manifest.yml': 'written' });
    expect(s.said.slice(0, 2)).toEqual([
      'Please type the name customers know the store by.',
      '"Mars/Olympus" is not a time zone; use one such as Europe/Berlin or America/New_York.',
    ]);
    const env = envOf(dir);
    expect(env.SLACK_APP_TOKEN).toBe('xapp-...');
    expect(env.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(env.PUBLIC_URL).toBeUndefined();
    expect(parse(readFileSync(path.join(dir, 'manifest.yml'), 'utf8')).settings.socket_mode_enabled).toBe(true);
    expect(parseWorkspaceConfig(readFileSync(path.join(dir, 'trustloop.yml'), 'utf8')).store.timezone).toBe('America/New_York');
  });

  test('asks before replacing a file, and keeps it unless told yes', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.env'), 'INGEST_TOKEN=mine\n');
    writeFileSync(path.join(dir, 'trustloop.yml'), 'store: { name: Mine }\n');
    const s = scripted([
      [/^Your store's name/, 'Linen Loom'],
      [/^Time zone/, 'UTC'],
      [/\[http\]: $/, ''],
      [/^Its public address/, 'https://tl.example.org'],
      [/^\.env exists\. Replace it\? \[y\/N\]: $/, ''],
      [/^trustloop\.yml exists\. Replace it\? \[y\/N\]: $/, 'y'],
    ]);
    expect(await runInit({ dir }, s.io)).toEqual({ '.env': 'kept', 'trustloop.yml': 'written', 'manifest.yml': 'written' });
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe('INGEST_TOKEN=mine\n');
    expect(readFileSync(path.join(dir, 'trustloop.yml'), 'utf8')).toMatch(/name: "Linen Loom"/);
  });
});
