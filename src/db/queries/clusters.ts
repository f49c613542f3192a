import { and, eq, gte, sql } from 'drizzle-orm';
import type { ClusterItem } from '../../domain/clusters';
import { type Db, queryRows } from '../client';
import { type ClusterAlert, clusterAlerts, type OrderItem } from '../schema';

/**
 * Negative review cases and damaged/quality tickets received since `since`, with the products
 * they are about (index-backed by cases_received_idx).
 */
export async function clusterItems(db: Db, params: { since: Date; problemTags: readonly string[] }): Promise<ClusterItem[]> {
  const tags = sql.join(
    params.problemTags.map((t) => sql`${t}`),
    sql`, `,
  );
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
    select c.id, c.kind, c.reported_at, c.order_items, r.product_title, r.product_sku
    from cases c
    left join reviews r on r.case_id = c.id
    where c.reported_at >= ${params.since.toISOString()}::timestamptz
      and ((c.kind = 'review' and r.negative) or (c.kind = 'ticket' and c.tags && array[${tags}]::text[]))
    order by c.reported_at, c.id`,
  );
  return rows.map((r) => {
    const items = (typeof r.order_items === 'string' ? JSON.parse(r.order_items) : r.order_items) as OrderItem[] | null;
    const products =
      r.kind === 'review'
        ? [{ title: (r.product_title as string | null) ?? null, sku: (r.product_sku as string | null) ?? null }]
        : (items ?? []).map((i) => ({ title: i.name, sku: i.sku ?? null }));
    return {
      caseId: Number(r.id),
      kind: r.kind === 'review' ? ('review' as const) : ('ticket' as const),
      at: r.reported_at instanceof Date ? r.reported_at : new Date(String(r.reported_at)),
      products,
    };
  });
}

export async function activeClusters(db: Db, params: { since: Date }): Promise<ClusterAlert[]> {
  return db.select().from(clusterAlerts).where(gte(clusterAlerts.lastItemAt, params.since));
}

export async function insertClusterAlert(db: Db, row: typeof clusterAlerts.$inferInsert): Promise<ClusterAlert> {
  const [inserted] = await db.insert(clusterAlerts).values(row).returning();
  return inserted!;
}

export async function extendClusterAlert(db: Db, params: { id: number; caseIds: number[]; lastItemAt: Date }): Promise<void> {
  await db.update(clusterAlerts).set({ caseIds: params.caseIds, lastItemAt: params.lastItemAt }).where(eq(clusterAlerts.id, params.id));
}

export async function getClusterAlert(db: Db, params: { id: number }): Promise<ClusterAlert | null> {
  const [row] = await db.select().from(clusterAlerts).where(eq(clusterAlerts.id, params.id));
  return row ?? null;
}

export async function setClusterAlertTs(db: Db, params: { id: number; ts: string }): Promise<void> {
  await db
    .update(clusterAlerts)
    .set({ slackTs: params.ts })
    .where(and(eq(clusterAlerts.id, params.id)));
}

/** Serialises cluster detection (ingest and the job) so two of them cannot alert for one cluster. */
export async function lockClusterDetection(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${0x636c7573})`);
}

/** The cases of a cluster, with the rating of the review cases, in time order. */
export async function clusterCases(
  db: Db,
  params: { ids: number[] },
): Promise<
  {
    id: number;
    kind: string;
    channelId: string;
    slackTs: string | null;
    reportedAt: Date;
    subject: string;
    rating: number | null;
    tags: string[];
  }[]
> {
  if (params.ids.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
    select c.id, c.kind, c.channel_id, c.slack_ts, c.reported_at, c.subject, c.tags, r.rating
    from cases c left join reviews r on r.case_id = c.id
    where c.id in (${sql.join(
      params.ids.map((id) => sql`${id}`),
      sql`, `,
    )})
    order by c.reported_at, c.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: String(r.kind),
    channelId: String(r.channel_id),
    slackTs: (r.slack_ts as string | null) ?? null,
    reportedAt: r.reported_at instanceof Date ? r.reported_at : new Date(String(r.reported_at)),
    subject: String(r.subject),
    rating: r.rating === null || r.rating === undefined ? null : Number(r.rating),
    tags: parseTextArray(r.tags),
  }));
}

/** text[] comes back as an array from postgres.js and PGlite, or as a literal from some drivers. */
function parseTextArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.startsWith('{')) {
    const inner = v.slice(1, -1);
    return inner ? inner.split(',').map((s) => s.replace(/^"|"$/g, '')) : [];
  }
  return [];
}
