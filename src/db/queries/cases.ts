import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { AuditEvent } from '../../domain/audit';
import { type CaseKind, TICKET_SOURCES } from '../../domain/case';
import { Coalescer } from '../coalesce';
import { type Db, isRootDb, queryRows, queryRowsPrepared, queryStatement, rowMapper } from '../client';
import type { Judgement } from '../../domain/judgement/types';
import type { TimelineFact } from '../../domain/timeline';
import { OUTBOX_PAYLOADS, type OutboxPayloadInput, type PendingJudgement } from '../../domain/outbox';
import { type CaseOutboxRow, outboxKind } from './outbox';
import { type Case, type CaseMessage, type OrderItem, type ReplyDraftRow, caseEvents, caseMessages, cases, replyDrafts, slackEvents } from '../schema';

/** A new case's columns, as the schema declares them (defaults and generated columns optional). */
export type NewCase = typeof cases.$inferInsert;

/**
 * A case to create: its columns (from the schema, so a new column needs no change here), and what
 * is written with it in the same statement.
 */
export type NewCaseRow = Omit<NewCase, 'id' | 'kind' | 'reportedAt' | 'escalatedAt' | 'escalationReason' | 'mustEscalateAt'> & {
  kind: 'ticket' | 'review' | 'dispute';
  /** When the customer wrote it, for reports (default: receivedAt). */
  reportedAt?: Date;
  /** Who created it, for the audit log. */
  actor: string;
  eventData?: Record<string, unknown>;
  /** The first customer message stored on the timeline (authored by the customer). */
  firstMessage?: { authorName: string | null; body: string; createdAt: Date };
  /** Set when the case arrives already escalated (Trustloop's must-escalate rules). */
  escalation?: { at: Date; reason: string; mustEscalate: boolean } | null;
  /** More audit entries written with the case (after `created`). */
  events?: { actor: string; action: AuditEvent; data: Record<string, unknown> }[];
  /** More outbox rows written with the case (after its card post), in the case's order key. */
  outbox?: CaseOutboxRow[];
  /** Payload of the card's own outbox row (what its delivery needs beyond the case). */
  cardPayload?: OutboxPayloadInput<'card_post'>;
  /**
   * The card's post waits this long unless released sooner (writeJudgements releases it): a worker
   * judging the case right after the commit gets there before the dispatcher, which would otherwise
   * judge the case itself.
   */
  cardHoldMs?: number;
};

/** A case as inserted: created false when it already existed (nothing was written). */
export interface InsertedCase {
  id: number;
  created: boolean;
  case: Case;
}

/**
 * Creates the case, its first message, its audit entry and the outbox row that posts its card,
 * in one statement (one round trip, atomic). When (kind, source, external id) already exists
 * nothing is written and the existing case id comes back with created = false.
 */
export async function insertCase(db: Db, row: NewCaseRow): Promise<InsertedCase> {
  return (await insertCases(db, [row]))[0]!;
}

/** Each database's gatherer of concurrent case inserts (insertCaseGathered). */
const gatherers = new WeakMap<Db, Coalescer<NewCaseRow, InsertedCase>>();

/**
 * insertCase for a request path many callers take at once (new tickets): cases arriving together
 * are written by one insertCases statement, each caller answered once it is committed. Only for
 * the database itself, never a transaction (a gathered statement runs on its own connection).
 */
export function insertCaseGathered(db: Db, row: NewCaseRow): Promise<InsertedCase> {
  // A transaction's statements must run on its own connection: it is not gathered.
  if (!isRootDb(db)) return insertCase(db, row);
  let gatherer = gatherers.get(db);
  if (!gatherer) gatherers.set(db, (gatherer = new Coalescer((rows) => insertCases(db, rows), { maxBatch: 64, inFlight: 2 })));
  return gatherer.submit(row);
}

/** One case of a multi-row insert: its columns by name, and what is written with it. */
interface CaseEntry {
  names: string[];
  json: { c: Record<string, unknown>; m: Record<string, unknown> | null; e: unknown[]; o: unknown[] };
}

