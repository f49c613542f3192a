import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { PayloadError, SignatureError, stripe } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

const SECRET = 'whsec_test_9f2c1b7e4a6d8c0e3f5a7b9d1c3e5f70';
const OLD_SECRET = 'whsec_test_old_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const NOW = new Date('2026-03-15T10:00:00Z');
const nowSec = NOW.getTime() / 1000;

function sign(body: Buffer, secret = SECRET, timestamp = nowSec - 20): string {
  return Stripe.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret, timestamp });
}

function signatureFailure(fn: () => unknown): SignatureError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SignatureError);
  return err as SignatureError;
}

describe('stripe.verify', () => {
  const body = fixture('providers/stripe-dispute-created.json');

  it('accepts a body signed by Stripe with the configured secret', () => {
    expect(() => stripe.verify({ 'stripe-signature': sign(body) }, body, SECRET, NOW)).not.toThrow();
  });

  it('refuses a signature made with another secret', () => {
    const err = signatureFailure(() => stripe.verify({ 'stripe-signature': sign(body, 'whsec_someone_else') }, body, SECRET, NOW));
    expect(err.reason).toBe('mismatch');
    expect(err.status).toBe(401);
  });

  it('refuses a tampered body', () => {
    const header = sign(body);
    const tampered = Buffer.from(body.toString('utf8').replace('"amount": 4999', '"amount": 499'));
    expect(signatureFailure(() => stripe.verify({ 'stripe-signature': header }, tampered, SECRET, NOW)).reason).toBe('mismatch');
  });

  it('refuses a request without the Stripe-Signature header', () => {
    expect(signatureFailure(() => stripe.verify({}, body, SECRET, NOW)).reason).toBe('missing_header');
  });

  it('refuses a header without timestamp or v1 signature', () => {
    expect(signatureFailure(() => stripe.verify({ 'stripe-signature': 'v0=abc' }, body, SECRET, NOW)).reason).toBe('malformed_header');
  });

  it('refuses a correctly signed request whose timestamp is more than 300 s old', () => {
    const header = sign(body, SECRET, nowSec - 301);
    expect(signatureFailure(() => stripe.verify({ 'stripe-signature': header }, body, SECRET, NOW)).reason).toBe('stale');
    // 300 s is still inside the tolerance.
    expect(() => stripe.verify({ 'stripe-signature': sign(body, SECRET, nowSec - 300) }, body, SECRET, NOW)).not.toThrow();
  });

  it('refuses a correctly signed request dated more than 300 s ahead (the tolerance holds both ways)', () => {
    const tenMinutesAhead = sign(body, SECRET, nowSec + 600);
    expect(signatureFailure(() => stripe.verify({ 'stripe-signature': tenMinutesAhead }, body, SECRET, NOW)).reason).toBe('stale');
    expect(signatureFailure(() => stripe.verify({ 'stripe-signature': sign(body, SECRET, nowSec + 301) }, body, SECRET, NOW)).reason).toBe(
      'stale',
    );
    expect(() => stripe.verify({ 'stripe-signature': sign(body, SECRET, nowSec + 300) }, body, SECRET, NOW)).not.toThrow();
  });

  it('accepts a header with two v1 signatures while Stripe rotates the secret (either may match)', () => {
    const t = nowSec - 5;
    const oldSig = /v1=([0-9a-f]+)/.exec(sign(body, OLD_SECRET, t))![1];
    const newSig = /v1=([0-9a-f]+)/.exec(sign(body, SECRET, t))![1];
    const header = `t=${t},v1=${oldSig},v1=${newSig}`;
    expect(() => stripe.verify({ 'Stripe-Signature': header }, body, SECRET, NOW)).not.toThrow();
    expect(() => stripe.verify({ 'Stripe-Signature': header }, body, OLD_SECRET, NOW)).not.toThrow();
    expect(signatureFailure(() => stripe.verify({ 'Stripe-Signature': header }, body, 'whsec_third', NOW)).reason).toBe('mismatch');
  });

  it('accepts any of several configured secrets', () => {
    expect(() => stripe.verify({ 'stripe-signature': sign(body, OLD_SECRET) }, body, [SECRET, OLD_SECRET], NOW)).not.toThrow();
  });

  it('refuses everything when no secret is configured', () => {
    expect(signatureFailure(() => stripe.verify({ 'stripe-signature': sign(body) }, body, [], NOW)).reason).toBe('not_configured');
  });
});

