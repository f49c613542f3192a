import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { caseEvents, cases, disputes, outbox } from '../../src/db/schema';
import { BLOCK } from '../../src/slack/ids';
import { blockProblems } from '../../src/sandbox/slack/block-limits';
import { fixture } from '../ingest/providers/fixtures';
import { block, type Harness, startHarness, threadOf } from '../support/harness';
import { deliver, REVIEW_CHANNELS, reviewsConfig, SECRETS, sign } from '../support/providers';
import { StripeApiDouble, stripeCharge } from '../support/stripe-api-double';

// A Stripe dispute names only the charge. With a restricted key, the charge is read from Stripe
// (here: a local double of Stripe's API, reached through Stripe's own client) after the webhook is
// answered: the payer's e-mail and the order in the payment intent's metadata match the case to
// the store's order. Stripe failing is retried; a refused key is noted; no key, no lookup.

const now = new Date('2027-03-10T09:00:00Z');
const KEY = 'rk_test_51TrustloopE2eLookupKey0a1b2c3d';

/** A Stripe dispute webhook about `charge`, carrying neither the customer's e-mail nor an order. */
function disputeEvent(n: number, charge: string): Buffer {
  const e = JSON.parse(fixture('providers/stripe-dispute-created.json').toString('utf8'));
  e.id = `evt_lookup${n}`;
  e.created = Math.floor(now.getTime() / 1000) - 60;
  e.data.object.id = `dp_lookup${n}`;
  e.data.object.charge = charge;
  e.data.object.created = Math.floor(now.getTime() / 1000) - 120;
  e.data.object.evidence = { ...e.data.object.evidence, customer_email_address: null, customer_name: null };
  e.data.object.metadata = {};
  return Buffer.from(JSON.stringify(e));
}

function mayaOrder(id: number, name: string, total: string, createdAt: string): Buffer {
  const o = JSON.parse(fixture('providers/shopify-order-create.json').toString('utf8'));
  Object.assign(o, { id, name, order_number: Number(name.slice(1)), total_price: total, created_at: createdAt, updated_at: createdAt });
  Object.assign(o, { email: 'maya.lindqvist@example.com', contact_email: 'maya.lindqvist@example.com' });
  o.customer = { ...o.customer, id: 7012345670000, email: 'maya.lindqvist@example.com', first_name: 'Maya', last_name: 'Lindqvist' };
  o.shipping_address = { ...o.shipping_address, country_code: 'SE', name: 'Maya Lindqvist' };
  return Buffer.from(JSON.stringify(o));
}

async function caseOfDispute(h: Harness, externalId: string) {
  const [d] = await h.app.database.db.select().from(disputes).where(eq(disputes.externalId, externalId));
  const [c] = await h.app.database.db.select().from(cases).where(eq(cases.id, d!.caseId!));
  return { d: d!, c: c! };
}

/** The app pointed at a local Stripe API double, with the settings given (the key or none). */
async function startWithStripe(env: Record<string, string>): Promise<{ h: Harness; stripe: StripeApiDouble }> {
  const stripe = await new StripeApiDouble().start();
  const h = await startHarness({
    config: reviewsConfig(),
    env: { ...SECRETS, ...env },
    clock: () => now,
    start: { stripeApi: { host: '127.0.0.1', port: stripe.port, protocol: 'http' } },
  });
  return { h, stripe };
}

const eventsOf = (h: Harness, caseId: number) =>
  h.app.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id);

