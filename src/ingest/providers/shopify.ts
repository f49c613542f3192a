import { z } from 'zod';
import { decimalAmount, normalizeDecimal } from './money';
import { cardReasonText } from './reasons';
import {
  type DisputeEvent,
  type DisputeItem,
  type DisputeState,
  type CustomerEvent,
  type FulfillmentEvent,
  type Headers,
  type RefundEvent,
  type StoreEvent,
  type ParseResult,
  PayloadError,
  type OrderEvent,
  type ProviderAdapter,
  type Secrets,
  SignatureError,
} from './types';
import { contentId, dateString, decodeDigest, header, hmacMatches, idSchema, own, parseJson, validate } from './util';

// Shopify Payments disputes (topics disputes/create and disputes/update) and the store's orders
// (orders/create, orders/updated, orders/cancelled, orders/fulfilled, orders/partially_fulfilled,
// orders/paid), fulfillments (fulfillments/create, fulfillments/update), refunds (refunds/create)
// and customers (customers/create, customers/update), by X-Shopify-Topic. Orders are the store's
// memory: a dispute names Shopify's numeric order id, and the team knows the order as "#1042".
// X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body, app client secret)).
// Idempotency: X-Shopify-Webhook-Id, which a retry of the same delivery keeps.

export const PROVIDER = 'shopify';
export const SIGNATURE_HEADER = 'x-shopify-hmac-sha256';

export function verify(headers: Headers, rawBody: Buffer, secrets: Secrets, _now: Date): void {
  const given = header(headers, SIGNATURE_HEADER);
  if (!given) throw new SignatureError(PROVIDER, 'missing_header', 'The X-Shopify-Hmac-Sha256 header is missing.');
  const candidates = decodeDigest(given, ['base64']);
  if (hmacMatches({ provider: PROVIDER, secrets, messages: [rawBody], given: candidates })) return;
  throw new SignatureError(PROVIDER, 'mismatch', 'X-Shopify-Hmac-Sha256 does not match the body and the configured secret.');
}

const amount = decimalAmount(15, 6, '11.50');

export const shopifyDisputeSchema = z.object({
  id: idSchema,
  order_id: idSchema.nullish(),
  type: z.string().min(1),
  amount,
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
  reason: z.string().min(1),
  network_reason_code: z.union([z.string(), z.number()]).nullish(),
  status: z.string().min(1),
  evidence_due_by: dateString.nullish(),
  evidence_sent_on: dateString.nullish(),
  finalized_on: dateString.nullish(),
  initiated_at: dateString,
});

const FINAL_STATES: Record<string, DisputeState> = {
  won: 'won',
  lost: 'lost',
  // The merchant accepted the dispute (or refunded the charge): the customer keeps the money.
  accepted: 'lost',
  charge_refunded: 'lost',
  prevented: 'closed',
};

function stateOf(status: string, finalized: boolean): DisputeState {
  const final = own(FINAL_STATES, status);
  if (final) return final;
  if (status === 'under_review') return 'under_review';
  if (finalized) return 'closed';
  return 'needs_response';
}

const ORDER_TOPICS: Record<string, OrderEvent['action']> = {
  'orders/create': 'created',
  'orders/updated': 'updated',
  'orders/cancelled': 'cancelled',
  // These carry the whole order too: the newest version wins by updated_at whichever topic brought it.
  'orders/fulfilled': 'updated',
  'orders/partially_fulfilled': 'updated',
  'orders/paid': 'updated',
};

const FULFILLMENT_TOPICS: Record<string, FulfillmentEvent['action']> = {
  'fulfillments/create': 'created',
  'fulfillments/update': 'updated',
};

const CUSTOMER_TOPICS: Record<string, CustomerEvent['action']> = {
  'customers/create': 'created',
  'customers/update': 'updated',
};

const lineItem = z.object({
  sku: z.string().nullish(),
  product_id: z.union([z.number().int(), z.string()]).nullish(),
  title: z.string().nullish(),
  name: z.string().nullish(),
  quantity: z.number().int().nonnegative().default(1),
});

