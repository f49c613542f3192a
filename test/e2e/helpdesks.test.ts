import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listMessages } from '../../src/db/queries/cases';
import { cases } from '../../src/db/schema';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, startHarness } from '../support/harness';
import { deliver } from '../support/providers';

// Helpdesks over HTTP, signed exactly as each one signs: a Zendesk ticket then its agent comment
// gives a case with its first response set, and solving it resolves the case; Help Scout and
// Gorgias conversations the same way. Replays change nothing; forged deliveries are refused.

const ZENDESK_SECRET = 'dGhpcyBpcyBhIHplbmRlc2sgc2lnbmluZyBzZWNyZXQ';
const HELPSCOUT_SECRET = 'helpscout-e2e-secret-key-61b0';
const GORGIAS_TOKEN = 'gorgias-e2e-token-3f9a7c1e5b2d4f60';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: { ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET, HELPSCOUT_WEBHOOK_SECRET: HELPSCOUT_SECRET, GORGIAS_WEBHOOK_TOKEN: GORGIAS_TOKEN },
    clock: () => new Date('2027-03-12T09:00:00Z'),
  });
});
afterAll(async () => {
  await h?.stop();
});

/** Zendesk's scheme: base64(HMAC-SHA256(signing secret, timestamp + raw body)). */
function zendeskHeaders(body: Buffer, secret = ZENDESK_SECRET, timestamp = '2027-03-10T08:55:42Z') {
  const signature = createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(timestamp), body]))
    .digest('base64');
  return { 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-signature-timestamp': timestamp };
}

/** Help Scout's scheme: base64(HMAC-SHA1(raw body, secret key)). */
function helpscoutHeaders(body: Buffer, event: string, secret = HELPSCOUT_SECRET) {
  return { 'x-helpscout-event': event, 'x-helpscout-signature': createHmac('sha1', secret).update(body).digest('base64') };
}

const caseRow = async (id: number) => (await h.app.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;

describe('Zendesk', () => {
  let caseId: number;
  test('a ticket then its agent comment: one case, the reply on its timeline, first response set', async () => {
    const created = fixture('helpdesks/zendesk-ticket-created.json');
    const first = await deliver(h.app.url, '/webhooks/zendesk', created, zendeskHeaders(created));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 1, duplicates: 0 });
    caseId = first.body.cases[0];
    expect(await caseRow(caseId)).toMatchObject({
      kind: 'ticket',
      source: 'email',
      externalId: 'zendesk:5158',
      subject: 'Where is my parcel?',
      firstResponseAt: null,
    });

    const comment = fixture('helpdesks/zendesk-comment-added-agent.json');
    const second = await deliver(h.app.url, '/webhooks/zendesk', comment, zendeskHeaders(comment));
    expect(second.body).toMatchObject({ received: 1, duplicates: 0, cases: [caseId] });
    const c = await caseRow(caseId);
    expect(c.firstResponseAt).toEqual(new Date('2027-03-10T09:20:03.114Z'));
    expect(c.agentReplyCount).toBe(1);
    const replay = await deliver(h.app.url, '/webhooks/zendesk', comment, zendeskHeaders(comment));
    expect(replay.body).toMatchObject({ received: 1, duplicates: 1 });
    const messages = await listMessages(h.app.database.db, { caseId });
    expect(messages.map((m) => [m.direction, m.authorName])).toEqual([
      ['customer', null],
      ['agent', 'Ana Souza'],
    ]);
  });

  test('the customer comment that repeats the ticket description is not stored twice; solved resolves the case', async () => {
    const echo = JSON.parse(fixture('helpdesks/zendesk-comment-added-agent.json').toString('utf8'));
    echo.id = 'f0e1d2c3-0000-4000-8000-000000000001';
    echo.time = '2027-03-10T08:55:42.000Z';
    echo.event.comment = {
      id: '10000',
      body: echo.detail.description,
      is_public: true,
      author: { id: '8447388090494', is_staff: false, name: 'Maya' },
    };
    const body = Buffer.from(JSON.stringify(echo));
    await deliver(h.app.url, '/webhooks/zendesk', body, zendeskHeaders(body));
    expect((await listMessages(h.app.database.db, { caseId })).filter((m) => m.direction === 'customer')).toHaveLength(1);

    const solved = fixture('helpdesks/zendesk-status-solved.json');
    expect((await deliver(h.app.url, '/webhooks/zendesk', solved, zendeskHeaders(solved))).body).toMatchObject({ received: 1 });
    expect(await caseRow(caseId)).toMatchObject({ status: 'resolved' });
  });

  test('a wrong signature is a 401 and a body without the ticket a 400 naming it; other event types are acknowledged', async () => {
    const created = fixture('helpdesks/zendesk-ticket-created.json');
    expect((await deliver(h.app.url, '/webhooks/zendesk', created, zendeskHeaders(created, 'another-secret-0000'))).status).toBe(401);
    expect((await deliver(h.app.url, '/webhooks/zendesk', created)).status).toBe(401);
    const bad = Buffer.from(JSON.stringify({ id: 'x1', type: 'zen:event-type:ticket.created', time: '2027-03-10T08:55:41Z' }));
    const res = await deliver(h.app.url, '/webhooks/zendesk', bad, zendeskHeaders(bad));
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['detail']);
    const other = Buffer.from(JSON.stringify({ id: 'x2', type: 'zen:event-type:user.created', time: '2027-03-10T08:55:41Z' }));
    expect((await deliver(h.app.url, '/webhooks/zendesk', other, zendeskHeaders(other))).body).toMatchObject({
      received: 0,
      ignored: 'zen:event-type:user.created',
    });
  });
});

