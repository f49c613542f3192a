import type { DayRange, RefundTo, ReturnShipping, StorePolicy } from '../policy';
import type { ReplyLanguage } from '../review-reply';

// A reply to a customer, drafted the way the brief says every after-sales reply must be written:
// (1) confirmation of the customer's specific issue, (2) current status and reason in plain
// language, (3) next action, expected timing and owner, (4) what the customer must provide and
// why, only when something is needed, (5) a clear contact path.

export const REPLY_TYPES = [
  'delay',
  'order_status',
  'damage',
  'missing',
  'wrong_item',
  'quality',
  'return',
  'exchange',
  'refund',
  'cancel',
  'address_change',
  'dispute',
  'general',
] as const;
export type ReplyType = (typeof REPLY_TYPES)[number];

export const REPLY_PARTS = ['confirmation', 'status', 'next', 'needs', 'contact'] as const;
export type ReplyPart = (typeof REPLY_PARTS)[number];

/** Where the parcel is, as far as the store knows. */
export type ShipmentState = 'unfulfilled' | 'in_transit' | 'delivered' | 'returned' | 'cancelled';

export interface ReplyOrder {
  /** The name the customer knows (#1042). */
  name: string | null;
  country: string | null;
  carrier: string | null;
  tracking: string | null;
  state: ShipmentState | null;
  orderedAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  /** A shipping method the policy knows (standard, express). */
  method: string | null;
}

/** Everything a draft is made from: the case, its order, the store's policy and the moment. */
export interface ReplyFacts {
  language: ReplyLanguage;
  type: ReplyType;
  customerName: string | null;
  /** The customer's subject and message, to quote what they reported in their own words. */
  subject: string;
  body: string;
  order: ReplyOrder | null;
  /** Who owns the next step (the agent's first name, or null: "our team"). */
  owner: string | null;
  policy: StorePolicy;
  now: Date;
}

/** A question the store's written policy could not answer while drafting (for the weekly digest). */
export type PolicyGap = 'delivery_window' | 'returns' | 'refunds' | 'exchanges' | 'contact';

export interface ReplyDraft {
  language: ReplyLanguage;
  type: ReplyType;
  greeting: string;
  parts: Record<Exclude<ReplyPart, 'needs'>, string> & { needs: string | null };
  signoff: string;
  gaps: PolicyGap[];
  /** The date the draft says the customer will next hear from the store, when it names one. */
  nextUpdateBy: Date | null;
}

/** What the phrase book of one language gives the composer. Dates arrive already formatted. */
export interface ReplyPhrases {
  greeting(name: string | null): string;
  signoff(owner: string | null): string;
  /** The customer's own words: about what went wrong (sorry), or what they asked for. */
  quoted(quote: string, sorry: boolean): string;
  /** No words worth quoting: the issue as the case type says it. */
  issue(type: ReplyType, order: string | null): string;
  status: {
    unfulfilled(order: string | null): string;
    inTransit(p: { order: string | null; carrier: string | null; tracking: string | null; shipped: string | null }): string;
    delivered(p: { order: string | null; carrier: string | null; delivered: string | null }): string;
    returned(order: string | null): string;
    cancelled(order: string | null): string;
    unknown(order: string | null): string;
    /** Beside a delay: how long delivery to the country usually takes, from the policy (the country by name). */
    window(p: { country: string | null; days: DayRange }): string;
    /** Past the window: plainly late. */
    late(): string;
  };
  next: {
    /** Checking with the carrier, with the date of the next update (one the store controls). */
    chaseCarrier(p: { carrier: string | null; by: string; owner: string | null }): string;
    /** Replacement or refund once the evidence is in, with the refund timing when the policy has one. */
    resolveClaim(p: { refundDays: DayRange | null; owner: string | null }): string;
    return(p: { windowDays: number | null; whoPays: ReturnShipping | null; refundDays: DayRange | null }): string;
    exchange(p: { windowDays: number | null; allowed: boolean | null }): string;
    refund(p: { refundDays: DayRange | null; to: RefundTo | null; owner: string | null }): string;
    cancel(p: { shipped: boolean; refundDays: DayRange | null }): string;
    addressChange(p: { shipped: boolean }): string;
    dispute(p: { by: string; owner: string | null }): string;
    general(p: { by: string; owner: string | null }): string;
  };
  needs: {
    /** Each piece of evidence with the reason it is needed. */
    evidence(items: readonly string[]): string;
    photos: string;
    video: string;
    packaging_photos: string;
    order_number: string;
    proof_of_purchase: string;
    /** For a return or exchange: which item, and (for an exchange) the size or colour wanted. */
    exchangeChoice: string;
    newAddress: string;
  };
  contact(path: string | null): string;
  /** Formats a date for the customer (day and month). */
  date(d: Date): string;
}

/** Longest a part may be: the whole reply must show in one Slack thread post as it will be sent. */
export const PART_MAX = { greeting: 200, confirmation: 1200, status: 800, next: 800, needs: 800, contact: 400, signoff: 200 } as const;
