import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/ingest/http';
import {
  PayloadError,
  SignatureError,
  cardReasonText,
  minorToDecimal,
  normalizeDecimal,
  paypalReasonText,
} from '../../../src/ingest/providers';
import { isoExponent, stripeExponent } from '../../../src/ingest/providers/money';

describe('amounts', () => {
  it('converts minor units with the currency exponent, without floating point', () => {
    expect(minorToDecimal(4999, stripeExponent('usd'))).toBe('49.99');
    expect(minorToDecimal(5, stripeExponent('eur'))).toBe('0.05');
    expect(minorToDecimal(15000, stripeExponent('jpy'))).toBe('15000');
    expect(minorToDecimal(12345, stripeExponent('kwd'))).toBe('12.345');
    expect(minorToDecimal(-250, 2)).toBe('-2.50');
    expect(minorToDecimal(9007199254740993n, 2)).toBe('90071992547409.93');
  });

  it("follows Stripe's table where it differs from ISO 4217 (ISK is sent with two decimals)", () => {
    expect(stripeExponent('isk')).toBe(2);
    expect(isoExponent('ISK')).toBe(0);
    expect(stripeExponent('MGA')).toBe(0);
  });

  it('normalises decimal strings to the currency decimals only when nothing is lost', () => {
    expect(normalizeDecimal('11.5', 'USD')).toBe('11.50');
    expect(normalizeDecimal('1500.00', 'JPY')).toBe('1500');
    expect(normalizeDecimal('007.1', 'KWD')).toBe('7.100');
    expect(normalizeDecimal('1500.50', 'JPY')).toBe('1500.50');
    expect(normalizeDecimal('10.005', 'USD')).toBe('10.005');
  });
});

describe('reason words', () => {
  it('has plain words for card and PayPal reasons and humanises unknown codes', () => {
    expect(cardReasonText('duplicate')).toBe('Customer says they were charged more than once');
    expect(paypalReasonText('INCORRECT_AMOUNT')).toBe('Customer says they were charged the wrong amount');
    expect(cardReasonText('early_fraud_warning')).toBe('Early fraud warning');
    expect(cardReasonText('constructor')).toBe('Constructor');
  });
});

describe('errors', () => {
  it('are HttpErrors the router answers with 401 and 400', () => {
    const sig = new SignatureError('stripe', 'stale', 'old');
    const payload = new PayloadError('stripe', 'bad', [{ path: 'data.object.amount', message: 'Required' }]);
    expect(sig).toBeInstanceOf(HttpError);
    expect([sig.status, sig.code]).toEqual([401, 'invalid_signature']);
    expect(payload).toBeInstanceOf(HttpError);
    expect([payload.status, payload.code, payload.issues]).toEqual([
      400,
      'invalid_payload',
      [{ path: 'data.object.amount', message: 'Required' }],
    ]);
  });
});
