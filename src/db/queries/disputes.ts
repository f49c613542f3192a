import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';
import { type Dispute, disputes, evidenceExports } from '../schema';

type NewDispute = typeof disputes.$inferInsert;

export async function lockDisputeByExternal(tx: Db, params: { provider: string; externalId: string }): Promise<Dispute | null> {
  const [row] = await tx
    .select()
    .from(disputes)
    .where(and(eq(disputes.provider, params.provider), eq(disputes.externalId, params.externalId)))
    .for('update');
  return row ?? null;
}

export async function getDisputeByExternal(db: Db, params: { provider: string; externalId: string }): Promise<Dispute | null> {
  const [row] = await db
    .select()
    .from(disputes)
    .where(and(eq(disputes.provider, params.provider), eq(disputes.externalId, params.externalId)));
  return row ?? null;
}

export async function insertDispute(db: Db, row: NewDispute): Promise<Dispute | null> {
  const [inserted] = await db.insert(disputes).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function updateDispute(db: Db, params: { id: number; patch: Partial<Dispute> }): Promise<Dispute> {
  const [row] = await db.update(disputes).set(params.patch).where(eq(disputes.id, params.id)).returning();
  return row!;
}

export async function getDisputeByCase(db: Db, params: { caseId: number }): Promise<Dispute | null> {
  const [row] = await db.select().from(disputes).where(eq(disputes.caseId, params.caseId)).limit(1);
  return row ?? null;
}

export async function lockDisputeByCase(tx: Db, params: { caseId: number }): Promise<Dispute | null> {
  const [row] = await tx.select().from(disputes).where(eq(disputes.caseId, params.caseId)).limit(1).for('update');
  return row ?? null;
}

/**
 * Open, unanswered disputes with a deadline whose next reminder rung is due (remind_at has come),
 * on cases that are not resolved: what the deadline job looks at (index-backed by disputes_deadline_idx).
 */
export async function listDeadlineCandidates(db: Db, params: { now: Date }): Promise<{ disputeId: number; caseId: number }[]> {
  const rows = await queryRows<{ id: number | string; case_id: number | string }>(
    db,
    sql`
    select d.id, d.case_id
    from disputes d
    join cases c on c.id = d.case_id
    where d.responded_at is null and d.closed_at is null
      and d.remind_at <= ${params.now.toISOString()}::timestamptz
      and d.respond_by is not null
      and c.status <> 'resolved'
    order by d.remind_at, d.id`,
  );
  return rows.map((r) => ({ disputeId: Number(r.id), caseId: Number(r.case_id) }));
}

export async function getDispute(db: Db, params: { id: number }): Promise<Dispute | null> {
  const [row] = await db.select().from(disputes).where(eq(disputes.id, params.id));
  return row ?? null;
}

export async function insertExport(db: Db, params: { disputeId: number; requestedBy: string; requestedAt: Date }): Promise<number> {
  const [row] = await db.insert(evidenceExports).values(params).returning({ id: evidenceExports.id });
  return row!.id;
}

/** The dispute's export still on its way (asked for, not yet in the thread), if any. */
export async function pendingExport(db: Db, params: { disputeId: number }): Promise<{ id: number } | null> {
  const [row] = await db
    .select({ id: evidenceExports.id })
    .from(evidenceExports)
    .where(and(eq(evidenceExports.disputeId, params.disputeId), sql`${evidenceExports.completedAt} is null`))
    .limit(1);
  return row ?? null;
}

/** The document is uploaded to Slack (not yet shared): a retried delivery shares this file instead of uploading another. */
export async function recordExportUpload(db: Db, params: { id: number; fileId: string; bytes: number }): Promise<void> {
  await db.update(evidenceExports).set({ fileId: params.fileId, bytes: params.bytes }).where(eq(evidenceExports.id, params.id));
}

export async function getExport(db: Db, params: { id: number }) {
  const [row] = await db.select().from(evidenceExports).where(eq(evidenceExports.id, params.id));
  return row ?? null;
}

export async function completeExport(db: Db, params: { id: number; at: Date }): Promise<void> {
  await db.update(evidenceExports).set({ completedAt: params.at }).where(eq(evidenceExports.id, params.id));
}

export async function latestExport(db: Db, params: { disputeId: number }) {
  const [row] = await db
    .select()
    .from(evidenceExports)
    .where(and(eq(evidenceExports.disputeId, params.disputeId), sql`${evidenceExports.completedAt} is not null`))
    .orderBy(desc(evidenceExports.completedAt))
    .limit(1);
  return row ?? null;
}