describe('Help Scout and Gorgias', () => {
  test('a Help Scout conversation, then the agent reply that closes it', async () => {
    const created = fixture('helpdesks/helpscout-convo-created.json');
    const first = await deliver(h.app.url, '/webhooks/helpscout', created, helpscoutHeaders(created, 'convo.created'));
    expect(first.status).toBe(200);
    const id = first.body.cases[0];
    expect(await caseRow(id)).toMatchObject({
      externalId: 'helpscout:2391938111',
      customerEmail: 'lena.vogel@example.com',
      customerName: 'Lena Vogel',
      body: 'The zip on my travel bag broke after two days & the lining is torn.\nLena',
    });
    const reply = fixture('helpdesks/helpscout-agent-reply-closed.json');
    const second = await deliver(h.app.url, '/webhooks/helpscout', reply, helpscoutHeaders(reply, 'convo.agent.reply.created'));
    expect(second.body).toMatchObject({ received: 1, duplicates: 0, cases: [id] });
    expect(await caseRow(id)).toMatchObject({ status: 'resolved', firstResponseAt: new Date('2027-03-10T09:58:00Z') });
    const forged = await deliver(
      h.app.url,
      '/webhooks/helpscout',
      reply,
      helpscoutHeaders(reply, 'convo.agent.reply.created', 'wrong-key-123'),
    );
    expect(forged.status).toBe(401);
  });

  test('a Gorgias ticket with the token in the URL: the customer message opens the case, the internal note stays a note', async () => {
    const body = fixture('helpdesks/gorgias-ticket-message-created.json');
    expect((await deliver(h.app.url, '/webhooks/gorgias', body)).status).toBe(401);
    const res = await deliver(h.app.url, `/webhooks/gorgias?token=${GORGIAS_TOKEN}`, body);
    expect(res.status).toBe(200);
    const id = res.body.cases[0];
    expect(await caseRow(id)).toMatchObject({
      externalId: 'gorgias:7788123',
      body: 'Can I swap the linen shirt for an L?',
      firstResponseAt: null,
    });
    expect((await listMessages(h.app.database.db, { caseId: id })).map((m) => m.direction)).toEqual(['customer', 'note']);
  });
});
