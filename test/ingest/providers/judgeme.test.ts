import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PayloadError, SignatureError, judgeme } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

// Judge.me keys the HMAC with the OAuth app's client secret (or the private API token).
const SECRET = 'jm_client_secret_3b7c0d9e1f2a4b6c8d0e2f4a6b8c0d2e';
const NOW = new Date('2027-03-15T08:41:10Z');

function signature(body: Buffer, secret = SECRET, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHmac('sha256', secret).update(body).digest(encoding);
}

function failure(fn: () => unknown): SignatureError['reason'] {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SignatureError);
  return (err as SignatureError).reason;
}

describe('judgeme.verify', () => {
  const body = fixture('providers/judgeme-review-created.json');

  it('accepts the hex HMAC-SHA256 of the raw body in JUDGEME-HMAC-SHA256', () => {
    expect(() => judgeme.verify({ 'judgeme-hmac-sha256': signature(body) }, body, SECRET, NOW)).not.toThrow();
    expect(() => judgeme.verify({ 'JUDGEME-HMAC-SHA256': signature(body).toUpperCase() }, body, SECRET, NOW)).not.toThrow();
  });

  it('accepts the same HMAC in base64', () => {
    expect(() => judgeme.verify({ 'judgeme-hmac-sha256': signature(body, SECRET, 'base64') }, body, SECRET, NOW)).not.toThrow();
  });

  it('refuses a signature made with another secret', () => {
    expect(failure(() => judgeme.verify({ 'judgeme-hmac-sha256': signature(body, 'another') }, body, SECRET, NOW))).toBe('mismatch');
  });

  it('refuses a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"rating": 1', '"rating": 5'));
    expect(failure(() => judgeme.verify({ 'judgeme-hmac-sha256': signature(body) }, tampered, SECRET, NOW))).toBe('mismatch');
  });

  it('refuses a request without the header', () => {
    expect(failure(() => judgeme.verify({}, body, SECRET, NOW))).toBe('missing_header');
  });
});

describe('judgeme.parse', () => {
  it('reads review/created field by field; hidden pictures are left out', () => {
    const body = fixture('providers/judgeme-review-created.json');
    const { events, ignored } = judgeme.parse(body);
    expect(ignored).toBeUndefined();
    const e = events[0]!;
    expect(e).toMatchObject({
      kind: 'review',
      provider: 'judgeme',
      action: 'created',
      externalId: '381944217',
      rating: 1,
      title: 'Zip broke on day two',
      product: { id: '8641242349791', handle: 'merino-half-zip-pullover', title: 'Merino Half-Zip Pullover' },
      verified: true,
      reviewer: { name: 'Priya N.', email: 'priya.natarajan@example.com' },
      published: true,
    });
    expect(e.body).toMatch(/^Lovely wool, but the zip came off/);
    expect(e.media).toEqual([{ type: 'image', url: 'https://judgeme.imgix.net/alpine-knits/1773564066__zip__original.jpg?auto=format' }]);
    expect(e.createdAt.toISOString()).toBe('2027-03-15T08:41:06.000Z');
    expect(e.orderRef).toBeUndefined();
  });

  it('gives a redelivery the same event id and an edited review a new one', () => {
    const body = fixture('providers/judgeme-review-created.json');
    const id = judgeme.parse(body).events[0]!.eventId;
    expect(id).toMatch(/^review\/created:381944217:[0-9a-f]{32}$/);
    expect(judgeme.parse(Buffer.from(body)).events[0]!.eventId).toBe(id);
    const edited = Buffer.from(body.toString('utf8').replace('"event": "review/created"', '"event": "review/updated"'));
    expect(judgeme.parse(edited).events[0]!.eventId).not.toBe(id);
  });

  it('without an event name, reads a later updated_at as an update; "email" verification is not a verified buyer', () => {
    const e = judgeme.parse(fixture('providers/judgeme-review-no-event.json')).events[0]!;
    expect(e.action).toBe('updated');
    expect(e.rating).toBe(2);
    expect(e.verified).toBe(false);
    expect(e.published).toBe(false);
    expect(e.media).toEqual([]);
  });

  it('returns other events as ignored', () => {
    expect(judgeme.parse(Buffer.from('{"event":"question/created","question":{"id":1}}'))).toEqual({
      events: [],
      ignored: { type: 'question/created' },
    });
  });

  it('refuses a review with a rating out of range and no created_at, naming the paths', () => {
    const raw = JSON.parse(fixture('providers/judgeme-review-created.json').toString('utf8'));
    raw.review.rating = 7;
    delete raw.review.created_at;
    const err = thrown(() => judgeme.parse(Buffer.from(JSON.stringify(raw)))) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['review.created_at', 'review.rating']);
  });
});
