import { generateKeyPairSync, sign as rsaSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PayloadError, SignatureError, paypal } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

const CERT = readFileSync(new URL('../../fixtures/paypal/TEST-ONLY-signing-cert.pem', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('../../fixtures/paypal/TEST-ONLY-signing-key.pem', import.meta.url), 'utf8');
const WEBHOOK_ID = '8PT597110X687430LKGECATA';
const CONFIG = { webhookId: WEBHOOK_ID, certificates: CERT };
const NOW = new Date('2027-03-15T09:58:13Z');
const CERT_URL = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-ad47cb8d';

/** Signs exactly as PayPal does: RSA-SHA256 over id|time|webhookId|crc32(body), base64. */
function headersFor(
  body: Buffer,
  opts: { key?: string | KeyObject; webhookId?: string; transmissionTime?: string } = {},
): Record<string, string> {
  const transmissionId = '103e3700-0193-11f0-9a5f-3b5a8e6b0c21';
  const transmissionTime = opts.transmissionTime ?? '2027-03-15T09:58:12Z';
  const message = `${transmissionId}|${transmissionTime}|${opts.webhookId ?? WEBHOOK_ID}|${crc32(body)}`;
  return {
    'paypal-transmission-id': transmissionId,
    'paypal-transmission-time': transmissionTime,
    'paypal-transmission-sig': rsaSign('sha256', Buffer.from(message), opts.key ?? KEY).toString('base64'),
    'paypal-auth-algo': 'SHA256withRSA',
    'paypal-cert-url': CERT_URL,
  };
}

function failure(fn: () => unknown): SignatureError['reason'] {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SignatureError);
  return (err as SignatureError).reason;
}

