import './suite';
import pino from 'pino';
import { loadEnv } from '../../src/config/env';
import { type WorkspaceConfig, workspaceConfigSchema } from '../../src/config/workspace';
import { countUnfinished } from '../../src/db/queries/outbox';
import { cardActionsBlockId } from '../../src/slack/ids';
import { startTrustloop, type StartOptions, type Trustloop } from '../../src/app';
import { createTestDatabase, type TestDatabase } from './db';
import { slackHeaders } from './signing';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';

// End-to-end harness: the real app on a free port, its Web API calls going to the Slack
// double, and helpers that send requests signed exactly as Slack signs them.

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789abcdef';
export const INGEST_TOKEN = 'e2e-ingest-token-0123456789abcdef';

export const CHANNELS = {
  email: 'C0EMAIL01',
  chat: 'C0CHAT001',
  support: 'C0SUPPORT',
  escalation: 'C0ESCALAT',
} as const;

export const PEOPLE = {
  agent: 'U0AGENT01',
  agent2: 'U0AGENT02',
  groupMember: 'U0GROUP01',
  manager: 'U0MANAGER',
  outsider: 'U0OUTSIDE',
} as const;

export function testConfig(overrides: Record<string, unknown> = {}): WorkspaceConfig {
  return workspaceConfigSchema.parse({
    store: { name: 'Acme Linen', timezone: 'Europe/Berlin' },
    channels: {
      default: CHANNELS.support,
      sources: { email: CHANNELS.email, live_chat: CHANNELS.chat },
      escalation: CHANNELS.escalation,
    },
    team: { members: [PEOPLE.agent, PEOPLE.agent2], usergroups: ['S0SUPPORT'], managers: [PEOPLE.manager] },
    ...overrides,
  });
}

export function ticket(overrides: Record<string, unknown> = {}) {
  return {
    source: 'email',
    external_id: `ZD-${Math.random().toString(36).slice(2, 10)}`,
    subject: 'Where is my order?',
    body: 'Hi, could you send me the tracking number for my linen shirt order? Thanks!',
    customer: { name: 'Jane Doe', email: 'jane@example.com', order_count: 2 },
    order: { id: '1001', amount: '89.00', currency: 'EUR', country: 'DE', items: [{ name: 'Linen Shirt', quantity: 1 }] },
    ...overrides,
  };
}

