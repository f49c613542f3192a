import { Webhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { PayloadError, SignatureError, okendo } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const NOW = new Date('2027-03-15T05:32:30Z');
const nowSec = Math.floor(NOW.getTime() / 1000);
const MSG_ID = 'msg_2dJ7Xq4kB9pLmN3vR8sT1wYz0aC';

/** Headers as Svix sends them, signed by svix's own library. */
function headersFor(body: Buffer, opts: { secret?: string; timestamp?: number; id?: string } = {}): Record<string, string> {
  const timestamp = opts.timestamp ?? nowSec - 3;
  const id = opts.id ?? MSG_ID;
  return {
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': new Webhook(opts.secret ?? SECRET).sign(id, new Date(timestamp * 1000), body.toString('utf8')),
  };
}

function failure(fn: () => unknown): SignatureError['reason'] {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SignatureError);
  return (err as SignatureError).reason;
}

describe('okendo.verify (Svix)', () => {
  const body = fixture('providers/okendo-review-create.json');

  it('accepts a message signed by svix with the endpoint secret', () => {
    expect(() => okendo.verify(headersFor(body), body, SECRET, NOW)).not.toThrow();
  });

  it('agrees with svix’s own verifier on a fresh message', () => {
    const fresh = headersFor(body, { timestamp: Math.floor(Date.now() / 1000) });
    expect(() => new Webhook(SECRET).verify(body.toString('utf8'), fresh)).not.toThrow();
    expect(() => okendo.verify(fresh, body, SECRET, new Date())).not.toThrow();
  });

  it('refuses a signature made with another secret', () => {
    expect(failure(() => okendo.verify(headersFor(body, { secret: OTHER_SECRET }), body, SECRET, NOW))).toBe('mismatch');
  });

  it('refuses a tampered body and a swapped message id', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"rating": 2', '"rating": 5'));
    expect(failure(() => okendo.verify(headersFor(body), tampered, SECRET, NOW))).toBe('mismatch');
    expect(failure(() => okendo.verify({ ...headersFor(body), 'svix-id': 'msg_other' }, body, SECRET, NOW))).toBe('mismatch');
  });

  it.each(['svix-id', 'svix-timestamp', 'svix-signature'])('refuses a message without %s', (name) => {
    const headers = headersFor(body);
    delete headers[name];
    expect(failure(() => okendo.verify(headers, body, SECRET, NOW))).toBe('missing_header');
  });

  it('refuses timestamps more than 5 minutes old or ahead, accepts 5 minutes exactly', () => {
    expect(failure(() => okendo.verify(headersFor(body, { timestamp: nowSec - 301 }), body, SECRET, NOW))).toBe('stale');
    expect(failure(() => okendo.verify(headersFor(body, { timestamp: nowSec + 301 }), body, SECRET, NOW))).toBe('stale');
    expect(() => okendo.verify(headersFor(body, { timestamp: nowSec - 300 }), body, SECRET, NOW)).not.toThrow();
  });

  it('accepts a header listing several v1 signatures when one matches (key rotation)', () => {
    const signed = headersFor(body);
    const old = headersFor(body, { secret: OTHER_SECRET })['svix-signature'];
    const headers = { ...signed, 'svix-signature': `${old} ${signed['svix-signature']} v2,bm90LWEtdjEtc2lnbmF0dXJl` };
    expect(() => okendo.verify(headers, body, SECRET, NOW)).not.toThrow();
    expect(() => okendo.verify(headers, body, OTHER_SECRET, NOW)).not.toThrow();
  });

  it('refuses a signature header with no v1 entry', () => {
    expect(failure(() => okendo.verify({ ...headersFor(body), 'svix-signature': 'v1a,abc' }, body, SECRET, NOW))).toBe('malformed_header');
  });
});

describe('okendo.parse', () => {
  it('reads review.create field by field; hidden media is left out; the event id is svix-id', () => {
    const body = fixture('providers/okendo-review-create.json');
    const { events, ignored } = okendo.parse(body, headersFor(body));
    expect(ignored).toBeUndefined();
    const e = events[0]!;
    expect(e).toMatchObject({
      kind: 'review',
      provider: 'okendo',
      eventId: MSG_ID,
      action: 'created',
      externalId: '9b1d6f3a-7c2e-4e8b-a5d0-3f6c1b2e9a74',
      rating: 2,
      title: 'Shrank after one wash',
      body: 'Shrank a full size after one cold wash, following the label. Photos attached.',
      product: { id: '8641242349791', title: 'Merino Half-Zip Pullover' },
      verified: true,
      reviewer: { name: 'Hana K.', email: 'hana.kobayashi@example.com' },
      orderRef: '5784930517213',
      published: true,
    });
    expect(e.media).toEqual([
      { type: 'image', url: 'https://d3hw6dc1ow8pp2.cloudfront.net/reviews-widget-plus/img/shrunk-sweater-full.jpg' },
      { type: 'video', url: 'https://d3hw6dc1ow8pp2.cloudfront.net/reviews-widget-plus/video/shrunk-sweater.mp4' },
    ]);
    expect(e.createdAt.toISOString()).toBe('2027-03-15T05:32:17.872Z');
  });

  it('reads review.update, also when the topic comes as resourceType + topic', () => {
    const raw = JSON.parse(fixture('providers/okendo-review-create.json').toString('utf8'));
    const dotted = Buffer.from(JSON.stringify({ ...raw, topic: 'review.update' }));
    const split = Buffer.from(JSON.stringify({ ...raw, topic: 'update', resourceType: 'review' }));
    expect(okendo.parse(dotted, headersFor(dotted)).events[0]!.action).toBe('updated');
    expect(okendo.parse(split, headersFor(split)).events[0]!.action).toBe('updated');
  });

  it('a "Verified Reviewer" (email only) is not a verified buyer', () => {
    const raw = JSON.parse(fixture('providers/okendo-review-create.json').toString('utf8'));
    raw.resource.reviewer.verifiedStatus = 'Verified Reviewer';
    expect(okendo.parse(Buffer.from(JSON.stringify(raw))).events[0]!.verified).toBe(false);
  });

  it('returns other topics as ignored', () => {
    const body = Buffer.from('{"topic":"loyalty_customer.create","resource":{"customerId":"c1"}}');
    expect(okendo.parse(body, headersFor(body))).toEqual({ events: [], ignored: { type: 'loyalty_customer.create' } });
  });

  it('refuses a review without rating or reviewId, naming the paths', () => {
    const raw = JSON.parse(fixture('providers/okendo-review-create.json').toString('utf8'));
    delete raw.resource.rating;
    delete raw.resource.reviewId;
    const err = thrown(() => okendo.parse(Buffer.from(JSON.stringify(raw)))) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['resource.rating', 'resource.reviewId']);
  });
});
