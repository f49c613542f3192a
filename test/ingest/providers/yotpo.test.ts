import { describe, expect, it } from 'vitest';
import { PayloadError, SignatureError, yotpo } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

const TOKEN = 'yp_8e2f4a6c0b1d3e5f7a9c1e3b5d7f9a1c';
const NOW = new Date('2027-03-15T06:56:00Z');

describe('yotpo.verify (shared token in the webhook URL)', () => {
  const body = fixture('providers/yotpo-review-create.json');

  it('accepts the configured token', () => {
    expect(() => yotpo.verify({}, body, TOKEN, NOW, `/webhooks/yotpo?token=${TOKEN}`)).not.toThrow();
  });

  it('refuses a wrong or missing token', () => {
    const wrong = thrown(() => yotpo.verify({}, body, TOKEN, NOW, '/webhooks/yotpo?token=yp_wrong')) as SignatureError;
    expect(wrong).toBeInstanceOf(SignatureError);
    expect(wrong.reason).toBe('mismatch');
    const missing = thrown(() => yotpo.verify({}, body, TOKEN, NOW, '/webhooks/yotpo')) as SignatureError;
    expect(missing.reason).toBe('missing_header');
  });
});

describe('yotpo.parse', () => {
  it('reads review_create field by field', () => {
    const { events, ignored } = yotpo.parse(fixture('providers/yotpo-review-create.json'));
    expect(ignored).toBeUndefined();
    const e = events[0]!;
    expect(e).toMatchObject({
      kind: 'review',
      provider: 'yotpo',
      action: 'created',
      externalId: '412209871',
      rating: 2,
      title: 'Runs two sizes small',
      body: 'Fabric is nice but the medium fits like an extra-small. Returning it.',
      product: { id: '8641242349791' },
      verified: true,
      media: [],
      reviewer: { name: 'Sam O.', email: 'sam.okafor@example.com' },
      orderRef: '5784930517213',
    });
    expect(e.published).toBeUndefined();
    expect(e.createdAt.toISOString()).toBe('2027-03-15T06:55:13.000Z');
    expect(e.eventId).toMatch(/^review_create:412209871:[0-9a-f]{32}$/);
  });

  it("reads the string-typed variant of Yotpo's documented payload (review_updated)", () => {
    const e = yotpo.parse(fixture('providers/yotpo-review-updated-strings.json')).events[0]!;
    expect(e.action).toBe('updated');
    expect(e.rating).toBe(2);
    expect(e.verified).toBe(true);
    expect(e.published).toBe(false);
    expect(e.orderRef).toBe('5784930517213');
    expect(e.createdAt.toISOString()).toBe('2027-03-15T06:55:13.000Z');
    expect(e.reviewer).toEqual({ email: 'sam.okafor@example.com' });
  });

  it('returns other events as ignored', () => {
    expect(yotpo.parse(Buffer.from('{"event":"question_create","data":{"id":1}}'))).toEqual({
      events: [],
      ignored: { type: 'question_create' },
    });
  });

  it('refuses a review with a non-numeric score and a bad date, naming the paths', () => {
    const raw = JSON.parse(fixture('providers/yotpo-review-create.json').toString('utf8'));
    raw.data.score = 'five';
    raw.data.created_at = '15/03/2027';
    const err = thrown(() => yotpo.parse(Buffer.from(JSON.stringify(raw)))) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['data.created_at', 'data.score']);
  });
});
