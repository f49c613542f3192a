import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { outbox } from '../../src/db/schema';
import { fixture } from '../ingest/providers/fixtures';
import { STALE_CONTROL } from '../../blocks/modals';
import { ACTION, DIGEST, DISPUTE, HOME, REPLY, REVIEW, SLA_ACTION, UGC, VIEW } from '../../src/slack/ids';
import { CHANNELS, INGEST_TOKEN, type Harness, PEOPLE, startHarness, ticket } from '../support/harness';
import { deliver, reviewsConfig, SECRETS, sign } from '../support/providers';

// Real-shaped deliveries from every provider, correctly signed, with one field at a time turned
// into something hostile: a wrong type, an empty or enormous string, a NUL, a lone surrogate, a
// nested object, Slack markup. Whatever arrives, Trustloop answers 2xx or 4xx (never 5xx),
// keeps running, and every card it posts stays inside Slack's limits (the Slack double refuses
// anything past them, which would leave a failed outbox row).

const ZENDESK_SECRET = 'dGhpcyBpcyBhIHplbmRlc2sgc2lnbmluZyBzZWNyZXQ';
const HELPSCOUT_SECRET = 'helpscout-e2e-secret-key-61b0';
const GORGIAS_TOKEN = 'gorgias-e2e-token-3f9a7c1e5b2d4f60';
const POSTMARK_TOKEN = 'postmark-e2e-token-2c4e6a8b0d1f3a5c';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const HOSTILE: Json[] = [
  null,
  -1,
  1e308,
  12345678901234567890,
  '',
  '\u0000',
  '\ud800 lone surrogate',
  '<!channel> <@U0AGENT01> *bold* `code` &amp; > quote',
  'ü'.repeat(40_000),
  true,
  { nested: { deeper: ['x'] } },
  [1, 'two', null],
];

let h: Harness;
let seq = 0;

