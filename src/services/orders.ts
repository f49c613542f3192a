import type { Db } from '../db/client';
import {
  customerOrders,
  findCustomer,
  fulfillmentsOf,
  getOrder,
  getOrderByExternal,
  insertCustomer,
  insertFulfillment,
  insertOrder,
  insertRefund,
  type OrderLookup,
  lockCustomer,
  lockFulfillment,
  lockOrderByExternal,
  lookUpOrderGathered,
  lookUpOrders,
  openCasesMatchedTo,
  refundsOf,
  updateCustomer,
  updateFulfillment,
  updateOrder,
} from '../db/queries/orders';
import { enqueueCardUpdate } from '../db/queries/outbox';
import type { Order, OrderFulfillment, OrderItem } from '../db/schema';
import { currentShipment, customerStanding, type OrderContext, orderNameCandidates, orderNumbersIn, refundTotal } from '../domain/orders';
import type { CustomerEvent, FulfillmentEvent, OrderEvent, RefundEvent, StoreEvent } from '../domain/provider-events';
import type { Deps } from './deps';
import { isStale, storable } from './provider-fields';
import { fulfillmentDelivered } from './review-requests';

/** Items as stored: provider text made storable, the platform's product id kept when it came. */
function storedItems(items: readonly { name: string; quantity: number; sku?: string; productId?: string }[]): OrderItem[] {
  return items.map((i) => ({
    name: storable(i.name),
    quantity: i.quantity,
    ...(i.sku ? { sku: storable(i.sku) } : {}),
    ...(i.productId ? { productId: storable(i.productId) } : {}),
  }));
}

// The store platform's orders, kept as its memory: a dispute or a review that names only the
// platform's order id is shown with the order's name, customer and items.

export interface OrderOutcome {
  orderId?: number;
  created: boolean;
  /** Older than the newest version applied (webhooks arrive out of order): it changed nothing. */
  stale?: boolean;
}

/** An order event as the columns of its row (the webhooks and the backfill write the same). */
export function fieldsOf(e: OrderEvent) {
  return {
    name: storable(e.name),
    email: storable(e.email ?? null),
    customerName: storable(e.customerName ?? null),
    customerExternalId: storable(e.customerExternalId ?? null),
    amount: e.amount,
    currency: e.currency,
    country: e.country ?? null,
    items: storedItems(e.items),
    financialStatus: storable(e.financialStatus ?? null),
    fulfillmentStatus: storable(e.fulfillmentStatus ?? null),
    placedAt: e.placedAt,
    cancelledAt: e.cancelledAt ?? (e.action === 'cancelled' ? (e.occurredAt ?? e.placedAt) : null),
    ...(e.occurredAt ? { providerUpdatedAt: e.occurredAt } : {}),
  };
}

/** Applies any store-platform event (order, fulfillment, refund, customer). Runs in the caller's transaction. */
export async function applyStoreEvent(tx: Db, deps: Deps, e: StoreEvent, now: Date): Promise<OrderOutcome> {
  const outcome =
    e.kind === 'order'
      ? await applyOrderEvent(tx, deps, e, now)
      : e.kind === 'fulfillment'
        ? await applyFulfillmentEvent(tx, deps, e, now)
        : e.kind === 'refund'
          ? await applyRefundEvent(tx, e, now)
          : await applyCustomerEvent(tx, deps, e, now);
  if (outcome.stale || e.kind === 'customer') return outcome;
  // Cards of open cases about this order show its delivery and refunds: re-render them.
  const orderId =
    outcome.orderId ??
    (await getOrderByExternal(tx, { provider: e.provider, externalId: e.kind === 'order' ? e.externalId : e.orderExternalId }))?.id;
  if (orderId)
    for (const c of await openCasesMatchedTo(tx, { orderId })) await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
  return outcome;
}

/** Stores or updates an order. Runs in the caller's transaction. */
export async function applyOrderEvent(tx: Db, deps: Deps, e: OrderEvent, now: Date): Promise<OrderOutcome> {
  const key = { provider: e.provider, externalId: e.externalId };
  // Shipments inside the order payload are kept as if their own webhook had brought them.
  for (const f of e.fulfillments ?? []) await applyFulfillmentEvent(tx, deps, f, now);
  const current = await lockOrderByExternal(tx, key);
  if (!current) {
    const inserted = await insertOrder(tx, { ...key, ...fieldsOf(e), receivedAt: now, updatedAt: now });
    // A concurrent delivery about the same order stored it first: apply this one on top.
    if (!inserted) return applyOrderEvent(tx, deps, { ...e, fulfillments: [] }, now);
    return { orderId: inserted.id, created: true };
  }
  if (isStale(e.occurredAt, current.providerUpdatedAt)) {
    deps.logger.info({ orderId: current.id, occurredAt: e.occurredAt, newest: current.providerUpdatedAt }, 'stale order update ignored');
    return { orderId: current.id, created: false, stale: true };
  }
  await updateOrder(tx, { id: current.id, patch: { ...fieldsOf(e), updatedAt: now } });
  return { orderId: current.id, created: false };
}

