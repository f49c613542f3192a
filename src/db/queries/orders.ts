import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { type Order, orders } from '../schema';

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