function caseEntry(row: NewCaseRow): CaseEntry {
  const { actor, eventData, firstMessage: msg, escalation, events: more, outbox: moreOutbox, cardPayload, cardHoldMs, reportedAt, ...columns } =
    row;
  const esc = escalation ?? null;
  const values: NewCase = {
    ...columns,
    reportedAt: reportedAt ?? row.receivedAt,
    ...(esc ? { escalatedAt: esc.at, escalationReason: esc.reason, mustEscalateAt: esc.mustEscalate ? esc.at : null } : {}),
  };
  const names: string[] = [];
  const c: Record<string, unknown> = {};
  const record = values as Record<string, unknown>;
  for (const [key, column] of insertableCaseColumns) {
    let value = record[key];
    if (value === undefined) {
      if (column.defaultFn) value = column.defaultFn();
      else if (!column.default && column.onUpdateFn) value = column.onUpdateFn();
      else continue;
    }
    names.push(column.name);
    // A JSON column's value rides in the statement's JSON as it is; every other value as the
    // driver would send it (instants as ISO text), which the row type reads back.
    c[column.name] = value === null ? null : jsonColumns.has(column.name) ? value : column.mapToDriverValue(value);
  }
  const outboxRows: (CaseOutboxRow & { holdMs?: number })[] = [
    { kind: 'card_post', channel: row.channelId, payload: cardPayload, ...(cardHoldMs ? { holdMs: cardHoldMs } : {}) },
    ...(moreOutbox ?? []),
  ];
  return {
    names,
    json: {
      c,
      m: msg ? { authorName: msg.authorName, body: msg.body, createdAt: msg.createdAt.toISOString() } : null,
      e: [{ actor, action: 'created', data: eventData ?? {} }, ...(more ?? [])],
      o: outboxRows,
    },
  };
}

/**
 * Creates many cases in one statement (one round trip, one commit), each with what insertCase
 * writes with it, in the order given: a burst of tickets costs the database one statement instead
 * of one per case. Answers in the same order. A case whose (kind, source, external id) exists, or
 * appears earlier in the same batch, writes nothing and comes back as the existing case.
 */
export async function insertCases(db: Db, rows: readonly NewCaseRow[]): Promise<InsertedCase[]> {
  const entries = rows.map(caseEntry);
  const out: (InsertedCase | undefined)[] = new Array(rows.length);
  // One statement per set of columns (callers give the same few sets); a key twice in one batch
  // would pair both entries with the one row inserted, so the later one looks the case up instead.
  const groups = new Map<string, number[]>();
  const keys = new Set<string>();
  entries.forEach((entry, i) => {
    const key = `${rows[i]!.kind}\u0000${rows[i]!.source}\u0000${rows[i]!.externalId}`;
    if (keys.has(key)) return;
    keys.add(key);
    const set = entry.names.join(',');
    groups.set(set, [...(groups.get(set) ?? []), i]);
  });
  const write = async (target: Db) => {
    for (const indexes of groups.values()) {
      const text = statementText(caseInsertTexts, entries[indexes[0]!]!.names, () => caseInsertText(entries[indexes[0]!]!.names));
      const inserted = await queryStatement<Record<string, unknown>>(target, text, [JSON.stringify(indexes.map((i) => entries[i]!.json))]);
      for (const raw of inserted) {
        const c = caseFromRow(raw);
        out[indexes[Number(raw.batch_index) - 1]!] = { id: c.id, created: true, case: c };
      }
    }
  };
  // Several statements commit together, so a batch is written whole or not at all (a caller that
  // retries a failed batch case by case must not find half of it written).
  if (groups.size > 1 && isRootDb(db)) await db.transaction(write);
  else await write(db);
  for (let i = 0; i < rows.length; i++) {
    if (out[i]) continue;
    // Already there. If the conflicting row was committed after this statement's snapshot, the
    // first look can miss it; the second, in a new statement, cannot.
    const existing = (await findCaseByExternal(db, rows[i]!)) ?? (await findCaseByExternal(db, rows[i]!));
    if (!existing) throw new Error('case insert conflicted but the existing case is not visible');
    out[i] = { id: existing.id, created: false, case: existing };
  }
  return out as InsertedCase[];
}