describe('with STRIPE_API_KEY', () => {
  let h: Harness;
  let stripe: StripeApiDouble;

  beforeAll(async () => {
    ({ h, stripe } = await startWithStripe({ STRIPE_API_KEY: KEY }));
  });
  afterAll(async () => {
    await h?.stop();
    await stripe?.stop();
  });

  test('the charge is read after the webhook is answered, retried when Stripe fails, and matches the case to the order', async () => {
    for (const [id, name, total, at] of [
      [6200000000001, '#3001', '451.00', '2027-01-05T10:00:00+01:00'],
      [6200000000002, '#3002', '189.00', '2027-03-01T10:00:00+01:00'],
    ] as const) {
      const body = mayaOrder(id, name, total, at);
      expect((await deliver(h.app.url, '/webhooks/shopify', body, sign.shopify(body, 'orders/create', `wh-${id}`))).status).toBe(200);
    }
    stripe.put(
      stripeCharge({
        id: 'ch_3LookupA',
        customer: 'cus_Maya01',
        payment_intent: 'pi_3LookupA',
        billing_details: { address: null, email: 'billing@example.com', name: 'M. Lindqvist', phone: null },
        receipt_number: '1843-2210',
        receipt_url: 'https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xTG9va3VwQQ',
      }),
    );
    stripe.put({
      id: 'pi_3LookupA',
      object: 'payment_intent',
      customer: 'cus_Maya01',
      metadata: { order_id: '#3001' },
      latest_charge: 'ch_3LookupA',
    });
    stripe.put({ id: 'cus_Maya01', object: 'customer', email: 'Maya.Lindqvist@example.com', name: 'Maya Lindqvist', metadata: {} });
    // Stripe is down for the first call: the lookup is retried by the outbox, not lost.
    stripe.failNext('/v1/charges/ch_3LookupA', { status: 500, type: 'api_error', message: 'An unknown error occurred' });
    const release = stripe.hold('/v1/charges/');

    const body = disputeEvent(1, 'ch_3LookupA');
    const res = await deliver(h.app.url, '/webhooks/stripe', body, sign.stripe(body, now));
    // Answered while Stripe's API is still holding the lookup: ingest never waits for it.
    expect(res).toEqual({ status: 200, body: { ok: true, received: 1, duplicates: 0, stale: 0, ignored: null } });
    const before = await caseOfDispute(h, 'dp_lookup1');
    expect(before.c).toMatchObject({ customerEmail: null, matchedOrderId: null });
    release();
    await h.settle(15_000);

    const { c, d } = await caseOfDispute(h, 'dp_lookup1');
    expect(d).toMatchObject({ customerEmail: 'maya.lindqvist@example.com', customerName: 'Maya Lindqvist', orderRef: '#3001' });
    expect(c).toMatchObject({ customerEmail: 'maya.lindqvist@example.com', customerName: 'Maya Lindqvist', orderId: '#3001' });
    expect(c.matchedOrderId).not.toBeNull();
    // The restricted key was sent, the charge asked for twice (the failure, then the retry), the rest once.
    expect(stripe.requests.map((r) => r.path)).toEqual([
      '/v1/charges/ch_3LookupA',
      '/v1/charges/ch_3LookupA',
      '/v1/payment_intents/pi_3LookupA',
      '/v1/customers/cus_Maya01',
    ]);
    expect(stripe.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    const [row] = await h.app.database.db.select().from(outbox).where(eq(outbox.kind, 'stripe_charge_lookup'));
    expect(row).toMatchObject({ status: 'done', attempts: 2 });

    // The card is redrawn with the order; the thread says what Stripe told.
    const updates = h.slack.callsOf('chat.update').filter((u) => u.args.channel === REVIEW_CHANNELS.disputes);
    const card = updates.at(-1)!.args;
    const fields = (block(card.blocks, BLOCK.fields).fields as { text: string }[]).map((f) => f.text);
    expect(fields.find((f) => f.startsWith('*Customer*'))).toBe(
      '*Customer*\nMaya Lindqvist\nmaya.lindqvist@example.com\n1st order · €640.00 lifetime',
    );
    expect(fields.find((f) => f.startsWith('*Order*'))).toMatch(/^\*Order\*\n#3001 · €451\.00 · SE\n/);
    expect(blockProblems(card.blocks)).toEqual([]);
    const thread = threadOf(h.slack, REVIEW_CHANNELS.disputes, card.ts);
    expect(thread.map((m) => m.text)).toContain(
      'Stripe charge ch_3LookupA · paid by *Maya Lindqvist* maya.lindqvist@example.com · order #3001 matched · <https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xTG9va3VwQQ|receipt 1843-2210>',
    );
  });

  test('a key without Customers or PaymentIntents access still matches by the billing e-mail; the parts it could not read are named', async () => {
    stripe.put(
      stripeCharge({
        id: 'ch_3LookupB',
        customer: 'cus_Maya02',
        payment_intent: 'pi_3LookupB',
        billing_details: { address: null, email: 'maya.lindqvist@example.com', name: 'Maya Lindqvist', phone: null },
      }),
    );
    const denied = {
      status: 403,
      type: 'invalid_request_error',
      message: `The provided key '${KEY.slice(0, 12)}***' does not have the required permissions`,
    };
    stripe.failNext('/v1/payment_intents/pi_3LookupB', denied).failNext('/v1/customers/cus_Maya02', denied);
    const body = disputeEvent(2, 'ch_3LookupB');
    expect((await deliver(h.app.url, '/webhooks/stripe', body, sign.stripe(body, now))).status).toBe(200);
    await h.settle(15_000);
    const { c } = await caseOfDispute(h, 'dp_lookup2');
    // No order in the metadata it could read: the payer's latest order before the dispute.
    expect(c).toMatchObject({ customerEmail: 'maya.lindqvist@example.com', orderId: '#3002' });
    const looked = (await eventsOf(h, c.id)).find((e) => e.action === 'charge_looked_up')!;
    expect(looked.data).toMatchObject({ chargeId: 'ch_3LookupB', unreadable: ['payment_intent', 'customer'] });
  });

  test('a refused key is noted on the case and the lookup waits as a failed delivery; the card is posted regardless', async () => {
    stripe.failNext('/v1/charges/ch_3LookupC', {
      status: 401,
      type: 'invalid_request_error',
      message: 'Invalid API Key provided: rk_test_***',
    });
    const body = disputeEvent(3, 'ch_3LookupC');
    expect((await deliver(h.app.url, '/webhooks/stripe', body, sign.stripe(body, now))).status).toBe(200);
    await h.settle(15_000);
    const { c } = await caseOfDispute(h, 'dp_lookup3');
    expect(c.slackTs).not.toBeNull();
    expect(c.customerEmail).toBeNull();
    const failed = (await eventsOf(h, c.id)).find((e) => e.action === 'charge_lookup_failed')!;
    expect(failed.data).toMatchObject({ chargeRef: 'ch_3LookupC', code: 'authentication' });
    const [row] = await h.app.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, 'stripe_charge_lookup'), eq(outbox.caseId, c.id)));
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toMatch(/^stripe_authentication: /);
  });
});

