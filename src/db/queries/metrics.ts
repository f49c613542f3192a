import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { WorkspaceConfig } from '../../config/workspace';
import { type Db, queryRows } from '../client';
import { cases } from '../schema';
import { slaCaseColumns, type SlaCaseRow } from './sla';
import {
  AGE_BUCKETS,
  MAX_EXPORT_ROWS,
  emptyBreakdownRow,
  type MetricsFilter,
  type MetricsPeriod,
  type PeriodMetrics,
  type BreakdownBy,
  type BreakdownRow,
  type AgeBucket,
  type ExportMetric,
} from '../../domain/metrics';

// The manager metrics, as SQL aggregates over indexed columns: nothing is loaded row
// by row. Which cases a period holds depends on the figure:
// - cases and first response: cases *reported* in [start, end), i.e. written by the customer then
//   (cases_reported_idx); first response over those with an agent reply, measured from
//   Trustloop's receipt to the first reply;
// - resolution and first contact resolution: cases whose *final* resolution falls in
//   [start, end) (cases_resolved_idx). A case reopened later has no resolution until it is
//   resolved again, so it counts in the period of its last resolution, with the whole time
//   since receipt; cases still open are left out;
// - first contact resolution: resolved with exactly one agent reply and never reopened;
// - CSAT: ratings given in the period (csat_responses_responded_idx); satisfied is 4 or 5;
// - reviews: reviews written in the period (reviews_written_idx), however late a batch delivered
//   them; store-wide, so left out (null) when the figures are filtered to a source, channel or owner.
// Business-time figures were measured with the case's SLA clock when they happened (see
// src/domain/metrics.ts); wall-time figures are plain differences of the timestamps.

const iso = (d: Date) => d.toISOString();
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function within(column: string, p: { start: Date; end: Date }): SQL {
  return sql`${sql.raw(column)} >= ${iso(p.start)}::timestamptz and ${sql.raw(column)} < ${iso(p.end)}::timestamptz`;
}

/**
 * A case's source as the metrics name it: a ticket's channel (email, live_chat...), otherwise its
 * kind, since review and dispute cases keep the provider's name (judgeme, stripe...) in `source`.
 */
const SOURCE_KEY = `case when c.kind = 'ticket' then c.source else c.kind end`;

/** The filter on the case table aliased `c`. */
function caseFilter(f: MetricsFilter | undefined): SQL {
  const parts: SQL[] = [];
  if (f?.source === 'review' || f?.source === 'dispute') parts.push(sql` and c.kind = ${f.source}`);
  else if (f?.source !== undefined) parts.push(sql` and c.kind = 'ticket' and c.source = ${f.source}`);
  if (f?.channelId !== undefined) parts.push(sql` and c.channel_id = ${f.channelId}`);
  if (f?.ownerId !== undefined) parts.push(sql` and c.owner_id = ${f.ownerId}`);
  return sql.join(parts, sql``);
}

const hasFilter = (f: MetricsFilter | undefined) => f !== undefined && Object.values(f).some((v) => v !== undefined);

// A case counts once under each of its tags; an untagged case under null.
const tagKeys = sql.raw(`unnest(case when cardinality(c.tags) = 0 then array[null]::text[] else c.tags end) as t(tag)`);
const KEY: Record<BreakdownBy, SQL> = { source: sql.raw(SOURCE_KEY), tag: sql.raw('t.tag'), owner: sql.raw('c.owner_id') };
const keyColumn = (by?: BreakdownBy) => (by ? sql`${KEY[by]} as key,` : sql``);
const caseTable = (by?: BreakdownBy) => (by === 'tag' ? sql`cases c cross join lateral ${tagKeys}` : sql`cases c`);

/**
 * Median and p90 of a column in one ordered-set aggregate: one sort, not two (PostgreSQL
 * computes the repeated identical aggregate once). Wall times are the stored generated
 * columns first_response_ms and resolution_ms, so the sorts are over plain numbers.
 */
