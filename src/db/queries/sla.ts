import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { AuditEvent } from '../../domain/audit';
import { type Db, queryRows } from '../client';
import { type Case, caseEvents, cases } from '../schema';
import type { ReminderKey } from './reminders';
import type { DmItem } from '../../domain/outbox';
import { caseOrderKey, enqueue, outboxKind, PRIORITY } from './outbox';

// Queries of the SLA sweep, the reminder DMs and /trustloop sla. The sweep reads only open
// cases whose next check is due, through the partial index cases_sla_check_idx; everything it
// writes for a batch of cases goes in a few set-based statements, whatever the batch size.

/** The columns the SLA reads (never the message body). */
export const slaCaseColumns = {
  id: cases.id,
  kind: cases.kind,
  source: cases.source,
  priority: cases.priority,
  status: cases.status,
  ownerId: cases.ownerId,
  channelId: cases.channelId,
  slackTs: cases.slackTs,
  subject: cases.subject,
  receivedAt: cases.receivedAt,
  firstResponseAt: cases.firstResponseAt,
  lastAgentReplyAt: cases.lastAgentReplyAt,
  resolvedAt: cases.resolvedAt,
  updatedAt: cases.updatedAt,
  awaitingReplySince: cases.awaitingReplySince,
  mustEscalateAt: cases.mustEscalateAt,
  slaPauses: cases.slaPauses,
  slaResolutions: cases.slaResolutions,
};

export type SlaCaseRow = Pick<Case, keyof typeof slaCaseColumns>;

/**
 * Open cases whose check is due, oldest check first, row-locked for the rest of the sweep's
 * transaction. Rows a staff action holds right now are skipped (SKIP LOCKED): that action asks
 * for a check itself, so the next tick takes them. The status test is a literal so the planner
 * can always match the partial index, also with a generic plan.
 */
export async function claimDueSlaCases(tx: Db, params: { now: Date; limit: number }): Promise<SlaCaseRow[]> {
  return (await tx
    .select(slaCaseColumns)
    .from(cases)
    .where(and(sql`${cases.status} <> 'resolved'`, lte(cases.slaCheckAt, params.now)))
    .orderBy(cases.slaCheckAt)
    .limit(params.limit)
    .for('update', { skipLocked: true })) as SlaCaseRow[];
}

/** The SQL of the due-cases query, for EXPLAIN in the benchmark. */
export function dueSlaCasesSql(now: Date, limit: number) {
  return sql`select id from cases
    where status <> 'resolved' and sla_check_at <= ${now.toISOString()}::timestamptz
    order by sla_check_at limit ${limit} for update skip locked`;
}

const keyOf = (k: { caseId: number; target: string; cycleKey: string; level: string }) =>
  `${k.caseId}|${k.target}|${k.cycleKey}|${k.level}`;

/**
 * recordReminder for many keys in one statement: returns the keys this call recorded first.
 * A key recorded before (a restart, a retried tick) or by a concurrent transaction (it waits for
 * that one to commit, then conflicts) is left out, so its reminder is not sent again.
 */
export async function recordReminders(tx: Db, keys: readonly ReminderKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const json = JSON.stringify(
    keys.map((k) => ({
      case_id: k.caseId,
      target: k.target,
      cycle_key: k.cycleKey,
      level: k.level,
      due_at: k.dueAt.toISOString(),
      superseded: k.superseded ?? false,
    })),
  );
  const rows = await queryRows<{ case_id: string | number; target: string; cycle_key: string; level: string }>(
    tx,
    sql`insert into case_reminders (case_id, target, cycle_key, level, due_at, superseded)
      select case_id, target, cycle_key, level, due_at, superseded
      from jsonb_to_recordset(${json}::jsonb) as v(case_id bigint, target text, cycle_key text, level text, due_at timestamptz, superseded boolean)
      on conflict do nothing
      returning case_id, target, cycle_key, level`,
  );
  return new Set(rows.map((r) => keyOf({ caseId: Number(r.case_id), target: r.target, cycleKey: r.cycle_key, level: r.level })));
}

export function reminderKeyString(k: { caseId: number; target: string; cycleKey: string; level: string }): string {
  return keyOf(k);
}

/** Stores each case's next check and risk time, in one statement. */
export async function saveSlaChecks(tx: Db, rows: readonly { id: number; checkAt: Date | null; riskAt: Date | null }[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({ id: r.id, check_at: r.checkAt?.toISOString() ?? null, risk_at: r.riskAt?.toISOString() ?? null })),
  );
  await tx.execute(sql`update cases c set sla_check_at = v.check_at, sla_risk_at = v.risk_at
    from jsonb_to_recordset(${json}::jsonb) as v(id bigint, check_at timestamptz, risk_at timestamptz)
    where c.id = v.id`);
}

/**
 * Asks the sweep to look at a case at its next tick: for anything that moves a case's clocks
 * outside the case services (for example setting must_escalate_at).
 */
export async function requestSlaCheck(db: Db, params: { caseId: number; at: Date }): Promise<void> {
  await db.update(cases).set({ slaCheckAt: params.at }).where(eq(cases.id, params.caseId));
}

