import { and, asc, desc, eq, isNotNull, ne, or, sql } from 'drizzle-orm';
import { Coalescer } from '../coalesce';
import { type Db, isRootDb, queryStatement, rowMapper } from '../client';
import {
  cases,
  type Customer,
  customers,
  type Order,
  type OrderFulfillment,
  type OrderRefund,
  orderFulfillments,
  orderRefunds,
  orders,
} from '../schema';

type NewOrder = typeof orders.$inferInsert;

export async function lockOrderByExternal(tx: Db, params: { provider: string; externalId: string }): Promise<Order | null> {
  const [row] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.provider, params.provider), eq(orders.externalId, params.externalId)))
    .for('update');
  return row ?? null;
}

export async function getOrderByExternal(db: Db, params: { provider: string; externalId: string }): Promise<Order | null> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.provider, params.provider), eq(orders.externalId, params.externalId)));
  return row ?? null;
}

/** Inserts an order; null when a concurrent delivery stored it first. */
export async function insertOrder(db: Db, row: NewOrder): Promise<Order | null> {
  const [inserted] = await db.insert(orders).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function updateOrder(db: Db, params: { id: number; patch: Partial<NewOrder> }): Promise<Order> {
  const [row] = await db.update(orders).set(params.patch).where(eq(orders.id, params.id)).returning();
  return row!;
}

// ---- fulfillments, refunds, customers ---------------------------------------------------

type NewFulfillment = typeof orderFulfillments.$inferInsert;
type NewRefund = typeof orderRefunds.$inferInsert;
type NewCustomer = typeof customers.$inferInsert;

export async function lockFulfillment(tx: Db, params: { provider: string; externalId: string }): Promise<OrderFulfillment | null> {
  const [row] = await tx
    .select()
    .from(orderFulfillments)
    .where(and(eq(orderFulfillments.provider, params.provider), eq(orderFulfillments.externalId, params.externalId)))
    .for('update');
  return row ?? null;
}

/** Inserts a fulfillment; null when a concurrent delivery stored it first. */
export async function insertFulfillment(db: Db, row: NewFulfillment): Promise<OrderFulfillment | null> {
  const [inserted] = await db.insert(orderFulfillments).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function updateFulfillment(db: Db, params: { id: number; patch: Partial<NewFulfillment> }): Promise<void> {
  await db.update(orderFulfillments).set(params.patch).where(eq(orderFulfillments.id, params.id));
}

/** Inserts a refund; false when it was stored before (refunds do not change once made). */
export async function insertRefund(db: Db, row: NewRefund): Promise<boolean> {
  const rows = await db.insert(orderRefunds).values(row).onConflictDoNothing().returning({ id: orderRefunds.id });
  return rows.length > 0;
}

export async function lockCustomer(tx: Db, params: { provider: string; externalId: string }): Promise<Customer | null> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.provider, params.provider), eq(customers.externalId, params.externalId)))
    .for('update');
  return row ?? null;
}

