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

/**
 * Claims the reply for one delivery before it is handed to its channel: "claimed" when no other
 * try is under way; "busy" when one started less than `staleMs` ago (its outcome is not known
 * yet); "stale" when one started longer ago and never finished (it may have reached the customer).
 */
export async function claimSend(db: Db, params: { id: number; staleMs: number }): Promise<'claimed' | 'busy' | 'stale' | 'not_sending'> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        status: replyDrafts.status,
        since: replyDrafts.sendingSince,
        fresh: sql<boolean>`${replyDrafts.sendingSince} > now() - make_interval(secs => ${params.staleMs / 1000})`,
      })
      .from(replyDrafts)
      .where(eq(replyDrafts.id, params.id))
      .for('update');
    if (!row || row.status !== 'sending') return 'not_sending';
    if (row.since) return row.fresh ? 'busy' : 'stale';
    await tx.update(replyDrafts).set({ sendingSince: sql`now()` }).where(eq(replyDrafts.id, params.id));
    return 'claimed';
  });
}

/** The try ended without reaching the channel (a refusal, a connection that failed): another may start. */
export async function releaseSend(db: Db, params: { id: number }): Promise<void> {
  await db.update(replyDrafts).set({ sendingSince: null }).where(eq(replyDrafts.id, params.id));
}