export interface Harness {
  app: Trustloop;
  slack: SlackDouble;
  testDb: TestDatabase;
  config: WorkspaceConfig;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  ingest(body: unknown): Promise<{ status: number; body: any }>;
  /** POSTs a raw body to /slack/events with Slack's signature headers. */
  slackRequest(body: string, contentType: string, extraHeaders?: Record<string, string>): Promise<{ status: number; text: string }>;
  click(params: ClickParams): Promise<{ status: number; text: string }>;
  submitView(params: {
    callbackId: string;
    user: string;
    privateMetadata: string;
    values: Record<string, Record<string, unknown>>;
  }): Promise<{ status: number; text: string }>;
  event(event: Record<string, unknown>, eventId?: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  command(params: { text: string; user: string; channel?: string }): Promise<{ status: number; text: string }>;
  /** Waits until every outbox row has been delivered (or failed for good). */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClickParams {
  actionId: string;
  /** The case whose card is clicked: menus carry it in their block id, as on the real card. */
  caseId?: number;
  user: string;
  channel: string;
  messageTs: string;
  value?: string;
  selectedUser?: string;
  selectedOptions?: string[];
  type?: string;
}

export async function startHarness(
  opts: {
    config?: WorkspaceConfig;
    clock?: () => Date;
    env?: Record<string, string>;
    start?: Partial<StartOptions>;
    /** Runs after the Slack double is up and before the app starts (e.g. to set its Socket Mode URL). */
    beforeStart?: (slack: SlackDouble) => void | Promise<void>;
  } = {},
): Promise<Harness> {
  const slack = await new SlackDouble().start();
  slack.usergroups = { S0SUPPORT: [PEOPLE.groupMember] };
  await opts.beforeStart?.(slack);
  const testDb = await createTestDatabase();
  const config = opts.config ?? testConfig();
  const env = loadEnv({
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    INGEST_TOKEN,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SLACK_CHANNEL_INTERVAL_MS: '0',
    ...opts.env,
  });
  const app = await startTrustloop({
    env,
    config,
    database: testDb.database,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    // A lease long enough for a delivery on a busy machine (files run side by side): with a short one,
    // a slow e-mail or Stripe call outlives its lease and the row is claimed and sent again. Tests
    // about leases running out set their own.
    // Polling is only the fallback: the app wakes its dispatcher when it commits outbox rows, sleeps
    // until the next row falls due, and settle() wakes it too. A 50 ms poll kept an idle app busy
    // at a quarter of a core, beside the other files running side by side.
    dispatcher: { pollMs: 1_000, leaseMs: 30_000 },
    // Jobs run when a test steps them (app.scheduler.runNow), never on the wall clock's cron.
    scheduleJobs: false,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...opts.start,
  });

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${INGEST_TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as any };
  }

  async function slackRequest(body: string, contentType: string, extraHeaders: Record<string, string> = {}) {
    const res = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...slackHeaders(SIGNING_SECRET, body), ...extraHeaders },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const userObj = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: 'T0TEAM001' });

  return {
    app,
    slack,
    testDb,
    config,
    api,
    ingest: (body) => api('POST', '/api/v1/tickets', body),
    slackRequest,
    click(p) {
      const action: Record<string, unknown> = {
        action_id: p.actionId,
        block_id: p.caseId ? cardActionsBlockId(p.caseId) : 'case_actions',
        type: p.type ?? (p.selectedUser ? 'users_select' : p.selectedOptions ? 'multi_static_select' : 'button'),
        action_ts: `${Date.now() / 1000}`,
      };
      if (p.value !== undefined) action.value = p.value;
      if (p.selectedUser) action.selected_user = p.selectedUser;
      if (p.selectedOptions) {
        action.selected_options = p.selectedOptions.map((v) => ({ text: { type: 'plain_text', text: v }, value: v }));
      }
      const payload = {
        type: 'block_actions',
        user: userObj(p.user),
        api_app_id: 'A0TRUSTLP',
        token: 'legacy',
        container: { type: 'message', message_ts: p.messageTs, channel_id: p.channel, is_ephemeral: false },
        trigger_id: '1234.5678.trigger',
        team: { id: 'T0TEAM001', domain: 'acme-store' },
        channel: { id: p.channel, name: 'support' },
        message: { type: 'message', ts: p.messageTs, bot_id: 'BBOT0001', text: 'card' },
        response_url: slack.responseUrl(`${p.user}-${p.actionId}`),
        actions: [action],
      };
      return slackRequest(form(payload), 'application/x-www-form-urlencoded');
    },
    submitView(p) {
      const payload = {
        type: 'view_submission',
        team: { id: 'T0TEAM001', domain: 'acme-store' },
        user: userObj(p.user),
        api_app_id: 'A0TRUSTLP',
        token: 'legacy',
        trigger_id: '1234.5678.trigger',
        view: {
          id: 'V0VIEW001',
          type: 'modal',
          callback_id: p.callbackId,
          private_metadata: p.privateMetadata,
          state: { values: p.values },
          hash: 'h',
        },
      };
      return slackRequest(form(payload), 'application/x-www-form-urlencoded');
    },
    event(event, eventId = `Ev${Math.random().toString(36).slice(2, 10)}`, headers = {}) {
      const body = JSON.stringify({
        token: 'legacy',
        team_id: 'T0TEAM001',
        api_app_id: 'A0TRUSTLP',
        event,
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: 'T0TEAM001', user_id: 'UBOT0001', is_bot: true }],
      });
      return slackRequest(body, 'application/json', headers);
    },
    command({ text, user, channel = CHANNELS.support }) {
      const body = new URLSearchParams({
        token: 'legacy',
        team_id: 'T0TEAM001',
        team_domain: 'acme-store',
        channel_id: channel,
        channel_name: 'support',
        user_id: user,
        user_name: user.toLowerCase(),
        command: '/trustloop',
        text,
        api_app_id: 'A0TRUSTLP',
        response_url: slack.responseUrl(`cmd-${user}`),
        trigger_id: '1234.5678.trigger',
      }).toString();
      return slackRequest(body, 'application/x-www-form-urlencoded');
    },
    async settle(timeoutMs = 25_000) {
      const until = Date.now() + timeoutMs;
      let woke = 0;
      for (;;) {
        // Woken for rows a test wrote straight into the table; the dispatcher otherwise knows when its
        // next row falls due. Waking it at every look made it run its claim queries every 20 ms
        // while a retry waited out its backoff.
        if (Date.now() - woke >= 250) {
          app.dispatcher.wake();
          woke = Date.now();
        }
        // A click's work goes on after Slack's ack: wait for it, then for what it queued.
        if (app.listenersWorking() === 0 && (await countUnfinished(app.database.db)) === 0 && app.listenersWorking() === 0) return;
        if (Date.now() > until) throw new Error('outbox did not drain');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await app.stop();
      await slack.stop();
      await testDb.close();
    },
  };
}

/** The card message posted for a case (found by the case id in its metadata). */
export function cardOf(slack: SlackDouble, caseId: number) {
  return slack.messages.find(
    (m) => !m.thread_ts && m.metadata?.event_payload?.case_id === caseId && m.blocks?.some((b) => b.block_id === 'case_header'),
  );
}

/** Thread replies under a card, oldest first. */
export function threadOf(slack: SlackDouble, channel: string, ts: string) {
  return slack.messages.filter((m) => m.channel === channel && m.thread_ts === ts);
}

export function block(blocks: any[] | undefined, id: string): any {
  const found = (blocks ?? []).find((b) => b.block_id === id);
  if (!found) throw new Error(`no block ${id} in ${JSON.stringify((blocks ?? []).map((b) => b.block_id))}`);
  return found;
}
