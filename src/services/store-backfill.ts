import type { Db } from '../db/client';
import {
  finishBackfill,
  getBackfill,
  insertRefunds,
  recordBackfillPage,
  startBackfill,
  upsertCustomers,
  upsertFulfillments,
  upsertOrders,
} from '../db/queries/store-backfill';
import type { CustomerEvent, FulfillmentEvent, OrderEvent, RefundEvent } from '../domain/provider-events';
import { fieldsOf } from './orders';
import { storable } from './provider-fields';

// Stores a page of the store's order history: the same rows the webhooks write (order, its
// shipments, refunds and customer), one statement per table, and the cursor after the page, in
// one transaction, so an interrupted import continues after the last page stored and never
// stores one twice. History is imported, not acted on: no review request is scheduled and no
// card redrawn for it.

export interface OrderPage {
  orders: { order: OrderEvent; refunds: RefundEvent[]; customer: CustomerEvent | null }[];
  /** The cursor after this page (null: it was the last). */
  cursor: string | null;
}

const itemsOf = (items: OrderEvent['items']) =>
  items.map((i) => ({ name: storable(i.name), quantity: i.quantity, ...(i.sku ? { sku: storable(i.sku) } : {}) }));

function fulfillmentRow(f: FulfillmentEvent, now: Date) {
  return {
    provider: f.provider,
    externalId: f.externalId,
    orderExternalId: f.orderExternalId,
    status: storable(f.status),
    shipmentStatus: storable(f.shipmentStatus ?? null),
    carrier: storable(f.carrier ?? null),
    trackingNumber: storable(f.trackingNumber ?? null),
    trackingUrl: storable(f.trackingUrl ?? null),
    items: itemsOf(f.items),
    fulfilledAt: f.createdAt,
    deliveredAt: f.deliveredAt ?? (f.shipmentStatus === 'delivered' ? (f.occurredAt ?? f.createdAt) : null),
    providerUpdatedAt: f.occurredAt ?? null,
    receivedAt: now,
    updatedAt: now,
  };
}

export async function storeOrderPage(db: Db, params: { backfillId: number; page: OrderPage; now: Date }): Promise<void> {
  const { page, now } = params;
  const orderRows = page.orders.map(({ order: o }) => ({
    provider: o.provider,
    externalId: o.externalId,
    ...fieldsOf(o),
    receivedAt: now,
    updatedAt: now,
  }));
  const fulfillmentRows = page.orders.flatMap(({ order: o }) => (o.fulfillments ?? []).map((f) => fulfillmentRow(f, now)));
  const refundRows = page.orders.flatMap(({ refunds }) =>
    refunds.map((r) => ({
      provider: r.provider,
      externalId: r.externalId,
      orderExternalId: r.orderExternalId,
      amount: r.amount,
      currency: r.currency,
      note: storable(r.note ?? null),
      items: itemsOf(r.items),
      refundedAt: r.createdAt,
      receivedAt: now,
    })),
  );
  // A customer with several orders on the page is one row (one statement cannot update a row twice): the newest version.
  const byCustomer = new Map<string, CustomerEvent>();
  for (const { customer: c } of page.orders) {
    if (!c) continue;
    const seen = byCustomer.get(c.externalId);
    if (!seen || (c.occurredAt ?? 0) > (seen.occurredAt ?? 0)) byCustomer.set(c.externalId, c);
  }
  const customerRows = [...byCustomer.values()].map((c) => ({
    provider: c.provider,
    externalId: c.externalId,
    email: storable(c.email ?? null),
    name: storable(c.name ?? null),
    country: c.country ?? null,
    ordersCount: c.ordersCount ?? null,
    totalSpent: c.totalSpent ?? null,
    currency: c.currency ?? null,
    providerUpdatedAt: c.occurredAt ?? null,
    receivedAt: now,
    updatedAt: now,
  }));
  await db.transaction(async (tx) => {
    await upsertOrders(tx, orderRows);
    await upsertFulfillments(tx, fulfillmentRows);
    await insertRefunds(tx, refundRows);
    await upsertCustomers(tx, customerRows);
    await recordBackfillPage(tx, { id: params.backfillId, cursor: page.cursor, orders: page.orders.length, now });
  });
}

/** Where the shop's import has got to (null: never run). */
export const backfillState = getBackfill;
/** Starts the shop's import over: from the first page, nothing done. */
export const beginBackfill = startBackfill;
/** The import read the last page. */
export const endBackfill = finishBackfill;