function fulfillmentFields(e: FulfillmentEvent, current: OrderFulfillment | null) {
  const delivered = e.shipmentStatus === 'delivered';
  return {
    orderExternalId: e.orderExternalId,
    status: storable(e.status),
    shipmentStatus: storable(e.shipmentStatus ?? current?.shipmentStatus ?? null),
    carrier: storable(e.carrier ?? current?.carrier ?? null),
    trackingNumber: storable(e.trackingNumber ?? current?.trackingNumber ?? null),
    trackingUrl: storable(e.trackingUrl ?? current?.trackingUrl ?? null),
    items: storedItems(e.items),
    fulfilledAt: e.createdAt,
    // Shopify sends no delivery time: the first version saying "delivered" dates it.
    deliveredAt: current?.deliveredAt ?? (delivered ? (e.occurredAt ?? e.createdAt) : null),
    ...(e.occurredAt ? { providerUpdatedAt: e.occurredAt } : {}),
  };
}

/** Stores or updates a shipment; an older version than the one kept changes nothing. */
export async function applyFulfillmentEvent(tx: Db, deps: Deps, e: FulfillmentEvent, now: Date): Promise<OrderOutcome> {
  const key = { provider: e.provider, externalId: e.externalId };
  const current = await lockFulfillment(tx, key);
  if (!current) {
    const fields = fulfillmentFields(e, null);
    const inserted = await insertFulfillment(tx, { ...key, ...fields, receivedAt: now, updatedAt: now });
    if (!inserted) return applyFulfillmentEvent(tx, deps, e, now);
    if (fields.deliveredAt) await fulfillmentDelivered(tx, deps, { ...e, deliveredAt: fields.deliveredAt }, now);
    return { created: true };
  }
  if (isStale(e.occurredAt, current.providerUpdatedAt)) {
    deps.logger.info({ fulfillment: e.externalId, occurredAt: e.occurredAt }, 'stale fulfillment update ignored');
    return { created: false, stale: true };
  }
  const fields = fulfillmentFields(e, current);
  await updateFulfillment(tx, { id: current.id, patch: { ...fields, updatedAt: now } });
  // The parcel reached the customer: the review request is timed from here.
  if (fields.deliveredAt && !current.deliveredAt) await fulfillmentDelivered(tx, deps, { ...e, deliveredAt: fields.deliveredAt }, now);
  return { created: false };
}

/** Stores a refund once (a refund is never edited: a later one is a new refund). */
export async function applyRefundEvent(tx: Db, e: RefundEvent, now: Date): Promise<OrderOutcome> {
  const created = await insertRefund(tx, {
    provider: e.provider,
    externalId: e.externalId,
    orderExternalId: e.orderExternalId,
    amount: e.amount,
    currency: e.currency,
    note: storable(e.note ?? null),
    items: storedItems(e.items),
    refundedAt: e.createdAt,
    receivedAt: now,
  });
  return { created };
}

/** Stores or updates the platform's customer record; an older version changes nothing. */
export async function applyCustomerEvent(tx: Db, deps: Deps, e: CustomerEvent, now: Date): Promise<OrderOutcome> {
  const key = { provider: e.provider, externalId: e.externalId };
  const fields = {
    email: storable(e.email ?? null),
    name: storable(e.name ?? null),
    country: e.country ?? null,
    ordersCount: e.ordersCount ?? null,
    totalSpent: e.totalSpent ?? null,
    currency: e.currency ?? null,
    ...(e.occurredAt ? { providerUpdatedAt: e.occurredAt } : {}),
  };
  const current = await lockCustomer(tx, key);
  if (!current) {
    const inserted = await insertCustomer(tx, { ...key, ...fields, receivedAt: now, updatedAt: now });
    if (!inserted) return applyCustomerEvent(tx, deps, e, now);
    return { created: true };
  }
  if (isStale(e.occurredAt, current.providerUpdatedAt)) {
    deps.logger.info({ customer: e.externalId, occurredAt: e.occurredAt }, 'stale customer update ignored');
    return { created: false, stale: true };
  }
  // A newer payload without the counts (newer API versions drop them) keeps the ones known.
  await updateCustomer(tx, {
    id: current.id,
    patch: {
      ...fields,
      ordersCount: fields.ordersCount ?? current.ordersCount,
      totalSpent: fields.totalSpent ?? current.totalSpent,
      currency: fields.currency ?? current.currency,
      updatedAt: now,
    },
  });
  return { created: false };
}

