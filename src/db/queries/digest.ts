import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';
import type { FixOutcome } from '../../domain/digest';

// The weekly voice-of-customer digest's figures, each one SQL aggregate over a time range read
// through an index (cases_reported_idx, reviews_written_idx, fix_items_done_idx): the week's
// rows are counted where they lie, never loaded. Ranges are [start, end).

const iso = (d: Date) => d.toISOString();
/**
 * Tag figures are about what customers wrote: tickets and reviews. A dispute's facts come from
 * the payment provider and are reported in their own section, by reason code.
 */
const customerWords = sql`c.kind <> 'dispute'`;
const tsArray = (ds: Date[]) => `{${ds.map(iso).join(',')}}`;
const textArray = (xs: readonly string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * Cases per tag in each of the weeks between consecutive `bounds` (oldest first): counts[i] is
 * the week [bounds[i], bounds[i+1]). One pass over the index range of all the weeks.
 */
export async function tagCountsByWeek(db: Db, params: { bounds: Date[] }): Promise<{ tag: string; counts: number[] }[]> {
  const { bounds } = params;
  const weeks = bounds.length - 1;
  const rows = await queryRows<{ tag: string; w: number; n: number }>(
    db,
    sql`
    select tag, width_bucket(c.reported_at, ${tsArray(bounds)}::timestamptz[]) as w, count(*)::int as n
    from cases c cross join lateral unnest(c.tags) as tag
    where c.reported_at >= ${iso(bounds[0]!)}::timestamptz and c.reported_at < ${iso(bounds[weeks]!)}::timestamptz
      and ${customerWords}
    group by 1, 2`,
  );
  const byTag = new Map<string, number[]>();
  for (const r of rows) {
    const counts = byTag.get(r.tag) ?? new Array<number>(weeks).fill(0);
    counts[Number(r.w) - 1] = Number(r.n);
    byTag.set(r.tag, counts);
  }
  return [...byTag].map(([tag, counts]) => ({ tag, counts }));
}

export interface TopProduct {
  tag: string;
  productKey: string;
  productLabel: string;
  count: number;
}

/**
 * For each of `tags`, the product its cases were most often about in the range (ties: the lower
 * key), named from the order items of one of those cases.
 */
export async function topProductPerTag(db: Db, params: { start: Date; end: Date; tags: string[] }): Promise<TopProduct[]> {
  if (params.tags.length === 0) return [];
  const week = sql`c.reported_at >= ${iso(params.start)}::timestamptz and c.reported_at < ${iso(params.end)}::timestamptz`;
  const rows = await queryRows<{ tag: string; pk: string; label: string | null; n: number }>(
    db,
    sql`
    with counts as (
      select tag, pk, count(*)::int as n, row_number() over (partition by tag order by count(*) desc, pk) as rn
      from cases c cross join lateral unnest(c.tags) as tag cross join lateral unnest(c.product_keys) as pk
      where ${week} and ${customerWords} and tag = any(${textArray(params.tags)}::text[])
      group by tag, pk
    )
    select k.tag, k.pk, k.n, (
      select i->>'name' from cases c cross join lateral jsonb_array_elements(c.order_items) as i
      where ${week} and k.pk = any(c.product_keys)
        and case when coalesce(trim(i->>'sku'), '') <> '' then 'sku:' || lower(trim(i->>'sku'))
                 else 'name:' || lower(trim(i->>'name')) end = k.pk
      limit 1
    ) as label
    from counts k where k.rn = 1`,
  );
  return rows.map((r) => ({ tag: r.tag, productKey: r.pk, productLabel: r.label ?? r.pk.replace(/^(sku|name):/, ''), count: Number(r.n) }));
}

export interface ReviewQuote {
  theme: string;
  body: string;
  rating: number;
  productTitle: string | null;
}

/**
 * Up to `perTheme` negative reviews per problem theme, in the reviewer's own words: those of a
 * readable length first (20–400 characters), then the most recent.
 */
export async function reviewQuotes(db: Db, params: { start: Date; end: Date; perTheme: number }): Promise<ReviewQuote[]> {
  const rows = await queryRows<{ theme: string; body: string; rating: number; product_title: string | null }>(
    db,
    sql`
    select theme, body, rating, product_title from (
      select theme, r.body, r.rating, r.product_title,
        row_number() over (partition by theme order by (length(r.body) between 20 and 400) desc, r.written_at desc, r.id desc) as rn
      from reviews r cross join lateral unnest(case when cardinality(r.problem_tags) = 0 then array['other'] else r.problem_tags end) as theme
      where r.negative and btrim(r.body) <> ''
        and r.written_at >= ${iso(params.start)}::timestamptz and r.written_at < ${iso(params.end)}::timestamptz
    ) x where rn <= ${params.perTheme}
    order by theme, rn`,
  );
  return rows.map((r) => ({ theme: r.theme, body: r.body, rating: Number(r.rating), productTitle: r.product_title }));
}

/**
 * Cases with a refund, return or exchange tag, by the other tags they carry (the reason); a case
 * with no other tag counts as `unspecified`.
 */
export async function returnReasons(
  db: Db,
  params: { start: Date; end: Date; tags: string[] },
): Promise<{ reason: string; count: number }[]> {
  if (params.tags.length === 0) return [];
  const rows = await queryRows<{ reason: string; n: number }>(
    db,
    sql`
    select coalesce(o.tag, 'unspecified') as reason, count(*)::int as n
    from cases c
    left join lateral unnest(c.tags) as o(tag) on o.tag <> all(${textArray(params.tags)}::text[])
    where c.reported_at >= ${iso(params.start)}::timestamptz and c.reported_at < ${iso(params.end)}::timestamptz
      and ${customerWords} and c.tags && ${textArray(params.tags)}::text[]
    group by 1 order by n desc, reason`,
  );
  return rows.map((r) => ({ reason: r.reason, count: Number(r.n) }));
}

export interface LogisticsRow {
  country: string | null;
  carrier: string | null;
  tag: string;
  count: number;
}

/** Cases with a logistics tag, by destination country, carrier and tag. */
export async function logisticsIssues(db: Db, params: { start: Date; end: Date; tags: string[] }): Promise<LogisticsRow[]> {
  if (params.tags.length === 0) return [];
  const rows = await queryRows<{ country: string | null; carrier: string | null; tag: string; n: number }>(
    db,
    sql`
    select upper(nullif(btrim(c.order_country), '')) as country, nullif(btrim(c.carrier), '') as carrier, tag, count(*)::int as n
    from cases c cross join lateral unnest(c.tags) as tag
    where c.reported_at >= ${iso(params.start)}::timestamptz and c.reported_at < ${iso(params.end)}::timestamptz
      and ${customerWords} and tag = any(${textArray(params.tags)}::text[])
    group by 1, 2, 3`,
  );
  return rows.map((r) => ({ country: r.country, carrier: r.carrier, tag: r.tag, count: Number(r.n) }));
}

export interface DisputeStanding {
  /** Open at the end of the range and due to be answered in the week after it. */
  dueSoon: number;
  /** Open at the end of the range: amounts by currency (as decimal strings). */
  atRisk: { currency: string; amount: string; count: number }[];
}

/** Disputes as they stood at `end`: the digest says the same thing whenever it is shown again. */
export async function disputeStanding(db: Db, params: { end: Date }): Promise<DisputeStanding> {
  const end = iso(params.end);
  // Still open, or closed after the week: two index ranges (disputes_open_idx, disputes_closed_idx).
  const open = sql`((closed_at is null and opened_at < ${end}::timestamptz) or (closed_at >= ${end}::timestamptz and opened_at < ${end}::timestamptz))`;
  const atRisk = await queryRows<{ currency: string; amount: string; n: number }>(
    db,
    sql`select currency, sum(amount)::text as amount, count(*)::int as n from disputes where ${open} group by currency order by currency`,
  );
  const [due] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from disputes
        where ${open} and (responded_at is null or responded_at >= ${end}::timestamptz)
          and respond_by >= ${end}::timestamptz and respond_by < ${end}::timestamptz + interval '7 days'`,
  );
  return {
    dueSoon: Number(due?.n ?? 0),
    atRisk: atRisk.map((r) => ({ currency: r.currency, amount: r.amount, count: Number(r.n) })),
  };
}

export interface FixOutcomeRow extends FixOutcome {
  productKey: string | null;
}

/**
 * Fixes marked done before the week (within `lookbackWeeks`), with their tag's volume in the
 * 7 days before each was done and in the week: did the question stop coming? One pass over the
 * cases from the earliest of those 7-day windows to the week's end, joined to the fixes by tag.
 */
export async function fixOutcomes(
  db: Db,
  params: { start: Date; end: Date; lookbackWeeks: number; limit: number },
): Promise<FixOutcomeRow[]> {
  const start = iso(params.start);
  const end = iso(params.end);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
    with f as materialized (
      select id, tag, product_key, product_label, target, owner_id, done_at from fix_items
      where state = 'done' and done_at < ${start}::timestamptz
        and done_at >= ${start}::timestamptz - make_interval(weeks => ${params.lookbackWeeks})
      order by done_at desc, id desc
      limit ${params.limit}
    ), hits as (
      select f.id,
        count(*) filter (where c.reported_at >= f.done_at - interval '7 days' and c.reported_at < f.done_at)::int as before,
        count(*) filter (where c.reported_at >= ${start}::timestamptz)::int as since
      from cases c
      cross join lateral unnest(c.tags) as t(tag)
      join f on f.tag = t.tag and (f.product_key is null or f.product_key = any(c.product_keys))
      where c.reported_at >= (select min(done_at) from f) - interval '7 days' and c.reported_at < ${end}::timestamptz
      group by f.id
    )
    select f.*, coalesce(h.before, 0) as before, coalesce(h.since, 0) as since
    from f left join hits h on h.id = f.id
    order by f.done_at desc, f.id desc`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    tag: String(r.tag),
    productKey: (r.product_key as string | null) ?? null,
    productLabel: (r.product_label as string | null) ?? null,
    target: String(r.target),
    ownerId: String(r.owner_id),
    doneAt: new Date(r.done_at as string | Date),
    before: Number(r.before),
    since: Number(r.since),
  }));
}