/** A statement's text for a set of columns, written once per set (callers use the same few sets). */
function statementText(written: Map<string, string>, names: readonly string[], write: (n: number) => string): string {
  const key = names.join(',');
  let text = written.get(key);
  if (text === undefined) {
    text = write(names.length);
    written.set(key, text);
  }
  return text;
}

/** The columns a case can be inserted with (generated ones are the database's), in the schema's order. */
const insertableCaseColumns = Object.entries(getTableColumns(cases)).filter(
  ([, column]) => column.generated === undefined || column.generated.type === 'byDefault',
);
const jsonColumns = new Set(insertableCaseColumns.filter(([, column]) => column.dataType === 'json').map(([, column]) => column.name));
/** The statement's text for each set of columns given: callers give the same few sets, so each is written once. */
const caseInsertTexts = new Map<string, string>();

/**
 * The cases' insert for one set of columns (from the schema, so a new column needs no change
 * here), with the rest of what insertCases writes riding in the same statement. Its one parameter
 * is a JSON array of entries (caseEntry); each case's columns are read as the table's row type
 * reads them, and a column not named takes its default.
 */
function caseInsertText(names: readonly string[]): string {
  const columns = names.map((c) => `"${c}"`).join(', ');
  return `
    with input as (
      select x.e, x.n from jsonb_array_elements($1::jsonb) with ordinality as x(e, n)
    ), ins as (
      insert into cases (${columns})
      select ${names.map((c) => `r."${c}"`).join(', ')}
      from input cross join lateral jsonb_populate_record(null::cases, input.e->'c') as r
      order by input.n
      on conflict ("kind", "source", "external_id") do nothing
      returning *
    ), keyed as (
      select ins.id, input.e, input.n
      from ins join input
        on ins.kind = input.e->'c'->>'kind' and ins.source = input.e->'c'->>'source' and ins.external_id = input.e->'c'->>'external_id'
    ), msg as (
      insert into case_messages (case_id, direction, author_name, body, created_at)
      select k.id, 'customer', k.e->'m'->>'authorName', k.e->'m'->>'body', (k.e->'m'->>'createdAt')::timestamptz
      from keyed k where jsonb_typeof(k.e->'m') = 'object'
      order by k.n
    ), ev as (
      insert into case_events (case_id, actor, action, data)
      select k.id, x.ev->>'actor', x.ev->>'action', x.ev->'data'
      from keyed k cross join lateral jsonb_array_elements(k.e->'e') with ordinality as x(ev, i)
      order by k.n, x.i
    ), post as (
      insert into outbox (kind, case_id, channel, order_key, payload, priority, not_before)
      select x.o->>'kind', k.id, x.o->>'channel', 'case:' || k.id, coalesce(x.o->'payload', '{}'::jsonb), coalesce((x.o->>'priority')::smallint, 0),
        now() + make_interval(secs => coalesce((x.o->>'holdMs')::float8, 0) / 1000)
      from keyed k cross join lateral jsonb_array_elements(k.e->'o') with ordinality as x(o, i)
      order by k.n, x.i
    )
    select ins.*, keyed.n as batch_index from ins join keyed on keyed.id = ins.id order by keyed.n`;
}

const caseColumns = Object.entries(getTableColumns(cases));

/** Maps a raw `cases` row (snake_case, driver values) to the typed Case drizzle would return. */
export const caseFromRow = rowMapper<Case>(cases);

