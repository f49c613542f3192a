import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { customers, orderFulfillments, orderRefunds, orders, type StoreBackfill, storeBackfills } from '../schema';

// The order history import: a page of orders is stored with one statement per table, as upserts
// keyed like the webhooks' rows (provider + the platform's id), so a page stored twice, or an
// order a webhook already brought, is one row. A version older than the one kept changes nothing.

type NewOrder = typeof orders.$inferInsert;
type NewFulfillment = typeof orderFulfillments.$inferInsert;
type NewRefund = typeof orderRefunds.$inferInsert;
type NewCustomer = typeof customers.$inferInsert;

const newer = (table: string) =>
  sql.raw(
    `${table}.provider_updated_at is null or excluded.provider_updated_at is null or excluded.provider_updated_at >= ${table}.provider_updated_at`,
  );

export async function upsertOrders(tx: Db, rows: NewOrder[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(orders)
    .values(rows)
    .onConflictDoUpdate({
      target: [orders.provider, orders.externalId],
      set: {
        name: sql`excluded.name`,
        email: sql`excluded.email`,
        customerName: sql`excluded.customer_name`,
        customerExternalId: sql`excluded.customer_external_id`,
        amount: sql`excluded.amount`,
        currency: sql`excluded.currency`,
        country: sql`excluded.country`,
        items: sql`excluded.items`,
        financialStatus: sql`excluded.financial_status`,
        fulfillmentStatus: sql`excluded.fulfillment_status`,
        placedAt: sql`excluded.placed_at`,
        cancelledAt: sql`excluded.cancelled_at`,
        providerUpdatedAt: sql`coalesce(excluded.provider_updated_at, orders.provider_updated_at)`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: newer('orders'),
    });
}

export async function upsertFulfillments(tx: Db, rows: NewFulfillment[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(orderFulfillments)
    .values(rows)
    .onConflictDoUpdate({
      target: [orderFulfillments.provider, orderFulfillments.externalId],
      set: {
        orderExternalId: sql`excluded.order_external_id`,
        status: sql`excluded.status`,
        // As a webhook without them: what is known is kept.
        shipmentStatus: sql`coalesce(excluded.shipment_status, order_fulfillments.shipment_status)`,
        carrier: sql`coalesce(excluded.carrier, order_fulfillments.carrier)`,
        trackingNumber: sql`coalesce(excluded.tracking_number, order_fulfillments.tracking_number)`,
        trackingUrl: sql`coalesce(excluded.tracking_url, order_fulfillments.tracking_url)`,
        items: sql`excluded.items`,
        fulfilledAt: sql`excluded.fulfilled_at`,
        deliveredAt: sql`coalesce(order_fulfillments.delivered_at, excluded.delivered_at)`,
        providerUpdatedAt: sql`coalesce(excluded.provider_updated_at, order_fulfillments.provider_updated_at)`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: newer('order_fulfillments'),
    });
}

export async function insertRefunds(tx: Db, rows: NewRefund[]): Promise<void> {
  if (rows.length === 0) return;
  // A refund is never edited (a later one is a new refund): stored once.
  await tx.insert(orderRefunds).values(rows).onConflictDoNothing();
}

export async function upsertCustomers(tx: Db, rows: NewCustomer[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(customers)
    .values(rows)
    .onConflictDoUpdate({
      target: [customers.provider, customers.externalId],
      set: {
        email: sql`excluded.email`,
        name: sql`excluded.name`,
        country: sql`excluded.country`,
        ordersCount: sql`coalesce(excluded.orders_count, customers.orders_count)`,
        totalSpent: sql`coalesce(excluded.total_spent, customers.total_spent)`,
        currency: sql`coalesce(excluded.currency, customers.currency)`,
        providerUpdatedAt: sql`coalesce(excluded.provider_updated_at, customers.provider_updated_at)`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: newer('customers'),
    });
}

export async function getBackfill(db: Db, params: { provider: string; shop: string }): Promise<StoreBackfill | null> {
  const [row] = await db
    .select()
    .from(storeBackfills)
    .where(and(eq(storeBackfills.provider, params.provider), eq(storeBackfills.shop, params.shop)));
  return row ?? null;
}

/** Starts a run over: from the first page, nothing done. */
export async function startBackfill(
  db: Db,
  params: { provider: string; shop: string; since: Date; estimated: number | null; now: Date },
): Promise<StoreBackfill> {
  const fresh = {
    since: params.since,
    cursor: null,
    done: 0,
    estimated: params.estimated,
    status: 'running',
    startedAt: params.now,
    updatedAt: params.now,
    finishedAt: null,
  };
  const [row] = await db
    .insert(storeBackfills)
    .values({ provider: params.provider, shop: params.shop, ...fresh })
    .onConflictDoUpdate({ target: [storeBackfills.provider, storeBackfills.shop], set: fresh })
    .returning();
  return row!;
}

/** Records a stored page: the cursor after it and the orders done. Runs in the page's transaction. */
export async function recordBackfillPage(tx: Db, params: { id: number; cursor: string | null; orders: number; now: Date }): Promise<void> {
  await tx
    .update(storeBackfills)
    .set({ cursor: params.cursor, done: sql`${storeBackfills.done} + ${params.orders}`, updatedAt: params.now })
    .where(eq(storeBackfills.id, params.id));
}

export async function finishBackfill(db: Db, params: { id: number; now: Date }): Promise<void> {
  await db
    .update(storeBackfills)
    .set({ status: 'finished', finishedAt: params.now, updatedAt: params.now })
    .where(eq(storeBackfills.id, params.id));
}
