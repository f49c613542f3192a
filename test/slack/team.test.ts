import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { TeamDirectory } from '../../src/slack/team';

function fakeSlack(answers: (() => Promise<{ users?: string[] }>)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    client: {
      usergroups: {
        users: {
          list: () => {
            const answer = answers[Math.min(calls, answers.length - 1)]!;
            calls++;
            return answer();
          },
        },
      },
    } as never,
  };
}

const team = { members: ['U0MEMBER1'], usergroups: ['S0GROUP01'], managers: ['U0MANAGER'] };
const log = pino({ level: 'silent' });

describe('team directory', () => {
  test('members, managers and group members are on the team; others are not', async () => {
    const slack = fakeSlack([async () => ({ users: ['U0INGROUP'] })]);
    const dir = new TeamDirectory(team, slack.client, log);
    expect(await dir.isMember('U0MEMBER1')).toBe(true);
    expect(await dir.isMember('U0MANAGER')).toBe(true);
    expect(await dir.isMember('U0INGROUP')).toBe(true);
    expect(await dir.isMember('U0OUTSIDE')).toBe(false);
    expect(dir.isManager('U0MEMBER1')).toBe(false);
    await expect(dir.requireMember('U0OUTSIDE', 'resolve cases')).rejects.toThrow(/support team/);
  });

  test('concurrent first lookups share one request to Slack', async () => {
    const slack = fakeSlack([() => new Promise((r) => setTimeout(() => r({ users: ['U0INGROUP'] }), 20))]);
    const dir = new TeamDirectory(team, slack.client, log);
    const answers = await Promise.all(Array.from({ length: 20 }, () => dir.isMember('U0INGROUP')));
    expect(answers.every(Boolean)).toBe(true);
    expect(slack.calls).toBe(1);
  });

  test('an expired list is still used while it is refreshed in the background; a failed refresh keeps it', async () => {
    let now = 0;
    const slack = fakeSlack([
      async () => ({ users: ['U0OLD0001'] }),
      async () => Promise.reject(new Error('ratelimited')),
      async () => ({ users: ['U0NEW0001'] }),
    ]);
    const dir = new TeamDirectory(team, slack.client, log, 1000, () => now);
    await dir.warm();
    now = 5000;
    expect(await dir.isMember('U0OLD0001')).toBe(true); // stale answer, refresh started (and fails)
    await new Promise((r) => setTimeout(r, 5));
    expect(await dir.isMember('U0OLD0001')).toBe(true); // still the last known list; a new refresh starts
    await new Promise((r) => setTimeout(r, 5));
    expect(await dir.isMember('U0NEW0001')).toBe(true);
    expect(await dir.isMember('U0OLD0001')).toBe(false);
  });

  test('with no list at all and Slack unreachable, the answer is no', async () => {
    const slack = fakeSlack([async () => Promise.reject(new Error('down'))]);
    const dir = new TeamDirectory(team, slack.client, log);
    expect(await dir.isMember('U0INGROUP')).toBe(false);
  });
});