export const shopifyOrderSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  email: z.string().max(320).nullish(),
  contact_email: z.string().max(320).nullish(),
  created_at: dateString,
  updated_at: dateString.nullish(),
  cancelled_at: dateString.nullish(),
  total_price: amount,
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  customer: z
    .object({ id: idSchema.nullish(), email: z.string().nullish(), first_name: z.string().nullish(), last_name: z.string().nullish() })
    .nullish(),
  shipping_address: z.object({ country_code: z.string().nullish(), name: z.string().nullish() }).nullish(),
  billing_address: z.object({ country_code: z.string().nullish(), name: z.string().nullish() }).nullish(),
  line_items: z.array(lineItem).max(5_000).default([]),
  fulfillments: z.array(z.unknown()).max(1_000).nullish(),
});

const text = (max: number) => z.string().max(max).nullish();

export const shopifyFulfillmentSchema = z.object({
  id: idSchema,
  order_id: idSchema,
  status: z.string().min(1).max(100).nullish(),
  shipment_status: text(100),
  tracking_company: text(200),
  tracking_number: text(200),
  tracking_numbers: z.array(z.string().max(200)).max(100).nullish(),
  tracking_url: text(2000),
  tracking_urls: z.array(z.string().max(2000)).max(100).nullish(),
  created_at: dateString,
  updated_at: dateString.nullish(),
  line_items: z.array(lineItem).max(5_000).default([]),
});

const refundTransaction = z.object({
  amount: amount,
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
    .nullish(),
  kind: z.string().nullish(),
  status: z.string().nullish(),
});

export const shopifyRefundSchema = z.object({
  id: idSchema,
  order_id: idSchema,
  created_at: dateString,
  processed_at: dateString.nullish(),
  note: text(5000),
  refund_line_items: z
    .array(z.object({ quantity: z.number().int().nonnegative().default(1), line_item: lineItem.nullish() }))
    .max(5_000)
    .default([]),
  transactions: z.array(refundTransaction).max(1_000).default([]),
});

export const shopifyCustomerSchema = z.object({
  id: idSchema,
  email: text(320),
  first_name: text(200),
  last_name: text(200),
  orders_count: z.number().int().nonnegative().nullish(),
  total_spent: amount.nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
    .nullish(),
  created_at: dateString.nullish(),
  updated_at: dateString.nullish(),
  default_address: z.object({ country_code: z.string().nullish() }).nullish(),
});

function itemsOf(lines: z.infer<typeof lineItem>[]): DisputeItem[] {
  return lines
    .map((i) => ({
      name: (i.name ?? i.title ?? '').trim(),
      ...(i.sku?.trim() ? { sku: i.sku.trim() } : {}),
      quantity: i.quantity,
      ...(i.product_id !== null && i.product_id !== undefined && String(i.product_id).trim() ? { productId: String(i.product_id).trim() } : {}),
    }))
    .filter((i) => i.name || i.sku)
    .map((i) => ({ ...i, name: i.name || i.sku! }));
}

const clean = (v: string | null | undefined) => (v?.trim() ? v.trim() : undefined);