export async function insertCustomer(db: Db, row: NewCustomer): Promise<Customer | null> {
  const [inserted] = await db.insert(customers).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function updateCustomer(db: Db, params: { id: number; patch: Partial<NewCustomer> }): Promise<void> {
  await db.update(customers).set(params.patch).where(eq(customers.id, params.id));
}

export async function getOrder(db: Db, params: { id: number }): Promise<Order | null> {
  const [row] = await db.select().from(orders).where(eq(orders.id, params.id));
  return row ?? null;
}

/** Maps a raw `orders` row (snake_case, driver values) to the typed Order drizzle would return. */
const orderFromRow = rowMapper<Order>(orders);

// Every ticket looks its order up while its sender waits: written out once, prepared on PostgreSQL.
// Its one parameter is a JSON array of lookups; each answers with its orders by reference (newest
// first, at most 20) and, when it names an e-mail, that customer's latest order before its time.
const ORDER_LOOKUPS = `
  select q.n as lookup_index, false as by_email, o.*
  from jsonb_array_elements($1::jsonb) with ordinality as q(x, n)
  cross join lateral (
    select * from orders
    where name = any(array(select jsonb_array_elements_text(q.x->'names')))
       or external_id = any(array(select jsonb_array_elements_text(q.x->'ids')))
    order by placed_at desc limit 20
  ) o
  where jsonb_array_length(q.x->'names') + jsonb_array_length(q.x->'ids') > 0
  union all
  select q.n, true, o.*
  from jsonb_array_elements($1::jsonb) with ordinality as q(x, n)
  cross join lateral (
    select * from orders
    where lower(email) = q.x->>'email' and placed_at <= (q.x->>'before')::timestamptz
    order by placed_at desc limit 1
  ) o
  where jsonb_typeof(q.x->'email') = 'string'
  order by 1, 2, placed_at desc`;

/** What a case's order is looked up by: order names and platform ids, else the customer's e-mail. */
export interface OrderLookup {
  names: string[];
  externalIds: string[];
  /** The customer's latest order placed at or before `before` is looked up too (null: not by e-mail). */
  email: string | null;
  before: Date;
}

export interface OrderLookupResult {
  /** Orders whose name is one of the names or whose platform id is one of the ids, newest first. */
  byRef: Order[];
  byEmail: Order | null;
}

/** Many order lookups in one statement, answered in order. */
export async function lookUpOrders(db: Db, lookups: readonly OrderLookup[]): Promise<OrderLookupResult[]> {
  const out = lookups.map((): OrderLookupResult => ({ byRef: [], byEmail: null }));
  const wanted = lookups.some((l) => l.names.length + l.externalIds.length > 0 || l.email);
  if (!wanted) return out;
  const param = lookups.map((l) => ({
    names: l.names,
    ids: l.externalIds,
    email: l.email?.toLowerCase() ?? null,
    before: l.before.toISOString(),
  }));
  const rows = await queryStatement<Record<string, unknown>>(db, ORDER_LOOKUPS, [JSON.stringify(param)]);
  for (const row of rows) {
    const r = out[Number(row.lookup_index) - 1]!;
    if (row.by_email === true || row.by_email === 't') r.byEmail = orderFromRow(row);
    else r.byRef.push(orderFromRow(row));
  }
  return out;
}

/** Each database's gatherer of concurrent order lookups (lookUpOrderGathered). */
const gatherers = new WeakMap<Db, Coalescer<OrderLookup, OrderLookupResult>>();

/**
 * An order lookup on a request path many callers take at once (new tickets): lookups arriving
 * together are one statement. Only for the database itself, never a transaction.
 */
export function lookUpOrderGathered(db: Db, lookup: OrderLookup): Promise<OrderLookupResult> {
  // A transaction's statements must run on its own connection: it is not gathered.
  if (!isRootDb(db)) return lookUpOrders(db, [lookup]).then((r) => r[0]!);
  let gatherer = gatherers.get(db);
  if (!gatherer) gatherers.set(db, (gatherer = new Coalescer((lookups) => lookUpOrders(db, lookups), { maxBatch: 64, inFlight: 2 })));
  return gatherer.submit(lookup);
}

/** The customer's orders (by platform customer id, else e-mail), a bounded number, newest last. */
export async function customerOrders(
  db: Db,
  params: { provider: string; customerExternalId: string | null; email: string | null; limit?: number },
): Promise<Order[]> {
  const who = [
    ...(params.customerExternalId
      ? [and(eq(orders.provider, params.provider), eq(orders.customerExternalId, params.customerExternalId))]
      : []),
    ...(params.email ? [sql`lower(${orders.email}) = ${params.email.toLowerCase()}`] : []),
  ];
  if (who.length === 0) return [];
  const rows = await db
    .select()
    .from(orders)
    .where(or(...who))
    .orderBy(desc(orders.placedAt))
    .limit(params.limit ?? 1000);
  return rows.reverse();
}

export async function fulfillmentsOf(db: Db, params: { provider: string; orderExternalId: string }): Promise<OrderFulfillment[]> {
  return db
    .select()
    .from(orderFulfillments)
    .where(and(eq(orderFulfillments.provider, params.provider), eq(orderFulfillments.orderExternalId, params.orderExternalId)))
    .orderBy(asc(orderFulfillments.fulfilledAt))
    .limit(100);
}

export async function refundsOf(db: Db, params: { provider: string; orderExternalId: string }): Promise<OrderRefund[]> {
  return db
    .select()
    .from(orderRefunds)
    .where(and(eq(orderRefunds.provider, params.provider), eq(orderRefunds.orderExternalId, params.orderExternalId)))
    .orderBy(asc(orderRefunds.refundedAt))
    .limit(100);
}

/** The platform's customer record, by its id, else by e-mail. */
export async function findCustomer(
  db: Db,
  params: { provider: string; externalId: string | null; email: string | null },
): Promise<Customer | null> {
  if (params.externalId) {
    const [row] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.provider, params.provider), eq(customers.externalId, params.externalId)));
    if (row) return row;
  }
  if (!params.email) return null;
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.provider, params.provider), sql`lower(${customers.email}) = ${params.email.toLowerCase()}`))
    .orderBy(desc(customers.updatedAt))
    .limit(1);
  return row ?? null;
}

/** Open cases matched to an order (its card shows the order, so a change to the order re-renders them). */
export async function openCasesMatchedTo(
  db: Db,
  params: { orderId: number; limit?: number },
): Promise<{ id: number; channelId: string }[]> {
  return db
    .select({ id: cases.id, channelId: cases.channelId })
    .from(cases)
    .where(and(eq(cases.matchedOrderId, params.orderId), ne(cases.status, 'resolved'), isNotNull(cases.slackTs)))
    .limit(params.limit ?? 50);
}
