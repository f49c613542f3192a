import type { Db } from '../db/client';
import { getOrderByExternal, insertOrder, lockOrderByExternal, updateOrder } from '../db/queries/orders';
import type { Order } from '../db/schema';
import type { OrderEvent } from '../ingest/providers/types';
import type { Deps } from './deps';
import { isStale, storable } from './reviews';

// The store platform's orders, kept as its memory: a dispute or a review that names only the
// platform's order id is shown with the order's name, customer and items.

export interface OrderOutcome {
  orderId: number;
  created: boolean;
  /** Older than the newest version applied (webhooks arrive out of order): it changed nothing. */
  stale?: boolean;
}

function fieldsOf(e: OrderEvent) {
  return {
    name: storable(e.name),
    email: storable(e.email ?? null),
    customerName: storable(e.customerName ?? null),
    customerExternalId: storable(e.customerExternalId ?? null),
    amount: e.amount,
    currency: e.currency,
    country: e.country ?? null,
    items: e.items.map((i) => ({ name: storable(i.name), quantity: i.quantity, ...(i.sku ? { sku: storable(i.sku) } : {}) })),
    financialStatus: storable(e.financialStatus ?? null),
    fulfillmentStatus: storable(e.fulfillmentStatus ?? null),
    placedAt: e.placedAt,
    cancelledAt: e.cancelledAt ?? (e.action === 'cancelled' ? (e.occurredAt ?? e.placedAt) : null),
    ...(e.occurredAt ? { providerUpdatedAt: e.occurredAt } : {}),
  };
}

/** Stores or updates an order. Runs in the caller's transaction. */
export async function applyOrderEvent(tx: Db, deps: Deps, e: OrderEvent, now: Date): Promise<OrderOutcome> {
  const key = { provider: e.provider, externalId: e.externalId };
  const current = await lockOrderByExternal(tx, key);
  if (!current) {
    const inserted = await insertOrder(tx, { ...key, ...fieldsOf(e), receivedAt: now, updatedAt: now });
    // A concurrent delivery about the same order stored it first: apply this one on top.
    if (!inserted) return applyOrderEvent(tx, deps, e, now);
    return { orderId: inserted.id, created: true };
  }
  if (isStale(e.occurredAt, current.providerUpdatedAt)) {
    deps.logger.info({ orderId: current.id, occurredAt: e.occurredAt, newest: current.providerUpdatedAt }, 'stale order update ignored');
    return { orderId: current.id, created: false, stale: true };
  }
  await updateOrder(tx, { id: current.id, patch: { ...fieldsOf(e), updatedAt: now } });
  return { orderId: current.id, created: false };
}

/** The stored order a provider's order id names, if Trustloop has seen it. */
export function findOrder(db: Db, params: { provider: string; externalId: string }): Promise<Order | null> {
  return getOrderByExternal(db, params);
}
