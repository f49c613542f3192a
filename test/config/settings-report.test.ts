import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { checkEnv } from '../../src/config/env';
import { checkSettings, describeSettingsProblems } from '../../src/config/settings';
import { appArgs, childEnv, cliArgs } from '../support/child';

// Every missing or invalid setting, in the environment and in the workspace file, is reported in
// one run as a sentence naming the setting and its fix: start-up and `trustloop config check` alike.

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-settings-'));
const broken = path.join(dir, 'broken.yml');
// No channels at all, the team written as one name rather than a list, an unknown time zone.
writeFileSync(broken, 'store: { name: Linen Loom, timezone: Mars/Olympus }\nteam: { members: U0AGENT01 }\n');
const good = path.join(dir, 'good.yml');
writeFileSync(good, 'store: { name: T }\nchannels: { default: C0DEFAULT, escalation: C0ESCALATE }\nteam: { members: [U0AGENT01] }\n');

// The bot token is a user token: refused, and never echoed, since it is a secret.
const badEnv = {
  SLACK_BOT_TOKEN: 'xoxp-1234-secret-value',
  PORT: 'abc',
  LOG_LEVEL: 'loud',
  OUTBOX_LEASE_MS: '5s',
  TRUSTLOOP_CONFIG: broken,
};

const expectedLines = [
  '5 settings in the environment (or .env) need fixing:',
  '  SLACK_BOT_TOKEN must be a bot token starting with xoxb- (Slack app → OAuth & Permissions → Bot User OAuth Token)',
  '  PORT is "abc", which is not a port number: use a whole number from 0 to 65535, or leave it out for 3000',
  '  INGEST_TOKEN is not set: choose a long random string (for example `openssl rand -hex 32`) and give it to the systems that send tickets',
  '  LOG_LEVEL is "loud", which is not a log level: use debug, info, warn or error, or leave it out for info',
  '  OUTBOX_LEASE_MS is "5s", which is not a time in milliseconds: use a whole number of at least 1000 (keep it at 30000 or more), or leave it out for 60000',
  `${broken} is not valid:`,
  '  store.timezone (line 1): must be an IANA time zone such as Europe/Berlin',
  '  channels (line 1): is missing: add it (src/config/workspace.example.yml shows each setting)',
  '  team.members (line 2): must be a list, not text',
];

function assertPlain(lines: string[]) {
  for (const line of lines) {
    expect(line, line).not.toMatch(/Invalid input|expected \w+, received|NaN/);
    expect(line).not.toContain('secret-value');
  }
}

// Three of these start a process (the built app, or the CLI): slow on a busy machine.
describe('the settings report', { timeout: 120_000 }, () => {
  test('lists every problem at once, in sentences, in the order the README lists the settings', () => {
    const check = checkSettings(badEnv);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const lines = describeSettingsProblems(check);
    // SLACK_SIGNING_SECRET is checked with the others, though it depends on another setting.
    expect(lines).toEqual([
      '6 settings in the environment (or .env) need fixing:',
      ...expectedLines.slice(1, 6),
      '  SLACK_SIGNING_SECRET is not set: HTTP mode needs the Signing Secret (Slack app → Basic Information), or set SLACK_APP_TOKEN to use Socket Mode',
      ...expectedLines.slice(6),
    ]);
    assertPlain(lines);
  });

  test('one problem is one line; a good environment and file pass', () => {
    const one = checkEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', INGEST_TOKEN: '0123456789abcdef', PORT: '70000' });
    expect(one.problems).toEqual([
      { variable: 'PORT', detail: 'is "70000", which is not a port number: use a whole number from 0 to 65535, or leave it out for 3000' },
    ]);
    const ok = checkSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', INGEST_TOKEN: '0123456789abcdef', TRUSTLOOP_CONFIG: good });
    expect(ok.ok).toBe(true);
  });

  test('start-up prints the whole report and exits 1 before opening anything', async () => {
    const child = spawn(process.execPath, await appArgs(), {
      cwd: root,
      // SLACK_API_URL points where nothing listens: the report must come before Slack is contacted.
      env: childEnv({ ...badEnv, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:9/api/', TRUSTLOOP_DATA_DIR: path.join(dir, 'data') }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toEqual([`trustloop: ${expectedLines[0]}`, ...expectedLines.slice(1)]);
    assertPlain(lines);
  });

  test('`trustloop config check` prints the same report', async () => {
    const err = await promisify(execFile)(process.execPath, [...(await cliArgs()), 'config', 'check'], {
      cwd: root,
      env: childEnv({ ...badEnv, SLACK_SIGNING_SECRET: 'secret' }),
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err!.stderr.trimEnd().split('\n')).toEqual(expectedLines);
  });

  test('`trustloop config check` says what it checked when all is well', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [...(await cliArgs()), 'config', 'check'], {
      cwd: root,
      env: childEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A', INGEST_TOKEN: '0123456789abcdef', TRUSTLOOP_CONFIG: good }),
    });
    expect(stdout.trimEnd().split('\n')).toEqual([
      'Settings are complete: Socket Mode, the embedded database in ./data.',
      `${good} is valid: 24 tags, 2 channels, 1 people and 0 user groups on the team.`,
    ]);
  });
});
