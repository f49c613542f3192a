// The store's promises in one place: delivery windows, returns, refunds, exchanges, what a damage
// claim needs and the official contact path. Replies are drafted from it and checked against it,
// so support says what the pages say. Pure: the workspace config supplies the values.

/** A range of business days, both ends included ([2, 4]: two to four business days). */
export type DayRange = readonly [number, number];

export interface DeliveryRule {
  /** ISO 3166 alpha-2 codes, or "*" for everywhere else. */
  countries: readonly string[];
  /** A shipping method the store offers (standard, express…). */
  method: string;
  business_days: DayRange;
}

export const RETURN_SHIPPING = ['customer', 'store', 'store_if_faulty'] as const;
export type ReturnShipping = (typeof RETURN_SHIPPING)[number];

export const REFUND_TO = ['original_payment', 'store_credit', 'customer_choice'] as const;
export type RefundTo = (typeof REFUND_TO)[number];

export const CLAIM_EVIDENCE = ['photos', 'order_number', 'video', 'packaging_photos', 'proof_of_purchase'] as const;
export type ClaimEvidence = (typeof CLAIM_EVIDENCE)[number];

export interface StorePolicy {
  /** How a customer reaches the team officially ("support@… or the chat on …/help"). */
  contact: string | null;
  /** The store's home country: the default for orders without one. */
  home_country: string | null;
  delivery: readonly DeliveryRule[];
  /** null: the store has not written it down, so a reply promises nothing about it. */
  returns: { window_days: number; return_shipping: ReturnShipping; condition: string | null } | null;
  refunds: { business_days: DayRange; to: RefundTo } | null;
  exchanges: { allowed: boolean; window_days: number | null } | null;
  /** What a damage or missing-item claim needs (the brief: photos and order details, kept simple). */
  damage_claims: { requires: readonly ClaimEvidence[]; report_within_days: number | null };
}

/** A store that has written nothing down: replies ask for photos and the order number, and promise nothing. */
export const EMPTY_POLICY: StorePolicy = {
  contact: null,
  home_country: null,
  delivery: [],
  returns: null,
  refunds: null,
  exchanges: null,
  damage_claims: { requires: ['photos', 'order_number'], report_within_days: null },
};

/**
 * The delivery window for a country and method: the rule naming the country first, then "*";
 * the method when given, else the first rule that fits (the store lists its usual method first).
 */
export function deliveryWindow(policy: StorePolicy, country: string | null, method?: string | null): DeliveryRule | null {
  const c = (country ?? policy.home_country ?? '').toUpperCase();
  const fits = (r: DeliveryRule) => !method || r.method.toLowerCase() === method.toLowerCase();
  const named = policy.delivery.filter((r) => r.countries.some((x) => x.toUpperCase() === c) && fits(r));
  if (named.length > 0) return named[0]!;
  const anywhere = policy.delivery.filter((r) => r.countries.includes('*') && fits(r));
  if (anywhere.length > 0) return anywhere[0]!;
  return method ? deliveryWindow(policy, country, null) : null;
}

/** The longest any delivery may take under the policy (for a promise naming no country). */
export function longestDelivery(policy: StorePolicy): number | null {
  return policy.delivery.length === 0 ? null : Math.max(...policy.delivery.map((r) => r.business_days[1]));
}

/** Adds business days (Monday to Friday) to a date, in UTC calendar days. */
export function addBusinessDays(from: Date, days: number): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

/** Business days from one date to a later one (0 when the later one is not later). */
export function businessDaysBetween(from: Date, to: Date): number {
  let n = 0;
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  while (d.getTime() < end) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

const RETURN_SHIPPING_WORDS: Record<ReturnShipping, string> = {
  customer: 'the customer pays return shipping',
  store: 'return shipping is free (the store sends a label)',
  store_if_faulty: 'return shipping is free when the item is faulty, otherwise the customer pays it',
};
const REFUND_TO_WORDS: Record<RefundTo, string> = {
  original_payment: 'to the original payment method',
  store_credit: 'as store credit',
  customer_choice: 'to the original payment method or as store credit, as the customer prefers',
};
const EVIDENCE_WORDS: Record<ClaimEvidence, string> = {
  photos: 'photos of the item',
  video: 'a short video',
  packaging_photos: 'a photo of the box',
  order_number: 'the order number',
  proof_of_purchase: 'proof of purchase',
};

/** The policy in plain sentences, as staff and replies should state it; "not written down" where it is silent. */
export function describePolicy(p: StorePolicy): string[] {
  const days = ([a, b]: DayRange) => (a === b ? `${a} business day${a === 1 ? '' : 's'}` : `${a} to ${b} business days`);
  const lines: string[] = [];
  lines.push(p.contact ? `Customers reach the team at: ${p.contact}.` : 'Contact path: not written down (replies say "reply to this message").');
  if (p.delivery.length === 0) lines.push('Delivery times: not written down (replies name no delivery window).');
  for (const r of p.delivery) {
    const where = r.countries.includes('*') ? 'everywhere else' : r.countries.join(', ');
    lines.push(`Delivery, ${r.method}, to ${where}: ${days(r.business_days)}.`);
  }
  lines.push(
    p.returns
      ? `Returns: within ${p.returns.window_days} days of delivery${p.returns.condition ? ` (${p.returns.condition})` : ''}; ${RETURN_SHIPPING_WORDS[p.returns.return_shipping]}.`
      : 'Returns: not written down (replies promise nothing about them).',
  );
  lines.push(p.refunds ? `Refunds: ${days(p.refunds.business_days)}, ${REFUND_TO_WORDS[p.refunds.to]}.` : 'Refunds: not written down (replies name no refund time).');
  lines.push(
    p.exchanges
      ? p.exchanges.allowed
        ? `Exchanges: offered${p.exchanges.window_days !== null ? `, within ${p.exchanges.window_days} days of delivery` : ''}.`
        : 'Exchanges: not offered (return and order again).'
      : 'Exchanges: not written down.',
  );
  const needs = p.damage_claims.requires.map((e) => EVIDENCE_WORDS[e]);
  lines.push(
    `Damage or missing items: ${needs.length > 0 ? `the customer sends ${needs.join(', ')}` : 'nothing is asked of the customer'}${p.damage_claims.report_within_days !== null ? `, within ${p.damage_claims.report_within_days} days of delivery` : ''}.`,
  );
  return lines;
}