function quantiles(column: string, median: string, p90: string): SQL {
  const agg = `(percentile_cont(array[0.5, 0.9]) within group (order by ${column}))`;
  return sql.raw(`${agg}[1] as ${median}, ${agg}[2] as ${p90}`);
}

/** The first-response query (cases received in the period); exported for EXPLAIN in the benchmark. */
export function receivedFiguresSql(p: MetricsPeriod, by?: BreakdownBy): SQL {
  return sql`select ${keyColumn(by)}
      count(*)::int as cases,
      count(c.first_response_at)::int as fr_count,
      ${quantiles('c.first_response_ms', 'fr_median', 'fr_p90')},
      ${quantiles('c.first_response_business_ms', 'fr_bmedian', 'fr_bp90')},
      count(*) filter (where c.first_response_within_sla)::int as fr_within,
      count(c.first_response_within_sla)::int as fr_judged,
      count(*) filter (where c.first_response_at is null and exists (
        select 1 from case_reminders r
        where r.case_id = c.id and r.target = 'first_response' and r.level = 'breach'
      ))::int as fr_unanswered_late
    from ${caseTable(by)}
    where ${within('c.reported_at', p)}${caseFilter(p.filter)}
    ${by ? sql`group by 1` : sql``}`;
}

/** The resolution query (cases whose final resolution is in the period). */
export function resolvedFiguresSql(p: MetricsPeriod, by?: BreakdownBy): SQL {
  return sql`select ${keyColumn(by)}
      count(*)::int as resolved,
      ${quantiles('c.resolution_ms', 'res_median', 'res_p90')},
      ${quantiles('c.resolution_business_ms', 'res_bmedian', 'res_bp90')},
      count(*) filter (where c.agent_reply_count = 1 and c.reopen_count = 0)::int as fcr
    from ${caseTable(by)}
    where ${within('c.resolved_at', p)} and c.status = 'resolved'${caseFilter(p.filter)}
    ${by ? sql`group by 1` : sql``}`;
}

function csatSql(p: MetricsPeriod, by?: BreakdownBy): SQL {
  return sql`select ${keyColumn(by)}
      count(*)::int as responses,
      avg(r.rating)::float8 as average,
      count(*) filter (where r.rating >= 4)::int as satisfied
    from csat_responses r join cases c on c.id = r.case_id${by === 'tag' ? sql` cross join lateral ${tagKeys}` : sql``}
    where ${within('r.responded_at', p)}${caseFilter(p.filter)}
    ${by ? sql`group by 1` : sql``}`;
}

type Row = Record<string, unknown>;

/**
 * The figures for one period. `_config` is the workspace's: the figures need none of it today
 * (targets and hours were applied when each figure was measured), but callers pass it so that
 * can change without touching them.
 */
