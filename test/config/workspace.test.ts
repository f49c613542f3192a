import '../support/suite';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadWorkspaceConfig, parseWorkspaceConfig } from '../../src/config/workspace';
import { DEFAULT_TAGS } from '../../src/domain/tag-catalogue';
import { childEnv, cliArgs } from '../support/child';

// Settings that pass, so `config check` reports only the file.
const goodEnv = () => childEnv({ SLACK_BOT_TOKEN: 'xoxb-check', SLACK_SIGNING_SECRET: 'secret', INGEST_TOKEN: '0123456789abcdef0123' });

const root = path.resolve(import.meta.dirname, '../..');
const example = path.join(root, 'src/config/workspace.example.yml');

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'test.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

const valid = `
store: { name: Shop }
channels: { default: C0DEFAULT, escalation: C0ESCALATE }
team: { members: [U0AGENT01] }
`;

describe('workspace config', () => {
  test('the committed example file is valid', () => {
    const config = loadWorkspaceConfig(example);
    expect(config.store.timezone).toBe('Europe/Berlin');
    expect(config.channels.sources.email).toBe('C0SUPPORT1');
    expect(config.priorities.escalated).toBe('urgent');
  });

  test('a minimal file gets the default tags and priorities', () => {
    const config = parseWorkspaceConfig(valid);
    expect(config.tags).toEqual(DEFAULT_TAGS);
    expect(config.priorities).toEqual({ levels: ['low', 'normal', 'high', 'urgent'], default: 'normal' });
    expect(config.store.timezone).toBe('UTC');
  });

  test('each error names its path and line', () => {
    const found = problems(`store:
  name: Shop
  timezone: Mars/Olympus
channels:
  default: support
  escalation: C0ESCALATE
  sources:
    fax: C0FAX0001
team:
  members: [bob]
priorities:
  levels: [low, high]
  default: normal
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'store.timezone', line: 3, message: expect.stringContaining('IANA time zone') }),
        expect.objectContaining({ path: 'channels.default', line: 5, message: expect.stringContaining('channel ID') }),
        expect.objectContaining({ path: 'channels.sources.fax', line: 8 }),
        expect.objectContaining({ path: 'team.members.0', line: 10, message: expect.stringContaining('user ID') }),
        expect.objectContaining({ path: 'priorities.default', message: expect.stringContaining('not one of the levels') }),
      ]),
    );
  });

  test('duplicate tag ids and an empty team are rejected', () => {
    const found = problems(`store: { name: Shop }
channels: { default: C0DEFAULT, escalation: C0ESCALATE }
team: {}
tags:
  - { id: sizing, label: Sizing }
  - { id: sizing, label: Size }
`);
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['team', 'tags.1.id']));
  });

  test('broken YAML is reported with its line', () => {
    const found = problems('store: { name: Shop\nchannels: [');
    expect(found[0]!.line).toBeGreaterThan(0);
  });

  test('a missing file says how to create one', () => {
    expect(() => loadWorkspaceConfig('/nonexistent/trustloop.yml')).toThrow(/copy src\/config\/workspace.example.yml/);
  });

  // Two runs of the command (and its bundle built once): on a busy machine that takes longer than a unit test.
  test('`npm run config:check` prints each problem with its path and exits non-zero', { timeout: 120_000 }, async () => {
    const cli = await cliArgs();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-config-'));
    const bad = path.join(dir, 'bad.yml');
    writeFileSync(bad, readFileSync(example, 'utf8').replace('default: C0SUPPORT1', 'default: "support channel"'));
    let out = '';
    let code = 0;
    try {
      execFileSync(process.execPath, [...cli, 'config', 'check', bad], { cwd: root, env: goodEnv(), encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      const e = err as { status: number; stderr: string };
      code = e.status;
      out = e.stderr;
    }
    expect(code).toBe(1);
    expect(out).toMatch(/channels\.default \(line \d+\): must be a Slack channel ID/);
    const ok = execFileSync(process.execPath, [...cli, 'config', 'check', example], { cwd: root, env: goodEnv(), encoding: 'utf8' });
    expect(ok).toMatch(/is valid: 24 tags/);
  });
});

test('an empty tag catalogue is refused: every card carries a tag menu', () => {
  const found = problems(`store: { name: Shop }
channels: { default: C0DEFAULT, escalation: C0ESCALATE }
team: { members: [U0AGENT01] }
tags: []
`);
  expect(found).toEqual([expect.objectContaining({ path: 'tags', message: expect.stringContaining('at least one tag') })]);
});
