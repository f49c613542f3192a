import { auditEvent } from '../../domain/audit';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';

export interface TagAccuracy {
  tag: string;
  /** Suggested and kept by staff. */
  kept: number;
  /** Suggested, removed by staff. */
  removed: number;
  /** Added by staff, not suggested. */
  missed: number;
}

/**
 * How Trustloop's suggested tags compare with the tags staff settled on, over cases a person
 * reviewed (confirmed or changed the tags) since `since`.
 */
export async function tagAccuracy(db: Db, params: { since: Date }): Promise<{ reviewed: number; tags: TagAccuracy[] }> {
  const since = params.since.toISOString();
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases where tags_reviewed_at is not null and received_at >= ${since}::timestamptz`,
  );
  const rows = await queryRows<{ tag: string; kept: number; removed: number; missed: number }>(
    db,
    sql`
    with reviewed as (
      select suggested_tags, tags from cases where tags_reviewed_at is not null and received_at >= ${since}::timestamptz
    ), pairs as (
      select t as tag, t = any(tags) as final, true as suggested from reviewed, unnest(suggested_tags) t
      union all
      select t, true, false from reviewed, unnest(tags) t where not (t = any(suggested_tags))
    )
    select tag,
      count(*) filter (where suggested and final)::int as kept,
      count(*) filter (where suggested and not final)::int as removed,
      count(*) filter (where not suggested)::int as missed
    from pairs group by tag order by tag`,
  );
  return {
    reviewed: Number(count?.n ?? 0),
    tags: rows.map((r) => ({ tag: r.tag, kept: Number(r.kept), removed: Number(r.removed), missed: Number(r.missed) })),
  };
}

/** Automatic escalations, how many staff overruled, and escalations staff made that the rules missed. */
export async function escalationAccuracy(
  db: Db,
  params: { since: Date },
): Promise<{ automatic: number; overruled: number; staffOnly: number }> {
  const since = params.since.toISOString();
  const [row] = await queryRows<{ automatic: number; overruled: number; staff_only: number }>(
    db,
    sql`
    select
      count(*) filter (where (judgement->>'mustEscalate')::boolean)::int as automatic,
      count(*) filter (where (judgement->>'mustEscalate')::boolean and exists (
        select 1 from case_events e where e.case_id = c.id and e.action = ${auditEvent('deescalated')}))::int as overruled,
      count(*) filter (where not coalesce((judgement->>'mustEscalate')::boolean, false) and exists (
        select 1 from case_events e where e.case_id = c.id and e.action = ${auditEvent('escalated')} and e.actor <> 'trustloop'))::int as staff_only
    from cases c where received_at >= ${since}::timestamptz and judgement is not null`,
  );
  return { automatic: Number(row?.automatic ?? 0), overruled: Number(row?.overruled ?? 0), staffOnly: Number(row?.staff_only ?? 0) };
}

export interface Correction {
  caseId: number;
  subject: string;
  body: string;
  source: string;
  kind: 'ticket' | 'review';
  rating: number | null;
  /** The tags a person settled on (null when nobody reviewed them). */
  tags: string[] | null;
  /** A person took back an automatic escalation: none of the reasons applied. */
  notAnEscalation: boolean;
}

/**
 * What staff taught the judgement on real cases: tags they confirmed or changed, and automatic
 * escalations they took back. Disputes are left out (their facts come from the provider, not words).
 */
export async function listCorrections(db: Db, params: { limit: number }): Promise<Correction[]> {
  const rows = await queryRows<{
    id: number;
    subject: string;
    body: string;
    source: string;
    kind: 'ticket' | 'review';
    rating: number | null;
    tags: string[] | string;
    reviewed: boolean;
    deescalated: boolean;
  }>(
    db,
    sql`
    select c.id, c.subject, c.body, c.source, c.kind, r.rating, c.tags, c.tags_reviewed_at is not null as reviewed,
      exists (select 1 from case_events e where e.case_id = c.id and e.action = ${auditEvent('deescalated')}) as deescalated
    from cases c left join reviews r on r.case_id = c.id
    where c.kind in ('ticket', 'review') and (c.tags_reviewed_at is not null
      or exists (select 1 from case_events e where e.case_id = c.id and e.action = ${auditEvent('deescalated')}))
    order by c.id desc limit ${params.limit}`,
  );
  return rows.map((r) => ({
    caseId: Number(r.id),
    subject: r.subject,
    body: r.body,
    source: r.source,
    kind: r.kind,
    rating: r.rating === null ? null : Number(r.rating),
    tags: r.reviewed ? (Array.isArray(r.tags) ? r.tags : String(r.tags).replace(/^\{|\}$/g, '').split(',').filter(Boolean)) : null,
    notAnEscalation: Boolean(r.deescalated),
  }));
}
