// The provider-neutral events that review, dispute and store adapters produce and services
// apply. They are the domain's vocabulary, so the domain names them without loading ingest.

export const REVIEW_PROVIDERS = ['judgeme', 'trustpilot', 'yotpo', 'okendo', 'generic'] as const;
export type ReviewProvider = (typeof REVIEW_PROVIDERS)[number];

export const DISPUTE_PROVIDERS = ['stripe', 'paypal', 'shopify', 'generic'] as const;
export type DisputeProvider = (typeof DISPUTE_PROVIDERS)[number];

export interface ReviewMedia {
  type: 'image' | 'video';
  url: string;
}

export interface ReviewEvent {
  kind: 'review';
  provider: ReviewProvider;
  /** Idempotency key of this delivery: the same event delivered twice carries the same id. */
  eventId: string;
  action: 'created' | 'updated';
  /** The review id at the provider. */
  externalId: string;
  /** 1–5 stars. */
  rating: number;
  title: string;
  body: string;
  product: { id?: string; handle?: string; title?: string; sku?: string };
  verified: boolean;
  media: ReviewMedia[];
  reviewer: { name?: string; email?: string };
  orderRef?: string;
  language?: string;
  published?: boolean;
  /**
   * When the provider produced this version (its event or updated time), if it says: a delivery
   * older than the newest one applied is stale and changes nothing (providers deliver out of order).
   */
  occurredAt?: Date;
  createdAt: Date;
  raw: unknown;
}

export const DISPUTE_STAGES = ['inquiry', 'chargeback', 'pre_arbitration', 'arbitration'] as const;
export type DisputeStage = (typeof DISPUTE_STAGES)[number];

export const DISPUTE_STATES = ['needs_response', 'under_review', 'won', 'lost', 'closed'] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];

export interface DisputeEvent {
  kind: 'dispute';
  provider: DisputeProvider;
  /** Idempotency key of this delivery: the same event delivered twice carries the same id. */
  eventId: string;
  action: 'created' | 'updated' | 'closed';
  /** The dispute id at the provider. */
  externalId: string;
  stage: DisputeStage;
  /** The provider's own status word, unchanged (e.g. warning_needs_response, WAITING_FOR_SELLER_RESPONSE). */
  status: string;
  state: DisputeState;
  reasonCode: string;
  /** The reason in plain words, e.g. "Customer says the item never arrived". */
  reasonText: string;
  /** Decimal string with the currency's number of decimals, e.g. "49.99", "1500" for JPY. */
  amount: string;
  /** ISO 4217, upper case. */
  currency: string;
  /** The provider's deadline for evidence or a response; null when there is none. */
  respondBy: Date | null;
  /** The order as the team knows it (its name or invoice number, e.g. "#1042"). */
  orderRef?: string;
  /** The store platform's own id of the order (Shopify's numeric id), matched to its name through stored orders. */
  orderExternalId?: string;
  chargeRef?: string;
  customerEmail?: string;
  customerName?: string;
  /** What was bought, when the provider says (PayPal's disputed items). */
  items?: DisputeItem[];
  /** What the buyer (or the store, or the provider) wrote in the dispute, oldest first. */
  messages?: DisputeMessage[];
  /**
   * When the provider produced this version (its event or updated time), if it says: a delivery
   * older than the newest one applied is stale and changes nothing (providers deliver out of order).
   */
  occurredAt?: Date;
  createdAt: Date;
  raw: unknown;
}

export interface DisputeItem {
  name: string;
  sku?: string;
  quantity: number;
  /** The store platform's product id (Shopify product_id), where it sent one: review platforms ask by it. */
  productId?: string;
}

export interface DisputeMessage {
  /** customer: the buyer; store: the merchant's own reply through the provider; provider: its arbiter. */
  author: 'customer' | 'store' | 'provider';
  at: Date | null;
  body: string;
}

/** An order from the store platform (Shopify): the store's memory of who bought what. */
export interface OrderEvent {
  kind: 'order';
  provider: 'shopify';
  eventId: string;
  action: 'created' | 'updated' | 'cancelled';
  /** The platform's id of the order. */
  externalId: string;
  /** The name the team and the customer use, e.g. "#1042". */
  name: string;
  email?: string;
  customerName?: string;
  customerExternalId?: string;
  /** Decimal string, the order total. */
  amount: string;
  currency: string;
  /** ISO 3166 alpha-2 of the shipping address. */
  country?: string;
  items: DisputeItem[];
  financialStatus?: string;
  fulfillmentStatus?: string;
  placedAt: Date;
  cancelledAt?: Date;
  occurredAt?: Date;
  /** Shipments the order payload carries (Shopify includes them in orders/updated). */
  fulfillments?: FulfillmentEvent[];
  raw: unknown;
}