/** Postgres array literal for a text[] parameter (works on postgres.js and PGlite alike). */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * Row-locks the ticket cases among `ids` still waiting for their judgement, in one statement, with
 * what the judgement step kept on each card row. `skipLocked` passes over cases someone else holds
 * (a card's delivery judging the case itself): that one judges them.
 */
export async function lockUnjudged(
  tx: Db,
  params: { ids: readonly number[]; skipLocked: boolean },
): Promise<{ case: Case; pending: PendingJudgement }[]> {
  if (params.ids.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`select c.*, o.judge as pending_judgement
        from cases c
        cross join lateral (
          select payload->'judge' as judge from outbox
          where order_key = 'case:' || c.id and status in ('pending', 'in_flight') and kind = ${outboxKind('card_post')}
          order by id limit 1
        ) o
        where c.id = any(${`{${params.ids.map((id) => Math.trunc(id)).join(',')}}`}::bigint[])
          and c.judgement is null and o.judge is not null
        order by c.id
        for update of c ${params.skipLocked ? sql`skip locked` : sql``}`,
  );
  return rows.flatMap((r) => {
    const raw = typeof r.pending_judgement === 'string' ? JSON.parse(r.pending_judgement) : r.pending_judgement;
    // What does not read leaves nothing to judge here; the card's delivery fails on it with the reason.
    const judge = OUTBOX_PAYLOADS.card_post.shape.judge.safeParse(raw);
    return judge.success && judge.data ? [{ case: caseFromRow(r), pending: judge.data }] : [];
  });
}

/** Of these cases, the ones still unjudged (for those a batch could not lock: someone else holds them). */
export async function stillUnjudged(tx: Db, params: { ids: readonly number[] }): Promise<number[]> {
  if (params.ids.length === 0) return [];
  const rows = await queryStatement<{ id: number | string }>(tx, 'select id from cases where id = any($1::bigint[]) and judgement is null order by id', [
    `{${params.ids.map((id) => Math.trunc(id)).join(',')}}`,
  ]);
  return rows.map((r) => Number(r.id));
}

/** What judging a case writes onto it; absent fields keep the case's value. */
export interface JudgedCase {
  id: number;
  judgement: Judgement;
  suggestedTags: string[];
  sentiment: string | null;
  automatable: boolean;
  tags?: string[];
  priority?: string;
  escalation?: { at: Date; reason: string; mustEscalateAt: Date };
  /** When the SLA sweep should look at the case next (null: never) and when it falls at risk. */
  sla: { slaCheckAt: Date | null; slaRiskAt: Date | null };
}

/**
 * Writes the judgements of many cases in one statement, each with its SLA clocks as its judgement
 * leaves them (a new priority or escalation moves the thresholds): the sweep looks at a case when
 * its next threshold comes, not once more for every new case. Their cards, held for the
 * judgement, are due now.
 */
export async function writeJudgements(tx: Db, params: { cases: readonly JudgedCase[]; now: Date }): Promise<void> {
  if (params.cases.length === 0) return;
  const rows = params.cases.map((c) => ({
    id: c.id,
    judgement: c.judgement,
    suggested_tags: c.suggestedTags,
    sentiment: c.sentiment,
    automatable: c.automatable,
    tags: c.tags ?? null,
    priority: c.priority ?? null,
    escalated_at: c.escalation?.at.toISOString() ?? null,
    escalation_reason: c.escalation?.reason ?? null,
    must_escalate_at: c.escalation?.mustEscalateAt.toISOString() ?? null,
    sla_check_at: c.sla.slaCheckAt?.toISOString() ?? null,
    sla_risk_at: c.sla.slaRiskAt?.toISOString() ?? null,
  }));
  await tx.execute(sql`
    with judged as (
    update cases c set
      judgement = v.judgement,
      suggested_tags = v.suggested_tags,
      sentiment = v.sentiment,
      automatable = v.automatable,
      tags = coalesce(v.tags, c.tags),
      priority = coalesce(v.priority, c.priority),
      escalated_at = coalesce(v.escalated_at, c.escalated_at),
      escalation_reason = coalesce(v.escalation_reason, c.escalation_reason),
      must_escalate_at = coalesce(v.must_escalate_at, c.must_escalate_at),
      sla_check_at = v.sla_check_at,
      sla_risk_at = v.sla_risk_at,
      updated_at = ${params.now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id bigint, judgement jsonb, suggested_tags text[], sentiment text,
      automatable boolean, tags text[], priority text, escalated_at timestamptz, escalation_reason text, must_escalate_at timestamptz,
      sla_check_at timestamptz, sla_risk_at timestamptz)
    where c.id = v.id
    returning c.id
    )
    -- Their cards were held for this judgement (insertCase's cardHoldMs): they may go now.
    update outbox o set not_before = now()
    from judged
    where o.order_key = 'case:' || judged.id and o.status = 'pending' and o.kind = ${outboxKind('card_post')} and o.not_before > now()`);
}

/** Cases stored by ingest whose judgement has not run yet (a process stopped between the two): judged at start-up. */
export async function unjudgedCaseIds(db: Db, params: { limit: number }): Promise<number[]> {
  const rows = await queryRows<{ id: string | number }>(
    db,
    sql`select o.case_id as id from outbox o join cases c on c.id = o.case_id
        where o.kind = ${outboxKind('card_post')} and o.status in ('pending', 'in_flight') and o.payload ? 'judge' and c.judgement is null
        order by o.id limit ${params.limit}`,
  );
  return rows.map((r) => Number(r.id));
}

// A case by id is read on every click and every card delivery: written out (and prepared on
// PostgreSQL) rather than built by drizzle's select builder each time, which spent more CPU
// assembling the fifty-odd column list than the database spent answering.
export async function getCase(db: Db, params: { id: number }): Promise<Case | null> {
  const [row] = await queryStatement<Record<string, unknown>>(db, 'select * from cases where id = $1', [params.id]);
  return row ? caseFromRow(row) : null;
}

const draftColumns = Object.entries(getTableColumns(replyDrafts));
const draftFromRow = rowMapper<ReplyDraftRow>(replyDrafts, 'draft.');
const CASE_CARD = `select c.*, ${draftColumns.map(([, column]) => `d."${column.name}" as "draft.${column.name}"`).join(', ')}
  from cases c
  left join lateral (
    select * from reply_drafts where case_id = c.id and status <> 'superseded' order by id desc limit 1
  ) d on true
  where c.id = $1`;

/** A case and its newest reply that is not superseded: what its card is rendered from. */
export interface CaseCard {
  case: Case;
  latestDraft: ReplyDraftRow | null;
}

/**
 * What a case's card is rendered from, in one round trip: the case and its newest reply that is
 * not superseded (the card's reply line; see latestDraft). Every card post and update reads it.
 */
export async function getCaseCard(db: Db, params: { id: number }): Promise<CaseCard | null> {
  const [row] = await queryStatement<Record<string, unknown>>(db, CASE_CARD, [params.id]);
  if (!row) return null;
  const latestDraft = row['draft.id'] !== null && row['draft.id'] !== undefined ? draftFromRow(row) : null;
  return { case: caseFromRow(row), latestDraft };
}

/** Loads and row-locks a case inside a transaction, so concurrent clicks apply one after another. */
export async function lockCase(tx: Db, params: { id: number }): Promise<Case | null> {
  const [row] = await queryRows<Record<string, unknown>>(tx, sql`select * from cases where id = ${params.id} for update`);
  return row ? caseFromRow(row) : null;
}

export async function findCaseByExternal(db: Db, params: { kind: CaseKind; source: string; externalId: string }): Promise<Case | null> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.kind, params.kind), eq(cases.source, params.source), eq(cases.externalId, params.externalId)));
  return row ?? null;
}

