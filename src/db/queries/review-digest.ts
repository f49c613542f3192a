import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';

// What reviews and disputes contribute to the weekly voice-of-customer digest: review volume and
// themes, the causes captured with drafted responses (and what should change), and dispute
// reasons and outcomes. Counted between `since` (inclusive) and `until` (exclusive).

export interface ReviewDigest {
  reviews: { total: number; negative: number; byRating: Record<string, number>; problemTags: Record<string, number> };
  /** Reviews that were no problem but whose writers had to reach a person, by reason code. */
  leads: { total: number; byReason: Record<string, number> };
  causes: { causeTag: string; responses: number; page: number; product: number; supplier: number }[];
  /** byReason: disputes opened in the window by the provider's reason code, with Trustloop's plain label, most first. */
  disputes: { opened: number; won: number; lost: number; byReason: DisputeReasonCount[] };
}

export interface DisputeReasonCount {
  code: string;
  label: string;
  count: number;
}

export async function reviewDigest(db: Db, params: { since: Date; until: Date }): Promise<ReviewDigest> {
  const since = params.since.toISOString();
  const until = params.until.toISOString();
  const window = (col: string) => sql`${sql.raw(col)} >= ${since}::timestamptz and ${sql.raw(col)} < ${until}::timestamptz`;
  const ratings = await queryRows<{ rating: number; n: number; negative: number }>(
    db,
    sql`select rating, count(*)::int as n, count(*) filter (where negative)::int as negative from reviews where ${window('written_at')} group by rating`,
  );
  const tags = await queryRows<{ tag: string; n: number }>(
    db,
    sql`select unnest(problem_tags) as tag, count(*)::int as n from reviews where negative and ${window('written_at')} group by 1`,
  );
  const leads = await queryRows<{ code: string; n: number; total: number }>(
    db,
    sql`select x->>'code' as code, count(*)::int as n, (select count(*)::int from reviews where jsonb_array_length(lead_reasons) > 0 and ${window('written_at')}) as total
        from reviews cross join lateral jsonb_array_elements(lead_reasons) as x
        where jsonb_array_length(lead_reasons) > 0 and ${window('written_at')} group by 1 order by 1`,
  );
  // The latest version of each case's response carries the cause that counts.
  const causes = await queryRows<{ cause_tag: string; n: number; page: number; product: number; supplier: number }>(
    db,
    sql`
    select cause_tag, count(*)::int as n,
      count(*) filter (where 'page' = any(improvements))::int as page,
      count(*) filter (where 'product' = any(improvements))::int as product,
      count(*) filter (where 'supplier' = any(improvements))::int as supplier
    from (
      select distinct on (case_id) case_id, cause_tag, improvements from review_responses
      where status <> 'superseded' and ${window('drafted_at')}
      order by case_id, version desc
    ) latest
    group by cause_tag order by n desc, cause_tag`,
  );
  const opened = await queryRows<{ reason_code: string; label: string; n: number }>(
    db,
    sql`select reason_code, min(reason_text) as label, count(*)::int as n from disputes where ${window('opened_at')}
        group by reason_code order by n desc, reason_code`,
  );
  const [closed] = await queryRows<{ won: number; lost: number }>(
    db,
    sql`select count(*) filter (where outcome = 'won')::int as won, count(*) filter (where outcome = 'lost')::int as lost
        from disputes where ${window('closed_at')}`,
  );
  const byRating: Record<string, number> = {};
  for (const r of ratings) byRating[String(r.rating)] = Number(r.n);
  return {
    reviews: {
      total: ratings.reduce((s, r) => s + Number(r.n), 0),
      negative: ratings.reduce((s, r) => s + Number(r.negative), 0),
      byRating,
      problemTags: Object.fromEntries(tags.map((t) => [t.tag, Number(t.n)])),
    },
    leads: { total: Number(leads[0]?.total ?? 0), byReason: Object.fromEntries(leads.map((l) => [l.code, Number(l.n)])) },
    causes: causes.map((c) => ({
      causeTag: c.cause_tag,
      responses: Number(c.n),
      page: Number(c.page),
      product: Number(c.product),
      supplier: Number(c.supplier),
    })),
    disputes: {
      opened: opened.reduce((s, r) => s + Number(r.n), 0),
      won: Number(closed?.won ?? 0),
      lost: Number(closed?.lost ?? 0),
      byReason: opened.map((r) => ({ code: r.reason_code, label: r.label, count: Number(r.n) })),
    },
  };
}
