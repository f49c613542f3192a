import { describe, expect, test } from 'vitest';
import { configuredChannels } from '../../src/app';
import { DEFAULT_FIX_TARGETS } from '../../src/config/digest';
import { repeatedThreshold } from '../../src/domain/digest';
import { ConfigError, loadWorkspaceConfig, parseWorkspaceConfig } from '../../src/config/workspace';
import { digestChannel } from '../../src/services/digest';

const base = `
store: { name: Shop }
channels: { default: C0DEFAULT, escalation: C0ESCALATE }
team: { members: [U0AGENT01] }
`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'test.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => [p.path, p.line, p.message]);
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('digest config', () => {
  test('defaults: Monday 09:00, 20 a week, the seven fix targets, the default channel', () => {
    const c = parseWorkspaceConfig(base);
    expect(c.digest).toEqual({
      schedule: '0 9 * * 1',
      repeated_question_threshold: 20,
      thresholds: {},
      return_tags: ['refund', 'return_request', 'exchange'],
      logistics_tags: ['shipping_delay', 'missing_item', 'damaged', 'wrong_item'],
      fix_targets: DEFAULT_FIX_TARGETS,
    });
    expect(digestChannel(c)).toBe('C0DEFAULT');
    expect(repeatedThreshold(c.digest, 'sizing')).toBe(20);
  });

  test('a digest channel and per-tag thresholds; the bot joins the channel', () => {
    const c = parseWorkspaceConfig(`
store: { name: Shop }
channels: { default: C0DEFAULT, escalation: C0ESCALATE, digest: C0DIGEST1 }
team: { members: [U0AGENT01] }
digest: { schedule: "30 8 * * 2", repeated_question_threshold: 15, thresholds: { sizing: 5 } }
`);
    expect(digestChannel(c)).toBe('C0DIGEST1');
    expect(configuredChannels(c)).toEqual(['C0DEFAULT', 'C0ESCALATE', 'C0DIGEST1']);
    expect(repeatedThreshold(c.digest, 'sizing')).toBe(5);
    expect(repeatedThreshold(c.digest, 'material')).toBe(15);
  });

  test('the example file sets the digest', () => {
    const c = loadWorkspaceConfig(new URL('../../src/config/workspace.example.yml', import.meta.url).pathname);
    expect(digestChannel(c)).toBe('C0DIGEST01');
    expect(c.digest.thresholds).toEqual({ sizing: 10 });
  });

  test('each mistake is named by its path and line', () => {
    expect(
      problems(`${base}digest:
  schedule: "every monday"
  repeated_question_threshold: 0
  thresholds: { sizng: 5 }
  fix_targets: [{ id: faq, label: FAQ }, { id: faq, label: Again }]
`),
    ).toEqual([
      ['digest.schedule', 6, 'must be a cron expression of five fields (minute hour day-of-month month weekday), such as "0 9 * * 1"'],
      ['digest.repeated_question_threshold', 7, 'must be at least 1'],
      ['digest.fix_targets.1.id', 9, 'duplicate target id "faq"'],
      ['digest.thresholds.sizng', 8, '"sizng" is not a tag in the catalogue'],
    ]);
    expect(problems(`${base}digest: { thresholds: { sizng: 5 } }\n`)).toEqual([
      ['digest.thresholds.sizng', 5, '"sizng" is not a tag in the catalogue'],
    ]);
  });
});