export async function getCaseByCard(db: Db, params: { channelId: string; ts: string }): Promise<Case | null> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.channelId, params.channelId), eq(cases.slackTs, params.ts)));
  return row ?? null;
}

export async function updateCase(tx: Db, params: { id: number; patch: Partial<Case>; now: Date }): Promise<Case> {
  const [row] = await tx
    .update(cases)
    .set({ ...params.patch, updatedAt: params.now })
    .where(eq(cases.id, params.id))
    .returning();
  return row!;
}

export async function insertEvent(
  db: Db,
  params: { caseId: number | null; actor: string; action: AuditEvent; data?: Record<string, unknown>; at?: Date },
): Promise<void> {
  await db.insert(caseEvents).values({
    caseId: params.caseId,
    actor: params.actor,
    action: params.action,
    data: params.data ?? {},
    ...(params.at ? { createdAt: params.at } : {}),
  });
}

/**
 * A case with its row version (PostgreSQL's xmin, which every update changes), for a change
 * written without holding the row lock (changeCase).
 */
export async function getCaseVersion(db: Db, params: { id: number }): Promise<{ case: Case; version: string } | null> {
  const [row] = await queryStatement<Record<string, unknown>>(db, 'select *, xmin::text as row_version from cases where id = $1', [params.id]);
  if (!row) return null;
  const { row_version: version, ...rest } = row;
  return { case: caseFromRow(rest), version: String(version) };
}

