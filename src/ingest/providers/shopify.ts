import { z } from 'zod';
import { decimalAmount, normalizeDecimal } from './money';
import { cardReasonText } from './reasons';
import {
  type DisputeEvent,
  type DisputeItem,
  type DisputeState,
  type Headers,
  type ParseResult,
  PayloadError,
  type OrderEvent,
  type ProviderAdapter,
  type Secrets,
  SignatureError,
} from './types';
import {
  bytesEqual,
  contentId,
  dateString,
  decodeDigest,
  header,
  hmacSha256,
  idSchema,
  own,
  parseJson,
  secretList,
  validate,
} from './util';

// Shopify Payments disputes (topics disputes/create and disputes/update) and the store's orders
// (orders/create, orders/updated, orders/cancelled), by X-Shopify-Topic. Orders are the store's
// memory: a dispute names Shopify's numeric order id, and the team knows the order as "#1042".
// X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body, app client secret)).
// Idempotency: X-Shopify-Webhook-Id, which a retry of the same delivery keeps.

export const PROVIDER = 'shopify';
export const SIGNATURE_HEADER = 'x-shopify-hmac-sha256';

export function verify(headers: Headers, rawBody: Buffer, secrets: Secrets, _now: Date): void {
  const given = header(headers, SIGNATURE_HEADER);
  if (!given) throw new SignatureError(PROVIDER, 'missing_header', 'The X-Shopify-Hmac-Sha256 header is missing.');
  const candidates = decodeDigest(given, ['base64']);
  for (const secret of secretList(PROVIDER, secrets)) {
    const expected = hmacSha256(secret, rawBody);
    if (candidates.some((c) => bytesEqual(c, expected))) return;
  }
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
};

const lineItem = z.object({
  sku: z.string().nullish(),
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
});

function orderEvent(topic: string, action: OrderEvent['action'], json: unknown, headers: Headers, rawBody: Buffer): OrderEvent {
  const o = validate(PROVIDER, shopifyOrderSchema, json);
  const currency = o.currency.toUpperCase();
  const person = [o.customer?.first_name, o.customer?.last_name].filter((x) => x?.trim()).join(' ') || o.shipping_address?.name?.trim();
  const country = (o.shipping_address?.country_code ?? o.billing_address?.country_code)?.trim().toUpperCase();
  const email = (o.email ?? o.contact_email ?? o.customer?.email)?.trim().toLowerCase();
  const items: DisputeItem[] = o.line_items
    .map((i) => ({ name: (i.name ?? i.title ?? '').trim(), ...(i.sku?.trim() ? { sku: i.sku.trim() } : {}), quantity: i.quantity }))
    .filter((i) => i.name || i.sku);
  const updatedAt = o.updated_at ?? null;
  return {
    kind: 'order',
    provider: PROVIDER,
    eventId: header(headers, 'x-shopify-webhook-id') ?? `${topic}:${o.id}:${contentId(rawBody)}`,
    action,
    externalId: o.id,
    name: o.name.trim(),
    ...(email ? { email } : {}),
    ...(person ? { customerName: person } : {}),
    ...(o.customer?.id ? { customerExternalId: o.customer.id } : {}),
    amount: normalizeDecimal(o.total_price, currency),
    currency,
    ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
    items: items.map((i) => ({ ...i, name: i.name || i.sku! })),
    ...(o.financial_status ? { financialStatus: o.financial_status } : {}),
    ...(o.fulfillment_status ? { fulfillmentStatus: o.fulfillment_status } : {}),
    placedAt: o.created_at,
    ...(o.cancelled_at ? { cancelledAt: o.cancelled_at } : {}),
    ...(updatedAt ? { occurredAt: updatedAt } : {}),
    raw: json,
  };
}

export function parse(rawBody: Buffer, headers: Headers = {}): ParseResult<DisputeEvent | OrderEvent> {
  const topic = header(headers, 'x-shopify-topic');
  if (!topic) {
    throw new PayloadError(PROVIDER, 'The X-Shopify-Topic header is missing.', [
      { path: 'headers.x-shopify-topic', message: 'is required' },
    ]);
  }
  const orderAction = own(ORDER_TOPICS, topic);
  if (orderAction) return { events: [orderEvent(topic, orderAction, parseJson(PROVIDER, rawBody), headers, rawBody)] };
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

export const adapter: ProviderAdapter<Secrets, DisputeEvent | OrderEvent> = { provider: PROVIDER, kind: 'dispute', verify, parse };
