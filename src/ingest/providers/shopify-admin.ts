import { z } from 'zod';
import { normalizeDecimal } from './money';
import type { CustomerEvent, DisputeItem, FulfillmentEvent, OrderEvent, RefundEvent } from './types';
import { dateString, idSchema, validate } from './util';

// The store's order history through Shopify's GraphQL Admin API (the backfill): the query, and
// what one order node becomes (the same order, fulfillment, refund and customer events the
// webhooks bring, keyed by the same numeric ids, so a backfilled order and its later webhooks are
// one row). Checked against shopify.dev/docs/api/admin-graphql/2026-01 (Order, Fulfillment,
// FulfillmentTrackingInfo, Refund, Customer, OrderConnection, ordersCount).

export const PROVIDER = 'shopify';
/** The Admin API version the query is written for (a stable version, supported for a year). */
export const ADMIN_API_VERSION = '2026-01';

export function adminGraphqlUrl(shop: string): string {
  return `https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
}

/**
 * One page of orders created since a time, oldest first (a stable order, so a saved cursor
 * continues where the run stopped). Nested lists are bounded so a page stays within the
 * query-cost limit of 1,000 points.
 */
export const ORDERS_QUERY = `query TrustloopBackfill($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      legacyResourceId
      name
      email
      createdAt
      updatedAt
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      shippingAddress { countryCodeV2 name }
      billingAddress { countryCodeV2 }
      customer {
        legacyResourceId
        displayName
        updatedAt
        numberOfOrders
        amountSpent { amount currencyCode }
        defaultEmailAddress { emailAddress }
        defaultAddress { countryCodeV2 }
      }
      lineItems(first: 20) { nodes { name sku quantity } }
      fulfillments(first: 5) {
        legacyResourceId
        status
        displayStatus
        createdAt
        updatedAt
        deliveredAt
        trackingInfo(first: 1) { company number url }
      }
      refunds(first: 5) {
        legacyResourceId
        createdAt
        note
        totalRefundedSet { shopMoney { amount currencyCode } }
        refundLineItems(first: 10) { nodes { quantity lineItem { name sku } } }
      }
    }
  }
}`;

/** How many orders the backfill will read (uncapped: limit null). */
export const COUNT_QUERY = `query TrustloopBackfillCount($query: String!) {
  ordersCount(query: $query, limit: null) { count precision }
}`;

/** Shopify's search syntax for orders created at or after `since`. */
export function ordersSince(since: Date): string {
  return `created_at:>='${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
}

const money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string().regex(/^[A-Z]{3}$/) }) });
const item = z.object({ name: z.string().nullish(), sku: z.string().nullish(), quantity: z.number().int().nonnegative() });

export const adminOrderSchema = z.object({
  legacyResourceId: idSchema,
  name: z.string().min(1),
  email: z.string().nullish(),
  createdAt: dateString,
  updatedAt: dateString.nullish(),
  cancelledAt: dateString.nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string().nullish(),
  totalPriceSet: money,
  shippingAddress: z.object({ countryCodeV2: z.string().nullish(), name: z.string().nullish() }).nullish(),
  billingAddress: z.object({ countryCodeV2: z.string().nullish() }).nullish(),
  customer: z
    .object({
      legacyResourceId: idSchema,
      displayName: z.string().nullish(),
      updatedAt: dateString.nullish(),
      numberOfOrders: z.union([z.string(), z.number()]).nullish(),
      amountSpent: z.object({ amount: z.string(), currencyCode: z.string() }).nullish(),
      defaultEmailAddress: z.object({ emailAddress: z.string().nullish() }).nullish(),
      defaultAddress: z.object({ countryCodeV2: z.string().nullish() }).nullish(),
    })
    .nullish(),
  lineItems: z.object({ nodes: z.array(item) }),
  fulfillments: z
    .array(
      z.object({
        legacyResourceId: idSchema,
        status: z.string(),
        displayStatus: z.string().nullish(),
        createdAt: dateString,
        updatedAt: dateString.nullish(),
        deliveredAt: dateString.nullish(),
        trackingInfo: z
          .array(z.object({ company: z.string().nullish(), number: z.string().nullish(), url: z.string().nullish() }))
          .default([]),
      }),
    )
    .default([]),
  refunds: z
    .array(
      z.object({
        legacyResourceId: idSchema,
        createdAt: dateString.nullish(),
        note: z.string().nullish(),
        totalRefundedSet: money,
        refundLineItems: z
          .object({
            nodes: z.array(z.object({ quantity: z.number().int().nonnegative(), lineItem: item.omit({ quantity: true }).nullish() })),
          })
          .nullish(),
      }),
    )
    .default([]),
});

export type AdminOrder = z.output<typeof adminOrderSchema>;

const clean = (v: string | null | undefined) => (v?.trim() ? v.trim() : undefined);

function itemsOf(lines: { name?: string | null; sku?: string | null; quantity: number }[]): DisputeItem[] {
  return lines
    .map((i) => ({ name: clean(i.name) ?? '', ...(clean(i.sku) ? { sku: clean(i.sku)! } : {}), quantity: i.quantity }))
    .filter((i) => i.name || i.sku)
    .map((i) => ({ ...i, name: i.name || i.sku! }));
}

const country = (c: string | null | undefined) => {
  const v = clean(c)?.toUpperCase();
  return v && /^[A-Z]{2}$/.test(v) ? v : undefined;
};