/** enqueueCardUpdate for many cases in one statement (at most one pending update per case). */
export async function enqueueCardUpdates(tx: Db, list: readonly { caseId: number; channel: string }[]): Promise<void> {
  const unique = [...new Map(list.map((x) => [x.caseId, x])).values()];
  if (unique.length === 0) return;
  const json = JSON.stringify(unique.map((x) => ({ id: x.caseId, channel: x.channel, order_key: caseOrderKey(x.caseId) })));
  await tx.execute(sql`insert into outbox (kind, case_id, channel, order_key, priority)
    select ${outboxKind('card_update')}, v.id, v.channel, v.order_key, ${PRIORITY.interactive}
    from jsonb_to_recordset(${json}::jsonb) as v(id bigint, channel text, order_key text)
    on conflict (case_id) where kind = 'card_update' and status = 'pending' do nothing`);
}

export async function insertEvents(
  tx: Db,
  events: readonly { caseId: number; actor: string; action: AuditEvent; data: Record<string, unknown>; at: Date }[],
): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insert(caseEvents)
    .values(events.map((e) => ({ caseId: e.caseId, actor: e.actor, action: e.action, data: e.data, createdAt: e.at })));
}


/** Items a queued DM keeps for re-checking at delivery; beyond them it only counts. */
export const MAX_DM_ITEMS = 100;

/**
 * Adds items to the person's reminder DM that has not gone out yet, or queues a new one to go
 * at `notBefore`: a person gets one DM for several cases. A DM already being delivered (or
 * retried) is left alone; the items then make a new one.
 */
export async function queueReminderDm(
  tx: Db,
  params: { recipient: string; items: readonly DmItem[]; notBefore: Date },
): Promise<'merged' | 'queued'> {
  const items = JSON.stringify(params.items);
  // A DM shows a few items and "and N more": past MAX_DM_ITEMS only the count is kept, so a
  // DM that waits over a weekend does not grow without bound.
  const merged = await queryRows<{ id: number }>(
    tx,
    sql`update outbox set
        payload = case
          when jsonb_array_length(coalesce(payload->'items', '[]'::jsonb)) + ${params.items.length}::int <= ${MAX_DM_ITEMS}::int
            then jsonb_set(payload, '{items}', coalesce(payload->'items', '[]'::jsonb) || ${items}::jsonb)
          else jsonb_set(payload, '{overflow}', to_jsonb(coalesce((payload->>'overflow')::int, 0) + ${params.items.length}::int))
        end,
        not_before = least(not_before, ${params.notBefore.toISOString()}::timestamptz)
      where id = (
        -- The person's channel in the unfinished-rows index (outbox_channel_idx); at most one such row exists.
        select id from outbox
        where channel = ${params.recipient} and status in ('pending', 'in_flight')
          and kind = ${outboxKind('sla_dm')} and status = 'pending' and attempts = 0
        limit 1
        for update
      ) and status = 'pending' and attempts = 0
      returning id`,
  );
  if (merged.length > 0) return 'merged';
  await enqueue(tx, [
    {
      kind: 'sla_dm',
      channel: params.recipient,
      orderKey: `sla_dm:${params.recipient}`,
      payload: { items: params.items.slice(0, MAX_DM_ITEMS), overflow: Math.max(0, params.items.length - MAX_DM_ITEMS) },
      notBefore: params.notBefore,
    },
  ]);
  return 'queued';
}

/** Cases by id, with the columns the SLA reads (for rendering a DM at delivery). */
export async function getSlaCases(db: Db, ids: readonly number[]): Promise<SlaCaseRow[]> {
  if (ids.length === 0) return [];
  return (await db
    .select(slaCaseColumns)
    .from(cases)
    .where(inArray(cases.id, [...ids]))) as SlaCaseRow[];
}

/** How many open cases are at risk by `now` in the scope (see listSlaRisk). */
export async function countSlaRisk(db: Db, params: { now: Date; scope: { channelId: string; ownerId: string } | null }): Promise<number> {
  const scope = params.scope
    ? sql`and (${cases.channelId} = ${params.scope.channelId} or ${cases.ownerId} = ${params.scope.ownerId})`
    : sql``;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases
      where status <> 'resolved' and sla_risk_at <= ${params.now.toISOString()}::timestamptz ${scope}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Open cases at risk by `now` (a warning rung or later crossed, as of the sweep's last look),
 * in a channel or owned by someone, or everywhere; most at risk first.
 */
export async function listSlaRisk(
  db: Db,
  params: { now: Date; scope: { channelId: string; ownerId: string } | null; limit: number },
): Promise<SlaCaseRow[]> {
  const scope = params.scope
    ? sql`and (${cases.channelId} = ${params.scope.channelId} or ${cases.ownerId} = ${params.scope.ownerId})`
    : sql``;
  return (await db
    .select(slaCaseColumns)
    .from(cases)
    .where(sql`${cases.status} <> 'resolved' and ${cases.slaRiskAt} <= ${params.now.toISOString()}::timestamptz ${scope}`)
    .orderBy(cases.slaRiskAt)
    .limit(params.limit)) as SlaCaseRow[];
}