export async function periodMetrics(db: Db, _config: WorkspaceConfig, p: MetricsPeriod): Promise<PeriodMetrics> {
  // Independent statements: on a pool they run side by side.
  const [[received], [resolved], [csat], reviewRows] = await Promise.all([
    queryRows<Row>(db, receivedFiguresSql(p)),
    queryRows<Row>(db, resolvedFiguresSql(p)),
    queryRows<Row>(db, csatSql(p)),
    hasFilter(p.filter)
      ? Promise.resolve(null)
      : queryRows<Row>(
          db,
          sql`select count(*)::int as n, avg(rating)::float8 as average, count(*) filter (where negative)::int as negative
            from reviews where ${within('written_at', p)}`,
        ),
  ]);
  const reviews = reviewRows?.[0] ?? null;
  const frJudged = Number(received!.fr_judged);
  const resolvedCount = Number(resolved!.resolved);
  const responses = Number(csat!.responses);
  return {
    cases: Number(received!.cases),
    firstResponse: {
      count: Number(received!.fr_count),
      medianMs: ms(received!.fr_median),
      p90Ms: ms(received!.fr_p90),
      businessMedianMs: ms(received!.fr_bmedian),
      businessP90Ms: ms(received!.fr_bp90),
      withinSla: share(Number(received!.fr_within), frJudged + Number(received!.fr_unanswered_late)),
      unansweredPastTarget: Number(received!.fr_unanswered_late),
    },
    resolution: {
      count: resolvedCount,
      medianMs: ms(resolved!.res_median),
      p90Ms: ms(resolved!.res_p90),
      businessMedianMs: ms(resolved!.res_bmedian),
      businessP90Ms: ms(resolved!.res_bp90),
    },
    firstContactResolution: {
      resolved: resolvedCount,
      firstContact: Number(resolved!.fcr),
      share: share(Number(resolved!.fcr), resolvedCount),
    },
    csat: { responses, average: num(csat!.average), satisfiedShare: share(Number(csat!.satisfied), responses) },
    reviews: reviews
      ? {
          count: Number(reviews.n),
          averageRating: num(reviews.average),
          negativeShare: share(Number(reviews.negative), Number(reviews.n)),
        }
      : null,
  };
}

/**
 * The same figures per source, tag or owner (the same period rules as periodMetrics), most
 * cases first. A case with several tags counts under each.
 */
export async function metricsBreakdown(db: Db, _config: WorkspaceConfig, p: MetricsPeriod & { by: BreakdownBy }): Promise<BreakdownRow[]> {
  const [received, resolved, csat] = await Promise.all([
    queryRows<Row>(db, receivedFiguresSql(p, p.by)),
    queryRows<Row>(db, resolvedFiguresSql(p, p.by)),
    queryRows<Row>(db, csatSql(p, p.by)),
  ]);
  const rows = new Map<string | null, BreakdownRow>();
  const row = (key: unknown): BreakdownRow => {
    const k = key === null || key === undefined ? null : String(key);
    let r = rows.get(k);
    if (!r) {
      r = emptyBreakdownRow(k);
      rows.set(k, r);
    }
    return r;
  };
  for (const x of received) {
    Object.assign(row(x.key), {
      cases: Number(x.cases),
      firstResponseMedianMs: ms(x.fr_median),
      firstResponseBusinessMedianMs: ms(x.fr_bmedian),
      withinSla: share(Number(x.fr_within), Number(x.fr_judged) + Number(x.fr_unanswered_late)),
    });
  }
  for (const x of resolved) {
    Object.assign(row(x.key), {
      resolved: Number(x.resolved),
      resolutionMedianMs: ms(x.res_median),
      resolutionBusinessMedianMs: ms(x.res_bmedian),
      firstContactShare: share(Number(x.fcr), Number(x.resolved)),
    });
  }
  for (const x of csat) Object.assign(row(x.key), { csatResponses: Number(x.responses), csatAverage: num(x.average) });
  return [...rows.values()].sort((a, b) => b.cases - a.cases || b.resolved - a.resolved || String(a.key).localeCompare(String(b.key)));
}

// ---- the queue, open cases, exports ------------------------------------------------------------

/** Open cases by status and age (cases_open_idx), in a channel or everywhere. */
export async function queueCounts(
  db: Db,
  p: { now: Date; channelId?: string },
): Promise<{ status: string; bucket: AgeBucket; n: number }[]> {
  const now = iso(p.now);
  const bucket = sql.join(
    AGE_BUCKETS.filter((b) => b.maxMs !== Infinity).map(
      (b) => sql`when received_at > ${now}::timestamptz - ${`${b.maxMs} milliseconds`}::interval then ${b.key}`,
    ),
    sql` `,
  );
  const rows = await queryRows<{ status: string; bucket: AgeBucket; n: number }>(
    db,
    sql`select status, case ${bucket} else 'older' end as bucket, count(*)::int as n
      from cases where status <> 'resolved'${p.channelId !== undefined ? sql` and channel_id = ${p.channelId}` : sql``}
      group by 1, 2`,
  );
  return rows.map((r) => ({ status: r.status, bucket: r.bucket, n: Number(r.n) }));
}

