import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listMessages } from '../../src/db/queries/cases';
import { cases } from '../../src/db/schema';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, startHarness } from '../support/harness';
import { deliver } from '../support/providers';

// A shared support inbox without a helpdesk: Postmark's inbound webhook (Basic auth on the URL,
// as Postmark documents) and a Mailgun route (signed form). An e-mail and the customer's reply
// in the same thread land in one case; a reply naming the case in its subject too; quoted
// history and signatures are not what the card shows.

const POSTMARK_TOKEN = 'postmark-e2e-token-2c4e6a8b0d1f3a5c';
const MAILGUN_KEY = 'key-e2e-mailgun-signing-7f3a9c1e';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: { POSTMARK_INBOUND_TOKEN: POSTMARK_TOKEN, MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY },
    clock: () => new Date('2027-03-12T09:00:00Z'),
  });
});
afterAll(async () => {
  await h?.stop();
});

const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}` });
const caseRow = async (id: number) => (await h.app.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;

/** A Mailgun route forward: multipart/form-data, signed as Mailgun signs (hex HMAC-SHA256 of timestamp + token). */
function mailgunForm(fields: Record<string, string>, key = MAILGUN_KEY): { body: Buffer; headers: Record<string, string> } {
  const timestamp = '1804755600';
  const token = 'f2c4a9e07b3d5c6e8a1b2c3d4e5f60718293a4b5c6d7e8f901';
  const signature = createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex');
  const boundary = '----trustloope2e7MA4YWxkTrZu0gW';
  const all = { ...fields, timestamp, token, signature };
  const parts = Object.entries(all).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('inbound e-mail', () => {
  let caseId: number;
  test('an e-mail and the customer reply in the same thread land in one case, quotes and signatures stripped', async () => {
    const first = fixture('email/postmark-inbound-first.json');
    expect((await deliver(h.app.url, '/webhooks/postmark', first)).status).toBe(401);
    const res = await deliver(h.app.url, '/webhooks/postmark', first, basic(POSTMARK_TOKEN));
    expect(res.status).toBe(200);
    caseId = res.body.cases[0];
    const c = await caseRow(caseId);
    expect(c).toMatchObject({ source: 'email', subject: 'Cardigan arrived with a hole', customerEmail: 'maya.lindqvist@example.com' });
    expect(c.body).toContain('arrived today with a hole in the left sleeve');
    expect(c.body).not.toContain('Sent from my iPhone');

    const reply = fixture('email/postmark-inbound-reply.json');
    const second = await deliver(h.app.url, '/webhooks/postmark', reply, basic(POSTMARK_TOKEN));
    expect(second.body).toMatchObject({ received: 1, duplicates: 0, cases: [caseId] });
    expect((await deliver(h.app.url, '/webhooks/postmark', reply, basic(POSTMARK_TOKEN))).body).toMatchObject({ duplicates: 1 });
    const messages = await listMessages(h.app.database.db, { caseId });
    expect(messages.map((m) => m.body)).toEqual([c.body, 'Size M please, same colour.']);
  });

  test('a Mailgun route delivery naming the case in its subject joins it; a wrong signature is refused', async () => {
    const form = mailgunForm({
      from: 'Maya Lindqvist <maya.lindqvist@example.com>',
      subject: `Re: [TL-${caseId}] Cardigan arrived with a hole`,
      'body-plain': 'Any news on the replacement?\n\n> earlier message',
      'Message-Id': '<CAFx3kL9q3@mail.example.com>',
      Date: 'Thu, 11 Mar 2027 08:00:00 +0100',
    });
    const forged = mailgunForm({ subject: 'x', 'Message-Id': '<x@y>' }, 'another-key-000');
    expect((await deliver(h.app.url, '/webhooks/mailgun', forged.body, forged.headers)).status).toBe(401);
    const res = await deliver(h.app.url, '/webhooks/mailgun', form.body, form.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 1, cases: [caseId] });
    const bodies = (await listMessages(h.app.database.db, { caseId })).map((m) => m.body);
    expect(bodies.at(-1)).toBe('Any news on the replacement?');
  });

  test('an e-mail missing what Postmark always sends is a 400 naming the field', async () => {
    const res = await deliver(h.app.url, '/webhooks/postmark', JSON.stringify({ MessageID: 'abc' }), basic(POSTMARK_TOKEN));
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['Date']);
  });
});
