import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PayloadError, generic } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

describe('generic reviews (POST /api/v1/reviews)', () => {
  it('reads a review field by field, with defaults for what is left out', () => {
    const { events } = generic.parseReview(fixture('providers/generic-review.json'));
    const e = events[0]!;
    expect(e).toMatchObject({
      kind: 'review',
      provider: 'generic',
      action: 'created',
      externalId: 'gbp-ChdDSUhNMG9nS0VJQ0FnSUNwdl9HZ0pnEAE',
      rating: 1,
      title: 'Wrong colour, no reply',
      product: { sku: 'MHZ-NVY-M', title: 'Merino Half-Zip Pullover' },
      verified: true,
      media: [{ type: 'image', url: 'https://cdn.example.com/reviews/blue.jpg' }],
      reviewer: { name: 'Chris P.', email: 'chris.p@example.com' },
      orderRef: '#1057',
      language: 'en',
    });
    expect(e.createdAt.toISOString()).toBe('2027-03-14T20:04:00.000Z');
    expect(e.published).toBeUndefined();
    const minimal = generic.parseReview(Buffer.from('{"external_id":"r1","rating":4,"created_at":"2027-03-14T20:04:00Z"}')).events[0]!;
    expect([minimal.title, minimal.body, minimal.verified, minimal.media, minimal.product, minimal.reviewer]).toEqual([
      '',
      '',
      false,
      [],
      {},
      {},
    ]);
  });

  it('derives a stable event id when the sender gives none', () => {
    const a = generic.parseReview(fixture('providers/generic-review.json')).events[0]!.eventId;
    expect(a).toMatch(/^review\.created:gbp-ChdDSUhNMG9nS0VJQ0FnSUNwdl9HZ0pnEAE:[0-9a-f]{32}$/);
    expect(generic.parseReview(fixture('providers/generic-review.json')).events[0]!.eventId).toBe(a);
  });

  it('refuses bad fields with their paths', () => {
    const body = Buffer.from(JSON.stringify({ external_id: '', rating: 6, media: [{ type: 'gif', url: 'x' }], created_at: 'today' }));
    const err = thrown(() => generic.parseReview(body)) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['created_at', 'external_id', 'media.0.type', 'media.0.url', 'rating']);
  });
});

describe('generic disputes (POST /api/v1/disputes)', () => {
  it('reads a dispute: sender event id, reason words from the code, amount to the currency decimals', () => {
    const e = generic.parseDispute(fixture('providers/generic-dispute.json')).events[0]!;
    expect(e).toMatchObject({
      kind: 'dispute',
      provider: 'generic',
      eventId: 'adyen-notif-0c1d2e3f',
      action: 'created',
      externalId: 'ADY-8825117733991044',
      stage: 'chargeback',
      status: 'NOTIFICATION_OF_CHARGEBACK',
      state: 'needs_response',
      reasonCode: 'product_not_received',
      reasonText: 'Customer says the item never arrived',
      amount: '129.90',
      currency: 'CHF',
      orderRef: '1061',
      chargeRef: '8825117733991044',
      customerEmail: 'noah.meier@example.com',
    });
    expect(e.respondBy?.toISOString()).toBe('2027-03-29T23:59:59.000Z');
  });

  it('uses the state as status, reason_text as given, and a number amount in JPY', () => {
    const body = Buffer.from(
      JSON.stringify({
        external_id: 'd-2',
        stage: 'pre_arbitration',
        state: 'under_review',
        reason_code: 'X-77',
        reason_text: 'Customer says the box was empty',
        amount: 4800,
        currency: 'JPY',
        respond_by: null,
        created_at: '2027-03-15T08:00:00Z',
      }),
    );
    const e = generic.parseDispute(body).events[0]!;
    expect([e.status, e.reasonText, e.amount, e.stage, e.respondBy]).toEqual([
      'under_review',
      'Customer says the box was empty',
      '4800',
      'pre_arbitration',
      null,
    ]);
  });

  it('refuses an unknown stage and a missing currency, naming the paths', () => {
    const raw = JSON.parse(fixture('providers/generic-dispute.json').toString('utf8'));
    const err = thrown(() =>
      generic.parseDispute(Buffer.from(JSON.stringify({ ...raw, stage: 'appeal', currency: undefined }))),
    ) as PayloadError;
    expect(err.fieldIssues.map((i) => i.path).sort()).toEqual(['currency', 'stage']);
  });
});

describe('generic schemas for the OpenAPI document', () => {
  it('are registered under their ids and convert to JSON Schema', () => {
    const doc = z.toJSONSchema(generic.reviewCreateSchema, { io: 'input', unrepresentable: 'any' }) as {
      $ref?: string;
      $defs: Record<string, { required?: string[]; properties: Record<string, unknown> }>;
    };
    expect(doc.$ref).toBe('#/$defs/ReviewCreate');
    const review = doc.$defs.ReviewCreate!;
    expect(review.required?.sort()).toEqual(['created_at', 'external_id', 'rating']);
    expect(Object.keys(review.properties)).toContain('order_ref');
    expect(z.globalRegistry.get(generic.reviewCreateSchema)?.id).toBe('ReviewCreate');
    expect(z.globalRegistry.get(generic.disputeCreateSchema)?.id).toBe('DisputeCreate');
  });
});