describe('paypal.verify (offline, against a configured certificate)', () => {
  const body = fixture('providers/paypal-dispute-created.json');

  it('builds the signed string with the CRC32 as an unsigned decimal', () => {
    // crc32("a") is 0xE8B7BE43: as a signed 32-bit int it would be negative.
    expect(paypal.signedString('tid', '2027-03-15T09:58:12Z', 'WH1', Buffer.from('a'))).toBe('tid|2027-03-15T09:58:12Z|WH1|3904355907');
  });

  it('accepts a delivery signed with the certificate key for our webhook id', () => {
    expect(() => paypal.verify(headersFor(body), body, CONFIG, NOW)).not.toThrow();
  });

  it('refuses a signature made with another key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(failure(() => paypal.verify(headersFor(body, { key: privateKey }), body, CONFIG, NOW))).toBe('mismatch');
  });

  it('refuses a delivery signed for another webhook id', () => {
    expect(failure(() => paypal.verify(headersFor(body, { webhookId: '1JE4291016473214C' }), body, CONFIG, NOW))).toBe('mismatch');
  });

  it('refuses a transmission time more than 5 minutes from now (a replay of an old delivery)', () => {
    // Correctly signed, but sent 10 minutes ago: someone is replaying a captured delivery.
    const old = headersFor(body, { transmissionTime: '2027-03-15T09:48:12Z' });
    const err = thrown(() => paypal.verify(old, body, CONFIG, NOW)) as SignatureError;
    expect(err.reason).toBe('stale');
    expect(err.message).toBe('PAYPAL-TRANSMISSION-TIME is more than 300 seconds from now.');
    const future = headersFor(body, { transmissionTime: '2027-03-15T10:08:14Z' });
    expect(failure(() => paypal.verify(future, body, CONFIG, NOW))).toBe('stale');
    // 4m59s old is still accepted.
    const edge = headersFor(body, { transmissionTime: '2027-03-15T09:53:14Z' });
    expect(() => paypal.verify(edge, body, CONFIG, NOW)).not.toThrow();
  });

  it('refuses a transmission time that is not a date', () => {
    const headers = headersFor(body, { transmissionTime: 'yesterday' });
    expect(failure(() => paypal.verify(headers, body, CONFIG, NOW))).toBe('malformed_header');
  });

  it('refuses a signature whose transmission id or time was swapped after signing', () => {
    const headers = headersFor(body);
    expect(failure(() => paypal.verify({ ...headers, 'paypal-transmission-id': 'another-id' }, body, CONFIG, NOW))).toBe('mismatch');
    expect(failure(() => paypal.verify({ ...headers, 'paypal-transmission-time': '2027-03-15T09:58:13Z' }, body, CONFIG, NOW))).toBe(
      'mismatch',
    );
  });

  it('refuses a tampered body', () => {
    const headers = headersFor(body);
    const tampered = Buffer.from(
      body.toString('utf8').replace('"value": "89.00"', '"value": "8.90"'),
    );
    expect(tampered.equals(body)).toBe(false);
    expect(failure(() => paypal.verify(headers, tampered, CONFIG, NOW))).toBe('mismatch');
  });

  it.each(['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig', 'paypal-auth-algo'])(
    'refuses a delivery without %s',
    (name) => {
      const headers = headersFor(body);
      delete headers[name];
      const err = thrown(() => paypal.verify(headers, body, CONFIG, NOW)) as SignatureError;
      expect(err.reason).toBe('missing_header');
      expect(err.message).toContain(name.toUpperCase());
    },
  );

  it('refuses an algorithm other than SHA256withRSA', () => {
    expect(failure(() => paypal.verify({ ...headersFor(body), 'paypal-auth-algo': 'SHA1withRSA' }, body, CONFIG, NOW))).toBe(
      'unsupported_algorithm',
    );
  });

  it.each(['https://paypal.com.attacker.example/cert.pem', 'http://api.paypal.com/v1/notifications/certs/CERT-1', 'not a url'])(
    'refuses a cert URL that is not https on a paypal.com host: %s',
    (url) => {
      expect(failure(() => paypal.verify({ ...headersFor(body), 'paypal-cert-url': url }, body, CONFIG, NOW))).toBe(
        'untrusted_certificate',
      );
    },
  );

  it('does not need the cert URL header, since the certificate is configured', () => {
    const headers = headersFor(body);
    delete headers['paypal-cert-url'];
    expect(() => paypal.verify(headers, body, CONFIG, NOW)).not.toThrow();
  });

  it('refuses when the configured certificate is outside its validity at now', () => {
    const later = new Date('2040-01-01T00:00:00Z');
    const headers = headersFor(body, { transmissionTime: '2039-12-31T23:59:58Z' });
    expect(failure(() => paypal.verify(headers, body, CONFIG, later))).toBe('untrusted_certificate');
  });

  it('refuses when no certificate or webhook id is configured', () => {
    expect(failure(() => paypal.verify(headersFor(body), body, { webhookId: WEBHOOK_ID, certificates: 'not a pem' }, NOW))).toBe(
      'not_configured',
    );
    expect(failure(() => paypal.verify(headersFor(body), body, { webhookId: ' ', certificates: CERT }, NOW))).toBe('not_configured');
  });

  it('finds the certificate in a PEM bundle', () => {
    expect(() =>
      paypal.verify(headersFor(body), body, { webhookId: WEBHOOK_ID, certificates: `# PayPal\n${CERT}\n${CERT}` }, NOW),
    ).not.toThrow();
  });
});