/**
 * Cases and reviews that arrived in the range (zero of both: an empty week), and the cases the
 * judgement marked as ones self-service could have answered.
 */
export async function arrivals(
  db: Db,
  params: { start: Date; end: Date },
): Promise<{ cases: number; reviews: number; selfService: number }> {
  const [row] = await queryRows<{ cases: number; reviews: number; self_service: number }>(
    db,
    sql`select
      (select count(*)::int from cases where reported_at >= ${iso(params.start)}::timestamptz and reported_at < ${iso(params.end)}::timestamptz) as cases,
      (select count(*)::int from cases where automatable and reported_at >= ${iso(params.start)}::timestamptz and reported_at < ${iso(params.end)}::timestamptz) as self_service,
      (select count(*)::int from reviews where written_at >= ${iso(params.start)}::timestamptz and written_at < ${iso(params.end)}::timestamptz) as reviews`,
  );
  return { cases: Number(row?.cases ?? 0), reviews: Number(row?.reviews ?? 0), selfService: Number(row?.self_service ?? 0) };
}

/** Negative reviews in the range in which the judgement found no problem theme. */
export async function negativeReviewsWithoutTheme(db: Db, params: { start: Date; end: Date }): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from reviews where negative and cardinality(problem_tags) = 0
        and written_at >= ${iso(params.start)}::timestamptz and written_at < ${iso(params.end)}::timestamptz`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Questions the store's policy could not answer while replies were drafted in [start, end): each
 * case once, by its newest draft of the week, per gap (delivery times also per destination
 * country) and reply type.
 */
export async function policyGaps(
  db: Db,
  params: { start: Date; end: Date },
): Promise<{ gap: string; country: string | null; type: string; count: number }[]> {
  const rows = await queryRows<{ gap: string; country: string | null; type: string; n: number }>(
    db,
    sql`
    select g.gap, case when g.gap = 'delivery_window' then upper(coalesce(o.country, c.order_country)) end as country, d.type,
      count(*)::int as n
    from (
      select distinct on (case_id) case_id, type, gaps from reply_drafts
      where drafted_at >= ${iso(params.start)}::timestamptz and drafted_at < ${iso(params.end)}::timestamptz
      order by case_id, version desc
    ) d
    cross join lateral unnest(d.gaps) as g(gap)
    join cases c on c.id = d.case_id
    left join orders o on o.id = c.matched_order_id
    group by 1, 2, 3`,
  );
  return rows.map((r) => ({ gap: r.gap, country: r.country, type: r.type, count: Number(r.n) }));
}
