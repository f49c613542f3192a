import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { caseEvents, caseMessages, cases, replyDrafts } from '../../src/db/schema';
import { REPLY } from '../../src/slack/ids';
import { block, CHANNELS, cardOf, type Harness, PEOPLE, startHarness, testConfig, threadOf, ticket } from '../support/harness';
import { fixture } from '../ingest/providers/fixtures';
import { deliver, SECRETS, sign } from '../support/providers';
import { SmtpDouble } from '../support/smtp-double';

// Reply from the card, end to end: a delayed-order ticket → Reply → the composer's draft → Save
// (the exact text in the thread, the promise check) → Send → one message at the SMTP server with
// exactly that text, on the timeline, first response set. And a draft promising a refund faster
// than the policy is blocked until a second person approves it.

const R = REPLY.block;
const I = REPLY.input;

let h: Harness;
const smtp = new SmtpDouble({ refuse: { 'gone@example.com': 550 } });

beforeAll(async () => {
  await smtp.start();
  h = await startHarness({
    config: testConfig({
      policy: {
        contact: 'support@acme.example',
        home_country: 'DE',
        delivery: [
          { countries: ['DE'], business_days: [2, 4] },
          { countries: ['AT'], business_days: [3, 5] },
          { countries: ['*'], business_days: [5, 10] },
        ],
        refunds: { business_days: [5, 10] },
        returns: { window_days: 30, return_shipping: 'customer' },
      },
    }),
    env: { SMTP_URL: smtp.url(), SMTP_FROM: 'Acme Linen <support@acme.example>', SHOPIFY_WEBHOOK_SECRET: SECRETS.SHOPIFY_WEBHOOK_SECRET },
    // A Wednesday: the next update the draft promises falls on Friday.
    clock: () => new Date('2027-03-10T09:00:00Z'),
  });
});
afterAll(async () => {
  await h?.stop();
  await smtp.stop();
});

async function newCase(overrides: Record<string, unknown>) {
  const res = await h.ingest(ticket(overrides));
  expect(res.status).toBe(201);
  await h.settle();
  const card = cardOf(h.slack, res.body.id);
  expect(card).toBeDefined();
  return { id: res.body.id as number, card: card! };
}

/** Clicks Reply on the card and returns the composer Slack was asked to open. */
async function openComposer(id: number, ts: string, user: string = PEOPLE.agent) {
  const before = h.slack.callsOf('views.open').length;
  const res = await h.click({ actionId: REPLY.action.open, user, channel: CHANNELS.email, messageTs: ts, value: JSON.stringify({ c: id }) });
  expect(res.status).toBe(200);
  const call = await h.slack.waitFor(() => h.slack.callsOf('views.open')[before], 5000, 'composer');
  const view = call.args.view as any;
  expect(view.callback_id).toBe(REPLY.view.composer);
  return view;
}

const initial = (view: any, id: string): string => block(view.blocks, id).element.initial_value ?? '';

/** The composer's fields as Slack submits them, with some parts changed. */
function valuesOf(view: any, changes: Record<string, string> = {}) {
  const ids = [R.greeting, R.confirmation, R.status, R.next, R.needs, R.contact, R.signoff];
  return Object.fromEntries(ids.map((b) => [b, { [I]: { type: 'plain_text_input', value: changes[b] ?? initial(view, b) } }]));
}

async function save(view: any, user: string, changes: Record<string, string> = {}) {
  // Slack gets its answer before the draft is stored: settle waits for the listener, then for the thread post.
  const caseId = JSON.parse(view.private_metadata).c as number;
  const before = (await draftsOf(caseId)).length;
  const res = await h.submitView({ callbackId: REPLY.view.composer, user, privateMetadata: view.private_metadata, values: valuesOf(view, changes) });
  expect(res.status).toBe(200);
  await h.settle();
  expect(await draftsOf(caseId)).toHaveLength(before + 1);
}

async function draftsOf(caseId: number) {
  return h.app.database.db.select().from(replyDrafts).where(eq(replyDrafts.caseId, caseId)).orderBy(replyDrafts.id);
}

const click = (actionId: string, user: string, caseId: number, draftId: number, ts: string) =>
  h.click({ actionId, user, channel: CHANNELS.email, messageTs: ts, value: JSON.stringify({ c: caseId, d: draftId }) });