describe('a ticket naming its Stripe payment', () => {
  let h: Harness;
  let stripe: StripeApiDouble;

  beforeAll(async () => {
    ({ h, stripe } = await startWithStripe({ STRIPE_API_KEY: KEY }));
  });
  afterAll(async () => {
    await h?.stop();
    await stripe?.stop();
  });

  test('no stored order matched it: the payment intent names the order and the payer, and the case is matched', async () => {
    const body = mayaOrder(6300000000001, '#4001', '120.00', '2027-03-02T10:00:00+01:00');
    expect((await deliver(h.app.url, '/webhooks/shopify', body, sign.shopify(body, 'orders/create', 'wh-t1'))).status).toBe(200);
    stripe.put({
      id: 'pi_3LookupE',
      object: 'payment_intent',
      customer: null,
      metadata: { order_number: '4001' },
      latest_charge: 'ch_3LookupE',
    });
    stripe.put(
      stripeCharge({
        id: 'ch_3LookupE',
        payment_intent: 'pi_3LookupE',
        billing_details: { address: null, email: 'maya.lindqvist@example.com', name: 'Maya Lindqvist', phone: null },
      }),
    );
    const res = await h.ingest({
      source: 'live_chat',
      external_id: 'CHAT-PAY-1',
      subject: 'Parcel',
      body: 'Hi, where is my parcel?',
      customer: { name: 'Maya' },
      order: { payment_id: 'pi_3LookupE' },
    });
    expect(res.status).toBe(201);
    await h.settle(15_000);
    const [c] = await h.app.database.db.select().from(cases).where(eq(cases.id, res.body.id));
    expect(c).toMatchObject({ orderId: '#4001', orderCountry: 'SE', customerEmail: 'maya.lindqvist@example.com', customerName: 'Maya' });
    expect(c!.matchedOrderId).not.toBeNull();
    expect(stripe.requests.map((r) => r.path)).toEqual(['/v1/payment_intents/pi_3LookupE', '/v1/charges/ch_3LookupE']);
    // A ticket that already matches a stored order is not looked up.
    const matched = await h.ingest({
      source: 'live_chat',
      external_id: 'CHAT-PAY-2',
      body: 'And my order #4001?',
      customer: { name: 'Maya' },
      order: { payment_id: 'pi_3LookupE' },
    });
    await h.settle();
    expect(matched.status).toBe(201);
    expect(stripe.requests).toHaveLength(2);
  });
});

describe('without STRIPE_API_KEY', () => {
  let h: Harness;
  let stripe: StripeApiDouble;

  beforeAll(async () => {
    ({ h, stripe } = await startWithStripe({}));
  });
  afterAll(async () => {
    await h?.stop();
    await stripe?.stop();
  });

  test('the dispute becomes its card as before, Stripe is not called, and the case notes why', async () => {
    const body = disputeEvent(4, 'ch_3LookupD');
    expect((await deliver(h.app.url, '/webhooks/stripe', body, sign.stripe(body, now))).status).toBe(200);
    await h.settle();
    const { c } = await caseOfDispute(h, 'dp_lookup4');
    expect(c.slackTs).not.toBeNull();
    expect(stripe.requests).toEqual([]);
    expect(await h.app.database.db.select().from(outbox).where(eq(outbox.kind, 'stripe_charge_lookup'))).toEqual([]);
    const skipped = (await eventsOf(h, c.id)).find((e) => e.action === 'charge_lookup_skipped')!;
    expect(skipped.data).toEqual({ chargeRef: 'ch_3LookupD', reason: 'STRIPE_API_KEY is not set' });
  });
});
