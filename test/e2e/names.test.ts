import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { StartupError, resolveConfigNames } from '../../src/app';
import { loadEnv } from '../../src/config/env';
import { workspaceConfigSchema } from '../../src/config/workspace';
import { ACTION } from '../../src/slack/ids';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';
import { childEnv, cliArgs } from '../support/child';
import { cardOf, type Harness, startHarness, ticket } from '../support/harness';

// The workspace config names channels, people and user groups as people do (#support,
// ana@store.example, @bo, @support-team); Trustloop looks them up in Slack at start-up and works
// with the IDs, and IDs written as IDs keep working.

const directory: SlackDouble['directory'] = {
  // More channels than one page holds (the double pages by 2 here), the wanted ones on later pages.
  channels: [
    { id: 'C0GENERAL1', name: 'general' },
    { id: 'C0RANDOM01', name: 'random' },
    { id: 'C0MARKET01', name: 'marketing' },
    { id: 'C0SUPPORT1', name: 'support' },
    { id: 'C0ESCALAT1', name: 'escalations' },
  ],
  users: [
    { id: 'U0ANA00001', name: 'ana.r', email: 'Ana@Store.example', display_name: 'ana' },
    { id: 'U0BO000001', name: 'bo', display_name: 'Bo' },
    { id: 'U0OLD00001', name: 'gone', display_name: 'gone', email: 'gone@store.example', deleted: true },
  ],
  usergroups: [{ id: 'S0SUPTEAM1', handle: 'support-team' }],
};

const named = {
  store: { name: 'Linen Loom' },
  channels: { default: '#support', escalation: '#escalations', sources: { email: 'C0EMAILID1' } },
  team: { members: ['ana@store.example', '@bo'], usergroups: ['@support-team'], managers: ['U0MANAGER1'] },
  sla: { defaults: { owner: '@support-team', manager: '@bo' } },
};

describe('names in the workspace config', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: workspaceConfigSchema.parse(named),
      beforeStart: (slack) => {
        slack.directory = structuredClone(directory);
        slack.pageSize = 2;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('are looked up at start-up: the config holds IDs, IDs written as IDs are kept', () => {
    expect(h.config.channels).toMatchObject({ default: 'C0SUPPORT1', escalation: 'C0ESCALAT1', sources: { email: 'C0EMAILID1' } });
    expect(h.config.team).toEqual({ members: ['U0ANA00001', 'U0BO000001'], usergroups: ['S0SUPTEAM1'], managers: ['U0MANAGER1'] });
    expect(h.config.sla.defaults).toMatchObject({ owner: 'S0SUPTEAM1', manager: 'U0BO000001' });
    // Every page of the channel list was read, following Slack's cursor.
    expect(h.slack.callsOf('conversations.list').map((c) => c.args.cursor ?? '')).toEqual(['', '2', '4']);
    expect(h.slack.callsOf('users.lookupByEmail').map((c) => c.args.email)).toEqual(['ana@store.example']);
    // The bot joins the channels by ID.
    expect(h.slack.callsOf('conversations.join').map((c) => c.args.channel)).toEqual(
      expect.arrayContaining(['C0SUPPORT1', 'C0ESCALAT1', 'C0EMAILID1']),
    );
  });

  test('cards go to the channel named, and the person named by e-mail may act on them', async () => {
    const res = await h.ingest(ticket({ source: 'live_chat' }));
    expect(res.status).toBe(201);
    await h.settle();
    const card = cardOf(h.slack, res.body.id)!;
    expect(card.channel).toBe('C0SUPPORT1');
    h.slack.reset();
    const claim = await h.click({
      actionId: ACTION.claim,
      user: 'U0ANA00001',
      channel: card.channel,
      messageTs: card.ts,
      value: JSON.stringify({ c: res.body.id }),
    });
    expect(claim.status).toBe(200);
    // The click is applied after Slack's ack: wait for the card's update, not for a fixed time.
    const update = await h.slack.waitFor(() => h.slack.callsOf('chat.update').at(-1), 10_000, 'the card update');
    expect(update.args.channel).toBe('C0SUPPORT1');
    expect(h.slack.callsOf('chat.postEphemeral')).toEqual([]);
  });
});

