import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DisputeEvent, type OrderEvent, PayloadError, SignatureError, shopify } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

const SECRET = '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';
const NOW = new Date('2027-03-15T09:31:00Z');

/** Exactly Shopify's scheme: base64(HMAC-SHA256(raw body, app secret)). */
function hmac(body: Buffer, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

function headersFor(body: Buffer, topic = 'disputes/create'): Record<string, string> {
  return {
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': hmac(body),
    'x-shopify-shop-domain': 'alpine-knits.myshopify.com',
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-triggered-at': '2027-03-15T09:30:58.113Z',
    'x-shopify-api-version': '2027-01',
  };
}

function failure(fn: () => unknown): SignatureError['reason'] {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SignatureError);
  return (err as SignatureError).reason;
}

describe('shopify.verify', () => {
  const body = fixture('providers/shopify-dispute-create.json');

  it('accepts a body signed with the app secret', () => {
    expect(() => shopify.verify(headersFor(body), body, SECRET, NOW)).not.toThrow();
  });

  it('refuses a signature made with another secret', () => {
    expect(
      failure(() => shopify.verify({ ...headersFor(body), 'x-shopify-hmac-sha256': hmac(body, 'shpss_other') }, body, SECRET, NOW)),
    ).toBe('mismatch');
  });

  it('refuses a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"11.5"', '"1.15"'));
    expect(failure(() => shopify.verify(headersFor(body), tampered, SECRET, NOW))).toBe('mismatch');
  });

  it('refuses a request without X-Shopify-Hmac-Sha256', () => {
    const headers = headersFor(body);
    delete headers['x-shopify-hmac-sha256'];
    expect(failure(() => shopify.verify(headers, body, SECRET, NOW))).toBe('missing_header');
  });

  it('refuses the hex form of the right HMAC (Shopify sends base64)', () => {
    const hex = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(failure(() => shopify.verify({ ...headersFor(body), 'x-shopify-hmac-sha256': hex }, body, SECRET, NOW))).toBe('mismatch');
  });

  it('accepts either of two configured secrets during rotation', () => {
    expect(() =>
      shopify.verify({ ...headersFor(body), 'x-shopify-hmac-sha256': hmac(body, 'shpss_new') }, body, [SECRET, 'shpss_new'], NOW),
    ).not.toThrow();
  });
});

/** The adapter reads disputes and orders; these tests read disputes. */
const disputeParse = (body: Buffer, headers?: Parameters<typeof shopify.parse>[1]) => {
  const r = shopify.parse(body, headers);
  return { ...r, events: r.events as DisputeEvent[] };
};

