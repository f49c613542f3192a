import { and, desc, eq, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { type Order, orders, type ReplyDraftRow, replyDrafts } from '../schema';

type NewDraft = Omit<typeof replyDrafts.$inferInsert, 'id' | 'version'>;

/** Stores a new version of the case's reply (call under the case's row lock); earlier unsent versions are superseded. */
export async function insertDraft(tx: Db, row: NewDraft): Promise<ReplyDraftRow> {
  const [last] = await tx
    .select({ version: replyDrafts.version })
    .from(replyDrafts)
    .where(eq(replyDrafts.caseId, row.caseId))
    .orderBy(desc(replyDrafts.version))
    .limit(1);
  await tx
    .update(replyDrafts)
    .set({ status: 'superseded' })
    .where(and(eq(replyDrafts.caseId, row.caseId), sql`${replyDrafts.status} in ('draft', 'failed')`));
  const [inserted] = await tx
    .insert(replyDrafts)
    .values({ ...row, version: (last?.version ?? 0) + 1 })
    .returning();
  return inserted!;
}

export async function getDraft(db: Db, params: { id: number }): Promise<ReplyDraftRow | null> {
  const [row] = await db.select().from(replyDrafts).where(eq(replyDrafts.id, params.id));
  return row ?? null;
}

export async function lockDraft(tx: Db, params: { id: number }): Promise<ReplyDraftRow | null> {
  const [row] = await tx.select().from(replyDrafts).where(eq(replyDrafts.id, params.id)).for('update');
  return row ?? null;
}

/** The case's newest reply that is not superseded (what the card shows). */
export async function latestDraft(db: Db, params: { caseId: number }): Promise<ReplyDraftRow | null> {
  const [row] = await db
    .select()
    .from(replyDrafts)
    .where(and(eq(replyDrafts.caseId, params.caseId), ne(replyDrafts.status, 'superseded')))
    .orderBy(desc(replyDrafts.id))
    .limit(1);
  return row ?? null;
}

export async function updateDraft(tx: Db, params: { id: number; patch: Partial<ReplyDraftRow> }): Promise<ReplyDraftRow> {
  const [row] = await tx.update(replyDrafts).set(params.patch).where(eq(replyDrafts.id, params.id)).returning();
  return row!;
}

/** The store's order the team knows by this name ("#1042" or "1042"), for the facts a reply states. */
export async function orderByName(db: Db, params: { name: string }): Promise<Order | null> {
  const bare = params.name.replace(/^#/, '');
  const [row] = await db
    .select()
    .from(orders)
    .where(or(eq(orders.name, `#${bare}`), eq(orders.name, bare)))
    .orderBy(desc(orders.updatedAt))
    .limit(1);
  return row ?? null;
}