describe('a name Slack does not know', () => {
  let slack: SlackDouble;
  beforeAll(async () => {
    slack = await new SlackDouble().start();
    slack.directory = structuredClone(directory);
  });
  afterEach(() => slack.clearFaults());
  afterAll(async () => {
    await slack.stop();
  });
  const env = () => loadEnv({ SLACK_BOT_TOKEN: 'xoxb-names', SLACK_SIGNING_SECRET: 's', INGEST_TOKEN: '0123456789abcdef', SLACK_API_URL: slack.url });
  const logger = pino({ level: 'silent' });

  async function refusal(config: unknown): Promise<StartupError> {
    const err = await resolveConfigNames(env(), workspaceConfigSchema.parse(config), logger).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    return err as StartupError;
  }

  test('stops start-up naming each one and where it is written', async () => {
    const err = await refusal({
      ...named,
      channels: { default: '#suport', escalation: '#escalations' },
      team: { members: ['gone@store.example', '@bo'], usergroups: ['@no-such-team'] },
    });
    expect(err.message).toBe(
      'TRUSTLOOP_CONFIG names #suport (channels.default), gone@store.example (team.members.0), @no-such-team (team.usergroups.0), ' +
        'which Slack cannot find: check the spelling (a channel by its name, a person by e-mail or display name, a user group by its handle); ' +
        'a private channel needs /invite @Trustloop first',
    );
  });

  test('a private channel the bot was not invited to is not found; once invited, it is', async () => {
    slack.privateChannels = { C0ESCALAT1: { member: false } };
    expect((await refusal(named)).message).toMatch(/^TRUSTLOOP_CONFIG names #escalations \(channels\.escalation\), which Slack cannot find/);
    slack.privateChannels = { C0ESCALAT1: { member: true } };
    const config = workspaceConfigSchema.parse(named);
    await resolveConfigNames(env(), config, logger);
    expect(config.channels.escalation).toBe('C0ESCALAT1');
    slack.privateChannels = {};
  });

  test('a token without the e-mail scope is named with the scope to add', async () => {
    slack.fail('users.lookupByEmail', { kind: 'error', error: 'missing_scope' });
    expect((await refusal(named)).message).toMatch(/^SLACK_BOT_TOKEN lacks the users:read\.email scope, needed to look up the names in TRUSTLOOP_CONFIG/);
  });

  test('a config written with IDs only makes no look-up call', async () => {
    slack.reset();
    const config = workspaceConfigSchema.parse({
      store: { name: 'T' },
      channels: { default: 'C0SUPPORT1', escalation: 'C0ESCALAT1' },
      team: { members: ['U0ANA00001'], usergroups: ['S0SUPTEAM1'] },
    });
    expect(await resolveConfigNames(env(), config, logger)).toEqual([]);
    expect(slack.calls).toEqual([]);
  });

  // The command starts a process of its own, which takes a while on a busy machine.
  test('`trustloop config check --slack` prints what each name resolved to, and which did not', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-names-'));
    const file = path.join(dir, 'trustloop.yml');
    writeFileSync(
      file,
      'store: { name: T }\nchannels: { default: "#support", escalation: "#escalation" }\nteam: { members: [ana@store.example, U0MANAGER1], usergroups: ["@support-team"] }\n',
    );
    const err = await promisify(execFile)(process.execPath, [...(await cliArgs()), 'config', 'check', file, '--slack'], {
      cwd: path.join(import.meta.dirname, '../..'),
      env: childEnv({ SLACK_BOT_TOKEN: 'xoxb-names', SLACK_SIGNING_SECRET: 's', INGEST_TOKEN: '0123456789abcdef', SLACK_API_URL: slack.url }),
    }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err!.stdout.trimEnd().split('\n').slice(2)).toEqual([
      'Slack accepted the bot token. Names looked up (4):',
      '  channels.default: #support → C0SUPPORT1 (channel)',
      '  channels.escalation: #escalation → not found',
      '  team.members.0: ana@store.example → U0ANA00001 (user)',
      '  team.usergroups.0: @support-team → S0SUPTEAM1 (usergroup)',
    ]);
    expect(err!.stderr.trim()).toBe('1 name was not found: check the spelling; a private channel needs /invite @Trustloop first');
  });
});
