import { describe, expect, test } from 'vitest';
import { currentShipment, customerStanding, orderNameCandidates, orderNumbersIn, ordinal, refundTotal } from '../../src/domain/orders';

const order = (id: number, day: number, amount: string, cancelled = false) => ({
  id,
  name: `#${1000 + id}`,
  amount,
  currency: 'EUR',
  placedAt: new Date(Date.UTC(2027, 0, day)),
  cancelledAt: cancelled ? new Date(Date.UTC(2027, 0, day + 1)) : null,
});

describe('customerStanding', () => {
  test('counts placed orders, ranks the order and adds up the lifetime value exactly', () => {
    const s = customerStanding([order(1, 1, '0.10'), order(2, 5, '0.20'), order(3, 3, '99.99', true)], null, 2, 'EUR');
    expect(s).toEqual({ orderCount: 2, ordinal: 2, lifetime: { amount: '0.3', currency: 'EUR' } });
  });
  test("the platform's larger count and spend are earlier orders Trustloop never saw", () => {
    const s = customerStanding([order(7, 2, '189.00')], { ordersCount: 3, totalSpent: '640.00', currency: 'EUR' }, 7, 'EUR');
    expect(s).toEqual({ orderCount: 3, ordinal: 3, lifetime: { amount: '640', currency: 'EUR' } });
  });
});

test('orderNumbersIn reads the ways customers write an order number, in several languages', () => {
  expect(orderNumbersIn('Hi, order #1042 never came. Also Bestellung 1043 and pedido nº 1044; call 0176 12345')).toEqual([
    '1042',
    '1043',
    '1044',
  ]);
  expect(orderNumbersIn('I waited 1042 days')).toEqual([]);
  expect(orderNumbersIn('#'.repeat(30_000) + '1042')).toEqual([]);
  expect(orderNameCandidates('1042')).toEqual(['1042', '#1042']);
});

test('currentShipment prefers the newest live shipment; refunds add up; ordinals read naturally', () => {
  const base = { carrier: null, trackingNumber: null, trackingUrl: null, shipmentStatus: null, deliveredAt: null };
  const a = { ...base, status: 'success', fulfilledAt: new Date('2027-01-01') };
  const b = { ...base, status: 'cancelled', fulfilledAt: new Date('2027-01-03') };
  expect(currentShipment([a, b])).toBe(a);
  expect(
    refundTotal(
      [
        { amount: '12.5', currency: 'EUR' },
        { amount: '0.25', currency: null },
      ],
      'EUR',
    ),
  ).toEqual({ amount: '12.75', currency: 'EUR' });
  expect(refundTotal([], 'EUR')).toBeNull();
  expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 103].map(ordinal)).toEqual([
    '1st',
    '2nd',
    '3rd',
    '4th',
    '11th',
    '12th',
    '13th',
    '21st',
    '22nd',
    '103rd',
  ]);
});