describe('stripe.parse', () => {
  it('reads charge.dispute.created field by field', () => {
    const body = fixture('providers/stripe-dispute-created.json');
    const { events, ignored } = stripe.parse(body);
    expect(ignored).toBeUndefined();
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e).toMatchObject({
      kind: 'dispute',
      provider: 'stripe',
      eventId: 'evt_1QxR7mL2eZvKYlo2Cq0fT9aB',
      action: 'created',
      externalId: 'dp_1QxR7lL2eZvKYlo2XkD4mN2p',
      stage: 'chargeback',
      status: 'needs_response',
      state: 'needs_response',
      reasonCode: 'product_not_received',
      reasonText: 'Customer says the item never arrived',
      amount: '49.99',
      currency: 'USD',
      orderRef: '1042',
      chargeRef: 'ch_3QxQ9aL2eZvKYlo20pX1vF7s',
      customerEmail: 'maya.lindqvist@example.com',
    });
    expect(e.respondBy?.toISOString()).toBe('2026-03-25T23:59:59.000Z');
    expect(e.createdAt.toISOString()).toBe('2026-03-15T09:58:59.000Z');
    expect((e.raw as { id: string }).id).toBe('evt_1QxR7mL2eZvKYlo2Cq0fT9aB');
  });

  it('reads a JPY inquiry: zero-decimal amount, warning_* status as the inquiry stage', () => {
    const e = stripe.parse(fixture('providers/stripe-inquiry-jpy.json')).events[0]!;
    expect(e.amount).toBe('15000');
    expect(e.currency).toBe('JPY');
    expect(e.stage).toBe('inquiry');
    expect(e.status).toBe('warning_needs_response');
    expect(e.state).toBe('needs_response');
    expect(e.reasonText).toBe('Cardholder says they did not make this payment');
    expect(e.respondBy?.toISOString()).toBe('2026-03-21T23:59:59.000Z');
    expect(e.customerEmail).toBeUndefined();
    expect(e.orderRef).toBeUndefined();
  });

  it('reads charge.dispute.closed as closed and won, with no deadline left', () => {
    const e = stripe.parse(fixture('providers/stripe-dispute-closed.json')).events[0]!;
    expect(e.action).toBe('closed');
    expect(e.state).toBe('won');
    expect(e.respondBy).toBeNull();
    expect(e.externalId).toBe('dp_1QxR7lL2eZvKYlo2XkD4mN2p');
  });

  it("keeps the event's own time, so an older update delivered later can be recognised", () => {
    expect(stripe.parse(fixture('providers/stripe-dispute-created.json')).events[0]!.occurredAt).toEqual(new Date(1773568740 * 1000));
    expect(stripe.parse(fixture('providers/stripe-dispute-closed.json')).events[0]!.occurredAt).toEqual(new Date(1775001600 * 1000));
  });

  it('reads charge.dispute.funds_withdrawn as an update of the same dispute', () => {
    const e = stripe.parse(fixture('providers/stripe-funds-withdrawn.json')).events[0]!;
    expect(e.action).toBe('updated');
    expect(e.eventId).toBe('evt_1QxR7nL2eZvKYlo2Ab5cD6eF');
    expect(e.externalId).toBe('dp_1QxR7lL2eZvKYlo2XkD4mN2p');
  });

  it('returns other event types as ignored, without events', () => {
    expect(stripe.parse(fixture('providers/stripe-charge-succeeded.json'))).toEqual({ events: [], ignored: { type: 'charge.succeeded' } });
  });

  it('refuses a dispute event with missing and wrong fields, naming their paths', () => {
    const body = JSON.parse(fixture('providers/stripe-dispute-created.json').toString('utf8'));
    delete body.data.object.amount;
    body.data.object.currency = 'dollars';
    const err = thrown(() => stripe.parse(Buffer.from(JSON.stringify(body))));
    expect(err).toBeInstanceOf(PayloadError);
    expect((err as PayloadError).status).toBe(400);
    expect((err as PayloadError).fieldIssues.map((i) => i.path).sort()).toEqual(['data.object.amount', 'data.object.currency']);
  });

  it('refuses a body that is not JSON', () => {
    const err = thrown(() => stripe.parse(Buffer.from('{"id": "evt_1", ')));
    expect(err).toBeInstanceOf(PayloadError);
    expect((err as PayloadError).fieldIssues[0]!.path).toBe('(body)');
  });
});