describe('paypal.parse', () => {
  it("keeps the dispute's update_time as the time of this version", () => {
    expect(paypal.parse(fixture('providers/paypal-dispute-created.json')).events[0]!.occurredAt).toEqual(
      new Date('2027-03-15T09:57:40.000Z'),
    );
  });

  it('reads CUSTOMER.DISPUTE.CREATED field by field', () => {
    const { events, ignored } = paypal.parse(fixture('providers/paypal-dispute-created.json'));
    expect(ignored).toBeUndefined();
    const e = events[0]!;
    expect(e).toMatchObject({
      kind: 'dispute',
      provider: 'paypal',
      eventId: 'WH-4M0448861G563140B-9EX36365822141321',
      action: 'created',
      externalId: 'PP-D-27803',
      stage: 'inquiry',
      status: 'WAITING_FOR_SELLER_RESPONSE',
      state: 'needs_response',
      reasonCode: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      reasonText: 'Customer says the item never arrived',
      amount: '89.00',
      currency: 'USD',
      orderRef: 'TL-ORDER-1042',
      chargeRef: '9HW93194EC9716033',
      customerEmail: 'jonas.berger@example.com',
      customerName: 'Jonas Berger',
      items: [{ name: 'Merino Cardigan', sku: 'MC-M-FOR', quantity: 1 }],
      messages: [
        { author: 'customer', at: new Date('2027-03-15T09:57:40.000Z'), body: 'Ordered two weeks ago, tracking has not moved since.' },
        { author: 'customer', at: new Date('2027-03-15T09:57:41.000Z'), body: 'Please *refund* me, I have asked <!channel> twice.' },
      ],
    });
    expect(e.respondBy?.toISOString()).toBe('2027-03-25T09:57:40.000Z');
    expect(e.createdAt.toISOString()).toBe('2027-03-15T09:57:40.000Z');
  });

  it('reads CUSTOMER.DISPUTE.RESOLVED in JPY as closed and won', () => {
    const e = paypal.parse(fixture('providers/paypal-dispute-resolved-jpy.json')).events[0]!;
    expect(e.action).toBe('closed');
    expect(e.state).toBe('won');
    expect(e.stage).toBe('chargeback');
    expect(e.amount).toBe('12800');
    expect(e.currency).toBe('JPY');
    expect(e.respondBy).toBeNull();
    expect(e.reasonText).toBe('Customer says the item was not as described');
    expect(e.orderRef).toBeUndefined();
  });

  it('maps outcomes and stages the merchant cares about', () => {
    const base = JSON.parse(fixture('providers/paypal-dispute-resolved-jpy.json').toString('utf8'));
    const withResource = (patch: Record<string, unknown>) =>
      paypal.parse(Buffer.from(JSON.stringify({ ...base, resource: { ...base.resource, ...patch } }))).events[0]!;
    expect(withResource({ dispute_outcome: { outcome_code: 'RESOLVED_BUYER_FAVOUR' } }).state).toBe('lost');
    expect(withResource({ dispute_outcome: { outcome_code: 'ACCEPTED' } }).state).toBe('lost');
    expect(withResource({ dispute_outcome: { outcome_code: 'CANCELED_BY_BUYER' } }).state).toBe('won');
    expect(withResource({ dispute_life_cycle_stage: 'PRE_ARBITRATION' }).stage).toBe('pre_arbitration');
    expect(withResource({ dispute_life_cycle_stage: 'ARBITRATION' }).stage).toBe('arbitration');
    const updated = {
      ...base,
      event_type: 'CUSTOMER.DISPUTE.UPDATED',
      resource: { ...base.resource, status: 'UNDER_REVIEW', dispute_outcome: undefined },
    };
    const e = paypal.parse(Buffer.from(JSON.stringify(updated))).events[0]!;
    expect([e.action, e.state]).toEqual(['updated', 'under_review']);
  });

  it('returns other event types as ignored', () => {
    expect(paypal.parse(fixture('providers/paypal-payment-completed.json'))).toEqual({
      events: [],
      ignored: { type: 'PAYMENT.CAPTURE.COMPLETED' },
    });
  });

  it('refuses a dispute without its amount value or reason, naming the paths', () => {
    const body = JSON.parse(fixture('providers/paypal-dispute-created.json').toString('utf8'));
    delete body.resource.dispute_amount.value;
    delete body.resource.reason;
    const err = thrown(() => paypal.parse(Buffer.from(JSON.stringify(body)))) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['resource.dispute_amount.value', 'resource.reason']);
  });
});