/** A shipment of (part of) an order: carrier, tracking and where the parcel is. */
export interface FulfillmentEvent {
  kind: 'fulfillment';
  provider: 'shopify';
  eventId: string;
  action: 'created' | 'updated';
  /** The platform's id of the fulfillment. */
  externalId: string;
  /** The platform's id of the order it ships. */
  orderExternalId: string;
  /** The fulfillment's own state (pending, open, success, cancelled, error, failure). */
  status: string;
  /** Where the parcel is (label_printed, in_transit, out_for_delivery, delivered, failure, …). */
  shipmentStatus?: string;
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  items: DisputeItem[];
  createdAt: Date;
  /** When the parcel was delivered, where the platform says (the Admin API does; webhooks do not). */
  deliveredAt?: Date;
  occurredAt?: Date;
  raw: unknown;
}

/** Money given back on an order. */
export interface RefundEvent {
  kind: 'refund';
  provider: 'shopify';
  eventId: string;
  action: 'created';
  externalId: string;
  orderExternalId: string;
  /** Decimal string: what was paid back (successful refund transactions). */
  amount: string;
  currency: string | null;
  note?: string;
  items: DisputeItem[];
  createdAt: Date;
  raw: unknown;
}

/** The store platform's customer record: its own count of orders and lifetime spend. */
export interface CustomerEvent {
  kind: 'customer';
  provider: 'shopify';
  eventId: string;
  action: 'created' | 'updated';
  externalId: string;
  email?: string;
  name?: string;
  country?: string;
  ordersCount?: number;
  /** Decimal string, in `currency`. */
  totalSpent?: string;
  currency?: string;
  occurredAt?: Date;
  raw: unknown;
}

export type StoreEvent = OrderEvent | FulfillmentEvent | RefundEvent | CustomerEvent;

export const CONVERSATION_PROVIDERS = ['zendesk', 'helpscout', 'gorgias', 'postmark', 'mailgun'] as const;
export type ConversationProvider = (typeof CONVERSATION_PROVIDERS)[number];

/** One message of a helpdesk ticket or an e-mail thread. */
export interface ConversationMessage {
  /** The message id at the provider (a comment, thread or Message-ID): a repeat is a no-op. */
  id: string;
  /** customer: from the customer · agent: a reply sent to the customer · note: internal. */
  direction: 'customer' | 'agent' | 'note';
  body: string;
  authorName?: string;
  at: Date;
}

/**
 * A helpdesk ticket or an e-mail thread, as one delivery saw it: the case it is (created on
 * first sight), the messages it carries (appended once each), and whether it is now solved.
 */
export interface ConversationEvent {
  kind: 'conversation';
  provider: ConversationProvider;
  eventId: string;
  /** The provider's event type, for the log (zen:event-type:ticket.created, convo.created, …). */
  action: string;
  /** The ticket or conversation id at the provider (for e-mail: the thread's first Message-ID). */
  ticketId: string;
  /** E-mail only: other ids this thread may already be known by (its References and In-Reply-To). */
  threadRefs?: string[];
  /** E-mail only: the case named in the subject ("Re: [TL-1042] …"). */
  caseRef?: number;
  /** Whose ids ticketId and threadRefs are: the provider, or `email` for every inbound e-mail provider. */
  namespace?: string;
  /** The channel the customer used (a TICKET_SOURCES value). */
  source: 'email' | 'live_chat' | 'social_dm' | 'comment' | 'marketplace' | 'other';
  subject: string;
  /** The ticket's opening text, used when the case is created from this delivery. */
  description?: string;
  customer: { name?: string; email?: string; id?: string };
  messages: ConversationMessage[];
  /** The ticket is solved or closed at the provider now. */
  solved?: boolean;
  occurredAt: Date;
  raw: unknown;
}

export type ProviderEvent = ReviewEvent | DisputeEvent | StoreEvent;