/** A fulfillment, from its own webhook or from inside an order payload (prefix names the field path). */
export function fulfillmentFrom(
  json: unknown,
  eventId: string,
  action: FulfillmentEvent['action'],
  prefix: (string | number)[] = [],
): FulfillmentEvent {
  const f = validate(PROVIDER, shopifyFulfillmentSchema, json, prefix);
  const trackingNumber = clean(f.tracking_number) ?? clean(f.tracking_numbers?.[0]);
  const trackingUrl = clean(f.tracking_url) ?? clean(f.tracking_urls?.[0]);
  const carrier = clean(f.tracking_company);
  const shipmentStatus = clean(f.shipment_status)?.toLowerCase();
  return {
    kind: 'fulfillment',
    provider: PROVIDER,
    eventId,
    action,
    externalId: f.id,
    orderExternalId: f.order_id,
    status: clean(f.status)?.toLowerCase() ?? 'success',
    ...(shipmentStatus ? { shipmentStatus } : {}),
    ...(carrier ? { carrier } : {}),
    ...(trackingNumber ? { trackingNumber } : {}),
    ...(trackingUrl && /^https?:\/\//i.test(trackingUrl) ? { trackingUrl } : {}),
    items: itemsOf(f.line_items),
    createdAt: f.created_at,
    ...(f.updated_at ? { occurredAt: f.updated_at } : {}),
    raw: json,
  };
}

function refundEvent(json: unknown, eventId: string): RefundEvent {
  const r = validate(PROVIDER, shopifyRefundSchema, json);
  // What left the store: successful refund transactions (a refund can also only restock items).
  const paid = r.transactions.filter((t) => (t.kind ?? 'refund') === 'refund' && (t.status ?? 'success') === 'success');
  const currency = paid.find((t) => t.currency)?.currency?.toUpperCase() ?? null;
  const minor = paid.reduce((n, t) => n + Math.round(Number(t.amount) * 10_000), 0);
  const total = (minor / 10_000).toFixed(4).replace(/\.?0+$/, '');
  const note = clean(r.note);
  return {
    kind: 'refund',
    provider: PROVIDER,
    eventId,
    action: 'created',
    externalId: r.id,
    orderExternalId: r.order_id,
    amount: currency ? normalizeDecimal(total, currency) : total,
    currency,
    ...(note ? { note } : {}),
    items: itemsOf(r.refund_line_items.flatMap((l) => (l.line_item ? [{ ...l.line_item, quantity: l.quantity }] : []))),
    createdAt: r.processed_at ?? r.created_at,
    raw: json,
  };
}

function customerEvent(json: unknown, eventId: string, action: CustomerEvent['action']): CustomerEvent {
  const c = validate(PROVIDER, shopifyCustomerSchema, json);
  const name = [c.first_name, c.last_name].map(clean).filter(Boolean).join(' ');
  const email = clean(c.email)?.toLowerCase();
  const country = clean(c.default_address?.country_code)?.toUpperCase();
  const currency = c.currency?.toUpperCase();
  return {
    kind: 'customer',
    provider: PROVIDER,
    eventId,
    action,
    externalId: c.id,
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
    ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
    ...(c.orders_count != null ? { ordersCount: c.orders_count } : {}),
    ...(c.total_spent != null && currency ? { totalSpent: normalizeDecimal(c.total_spent, currency), currency } : {}),
    ...(c.updated_at ? { occurredAt: c.updated_at } : {}),
    raw: json,
  };
}

function orderEvent(topic: string, action: OrderEvent['action'], json: unknown, headers: Headers, rawBody: Buffer): OrderEvent {
  const o = validate(PROVIDER, shopifyOrderSchema, json);
  const currency = o.currency.toUpperCase();
  const person = [o.customer?.first_name, o.customer?.last_name].filter((x) => x?.trim()).join(' ') || o.shipping_address?.name?.trim();
  const country = (o.shipping_address?.country_code ?? o.billing_address?.country_code)?.trim().toUpperCase();
  const email = (o.email ?? o.contact_email ?? o.customer?.email)?.trim().toLowerCase();
  const items = itemsOf(o.line_items);
  const updatedAt = o.updated_at ?? null;
  const eventId = header(headers, 'x-shopify-webhook-id') ?? `${topic}:${o.id}:${contentId(rawBody)}`;
  // The order payload names its own id on each fulfillment only sometimes: fill it in.
  const fulfillments = (o.fulfillments ?? []).map((f, i) =>
    fulfillmentFrom(
      f && typeof f === 'object' ? { order_id: o.id, ...(f as Record<string, unknown>) } : f,
      `${eventId}:fulfillment:${i}`,
      'updated',
      ['fulfillments', i],
    ),
  );
  return {
    kind: 'order',
    provider: PROVIDER,
    eventId,
    action,
    externalId: o.id,
    name: o.name.trim(),
    ...(email ? { email } : {}),
    ...(person ? { customerName: person } : {}),
    ...(o.customer?.id ? { customerExternalId: o.customer.id } : {}),
    amount: normalizeDecimal(o.total_price, currency),
    currency,
    ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
    items,
    ...(o.financial_status ? { financialStatus: o.financial_status } : {}),
    ...(o.fulfillment_status ? { fulfillmentStatus: o.fulfillment_status } : {}),
    placedAt: o.created_at,
    ...(o.cancelled_at ? { cancelledAt: o.cancelled_at } : {}),
    ...(updatedAt ? { occurredAt: updatedAt } : {}),
    ...(fulfillments.length > 0 ? { fulfillments } : {}),
    raw: json,
  };
}

export function parse(rawBody: Buffer, headers: Headers = {}): ParseResult<DisputeEvent | StoreEvent> {
  const topic = header(headers, 'x-shopify-topic');
  if (!topic) {
    throw new PayloadError(PROVIDER, 'The X-Shopify-Topic header is missing.', [
      { path: 'headers.x-shopify-topic', message: 'is required' },
    ]);
  }
  const orderAction = own(ORDER_TOPICS, topic);
  if (orderAction) return { events: [orderEvent(topic, orderAction, parseJson(PROVIDER, rawBody), headers, rawBody)] };
  const deliveryId = () => header(headers, 'x-shopify-webhook-id') ?? `${topic}:${contentId(rawBody)}`;
  const fulfillmentAction = own(FULFILLMENT_TOPICS, topic);
  if (fulfillmentAction) return { events: [fulfillmentFrom(parseJson(PROVIDER, rawBody), deliveryId(), fulfillmentAction)] };
  if (topic === 'refunds/create') return { events: [refundEvent(parseJson(PROVIDER, rawBody), deliveryId())] };
  const customerAction = own(CUSTOMER_TOPICS, topic);
  if (customerAction) return { events: [customerEvent(parseJson(PROVIDER, rawBody), deliveryId(), customerAction)] };
  if (topic !== 'disputes/create' && topic !== 'disputes/update') return { events: [], ignored: { type: topic } };
  const json = parseJson(PROVIDER, rawBody);
  const d = validate(PROVIDER, shopifyDisputeSchema, json);
  const status = d.status.toLowerCase();
  const finalized = Boolean(d.finalized_on) || own(FINAL_STATES, status) !== undefined;
  // Shopify has no "closed" topic: an update that carries a final status closes the case.
  const action: DisputeEvent['action'] = topic === 'disputes/create' ? 'created' : finalized ? 'closed' : 'updated';
  const currency = d.currency.toUpperCase();
  // X-Shopify-Triggered-At: when Shopify produced this delivery (the same on its retries).
  const triggeredAt = Date.parse(header(headers, 'x-shopify-triggered-at') ?? '');
  const eventId =
    header(headers, 'x-shopify-webhook-id') ?? header(headers, 'x-shopify-event-id') ?? `${topic}:${d.id}:${contentId(rawBody)}`;
  return {
    events: [
      {
        kind: 'dispute',
        provider: PROVIDER,
        eventId,
        action,
        externalId: d.id,
        stage: d.type.toLowerCase() === 'inquiry' ? 'inquiry' : 'chargeback',
        status: d.status,
        state: stateOf(status, finalized),
        reasonCode: d.reason,
        reasonText: cardReasonText(d.reason),
        amount: normalizeDecimal(d.amount, currency),
        currency,
        respondBy: d.evidence_due_by ?? null,
        // Shopify's numeric order id: the name the team knows ("#1042") comes from the stored order.
        ...(d.order_id ? { orderExternalId: d.order_id } : {}),
        ...(Number.isNaN(triggeredAt) ? {} : { occurredAt: new Date(triggeredAt) }),
        createdAt: d.initiated_at,
        raw: json,
      },
    ],
  };
}

export const adapter: ProviderAdapter<Secrets, DisputeEvent | StoreEvent> = { provider: PROVIDER, kind: 'dispute', verify, parse };