beforeAll(async () => {
  h = await startHarness({
    config: reviewsConfig(),
    env: {
      ...SECRETS,
      ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET,
      HELPSCOUT_WEBHOOK_SECRET: HELPSCOUT_SECRET,
      GORGIAS_WEBHOOK_TOKEN: GORGIAS_TOKEN,
      POSTMARK_INBOUND_TOKEN: POSTMARK_TOKEN,
    },
  });
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

/** Every leaf of a JSON document, as a path of keys. */
function leaves(doc: Json, at: (string | number)[] = []): (string | number)[][] {
  if (doc !== null && typeof doc === 'object') {
    const entries = Array.isArray(doc) ? doc.map((v, i) => [i, v] as const) : Object.entries(doc);
    if (entries.length === 0) return [at];
    return entries.flatMap(([k, v]) => leaves(v, [...at, k]));
  }
  return [at];
}

function withValue(doc: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  node[path.at(-1)!] = value;
  return copy as Json;
}

/**
 * One mutation per leaf, cycling through the hostile values so that every value meets many
 * fields, plus the whole body replaced by each value and a body that is not JSON at all.
 */
function mutations(doc: Json): Json[] {
  const paths = leaves(doc);
  const out = paths.map((p, i) => withValue(doc, p, HOSTILE[i % HOSTILE.length]!));
  return [...out, ...HOSTILE, '[[[[[[[[[[' as Json];
}

interface Target {
  name: string;
  path: string;
  base: Json;
  headers(body: Buffer): Record<string, string>;
}

const json = (name: string) => JSON.parse(fixture(name).toString('utf8')) as Json;
const unique = () => `adv-${++seq}`;

function targets(): Target[] {
  const shopify = (file: string, topic: string): Target => ({
    name: `shopify ${topic} (${file})`,
    path: '/webhooks/shopify',
    base: json(`providers/${file}`),
    headers: (b) => sign.shopify(b, topic, unique()),
  });
  const token = (name: string, path: string, file: string): Target => ({ name, path, base: json(file), headers: () => ({}) });
  return [
    { name: 'judge.me', path: '/webhooks/judgeme', base: json('providers/judgeme-review-created.json'), headers: (b) => sign.judgeme(b) },
    { name: 'okendo', path: '/webhooks/okendo', base: json('providers/okendo-review-create.json'), headers: (b) => sign.okendo(b, unique(), new Date()) },
    token('trustpilot', `/webhooks/trustpilot?token=${SECRETS.TRUSTPILOT_WEBHOOK_TOKEN}`, 'providers/trustpilot-batch.json'),
    token('yotpo', `/webhooks/yotpo?token=${SECRETS.YOTPO_WEBHOOK_TOKEN}`, 'providers/yotpo-review-create.json'),
    { name: 'stripe dispute', path: '/webhooks/stripe', base: json('providers/stripe-dispute-created.json'), headers: (b) => sign.stripe(b, new Date()) },
    { name: 'paypal dispute', path: '/webhooks/paypal', base: json('providers/paypal-dispute-created.json'), headers: (b) => sign.paypal(b, unique(), new Date()) },
    shopify('shopify-order-create.json', 'orders/create'),
    shopify('shopify-fulfillment-update-delivered.json', 'fulfillments/update'),
    shopify('shopify-refund-create.json', 'refunds/create'),
    shopify('shopify-customer-update.json', 'customers/update'),
    shopify('shopify-dispute-create.json', 'disputes/create'),
    {
      name: 'zendesk',
      path: '/webhooks/zendesk',
      base: json('helpdesks/zendesk-ticket-created.json'),
      headers: (b) => {
        const timestamp = new Date().toISOString();
        const signature = createHmac('sha256', ZENDESK_SECRET).update(Buffer.concat([Buffer.from(timestamp), b])).digest('base64');
        return { 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-signature-timestamp': timestamp };
      },
    },
    {
      name: 'help scout',
      path: '/webhooks/helpscout',
      base: json('helpdesks/helpscout-convo-created.json'),
      headers: (b) => ({ 'x-helpscout-event': 'convo.created', 'x-helpscout-signature': createHmac('sha1', HELPSCOUT_SECRET).update(b).digest('base64') }),
    },
    token('gorgias', `/webhooks/gorgias?token=${GORGIAS_TOKEN}`, 'helpdesks/gorgias-ticket-message-created.json'),
    {
      name: 'postmark inbound',
      path: '/webhooks/postmark',
      base: json('email/postmark-inbound-first.json'),
      headers: () => ({ authorization: `Basic ${Buffer.from(`postmark:${POSTMARK_TOKEN}`).toString('base64')}` }),
    },
    { name: 'ingest API ticket', path: '/api/v1/tickets', base: ticket() as Json, headers: () => ({ authorization: `Bearer ${INGEST_TOKEN}` }) },
    { name: 'ingest API review', path: '/api/v1/reviews', base: json('providers/generic-review.json'), headers: () => ({ authorization: `Bearer ${INGEST_TOKEN}` }) },
    { name: 'ingest API dispute', path: '/api/v1/disputes', base: json('providers/generic-dispute.json'), headers: () => ({ authorization: `Bearer ${INGEST_TOKEN}` }) },
  ];
}

describe('hostile fields in correctly signed, real-shaped deliveries', () => {
  for (const target of targets()) {
    test(`${target.name}: every mutation is answered 2xx or 4xx, never 5xx`, async () => {
      const serverErrors: string[] = [];
      const statuses = new Set<number>();
      for (const doc of mutations(target.base)) {
        // External ids must differ per delivery, or most mutations would be answered as replays.
        const text = typeof doc === 'string' && doc.startsWith('[[[') ? doc : JSON.stringify(doc);
        const body = Buffer.from(text.replaceAll(/"(id|external_id|webhookId)":"([^"]*)"/g, (_m, k, v) => `"${k}":"${v}-${unique()}"`));
        const res = await deliver(h.app.url, target.path, body, target.headers(body));
        statuses.add(res.status);
        if (res.status >= 500 || res.status < 200) serverErrors.push(`${res.status} for ${text.slice(0, 300)}: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
      expect(serverErrors).toEqual([]);
      // Signed as the provider signs, so none is refused at the door; some are stored, some refused as unreadable.
      expect([...statuses].filter((s) => s === 401 || s === 404)).toEqual([]);
      expect([...statuses].some((s) => s < 300)).toBe(true);
      expect(statuses.has(400)).toBe(true);
    }, 300_000);
  }

  test('afterwards the app is ready, and every card and reply it queued reached Slack within its limits', async () => {
    expect((await fetch(`${h.app.url}/readyz`)).status).toBe(200);
    await h.settle(120_000);
    const failed = await h.app.database.db.select({ kind: outbox.kind, error: outbox.lastError }).from(outbox).where(eq(outbox.status, 'failed'));
    expect(failed).toEqual([]);
  }, 180_000);
});

describe('hostile values in correctly signed Slack requests', () => {
  const groups = [REVIEW, UGC, DISPUTE, DIGEST, HOME, REPLY] as const;
  const actionIds = [
    ...Object.values(ACTION),
    ...Object.values(SLA_ACTION),
    ...groups.flatMap((g) => Object.values((g as { action?: Record<string, string> }).action ?? {})),
  ];
  const viewIds = [...Object.values(VIEW), ...groups.flatMap((g) => Object.values((g as { view?: Record<string, string> }).view ?? {}))];
  const values = ['not json', '{"c":-1}', '{"c":999999999}', '{"c":"1; drop table cases"}', '{"c":1,"d":{"x":1}}', '', '"'.repeat(2000)];

  // Slack needs an ack within 3 s or shows the person an error; Bolt answers an unacknowledged request 404.
  test('every button, menu, modal and command is acknowledged whatever it carries, and the app keeps running', async () => {
    const created = await h.ingest(ticket({ external_id: 'ADV-SLACK-1' }));
    const caseId = created.body.id as number;
    const statuses: string[] = [];
    for (const actionId of actionIds) {
      for (const value of values) {
        const res = await h.click({ actionId, caseId, user: PEOPLE.agent, channel: CHANNELS.support, messageTs: '1700000000.000100', value });
        if (res.status !== 200) statuses.push(`${actionId} ${JSON.stringify(value.slice(0, 40))}: ${res.status}`);
      }
    }
    for (const callbackId of viewIds) {
      for (const privateMetadata of values) {
        const res = await h.submitView({ callbackId, user: PEOPLE.agent, privateMetadata, values: { x: { y: { type: 'plain_text_input', value: '<!channel>' } } } });
        if (res.status !== 200) statuses.push(`${callbackId} ${JSON.stringify(privateMetadata.slice(0, 40))}: ${res.status}`);
      }
    }
    for (const text of ['', 'x'.repeat(4000), 'digest preview <!channel>', 'metrics 99999d', 'queue \u0000', 'mine --all']) {
      const res = await h.command({ text, user: PEOPLE.manager });
      if (res.status !== 200) statuses.push(`command ${JSON.stringify(text.slice(0, 40))}: ${res.status}`);
    }
    expect(statuses).toEqual([]);
    expect((await fetch(`${h.app.url}/readyz`)).status).toBe(200);
    await h.settle(60_000);
    const failed = await h.app.database.db.select({ kind: outbox.kind, error: outbox.lastError }).from(outbox).where(eq(outbox.status, 'failed'));
    expect(failed).toEqual([]);
  }, 300_000);
});

describe('buttons and forms this Trustloop cannot use', () => {
  test('a button from an older card is acknowledged and the person is told, privately, to use the current card', async () => {
    const res = await h.click({ actionId: 'case_archive_v0', user: PEOPLE.agent, channel: CHANNELS.support, messageTs: '1700000000.000200', value: '{}' });
    expect(res.status).toBe(200);
    const told = await h.slack.waitFor(() => h.slack.responses.find((r) => r.path.endsWith(`${PEOPLE.agent}-case_archive_v0`)), 10_000, 'the notice');
    expect(told.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: STALE_CONTROL });
  });

  test('a form whose hidden context cannot be read is answered in the modal itself, not with Slack’s error', async () => {
    const res = await h.submitView({ callbackId: VIEW.escalate, user: PEOPLE.agent, privateMetadata: 'opened-before-an-upgrade', values: {} });
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.text);
    expect(answer).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(answer.view.blocks[0].text.text).toBe(STALE_CONTROL);
  });

  test('a form from an unknown older modal is answered the same way', async () => {
    const res = await h.submitView({ callbackId: 'case_merge_modal_v0', user: PEOPLE.agent, privateMetadata: '{}', values: {} });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).view.blocks[0].text.text).toBe(STALE_CONTROL);
  });
});
