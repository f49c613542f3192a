import { z } from 'zod';

// Amounts as decimal strings, never floats. Providers send either minor units (Stripe) or a
// decimal string (PayPal, Shopify); both end up with the currency's number of decimals.

/** ISO 4217 currencies whose minor unit is not 2. Everything else has 2 decimals. */
const ISO_EXPONENT: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/**
 * Stripe's own table, which differs from ISO for a few currencies: MGA is zero-decimal at
 * Stripe, and ISK, HUF and TWD are sent as two-decimal amounts for backwards compatibility
 * (docs.stripe.com/currencies#special-cases).
 */
const STRIPE_ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const STRIPE_THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function isoExponent(currency: string): number {
  return Object.hasOwn(ISO_EXPONENT, currency.toUpperCase()) ? ISO_EXPONENT[currency.toUpperCase()]! : 2;
}

export function stripeExponent(currency: string): number {
  const c = currency.toUpperCase();
  if (STRIPE_ZERO_DECIMAL.has(c)) return 0;
  if (STRIPE_THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** 1999 with exponent 2 → "19.99"; 1500 with exponent 0 → "1500"; -5 with 2 → "-0.05". */
export function minorToDecimal(minor: number | bigint, exponent: number): string {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount: ${minor}`);
  const n = BigInt(minor);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString();
  if (exponent === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(exponent + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * "11.5" USD → "11.50"; "1500.00" JPY → "1500". A value with more significant decimals than
 * the currency allows is returned unchanged rather than rounded: money is never altered.
 */
export function normalizeDecimal(value: string, currency: string): string {
  const m = DECIMAL.exec(value.trim());
  if (!m) return value.trim();
  const [, sign = '', whole = '0', frac = ''] = m;
  const exponent = isoExponent(currency);
  const trimmed = frac.replace(/0+$/, '');
  if (trimmed.length > exponent) return value.trim();
  const intPart = whole.replace(/^0+(?=\d)/, '');
  return exponent === 0 ? `${sign}${intPart}` : `${sign}${intPart}.${trimmed.padEnd(exponent, '0')}`;
}

/**
 * A non-negative decimal amount sent as a string ("49.99") or a JSON number (49.99), as a string.
 * A number is held to the same shape as its text: no exponent (1e300, 1e-7), at most `digits`
 * digits before the point and `decimals` after, so nothing out of range or rounded by floating
 * point reaches the money column or a card.
 */
export function decimalAmount(digits: number, decimals: number, example: string) {
  const shape = new RegExp(`^\\d{1,${digits}}(\\.\\d{1,${decimals}})?$`);
  const message = `must be a decimal amount such as "${example}" (at most ${digits} digits, ${decimals} decimals)`;
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const text = String(v);
    if (shape.test(text)) return text;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}
