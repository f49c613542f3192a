import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { appArgs, childEnv, cliArgs } from '../support/child';
import { describe, expect, test } from 'vitest';

// A bad `sla` section (an unknown channel, an impossible schedule, a negative target) is
// refused by `trustloop config check` and stops start-up, each problem with its path and line.

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-sla-config-'));
const bad = path.join(dir, 'bad-sla.yml');
writeFileSync(
  bad,
  `store: { name: T }
channels: { default: C0DEFAULT, escalation: C0ESCALATE }
team: { members: [U0AGENT01] }
sla:
  hours:
    support:
      timezone: Europe/Berlin
      weekly:
        mon: ["17:00-09:00"]
    split:
      timezone: America/Los_Angeles
      weekly: { tue: ["09:00-12:00", "11:00-13:00"] }
  defaults:
    hours: support
    targets: { first_response: -5 }
  policies:
    fax: { owner: U0AGENT01 }
`,
);

const expected = [
  /^ {2}sla\.hours\.support\.weekly\.mon\.0 \(line 9\): "17:00-09:00" ends before it starts: mark an overnight shift with \+1/,
  /^ {2}sla\.hours\.split\.weekly\.tue\.1 \(line 12\): overlaps tue 09:00-12:00$/,
  /^ {2}sla\.defaults\.targets\.first_response \(line 15\): must be more than zero \(got -5\)/,
  /^ {2}sla\.policies\.fax \(line 17\): unknown channel "fax": use one of email, live_chat, social_dm, comment, marketplace, review, dispute, other$/,
];

function matchAll(lines: string[]) {
  for (const re of expected)
    expect(
      lines.some((l) => re.test(l)),
      `${re} in\n${lines.join('\n')}`,
    ).toBe(true);
}

describe('a bad sla section', () => {
  test('`trustloop config check` names each bad path and exits non-zero', async () => {
    const err = await promisify(execFile)(process.execPath, [...(await cliArgs()), 'config', 'check', bad], {
      cwd: root,
      // Settings that pass, so the report holds only the file's problems.
      env: childEnv({ SLACK_BOT_TOKEN: 'xoxb-check', SLACK_SIGNING_SECRET: 'secret', INGEST_TOKEN: '0123456789abcdef0123' }),
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    const lines = err!.stderr.trim().split('\n');
    expect(lines[0]).toBe(`${bad} is not valid:`);
    matchAll(lines);
  });

  test('start-up stops before anything else, naming the file and each bad path', async () => {
    const child = spawn(process.execPath, await appArgs(), {
      cwd: root,
      env: childEnv({
        SLACK_BOT_TOKEN: 'xoxb-start',
        SLACK_SIGNING_SECRET: 'secret',
        INGEST_TOKEN: '0123456789abcdef0123',
        // Nothing listens here: a config problem must stop start-up before Slack is contacted.
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
        TRUSTLOOP_CONFIG: bad,
        TRUSTLOOP_DATA_DIR: path.join(dir, 'data'),
        PORT: '0',
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe(`trustloop: ${bad} is not valid:`);
    matchAll(lines);
  });
});
