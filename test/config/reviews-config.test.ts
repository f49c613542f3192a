import { describe, expect, test } from 'vitest';
import { ConfigError, loadWorkspaceConfig, parseWorkspaceConfig } from '../../src/config/workspace';
import { configuredChannels } from '../../src/app';

const base = `
store: { name: Shop }
channels: { default: C0DEFAULT, escalation: C0ESCALATE }
team: { members: [U0AGENT01] }
`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'test.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => [p.path, p.message]);
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

describe('reviews and disputes config', () => {
  test('defaults: threshold 3, UGC from 4★, 3 reports in 7 days, no policy pages, channels fall back', () => {
    const c = parseWorkspaceConfig(base);
    expect(c.reviews).toEqual({ negative_max_rating: 3, ugc_min_rating: 4, cluster: { count: 3, days: 7 } });
    expect(c.disputes).toEqual({ policy_urls: {} });
    expect(c.channels).toEqual({ default: 'C0DEFAULT', escalation: 'C0ESCALATE', sources: {} });
    expect(configuredChannels(c)).toEqual(['C0DEFAULT', 'C0ESCALATE']);
  });

  test('the example file sets every channel, and the bot joins each', () => {
    const c = loadWorkspaceConfig(new URL('../../src/config/workspace.example.yml', import.meta.url).pathname);
    expect(c.channels).toMatchObject({ reviews: 'C0REVIEWS1', disputes: 'C0DISPUTE1', ugc: 'C0UGC00001', supply_chain: 'C0SUPPLY01' });
    expect(c.reviews.official_channel).toBe('support@linenloom.example');
    expect(Object.keys(c.disputes.policy_urls)).toEqual(['refund', 'shipping', 'terms']);
    expect(configuredChannels(c)).toEqual(expect.arrayContaining(['C0REVIEWS1', 'C0DISPUTE1', 'C0UGC00001', 'C0SUPPLY01']));
  });

  test('each mistake is named by its path', () => {
    expect(
      problems(`${base}
reviews:
  negative_max_rating: 6
  cluster: { count: 1, days: 7, window: 3 }
disputes:
  policy_urls: { refund: not-a-url }
`),
    ).toEqual([
      ['reviews.negative_max_rating', 'must be 1 to 5'],
      ['reviews.cluster.count', 'must be at least 2'],
      ['reviews.cluster.window', 'unknown setting "window"'],
      ['disputes.policy_urls.refund', 'must be an http(s) URL of the policy page'],
    ]);
    expect(problems(`${base}\nreviews: { negative_max_rating: 4, ugc_min_rating: 4 }\n`)).toEqual([
      ['reviews.ugc_min_rating', 'must be above negative_max_rating (4): a negative review is never a UGC candidate'],
    ]);
    expect(problems(base.replace('escalation: C0ESCALATE', 'escalation: C0ESCALATE, ugc: ugc-channel'))).toEqual([
      ['channels.ugc', 'must be a Slack channel ID such as C0123ABCD or a channel name such as #support'],
    ]);
  });
});