/** An instant as ISO 8601 UTC text, the same from either driver. */
const isoUtc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The rows behind a figure, with the same period rules as periodMetrics, oldest first: one
 * object per case (or rating, or review) with plain column names for the CSV header.
 */
export async function metricRows(db: Db, p: MetricsPeriod & { metric: ExportMetric; limit?: number }): Promise<Row[]> {
  const limit = p.limit ?? MAX_EXPORT_ROWS;
  const f = caseFilter(p.filter);
  const caseColumns = sql.raw(
    `c.id as case_id, c.kind, ${SOURCE_KEY} as source, c.channel_id, c.owner_id, array_to_string(c.tags, ' ') as tags, c.status, ${isoUtc('c.received_at')} as received_at, ${isoUtc('c.reported_at')} as reported_at`,
  );
  switch (p.metric) {
    case 'cases':
    case 'first_response':
      return queryRows<Row>(
        db,
        sql`select ${caseColumns}, ${sql.raw(isoUtc('c.first_response_at'))} as first_response_at,
            c.first_response_ms, c.first_response_business_ms, c.first_response_within_sla
          from cases c where ${within('c.reported_at', p)}${f}${p.metric === 'first_response' ? sql` and c.first_response_at is not null` : sql``}
          order by c.reported_at, c.id limit ${limit}`,
      );
    case 'resolution':
    case 'fcr':
      return queryRows<Row>(
        db,
        sql`select ${caseColumns}, ${sql.raw(isoUtc('c.resolved_at'))} as resolved_at, c.resolution_ms, c.resolution_business_ms,
            c.agent_reply_count, c.reopen_count, (c.agent_reply_count = 1 and c.reopen_count = 0) as first_contact
          from cases c where ${within('c.resolved_at', p)} and c.status = 'resolved'${f}
          order by c.resolved_at, c.id limit ${limit}`,
      );
    case 'csat':
      return queryRows<Row>(
        db,
        sql`select r.case_id, ${sql.raw(SOURCE_KEY)} as source, c.channel_id, c.owner_id, r.rating, r.via, r.comment, ${sql.raw(isoUtc('r.responded_at'))} as responded_at
          from csat_responses r join cases c on c.id = r.case_id where ${within('r.responded_at', p)}${f}
          order by r.responded_at, r.id limit ${limit}`,
      );
    case 'reviews':
      return queryRows<Row>(
        db,
        sql`select id as review_id, provider, external_id, rating, negative, product_title, case_id, ${sql.raw(isoUtc('written_at'))} as written_at
          from reviews where ${within('written_at', p)} order by written_at, id limit ${limit}`,
      );
  }
}

/** How many open cases a person owns (cases_owner_idx). */
export async function countOwnedOpen(db: Db, p: { ownerId: string }): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases where status <> 'resolved' and owner_id = ${p.ownerId}`,
  );
  return Number(row?.n ?? 0);
}

/** A person's open cases, oldest first (cases_owner_idx), with what their SLA line needs. */
export async function listOwnedOpen(db: Db, p: { ownerId: string; limit: number }): Promise<SlaCaseRow[]> {
  return (
    (await db
      .select(slaCaseColumns)
      .from(cases)
      .where(and(sql`${cases.status} <> 'resolved'`, eq(cases.ownerId, p.ownerId)))
      // Most at risk first (earliest at risk; cases never at risk last, oldest first), so the
      // listed cases are the riskiest, not the oldest.
      .orderBy(sql`${cases.slaRiskAt} asc nulls last`, cases.receivedAt, cases.id)
      .limit(p.limit)) as SlaCaseRow[]
  );
}