describe('replying from the card', () => {
  test('a delayed order: the draft names the order, where it is, the window and the next update; Send e-mails exactly that text once', async () => {
    // The store's Shopify sends the order and its shipment (DHL Express, in transit to Austria).
    const shopify = (name: string, topic: string, hook: string) => {
      const body = fixture(`providers/${name}`);
      return deliver(h.app.url, '/webhooks/shopify', body, sign.shopify(body, topic, hook));
    };
    expect((await shopify('shopify-order-create.json', 'orders/create', 'wh-r-o1')).status).toBe(200);
    expect((await shopify('shopify-fulfillment-create.json', 'fulfillments/create', 'wh-r-f1')).status).toBe(200);
    expect((await shopify('shopify-fulfillment-update-in-transit.json', 'fulfillments/update', 'wh-r-f2')).status).toBe(200);
    const { id, card } = await newCase({
      subject: 'Where is my order #1042?',
      body: 'Hi, I ordered the linen shirt two weeks ago and it still has not arrived. Tracking has not moved since Monday.',
      customer: { name: 'Jonas Berger', email: 'jonas.berger@example.com', order_count: 1 },
      order: { id: '1042' },
      tags: ['shipping_delay'],
    });
    expect(block(card.blocks, `case_actions.${id}`).elements.map((e: any) => e.action_id)).toContain(REPLY.action.open);

    const view = await openComposer(id, card.ts);
    expect(initial(view, R.confirmation)).toContain('it still has not arrived');
    expect(initial(view, R.status)).toMatch(/^Order #1042 is on its way with DHL Express: it left our warehouse on Wednesday 3 March \(tracking number 1Z0847AT0394821\)\./);
    expect(initial(view, R.status)).toContain('Delivery to Austria usually takes 3–5 business days.');
    expect(initial(view, R.next)).toMatch(/^We are asking DHL Express to trace it\. We will write to you by Friday 12 March with what they say/);
    expect(initial(view, R.contact)).toContain('support@acme.example');

    await save(view, PEOPLE.agent);
    const [draft] = await draftsOf(id);
    expect(draft).toMatchObject({ status: 'draft', version: 1, channel: 'email', target: 'jonas.berger@example.com', findings: [] });
    expect(draft!.body.startsWith('Hi Jonas,\n\n')).toBe(true);
    expect(draft!.body).toContain(initial(view, R.status));

    // The exact text is in the thread, with Send and no promise problem.
    const post = await h.slack.waitFor(
      () => threadOf(h.slack, CHANNELS.email, card.ts).find((m) => m.blocks?.some((b: any) => b.block_id === R.postHeading)),
      5000,
      'draft post',
    ) as { blocks: any[] };
    expect(block(post.blocks, R.postFindings).text.text).toContain('Promise check: nothing here goes beyond');
    expect(block(post.blocks, R.postActions).elements.map((e: any) => e.action_id)).toEqual([REPLY.action.send, REPLY.action.open]);
    const shown = post.blocks.filter((b: any) => b.block_id.startsWith(R.postTextPrefix)).map((b: any) => b.text.text).join('');
    expect(shown).toContain('>Order #1042 is on its way with DHL Express');

    expect(smtp.received).toHaveLength(0);
    const [before] = await h.app.database.db.select().from(cases).where(eq(cases.id, id));
    expect([before!.mustEscalateAt, before!.escalatedAt, before!.firstResponseAt]).toEqual([null, null, null]);
    await click(REPLY.action.send, PEOPLE.agent, id, draft!.id, card.ts);
    await h.settle();
    await h.slack.waitFor(() => (smtp.received.length > 0 ? true : null), 5000, 'the e-mail');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ to: ['jonas.berger@example.com'], subject: 'Re: Where is my order #1042?', text: draft!.body });

    const [row] = await h.app.database.db.select().from(cases).where(eq(cases.id, id));
    expect(row!.firstResponseAt).not.toBeNull();
    expect(row!.agentReplyCount).toBe(1);
    const messages = await h.app.database.db.select().from(caseMessages).where(eq(caseMessages.caseId, id));
    expect(messages.filter((m) => m.direction === 'agent').map((m) => m.body)).toEqual([draft!.body]);
    const [sent] = await draftsOf(id);
    expect(sent).toMatchObject({ status: 'sent', sentBy: PEOPLE.agent });
    await h.slack.waitFor(
      () => threadOf(h.slack, CHANNELS.email, card.ts).find((m) => (m.text ?? '').startsWith(':outbox_tray: Reply v1 sent by e-mail')),
      5000,
      'sent on the timeline',
    );
    const lastCard = h.slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts).at(-1)!;
    expect(block(lastCard.args.blocks as any[], R.cardStatus).elements[0].text).toMatch(/^:outbox_tray: Reply v1 sent by e-mail/);

    // A second click changes nothing: the customer has the reply once.
    await click(REPLY.action.send, PEOPLE.agent, id, draft!.id, card.ts);
    await h.settle();
    await h.slack.waitFor(() => h.slack.responses.find((r) => r.body.text === 'This reply was already sent.'), 5000, 'already sent');
    expect(smtp.received).toHaveLength(1);
  });

  test('a refund in 2 days against a 5–10 day policy is flagged and blocked until someone else approves it', async () => {
    const { id, card } = await newCase({
      subject: 'Refund for order 2001',
      body: 'I sent the dress back last week. When do I get my money back?',
      customer: { name: 'Ana Silva', email: 'ana@example.com', order_count: 1 },
      order: { id: '2001', amount: '120.00', currency: 'EUR', country: 'DE' },
      tags: ['refund'],
    });
    const view = await openComposer(id, card.ts);
    const promise = 'We will refund you within 2 days.';
    await save(view, PEOPLE.agent, { [R.next]: promise });
    const [draft] = await draftsOf(id);
    expect(draft!.findings.map((f) => f.rule)).toEqual(['refund_faster_than_policy']);
    expect(draft!.findings[0]!.excerpt).toBe(promise);

    const post = await h.slack.waitFor(
      () => threadOf(h.slack, CHANNELS.email, card.ts).find((m) => m.blocks?.some((b: any) => b.block_id === R.postFindings)),
      5000,
      'draft post',
    );
    const findings = block(post.blocks, R.postFindings).text.text as string;
    expect(findings).toContain('*Refund faster than the policy*: “We will refund you within 2 days.” (policy: refunds take 5–10 business days)');
    expect(block(post.blocks, R.postActions).elements.map((e: any) => e.action_id)).toEqual([
      REPLY.action.send,
      REPLY.action.approve,
      REPLY.action.override,
      REPLY.action.open,
    ]);

    // Send is refused; the author cannot approve their own draft.
    await click(REPLY.action.send, PEOPLE.agent, id, draft!.id, card.ts);
    await h.slack.waitFor(() => h.slack.responses.find((r) => /^The promise check flagged this draft/.test(r.body.text)), 5000, 'blocked');
    await click(REPLY.action.approve, PEOPLE.agent, id, draft!.id, card.ts);
    await h.slack.waitFor(() => h.slack.responses.find((r) => /^You wrote this draft/.test(r.body.text)), 5000, 'own draft');
    await h.settle();
    expect(smtp.received.filter((m) => m.to.includes('ana@example.com'))).toHaveLength(0);
    expect((await draftsOf(id))[0]).toMatchObject({ status: 'draft', approvedBy: null });

    // A second person approves; now Send delivers it, exactly as approved.
    await click(REPLY.action.approve, PEOPLE.agent2, id, draft!.id, card.ts);
    await h.settle();
    expect((await draftsOf(id))[0]).toMatchObject({ approvedBy: PEOPLE.agent2 });
    // A refund is a case Trustloop's rules send to a person: Send asks that person to confirm first.
    const [flagged] = await h.app.database.db.select().from(cases).where(eq(cases.id, id));
    expect(flagged!.mustEscalateAt).not.toBeNull();
    const opened = h.slack.callsOf('views.open').length;
    await click(REPLY.action.send, PEOPLE.agent, id, draft!.id, card.ts);
    const confirm = (await h.slack.waitFor(() => h.slack.callsOf('views.open')[opened], 5000, 'confirmation')).args.view as any;
    expect(confirm.callback_id).toBe(REPLY.view.confirm);
    await h.settle();
    expect(smtp.received.filter((m) => m.to.includes('ana@example.com'))).toHaveLength(0);
    const res = await h.submitView({ callbackId: REPLY.view.confirm, user: PEOPLE.agent, privateMetadata: confirm.private_metadata, values: {} });
    expect(res.status).toBe(200);
    await h.settle();
    const mails = await h.slack.waitFor(() => {
      const got = smtp.received.filter((m) => m.to.includes('ana@example.com'));
      return got.length > 0 ? got : null;
    }, 5000, 'the e-mail');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toBe(draft!.body);
    expect(mails[0]!.text).toContain(promise);
    const audit = await h.app.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id));
    expect(audit.map((e) => [e.action, e.actor]).filter(([a]) => String(a).startsWith('reply_'))).toEqual([
      ['reply_drafted', PEOPLE.agent],
      ['reply_approved', PEOPLE.agent2],
      ['reply_send', PEOPLE.agent],
      ['reply_sent', PEOPLE.agent],
    ]);
  });

  test('an address the mail server refuses: the reply is marked failed on the card and in the thread, nothing counts as answered', async () => {
    const { id, card } = await newCase({
      subject: 'Question about my order 3001',
      body: 'Hello, can you tell me when order 3001 ships?',
      customer: { name: 'Lee Gone', email: 'gone@example.com', order_count: 1 },
      order: { id: '3001', amount: '40.00', currency: 'EUR', country: 'DE' },
      tags: ['order_status'],
    });
    const view = await openComposer(id, card.ts);
    await save(view, PEOPLE.agent);
    const [draft] = await draftsOf(id);
    await click(REPLY.action.send, PEOPLE.agent, id, draft!.id, card.ts);
    await h.settle();
    const failed = await h.slack.waitFor(
      () => threadOf(h.slack, CHANNELS.email, card.ts).find((m) => (m.text ?? '').startsWith(':x: Reply v1 could not be sent by e-mail')),
      5000,
      'failure in the thread',
    );
    expect(failed).toBeDefined();
    const [row] = await draftsOf(id);
    expect(row!.status).toBe('failed');
    expect(row!.lastError).toMatch(/^the SMTP server answered 550/);
    const lastCard = h.slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts).at(-1)!;
    expect(block(lastCard.args.blocks as any[], R.cardStatus).elements[0].text).toMatch(/^:x: Reply v1 could not be sent: the SMTP server answered 550/);
    const [c] = await h.app.database.db.select().from(cases).where(eq(cases.id, id));
    expect([c!.firstResponseAt, c!.agentReplyCount]).toEqual([null, 0]);
    expect(smtp.received.filter((m) => m.to.includes('gone@example.com'))).toHaveLength(0);
  });
});