/**
 * The stored order a case is about: an order reference the sender gave (name, number or the
 * platform's id), else an order number the customer wrote, else the customer's latest order
 * (by e-mail) placed before the case. Null when none matches.
 */
export async function matchOrder(
  db: Db,
  params: { refs: (string | null | undefined)[]; text: string; email: string | null; at: Date },
  opts: { gathered?: boolean } = {},
): Promise<Order | null> {
  const refs = params.refs.filter((r): r is string => Boolean(r?.trim())).map((r) => r.trim());
  const email = params.email?.toLowerCase() ?? null;
  // The sender named the order: a name Trustloop has not seen is not a reason to guess another.
  const group = refs.length > 0 ? refs : orderNumbersIn(params.text);
  // One round trip answers both ways of finding it; the e-mail's answer is used only when the
  // numbers written in the text name no stored order.
  const lookup: OrderLookup = {
    names: group.flatMap(orderNameCandidates),
    externalIds: group.map((r) => r.replace(/^#/, '')),
    email: refs.length > 0 ? null : email,
    before: params.at,
  };
  const { byRef, byEmail } = opts.gathered ? await lookUpOrderGathered(db, lookup) : (await lookUpOrders(db, [lookup]))[0]!;
  // Several orders can answer to one number (a name and another's platform id): prefer this customer's.
  const written = byRef.find((o) => email && o.email?.toLowerCase() === email) ?? byRef[0] ?? null;
  return refs.length > 0 ? written : (written ?? byEmail);
}

/**
 * The stored order a case is about and what a card shows of it (see matchOrder). Read outside
 * the case's own statement: a match is a convenience, never a reason to refuse a case.
 */
export async function matchCase(
  db: Db,
  params: { refs: (string | null | undefined)[]; text: string; email: string | null; at: Date },
  opts: { gathered?: boolean } = {},
): Promise<{ order: Order; context: OrderContext } | null> {
  const order = await matchOrder(db, params, opts);
  if (!order) return null;
  const context = await orderContext(db, { orderId: order.id });
  return context ? { order, context } : null;
}

/** The case fields a matched order fills in where the sender gave none. */
export function matchedCaseFields(m: { order: Order; context: OrderContext }) {
  const o = m.order;
  return {
    matchedOrderId: o.id,
    orderId: o.name,
    orderAmount: o.amount,
    orderCurrency: o.currency,
    orderCountry: o.country,
    carrier: m.context.delivery?.carrier ?? null,
    orderItems: o.items.length > 0 ? o.items : null,
    customerName: o.customerName,
    customerEmail: o.email?.toLowerCase() ?? null,
    customerId: o.customerExternalId,
    customerOrderCount: m.context.customer?.orderCount ?? null,
  };
}

/** What a card shows about an order and its customer. */
export async function orderContext(db: Db, params: { orderId: number }): Promise<OrderContext | null> {
  const o = await getOrder(db, { id: params.orderId });
  if (!o) return null;
  const ref = { provider: o.provider, orderExternalId: o.externalId };
  const [shipments, refunds, history, platform] = await Promise.all([
    fulfillmentsOf(db, ref),
    refundsOf(db, ref),
    customerOrders(db, { provider: o.provider, customerExternalId: o.customerExternalId, email: o.email }),
    findCustomer(db, { provider: o.provider, externalId: o.customerExternalId, email: o.email }),
  ]);
  return {
    order: {
      name: o.name,
      amount: o.amount,
      currency: o.currency,
      country: o.country,
      items: o.items,
      placedAt: o.placedAt,
      cancelledAt: o.cancelledAt,
      financialStatus: o.financialStatus,
    },
    delivery: currentShipment(shipments),
    refunded: refundTotal(refunds, o.currency),
    customer: o.customerExternalId || o.email ? customerStanding(history, platform ? { ...platform } : null, o.id, o.currency) : null,
  };
}

/** The stored order a provider's order id names, if Trustloop has seen it. */
export function findOrder(db: Db, params: { provider: string; externalId: string }): Promise<Order | null> {
  return getOrderByExternal(db, params);
}
