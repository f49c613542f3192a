import { describe, expect, it } from 'vitest';
import { PayloadError, SignatureError, trustpilot } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

const TOKEN = 'tp_4d9a1f7c2b8e4a6d9c0b1a2f3e4d5c6b';
const NOW = new Date('2027-03-15T07:21:00Z');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function failure(fn: () => unknown): SignatureError['reason'] {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SignatureError);
  return (err as SignatureError).reason;
}

describe('trustpilot.verify (shared token: ?token= or the Basic auth password)', () => {
  const body = fixture('providers/trustpilot-batch.json');

  it('accepts the token in the query string', () => {
    expect(() => trustpilot.verify({}, body, TOKEN, NOW, `/webhooks/trustpilot?token=${TOKEN}`)).not.toThrow();
    expect(() =>
      trustpilot.verify({}, body, TOKEN, NOW, new URL(`https://trustloop.example/webhooks/trustpilot?token=${TOKEN}`)),
    ).not.toThrow();
  });

  it('accepts the token as the Basic auth password', () => {
    expect(() => trustpilot.verify({ authorization: basic('trustpilot', TOKEN) }, body, TOKEN, NOW, '/webhooks/trustpilot')).not.toThrow();
  });

  it('refuses a wrong token', () => {
    expect(failure(() => trustpilot.verify({}, body, TOKEN, NOW, '/webhooks/trustpilot?token=tp_guess'))).toBe('mismatch');
    expect(failure(() => trustpilot.verify({ authorization: basic('trustpilot', 'nope') }, body, TOKEN, NOW, '/webhooks/trustpilot'))).toBe(
      'mismatch',
    );
  });

  it('refuses a request with no token at all', () => {
    expect(failure(() => trustpilot.verify({}, body, TOKEN, NOW, '/webhooks/trustpilot'))).toBe('missing_header');
    expect(failure(() => trustpilot.verify({ authorization: `Bearer ${TOKEN}` }, body, TOKEN, NOW))).toBe('missing_header');
  });

  it('accepts any configured token while one is being replaced', () => {
    expect(() => trustpilot.verify({}, body, ['tp_new', TOKEN], NOW, `/webhooks/trustpilot?token=${TOKEN}`)).not.toThrow();
  });
});

describe('trustpilot.parse', () => {
  it('turns a batch into one ReviewEvent per known event and reports the unknown one', () => {
    const { events, ignored } = trustpilot.parse(fixture('providers/trustpilot-batch.json'));
    expect(events.map((e) => e.externalId)).toEqual(['65f3a1c2e4b0a7d9c1f2e3d4', '65f3a20de4b0a7d9c1f2e3f1']);
    expect(ignored).toEqual({ type: 'service-review-deleted' });
    const [first, second] = events;
    expect(first).toMatchObject({
      kind: 'review',
      provider: 'trustpilot',
      action: 'created',
      rating: 1,
      title: 'Paket nie angekommen',
      product: {},
      verified: true,
      media: [],
      reviewer: { name: 'Lukas Hoffmann' },
      orderRef: '1042',
      language: 'de',
    });
    expect(first!.body).toMatch(/^Bestellt am 2\. März/);
    expect(first!.createdAt.toISOString()).toBe('2027-03-15T07:12:40.000Z');
    expect(first!.reviewer.email).toBeUndefined();
    expect((first!.raw as { eventName: string }).eventName).toBe('service-review-created');
    expect([second!.rating, second!.verified, second!.language]).toEqual([5, false, 'en']);
  });

  it('gives each event of a redelivered batch the same id, and different reviews different ids', () => {
    const a = trustpilot.parse(fixture('providers/trustpilot-batch.json')).events.map((e) => e.eventId);
    const b = trustpilot.parse(fixture('providers/trustpilot-batch.json')).events.map((e) => e.eventId);
    expect(b).toEqual(a);
    expect(a[0]).toMatch(/^service-review-created:65f3a1c2e4b0a7d9c1f2e3d4:[0-9a-f]{32}$/);
    expect(a[0]).not.toBe(a[1]);
  });

  it('reads service-review-updated as an update', () => {
    const raw = JSON.parse(fixture('providers/trustpilot-batch.json').toString('utf8'));
    const body = Buffer.from(JSON.stringify({ events: [{ ...raw.events[0], eventName: 'service-review-updated' }] }));
    expect(trustpilot.parse(body).events[0]!.action).toBe('updated');
  });

  it('refuses a batch whose review has no stars, naming the event in the path', () => {
    const raw = JSON.parse(fixture('providers/trustpilot-batch.json').toString('utf8'));
    delete raw.events[2].eventData.stars;
    const err = thrown(() => trustpilot.parse(Buffer.from(JSON.stringify(raw)))) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.fieldIssues.map((i) => i.path)).toEqual(['events.2.eventData.stars']);
  });

  it('refuses a body without an events array', () => {
    const err = thrown(() => trustpilot.parse(Buffer.from('{"eventName":"service-review-created"}'))) as PayloadError;
    expect(err.fieldIssues.map((i) => i.path)).toEqual(['events']);
  });
});