describe('shopify.parse', () => {
  it('keeps X-Shopify-Triggered-At as the time of this version', () => {
    const body = fixture('providers/shopify-dispute-create.json');
    expect(disputeParse(body, headersFor(body)).events[0]!.occurredAt).toEqual(new Date('2027-03-15T09:30:58.113Z'));
    const { 'x-shopify-triggered-at': _, ...without } = headersFor(body);
    expect(disputeParse(body, without).events[0]!.occurredAt).toBeUndefined();
  });

  it('reads disputes/create field by field, with the webhook id as event id', () => {
    const body = fixture('providers/shopify-dispute-create.json');
    const { events, ignored } = disputeParse(body, headersFor(body));
    expect(ignored).toBeUndefined();
    const e = events[0]!;
    expect(e).toMatchObject({
      kind: 'dispute',
      provider: 'shopify',
      eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      action: 'created',
      externalId: '1052608616',
      stage: 'chargeback',
      status: 'needs_response',
      state: 'needs_response',
      reasonCode: 'product_unacceptable',
      reasonText: 'Customer says the item was defective, damaged or not as described',
      amount: '11.50',
      currency: 'EUR',
      orderExternalId: '5784930517213',
    });
    expect(e.orderRef).toBeUndefined();
    expect(e.respondBy?.toISOString()).toBe('2027-03-25T23:00:00.000Z');
    expect(e.createdAt.toISOString()).toBe('2027-03-15T09:30:00.000Z');
    expect(e.chargeRef).toBeUndefined();
  });

  it('reads a disputes/update with a final status as closed and won', () => {
    const body = fixture('providers/shopify-dispute-update-won.json');
    const e = disputeParse(body, {
      ...headersFor(body, 'disputes/update'),
      'x-shopify-webhook-id': 'e1f0c2a4-0000-4d1c-9b55-1d2a3b4c5d6e',
    }).events[0]!;
    expect(e.action).toBe('closed');
    expect(e.state).toBe('won');
    expect(e.eventId).toBe('e1f0c2a4-0000-4d1c-9b55-1d2a3b4c5d6e');
  });

  it('reads an update that is still open as updated', () => {
    const raw = JSON.parse(fixture('providers/shopify-dispute-update-won.json').toString('utf8'));
    const body = Buffer.from(JSON.stringify({ ...raw, status: 'under_review', finalized_on: null }));
    const e = disputeParse(body, headersFor(body, 'disputes/update')).events[0]!;
    expect([e.action, e.state]).toEqual(['updated', 'under_review']);
  });

  it('reads a JPY inquiry with zero decimals', () => {
    const body = fixture('providers/shopify-inquiry-jpy.json');
    const e = disputeParse(body, headersFor(body)).events[0]!;
    expect(e.stage).toBe('inquiry');
    expect(e.amount).toBe('4800');
    expect(e.currency).toBe('JPY');
    expect(e.reasonText).toBe('Customer does not recognise this payment');
    expect(e.respondBy?.toISOString()).toBe('2027-03-22T14:59:59.000Z');
  });

  it('returns other topics as ignored', () => {
    const body = Buffer.from('{"id": 5784930517213}');
    expect(disputeParse(body, headersFor(body, 'products/update'))).toEqual({ events: [], ignored: { type: 'products/update' } });
  });

  it('reads orders/create: the name the team knows, the customer, the total, the country and the items', () => {
    const body = fixture('providers/shopify-order-create.json');
    const [e] = shopify.parse(body, headersFor(body, 'orders/create')).events as OrderEvent[];
    expect(e).toEqual({
      kind: 'order',
      provider: 'shopify',
      eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      action: 'created',
      externalId: '5784930517213',
      name: '#1042',
      email: 'jonas.berger@example.com',
      customerName: 'Jonas Berger',
      customerExternalId: '7012345678901',
      amount: '189.00',
      currency: 'EUR',
      country: 'AT',
      items: [
        { name: 'Merino Cardigan - M / Forest', sku: 'MC-M-FOR', quantity: 1, productId: '8123456789012' },
        { name: 'Wool Socks - 2 pack', quantity: 2, productId: '8123456789013' },
      ],
      financialStatus: 'paid',
      placedAt: new Date('2027-03-02T14:21:05Z'),
      occurredAt: new Date('2027-03-02T14:21:06Z'),
      raw: JSON.parse(body.toString('utf8')),
    });
    const cancelled = shopify.parse(body, headersFor(body, 'orders/cancelled')).events[0] as OrderEvent;
    expect(cancelled.action).toBe('cancelled');
  });

  it('refuses an order without a name or total, naming the paths', () => {
    const body = Buffer.from(JSON.stringify({ id: 1, created_at: '2027-03-02T15:21:05+01:00', currency: 'EUR' }));
    const err = thrown(() => shopify.parse(body, headersFor(body, 'orders/create'))) as PayloadError;
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['name', 'total_price']);
  });

  it('falls back to a content id when the webhook id header is absent, stable across retries', () => {
    const body = fixture('providers/shopify-dispute-create.json');
    const headers = headersFor(body);
    delete headers['x-shopify-webhook-id'];
    const first = disputeParse(body, headers).events[0]!.eventId;
    expect(first).toMatch(/^disputes\/create:1052608616:[0-9a-f]{32}$/);
    expect(disputeParse(body, headers).events[0]!.eventId).toBe(first);
  });

  it('refuses a dispute with wrong fields, naming their paths, and a missing topic header', () => {
    const raw = JSON.parse(fixture('providers/shopify-dispute-create.json').toString('utf8'));
    const body = Buffer.from(JSON.stringify({ ...raw, amount: 'eleven', initiated_at: 'yesterday' }));
    const err = thrown(() => disputeParse(body, headersFor(body))) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['amount', 'initiated_at']);
    const noTopic = thrown(() => disputeParse(body, {})) as PayloadError;
    expect(noTopic.fieldIssues[0]!.path).toBe('headers.x-shopify-topic');
  });
});