/**
 * A staff command's whole write in one statement: the change, its audit entry, the card
 * re-render and the thread entry. With a `version` it applies only if the case is still the
 * version it was read at (a click then costs two round trips, this and the read, instead of a
 * transaction's five), and null says the case changed meanwhile; without one the caller holds
 * the row lock. Answers with the case as written and its new version.
 */
export async function changeCase(
  db: Db,
  params: {
    id: number;
    version: string | null;
    patch: Partial<Case>;
    now: Date;
    event: { actor: string; action: AuditEvent; data: Record<string, unknown>; at: Date };
    entry: TimelineFact;
  },
): Promise<{ case: Case; version: string } | null> {
  const { id, event } = params;
  // The SET list from the schema's columns, values mapped for the driver as drizzle maps them.
  const record: Record<string, unknown> = { ...params.patch, updatedAt: params.now };
  const names: string[] = [];
  const values: unknown[] = [];
  for (const [key, column] of caseColumns) {
    const value = record[key];
    if (value === undefined) continue;
    names.push(column.name);
    values.push(value === null ? null : column.mapToDriverValue(value));
  }
  const text = statementText(caseChangeTexts, names, (n) => `
    with upd as (
      update cases set ${names.map((c, i) => `"${c}" = $${i + 1}`).join(', ')}
      where id = $${n + 1} and ($${n + 2}::text is null or xmin::text = $${n + 2})
      returning *, xmin::text as row_version
    ), ev as (
      insert into case_events (case_id, actor, action, data, created_at)
      select id, $${n + 3}, $${n + 4}, $${n + 5}::jsonb, $${n + 6}::timestamptz from upd
    ), ob as (
      insert into outbox (kind, case_id, channel, order_key, payload, priority)
      select k.kind, upd.id, upd.channel_id, 'case:' || upd.id, k.payload, 1
      from upd cross join (values ('${outboxKind('card_update')}', '{}'::jsonb), ('${outboxKind('thread_post')}', $${n + 7}::jsonb)) as k(kind, payload)
      on conflict (case_id) where kind = 'card_update' and status = 'pending' do nothing
    )
    select * from upd`);
  const [row] = await queryStatement<Record<string, unknown>>(db, text, [
    ...values,
    id,
    params.version,
    event.actor,
    event.action,
    JSON.stringify(event.data),
    event.at.toISOString(),
    JSON.stringify(params.entry),
  ]);
  if (!row) return null;
  const { row_version: version, ...rest } = row;
  return { case: caseFromRow(rest), version: String(version) };
}

/** The change statement's text for each set of changed columns: commands change the same few sets, so each is written once. */
const caseChangeTexts = new Map<string, string>();

export async function listEvents(db: Db, params: { caseId: number }) {
  return db.select().from(caseEvents).where(eq(caseEvents.caseId, params.caseId)).orderBy(caseEvents.id);
}

