import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { cases, type Digest, type FixItem, type StoredDigest, digests, fixItems } from '../schema';

// Published digests (one per week, by construction) and fix items.

export async function getDigestByWeek(db: Db, params: { weekStart: string }): Promise<Digest | null> {
  const [row] = await db.select().from(digests).where(eq(digests.weekStart, params.weekStart));
  return row ?? null;
}

/** The newest published week (digests_week_uq), or null before the first digest. */
export async function newestDigestWeek(db: Db): Promise<string | null> {
  const [row] = await db.select({ weekStart: digests.weekStart }).from(digests).orderBy(desc(digests.weekStart)).limit(1);
  return row?.weekStart ?? null;
}

/** When the first case arrived (cases_received_idx), or null when there is none. */
export async function earliestCaseAt(db: Db): Promise<Date | null> {
  const [row] = await db.select({ at: cases.reportedAt }).from(cases).orderBy(asc(cases.reportedAt)).limit(1);
  return row?.at ?? null;
}

export async function getDigest(db: Db, params: { id: number }): Promise<Digest | null> {
  const [row] = await db.select().from(digests).where(eq(digests.id, params.id));
  return row ?? null;
}

/** Stores the week's digest; null when that week already has one (another replica or manager won). */
export async function insertDigest(
  db: Db,
  row: {
    weekStart: string;
    periodStart: Date;
    periodEnd: Date;
    channel: string;
    content: StoredDigest;
    publishedBy: string;
    createdAt: Date;
  },
): Promise<Digest | null> {
  const [inserted] = await db.insert(digests).values(row).onConflictDoNothing({ target: digests.weekStart }).returning();
  return inserted ?? null;
}

export async function setDigestTs(db: Db, params: { id: number; channel: string; ts: string }): Promise<void> {
  await db.update(digests).set({ slackTs: params.ts, channel: params.channel }).where(eq(digests.id, params.id));
}

export async function setDigestChart(db: Db, params: { id: number; fileId: string }): Promise<void> {
  await db.update(digests).set({ chartFileId: params.fileId }).where(eq(digests.id, params.id));
}

/** Stores a fix; null when the same question (tag, product, week) already has an open one (fix_items_open_question_uq). */
export async function insertFixItem(db: Db, row: typeof fixItems.$inferInsert): Promise<FixItem | null> {
  const [inserted] = await db.insert(fixItems).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

/** The open fix for a question (tag, product, week), if any. */
export async function getOpenFixFor(
  db: Db,
  params: { tag: string; productKey: string | null; weekStart: string | null },
): Promise<FixItem | null> {
  const [row] = await db
    .select()
    .from(fixItems)
    .where(
      and(
        eq(fixItems.state, 'open'),
        eq(fixItems.tag, params.tag),
        sql`coalesce(${fixItems.productKey}, '') = ${params.productKey ?? ''}`,
        params.weekStart === null ? sql`${fixItems.weekStart} is null` : eq(fixItems.weekStart, params.weekStart),
      ),
    );
  return row ?? null;
}

export async function getFixItem(db: Db, params: { id: number; forUpdate?: boolean }): Promise<FixItem | null> {
  const q = db.select().from(fixItems).where(eq(fixItems.id, params.id));
  const [row] = params.forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function markFixItemDone(db: Db, params: { id: number; by: string; at: Date }): Promise<FixItem | null> {
  const [row] = await db
    .update(fixItems)
    .set({ state: 'done', doneAt: params.at, doneBy: params.by })
    .where(and(eq(fixItems.id, params.id), eq(fixItems.state, 'open')))
    .returning();
  return row ?? null;
}

/** Open fix items, soonest due first (fix_items_open_idx). */
export async function listOpenFixItems(db: Db, params: { limit: number }): Promise<{ items: FixItem[]; total: number }> {
  const items = await db
    .select()
    .from(fixItems)
    .where(eq(fixItems.state, 'open'))
    .orderBy(asc(fixItems.dueOn), asc(fixItems.id))
    .limit(params.limit);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(fixItems)
    .where(eq(fixItems.state, 'open'));
  return { items, total: Number(count?.n ?? 0) };
}
