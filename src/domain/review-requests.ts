import { getCountry } from 'countries-and-timezones';
import { DateTime } from 'luxon';

// Review requests timed by real delivery, pure: when to ask (a delay per country or product, in
// the customer's daytime), whom not to ask (a cap per customer, one request per product a year),
// and when to hold back (the customer has an open case, a refund under way or an open dispute)
// or not ask at all (a case about this order's quality or delivery). Every function takes `now`.
// Review apps time requests after delivery but none holds one back while the customer has an
// open support case: Trustloop sees both sides, so it does.

export const DAY_MS = 86_400_000;

/** Where a request is in its life. Held and scheduled are waiting; the rest are final or sent. */
export const REQUEST_STATUSES = ['scheduled', 'held', 'sent', 'reviewed', 'skipped', 'completed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Why a request waits: each is shown with the request, and released when it clears. */
export const HOLD_REASONS = ['open_case', 'refund_in_progress', 'open_dispute'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** Why a request is never sent. */
export const SKIP_REASONS = [
  'case_about_order',
  'customer_cap',
  'product_recently_requested',
  'unsubscribed',
  'erased',
  'held_too_long',
  'no_email',
  'no_products',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const HOLD_LABELS: Record<HoldReason, string> = {
  open_case: 'the customer has an open support case',
  refund_in_progress: 'a refund or return is in progress',
  open_dispute: 'the customer has an open payment dispute',
};

export const SKIP_LABELS: Record<SkipReason, string> = {
  case_about_order: 'a case was about this order’s quality or delivery',
  customer_cap: 'the customer was already asked for a review in the cap window',
  product_recently_requested: 'every product was already part of a request in the last 12 months',
  unsubscribed: 'the customer unsubscribed from review requests',
  erased: 'the customer’s data was erased',
  held_too_long: 'held back longer than the hold limit',
  no_email: 'no e-mail address for the customer',
  no_products: 'the order has no products to review',
};

/**
 * Tags that say the order itself went wrong: asking such a customer for a review is tone-deaf
 * even once the case is closed, so the request is dropped, not held.
 */
export const ORDER_PROBLEM_TAGS = ['damaged', 'quality', 'missing_item', 'wrong_item', 'shipping_delay'] as const;
/** Tags that mean money is on its way back: the request waits until the case is closed. */
export const REFUND_TAGS = ['refund', 'return_request', 'exchange'] as const;

export interface RequestPolicy {
  /** The store's own country (ISO 3166-1 alpha-2): deliveries there are domestic. */
  homeCountry: string;
  domesticDays: number;
  internationalDays: number;
  /** Delay per destination country, overriding domestic/international. */
  countryDays: Record<string, number>;
  /** Delay per product (SKU or product id), overriding the country: the longest of an order's products wins. */
  productDays: Record<string, number>;
  /** Days after the previous send for each reminder (at most two). */
  reminderDays: number[];
  /** At most `customerCap` requests (reminders not counted) per customer in `customerCapDays`. */
  customerCap: number;
  customerCapDays: number;
  /** A product is part of at most one request per customer in this many days. */
  productRepeatDays: number;
  /** The customer's daytime, local minutes after midnight: [start, end). */
  windowStartMin: number;
  windowEndMin: number;
  /** A request held back longer than this past its due time is dropped. */
  maxHoldDays: number;
}

export const DEFAULT_POLICY: RequestPolicy = {
  homeCountry: 'US',
  domesticDays: 7,
  internationalDays: 14,
  countryDays: {},
  productDays: {},
  reminderDays: [5, 7],
  customerCap: 1,
  customerCapDays: 30,
  productRepeatDays: 365,
  windowStartMin: 9 * 60,
  windowEndMin: 20 * 60,
  maxHoldDays: 30,
};

export interface DeliveredProduct {
  /** SKU or the platform's product id: what the per-product limits and delays key on. */
  key: string;
  name: string;
  /** The store platform's product id (Shopify product_id), when known: a review platform asks by it. */
  productId?: string;
}

export interface Delivery {
  country: string | null;
  products: DeliveredProduct[];
  deliveredAt: Date;
}

/** Days to wait after delivery: the longest per-product delay, else the country's, else domestic/international. */
export function delayDays(policy: RequestPolicy, d: Pick<Delivery, 'country' | 'products'>): number {
  const perProduct = d.products.map((p) => policy.productDays[p.key]).filter((n): n is number => n !== undefined);
  if (perProduct.length > 0) return Math.max(...perProduct);
  const country = d.country?.toUpperCase() ?? null;
  if (country && policy.countryDays[country] !== undefined) return policy.countryDays[country]!;
  if (country === null || country === policy.homeCountry.toUpperCase()) return policy.domesticDays;
  return policy.internationalDays;
}

// ---- the customer's daytime ------------------------------------------------------------------

/** The time zones to respect for a customer: their own when known, else every zone of their country. */
export function customerZones(p: { timezone?: string | null; country?: string | null; storeTimezone: string }): string[] {
  if (p.timezone && DateTime.local().setZone(p.timezone).isValid) return [p.timezone];
  const country = p.country ? getCountry(p.country.toUpperCase()) : null;
  if (country && country.timezones.length > 0) return [...country.timezones];
  return [p.storeTimezone];
}

function minutesIn(t: Date, zone: string): number {
  const local = DateTime.fromJSDate(t, { zone });
  return local.hour * 60 + local.minute;
}

function inWindow(t: Date, zones: readonly string[], startMin: number, endMin: number): boolean {
  return zones.every((z) => {
    const m = minutesIn(t, z);
    return m >= startMin && m < endMin;
  });
}

/**
 * The first instant at or after `t` that is daytime for the customer. A country spanning several
 * zones is asked when it is daytime in all of them; where no such hour exists (Russia spans eleven
 * hours) the zone in the middle of the country's offsets is used.
 */
export function nextDaytime(t: Date, zones: readonly string[], policy: Pick<RequestPolicy, 'windowStartMin' | 'windowEndMin'>): Date {
  const { windowStartMin: s, windowEndMin: e } = policy;
  const found = searchWindow(t, zones, s, e);
  if (found) return found;
  const byOffset = [...zones].sort((a, b) => DateTime.fromJSDate(t, { zone: a }).offset - DateTime.fromJSDate(t, { zone: b }).offset);
  return searchWindow(t, [byOffset[Math.floor(byOffset.length / 2)]!], s, e) ?? t;
}

function searchWindow(t: Date, zones: readonly string[], s: number, e: number): Date | null {
  if (inWindow(t, zones, s, e)) return t;
  // Every quarter hour for two days: zones differ by whole quarter hours, and a daylight-saving
  // change moves the window by at most one hour, so the first quarter found is the window's start.
  const start = Math.ceil(t.getTime() / 900_000) * 900_000;
  for (let i = 0; i <= 2 * 96; i++) {
    const c = new Date(start + i * 900_000);
    if (inWindow(c, zones, s, e)) return c;
  }
  return null;
}

// ---- planning and deciding ------------------------------------------------------------------

/** When the first request falls due: delivery plus the delay, moved into the customer's daytime. */
export function firstDueAt(policy: RequestPolicy, d: Delivery, zones: readonly string[]): Date {
  return nextDaytime(new Date(d.deliveredAt.getTime() + delayDays(policy, d) * DAY_MS), zones, policy);
}

/** A case of the same customer, as far as review requests care. */
export interface CustomerCase {
  open: boolean;
  tags: readonly string[];
  /** True when the case is about this request's order. */
  aboutThisOrder: boolean;
}

/** What Trustloop knows about the customer when a request falls due. */
export interface RequestContext {
  unsubscribed: boolean;
  erased: boolean;
  hasEmail: boolean;
  cases: readonly CustomerCase[];
  openDispute: boolean;
  /** When this customer was sent other requests (first sends only, not reminders), newest first. */
  otherRequestsSentAt: readonly Date[];
  /** Products of this request already part of another request sent within the repeat window. */
  productsRecentlyRequested: ReadonlySet<string>;
  /** The customer has reviewed (through this request or on their own) since the request was made. */
  reviewed: boolean;
}

export interface RequestState {
  status: RequestStatus;
  /** When the next send (the first request or a reminder) is due. */
  dueAt: Date;
  /** Sends so far: 0 before the first request, 1 after it, up to 1 + reminders. */
  sends: number;
  products: readonly DeliveredProduct[];
  heldSince: Date | null;
}

export type Decision =
  | { action: 'send'; step: number; products: DeliveredProduct[] }
  | { action: 'wait'; until: Date }
  | { action: 'hold'; reasons: HoldReason[] }
  | { action: 'skip'; reason: SkipReason }
  | { action: 'complete'; reason: 'reviewed' | 'reminders_done' };

/** The holds that apply now, most specific first. */
export function holdReasons(ctx: Pick<RequestContext, 'cases' | 'openDispute'>): HoldReason[] {
  const out: HoldReason[] = [];
  const open = ctx.cases.filter((c) => c.open);
  if (open.some((c) => c.tags.some((t) => (REFUND_TAGS as readonly string[]).includes(t)))) out.push('refund_in_progress');
  if (ctx.openDispute) out.push('open_dispute');
  if (open.length > 0 && !out.includes('refund_in_progress')) out.push('open_case');
  return out;
}

/**
 * What to do with a request now. Called when it falls due and whenever it is looked at again
 * (a held request is looked at until its holds clear). The order of checks is the brief's:
 * the customer's wishes first (unsubscribed, erased), then what went wrong with this order,
 * then holds, then the limits, and only then the send, in the customer's daytime.
 */
export function decide(policy: RequestPolicy, s: RequestState, ctx: RequestContext, zones: readonly string[], now: Date): Decision {
  if (s.status === 'skipped' || s.status === 'completed' || s.status === 'reviewed') {
    return { action: 'complete', reason: s.status === 'reviewed' ? 'reviewed' : 'reminders_done' };
  }
  if (ctx.erased) return { action: 'skip', reason: 'erased' };
  if (ctx.unsubscribed) return { action: 'skip', reason: 'unsubscribed' };
  if (!ctx.hasEmail) return { action: 'skip', reason: 'no_email' };
  if (s.sends > 0 && ctx.reviewed) return { action: 'complete', reason: 'reviewed' };
  if (s.sends > policy.reminderDays.length) return { action: 'complete', reason: 'reminders_done' };
  if (now < s.dueAt) return { action: 'wait', until: s.dueAt };
  if (ctx.cases.some((c) => c.aboutThisOrder && c.tags.some((t) => (ORDER_PROBLEM_TAGS as readonly string[]).includes(t)))) {
    return { action: 'skip', reason: 'case_about_order' };
  }
  const holds = holdReasons(ctx);
  if (holds.length > 0) {
    const since = s.heldSince ?? now;
    if (now.getTime() - Math.max(since.getTime(), s.dueAt.getTime()) > policy.maxHoldDays * DAY_MS) {
      return { action: 'skip', reason: 'held_too_long' };
    }
    return { action: 'hold', reasons: holds };
  }
  if (s.sends === 0) {
    if (ctx.reviewed) return { action: 'complete', reason: 'reviewed' };
    const windowStart = now.getTime() - policy.customerCapDays * DAY_MS;
    const inWindowCount = ctx.otherRequestsSentAt.filter((t) => t.getTime() > windowStart).length;
    if (inWindowCount >= policy.customerCap) return { action: 'skip', reason: 'customer_cap' };
    const products = s.products.filter((p) => !ctx.productsRecentlyRequested.has(p.key));
    if (products.length === 0) return { action: 'skip', reason: s.products.length === 0 ? 'no_products' : 'product_recently_requested' };
    const at = nextDaytime(now, zones, policy);
    if (at > now) return { action: 'wait', until: at };
    return { action: 'send', step: 0, products };
  }
  // A reminder: released from a hold at night, it waits for the morning like the first request.
  const at = nextDaytime(now, zones, policy);
  if (at > now) return { action: 'wait', until: at };
  return { action: 'send', step: s.sends, products: [...s.products] };
}

/** When the send after `step` falls due, or null when that was the last reminder. */
export function nextDueAfterSend(policy: RequestPolicy, step: number, sentAt: Date, zones: readonly string[]): Date | null {
  const days = policy.reminderDays[step];
  if (days === undefined) return null;
  return nextDaytime(new Date(sentAt.getTime() + days * DAY_MS), zones, policy);
}

// ---- figures ---------------------------------------------------------------------------------

/** A review counts as answering a request when written within this many days of the first e-mail. */
export const REQUEST_ATTRIBUTION_DAYS = 60;

/** Review requests over a period, for metrics and the digest. */
export interface RequestFigures {
  /** Requests whose first e-mail went out in the period. */
  sent: number;
  /** Of those, how many the customer answered with a review. */
  reviewed: number;
  /** Of those reviews, how many have a photo or a video. */
  withMedia: number;
  /** Median time from the first e-mail to the review. */
  medianMsToReview: number | null;
  /** Requests due in the period that were held back because of an open case, refund or dispute. */
  held: number;
  /** Reviews written in the period after a request, and those that came on their own. */
  fromRequests: { count: number; averageRating: number | null };
  unsolicited: { count: number; averageRating: number | null };
}

export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