export interface NewMessage {
  caseId: number;
  direction: 'customer' | 'agent' | 'note';
  authorName?: string | null;
  authorSlackId?: string | null;
  body: string;
  externalId?: string | null;
  slackTs?: string | null;
  createdAt: Date;
}

/** Inserts a message unless its external id (or Slack ts) was stored before; null when it was. */
export async function insertMessage(db: Db, m: NewMessage): Promise<CaseMessage | null> {
  const [row] = await db
    .insert(caseMessages)
    .values({
      caseId: m.caseId,
      direction: m.direction,
      authorName: m.authorName ?? null,
      authorSlackId: m.authorSlackId ?? null,
      body: m.body,
      externalId: m.externalId ?? null,
      slackTs: m.slackTs ?? null,
      createdAt: m.createdAt,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export async function findMessageByExternal(db: Db, params: { caseId: number; externalId: string }) {
  const [row] = await db
    .select()
    .from(caseMessages)
    .where(and(eq(caseMessages.caseId, params.caseId), eq(caseMessages.externalId, params.externalId)));
  return row ?? null;
}

export async function getMessage(db: Db, params: { id: number }): Promise<CaseMessage | null> {
  const [row] = await db.select().from(caseMessages).where(eq(caseMessages.id, params.id));
  return row ?? null;
}

export async function listMessages(db: Db, params: { caseId: number }): Promise<CaseMessage[]> {
  return db.select().from(caseMessages).where(eq(caseMessages.caseId, params.caseId)).orderBy(caseMessages.createdAt, caseMessages.id);
}

/** Records a Slack event id; false when it was seen before (Slack retried the delivery). */
export async function claimSlackEvent(db: Db, eventId: string): Promise<boolean> {
  const rows = await db.insert(slackEvents).values({ eventId }).onConflictDoNothing().returning({ id: slackEvents.eventId });
  return rows.length > 0;
}

/**
 * The products the store sells, as its orders and reviews name them (most recent first), so a
 * product named in a message can be recognised.
 */
export async function knownProductNames(db: Db, params: { limit: number }): Promise<{ name: string; sku: string | null }[]> {
  const rows = await queryRowsPrepared<{ name: string; sku: string | null }>(
    db,
    sql`select name, max(sku) as sku from (
          select i->>'name' as name, nullif(btrim(i->>'sku'), '') as sku, o.received_at as at
            from orders o cross join lateral jsonb_array_elements(o.items) as i
          union all
          select product_title, nullif(btrim(product_sku), ''), received_at from reviews where product_title is not null
        ) p
        where name is not null and length(btrim(name)) >= 5
        group by name order by max(at) desc limit ${params.limit}`,
  );
  return rows.map((r) => ({ name: r.name, sku: r.sku ?? null }));
}

/**
 * Cases tagged damaged or quality about any of these products since `since` (excluding one case):
 * the judgement engine's "quality problems cluster on one product" rule needs the count.
 */
export async function countRecentQualityCases(db: Db, params: { productKeys: string[]; since: Date; excludeId?: number }): Promise<number> {
  if (params.productKeys.length === 0) return 0;
  const [row] = await queryRowsPrepared<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases
        where product_keys && ${pgTextArray(params.productKeys)}::text[]
          and tags && '{damaged,quality}'::text[]
          and reported_at >= ${params.since.toISOString()}::timestamptz
          and id <> ${params.excludeId ?? 0}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * The ticket a connected helpdesk or e-mail thread opened, by its external id, whatever channel
 * it came in on (the unique index leads with kind and source, so each source is one index probe).
 */
export async function findTicketByExternal(db: Db, params: { externalIds: string[] }): Promise<Case | null> {
  if (params.externalIds.length === 0) return null;
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.kind, 'ticket'), inArray(cases.source, [...TICKET_SOURCES]), inArray(cases.externalId, params.externalIds)))
    .orderBy(cases.id)
    .limit(1);
  return row ?? null;
}