/** What one order node of the backfill holds, as the events the webhooks would have brought. */
export interface AdminOrderEvents {
  order: OrderEvent;
  refunds: RefundEvent[];
  customer: CustomerEvent | null;
}

/** Reads one order node; a node that is not an order as documented is a PayloadError naming its fields. */
export function orderEvents(json: unknown, path: (string | number)[] = []): AdminOrderEvents {
  const o = validate(PROVIDER, adminOrderSchema, json, path);
  const id = o.legacyResourceId;
  const currency = o.totalPriceSet.shopMoney.currencyCode;
  const items = itemsOf(o.lineItems.nodes);
  const email = (clean(o.email) ?? clean(o.customer?.defaultEmailAddress?.emailAddress))?.toLowerCase();
  const person = clean(o.customer?.displayName) ?? clean(o.shippingAddress?.name);
  const fulfillments: FulfillmentEvent[] = o.fulfillments.map((f) => {
    const t = f.trackingInfo[0];
    const carrier = clean(t?.company);
    const trackingNumber = clean(t?.number);
    const trackingUrl = clean(t?.url);
    // displayStatus is the REST shipment_status in capitals (IN_TRANSIT, DELIVERED, …).
    const shipment = f.deliveredAt ? 'delivered' : clean(f.displayStatus)?.toLowerCase();
    return {
      kind: 'fulfillment',
      provider: PROVIDER,
      eventId: `backfill:fulfillment:${f.legacyResourceId}`,
      action: 'updated',
      externalId: f.legacyResourceId,
      orderExternalId: id,
      status: f.status.toLowerCase(),
      ...(shipment ? { shipmentStatus: shipment } : {}),
      ...(carrier ? { carrier } : {}),
      ...(trackingNumber ? { trackingNumber } : {}),
      ...(trackingUrl && /^https?:\/\//i.test(trackingUrl) ? { trackingUrl } : {}),
      items,
      createdAt: f.createdAt,
      ...(f.deliveredAt ? { deliveredAt: f.deliveredAt } : {}),
      ...(f.updatedAt ? { occurredAt: f.updatedAt } : {}),
      raw: null,
    };
  });
  const refunds: RefundEvent[] = o.refunds.map((r) => {
    const cur = r.totalRefundedSet.shopMoney.currencyCode;
    const note = clean(r.note);
    return {
      kind: 'refund',
      provider: PROVIDER,
      eventId: `backfill:refund:${r.legacyResourceId}`,
      action: 'created',
      externalId: r.legacyResourceId,
      orderExternalId: id,
      amount: normalizeDecimal(r.totalRefundedSet.shopMoney.amount, cur),
      currency: cur,
      ...(note ? { note } : {}),
      items: itemsOf((r.refundLineItems?.nodes ?? []).flatMap((l) => (l.lineItem ? [{ ...l.lineItem, quantity: l.quantity }] : []))),
      createdAt: r.createdAt ?? o.updatedAt ?? o.createdAt,
      raw: null,
    };
  });
  const c = o.customer;
  const count = c?.numberOfOrders != null ? Number(c.numberOfOrders) : undefined;
  const customer: CustomerEvent | null = c
    ? {
        kind: 'customer',
        provider: PROVIDER,
        eventId: `backfill:customer:${c.legacyResourceId}`,
        action: 'updated',
        externalId: c.legacyResourceId,
        ...(clean(c.defaultEmailAddress?.emailAddress) ? { email: clean(c.defaultEmailAddress?.emailAddress)!.toLowerCase() } : {}),
        ...(clean(c.displayName) ? { name: clean(c.displayName)! } : {}),
        ...(country(c.defaultAddress?.countryCodeV2) ? { country: country(c.defaultAddress?.countryCodeV2)! } : {}),
        ...(count !== undefined && Number.isSafeInteger(count) ? { ordersCount: count } : {}),
        ...(c.amountSpent
          ? { totalSpent: normalizeDecimal(c.amountSpent.amount, c.amountSpent.currencyCode), currency: c.amountSpent.currencyCode }
          : {}),
        ...(c.updatedAt ? { occurredAt: c.updatedAt } : {}),
        raw: null,
      }
    : null;
  const shipTo = country(o.shippingAddress?.countryCodeV2) ?? country(o.billingAddress?.countryCodeV2);
  const order: OrderEvent = {
    kind: 'order',
    provider: PROVIDER,
    eventId: `backfill:order:${id}`,
    action: o.cancelledAt ? 'cancelled' : 'updated',
    externalId: id,
    name: o.name.trim(),
    ...(email ? { email } : {}),
    ...(person ? { customerName: person } : {}),
    ...(c ? { customerExternalId: c.legacyResourceId } : {}),
    amount: normalizeDecimal(o.totalPriceSet.shopMoney.amount, currency),
    currency,
    ...(shipTo ? { country: shipTo } : {}),
    items,
    // The REST words (paid, partially_refunded, fulfilled, …) the webhooks store.
    ...(o.displayFinancialStatus ? { financialStatus: o.displayFinancialStatus.toLowerCase() } : {}),
    ...(o.displayFulfillmentStatus ? { fulfillmentStatus: o.displayFulfillmentStatus.toLowerCase() } : {}),
    placedAt: o.createdAt,
    ...(o.cancelledAt ? { cancelledAt: o.cancelledAt } : {}),
    ...(o.updatedAt ? { occurredAt: o.updatedAt } : {}),
    ...(fulfillments.length > 0 ? { fulfillments } : {}),
    raw: null,
  };
  return { order, refunds, customer };
}
