import { describe, expect, it } from 'vitest';
import { generic, PayloadError, shopify, stripe } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

// Amounts and ratings that JSON can carry but a money column and a card cannot: each is refused
// with the path of the bad value (a 400), never thrown as something else (a 500) nor stored bent.

const paths = (fn: () => unknown) => {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(PayloadError);
  return (err as PayloadError).fieldIssues.map((i) => i.path);
};

describe('bad numbers from providers', () => {
  it.each([1e20, Number.MAX_SAFE_INTEGER + 2, -1, 12.5])('Stripe: amount %s (minor units) is refused', (amount) => {
    const body = JSON.parse(fixture('providers/stripe-dispute-created.json').toString('utf8'));
    body.data.object.amount = amount;
    expect(paths(() => stripe.parse(Buffer.from(JSON.stringify(body))))).toEqual(['data.object.amount']);
  });

  it.each([1e300, 1e-7, 1e16, 49.999999999, -3, '1e5', 'NaN', 'Infinity', '1,000.00', '9'.repeat(40)])(
    'Shopify: amount %s is refused',
    (amount) => {
      const body = JSON.parse(fixture('providers/shopify-dispute-create.json').toString('utf8'));
      body.amount = amount;
      const headers = { 'x-shopify-topic': 'disputes/create', 'x-shopify-webhook-id': 'w1' };
      expect(paths(() => shopify.parse(Buffer.from(JSON.stringify(body)), headers))).toEqual(['amount']);
    },
  );

  it.each([1e300, 1e-7, 1e13, 49.99999, -3, 'NaN', '1e5', '9'.repeat(40)])('generic dispute: amount %s is refused', (amount) => {
    const body = JSON.parse(fixture('providers/generic-dispute.json').toString('utf8'));
    body.amount = amount;
    expect(paths(() => generic.parseDispute(Buffer.from(JSON.stringify(body))))).toEqual(['amount']);
  });

  it('generic dispute: a plain JSON number is stored as the decimal it says', () => {
    const body = JSON.parse(fixture('providers/generic-dispute.json').toString('utf8'));
    body.amount = 1500.5;
    body.currency = 'USD';
    expect(generic.parseDispute(Buffer.from(JSON.stringify(body))).events[0]!.amount).toBe('1500.50');
  });

  it.each([-1, 0, 6, 2.5, '3', null])('generic review: rating %s is refused', (rating) => {
    const body = { external_id: 'r1', rating, created_at: '2027-03-15T09:00:00Z' };
    expect(paths(() => generic.parseReview(Buffer.from(JSON.stringify(body))))).toEqual(['rating']);
  });
});
