import { and, eq, sql } from 'drizzle-orm';
import { type Db, queryRows, queryStatement, rowMapper } from '../client';
import type { TimelineFact } from '../../domain/timeline';
import type { OutboxKind, OutboxPayloadInput } from '../../domain/outbox';
import { type OutboxRow, outbox } from '../schema';

/** Interactive changes jump ahead of new cards in the same channel. */
export const PRIORITY = { normal: 0, interactive: 1 } as const;

interface EnqueueBase {
  caseId?: number | null;
  channel: string;
  /** Rows with the same key are delivered in order; defaults to the case, else the channel. */
  orderKey?: string;
  priority?: number;
  notBefore?: Date;
}

/** An outbox row to write: its payload is the one its kind declares (optional when that is empty). */
export type Enqueue = {
  [K in OutboxKind]: EnqueueBase & { kind: K } & ({} extends OutboxPayloadInput<K>
      ? { payload?: OutboxPayloadInput<K> }
      : { payload: OutboxPayloadInput<K> });
}[OutboxKind];

/** A row written with its case: the case's order key and id are filled in. */
export type CaseOutboxRow = Enqueue extends infer E ? (E extends Enqueue ? Omit<E, 'caseId' | 'orderKey' | 'notBefore'> : never) : never;

/**
 * The kind's name as written in SQL, checked against the vocabulary. ON CONFLICT predicates are the
 * exception: they repeat the partial unique index's text ('card_update') so PostgreSQL can match it.
 */
export function outboxKind<K extends OutboxKind>(kind: K): K {
  return kind;
}

export function caseOrderKey(caseId: number): string {
  return `case:${caseId}`;
}

export async function enqueue(db: Db, rows: Enqueue[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(outbox).values(
    rows.map((r) => ({
      kind: r.kind,
      caseId: r.caseId ?? null,
      channel: r.channel,
      orderKey: r.orderKey ?? (r.caseId ? caseOrderKey(r.caseId) : `channel:${r.channel}`),
      payload: r.payload ?? {},
      priority: r.priority ?? PRIORITY.normal,
      ...(r.notBefore ? { notBefore: r.notBefore } : {}),
    })),
  );
}

/**
 * Asks for the card to be re-rendered. At most one pending update per case exists (a partial
 * unique index), so a burst of changes goes out as one chat.update. It queues behind the card
 * post in the case's order key: even while that post is waiting for a retry (it may already be
 * in Slack, showing the old state), the update follows it.
 */
export async function enqueueCardUpdate(db: Db, params: { caseId: number; channel: string }): Promise<void> {
  await db.execute(sql`
    insert into outbox (kind, case_id, channel, order_key, priority)
    values (${outboxKind('card_update')}, ${params.caseId}, ${params.channel}, ${caseOrderKey(params.caseId)}, ${PRIORITY.interactive})
    on conflict (case_id) where kind = 'card_update' and status = 'pending' do nothing`);
}

/** An entry in the card's thread: the fact, rendered when it is delivered. */
export function threadPost(params: { caseId: number; channel: string; entry: TimelineFact; priority?: number }): Enqueue {
  const { caseId, channel, entry, priority } = params;
  return { kind: 'thread_post', caseId, channel, payload: { ...entry }, ...(priority !== undefined ? { priority } : {}) };
}

/** What a change to a case shows: an entry in its card's thread, and the card re-rendered. */
export async function enqueueCaseChange(
  db: Db,
  params: { caseId: number; channel: string; entry: TimelineFact; priority?: number },
): Promise<void> {
  await enqueue(db, [threadPost(params)]);
  await enqueueCardUpdate(db, { caseId: params.caseId, channel: params.channel });
}

/** A claimed row and the moment its channel's pacing lets it be sent (epoch ms). */
export type ClaimedRow = OutboxRow & { slotAt: number };

const outboxRowFromRaw = rowMapper<OutboxRow>(outbox);

function outboxFromRow(raw: Record<string, unknown>): ClaimedRow {
  return { ...outboxRowFromRaw(raw), slotAt: Number(raw.slot_ms) };
}

// The claim's statement (claimDue): ahead seconds, limit, lease seconds, pacing seconds.
const CLAIM_DUE = `
    with recursive chans as (
      (select channel from outbox where status in ('pending', 'in_flight') order by channel limit 1)
      union all
      select (
        select o.channel from outbox o
        where o.status in ('pending', 'in_flight') and o.channel > chans.channel
        order by o.channel limit 1
      ) from chans where chans.channel is not null
    ), fresh as (
      insert into outbox_channels (channel, next_at)
      select chans.channel, 'epoch'::timestamptz from chans
      where chans.channel is not null and not exists (select 1 from outbox_channels c where c.channel = chans.channel)
      on conflict (channel) do nothing
      returning channel
    ), paced as (
      select c.channel, greatest(c.next_at, now()) as slot
      from outbox_channels c
      where c.channel in (select channel from chans where channel is not null)
        and c.next_at <= now() + make_interval(secs => $1::float8)
      order by c.next_at
      for update skip locked
    ), ready as (
      select h.id, p.slot
      from paced p
      cross join lateral (
        select o.id from outbox o
        where o.channel = p.channel
          and o.status in ('pending', 'in_flight')
          and (o.status = 'pending' or o.lease_until < now())
          and o.not_before <= now()
          and not exists (
            select 1 from outbox q
            where q.order_key = o.order_key and q.id < o.id and q.status in ('pending', 'in_flight')
          )
        -- As outbox_channel_idx orders them (priority desc nulls last), so the channel's head is read
        -- off the index rather than the channel's whole backlog sorted.
        order by o.priority desc nulls last, o.id
        limit 1
        for update skip locked
      ) h
      limit $2
    ), claimed as (
      update outbox o
      set status = 'in_flight',
          ambiguous = o.ambiguous or o.status = 'in_flight',
          lease_until = now() + make_interval(secs => $3::float8),
          attempts = o.attempts + 1
      from ready
      where o.id = ready.id and (o.status = 'pending' or o.lease_until < now())
      returning o.*, ready.slot
    ), stamped as (
      update outbox_channels c
      set next_at = claimed.slot + make_interval(secs => $4::float8)
      from claimed
      where c.channel = claimed.channel
    )
    select claimed.*, extract(epoch from claimed.slot) * 1000 as slot_ms, f.n as fresh
    from (select count(*)::int as n from fresh) f left join claimed on true
    order by claimed.id`;

/**
 * Claims due rows in one statement: the head of each order key, at most one per channel whose
 * pacing allows it, interactive rows first. Replicas claim side by side: each channel's pacing
 * row and each outbox row is taken FOR UPDATE SKIP LOCKED, so two claimers never take the same
 * channel or row and neither waits for the other. A row whose lease expired (its process died
 * mid-delivery) is reclaimed and marked ambiguous: the dispatcher looks for it in Slack first.
 *
 * Pacing counts from when a post goes out, not from when the previous one finished: each claim
 * gives the row the channel's next slot (the later of now and the slot the previous post was
 * given) and moves the channel's slot on by `intervalMs`. A channel whose slot is at most
 * `aheadMs` away is claimed early, so the dispatcher can have the row ready and send it on time.
 */
export async function claimDue(
  db: Db,
  params: { limit: number; leaseMs: number; intervalMs: number; aheadMs?: number },
): Promise<ClaimedRow[]> {
  const rows = await queryStatement<Record<string, unknown>>(db, CLAIM_DUE, [
    (params.aheadMs ?? 0) / 1000,
    params.limit,
    params.leaseMs / 1000,
    params.intervalMs / 1000,
  ]);
  const claimed = rows.filter((r) => r.id !== null && r.id !== undefined).map(outboxFromRow);
  // Channels seen for the first time were given their pacing row by this statement, which cannot
  // lock a row it inserted: claim once more so their rows go now, not at the next wake-up.
  if (Number(rows[0]?.fresh ?? 0) > 0 && claimed.length < params.limit) {
    return [...claimed, ...(await claimDue(db, { ...params, limit: params.limit - claimed.length }))];
  }
  return claimed;
}

/**
 * A claimed row is identified by its id and the attempt number it was claimed with: if its lease
 * ran out and another replica took it over, this replica's late writes match nothing.
 */
export interface Claim {
  id: number;
  attempts: number;
}

const mine = (c: Claim) => and(eq(outbox.id, c.id), eq(outbox.attempts, c.attempts), eq(outbox.status, 'in_flight'));

// Marks the row done and, for a card's post, stores the card's message on its case: one round trip.
const COMPLETE_DELIVERY = `
  with done as (
    update outbox set status = 'done', done_at = now(), result_ts = $3, lease_until = null, last_error = null
    where id = $1 and attempts = $2 and status = 'in_flight'
    returning id
  ), card as (
    update cases set channel_id = $5, slack_ts = $3 where id = $4
  )
  select id from done`;

/**
 * The row was delivered. `card` says the message is the case's card: its channel and ts are stored
 * on the case in the same statement (whoever holds the row now: the message is in Slack either way).
 */
export async function completeDelivery(
  db: Db,
  params: Claim & { resultTs?: string | null; card?: { caseId: number; channelId: string } },
): Promise<boolean> {
  const card = params.resultTs ? params.card : undefined;
  const rows = await queryStatement(db, COMPLETE_DELIVERY, [
    params.id,
    params.attempts,
    params.resultTs ?? null,
    card?.caseId ?? null,
    card?.channelId ?? null,
  ]);
  return rows.length > 0;
}

/**
 * Puts the row back for a later try. A card update that has a newer pending update for the same
 * case is superseded instead: the newer one renders the latest state anyway.
 */
export async function retryDelivery(db: Db, params: Claim & { delayMs: number; error: string; ambiguous: boolean }): Promise<void> {
  try {
    await requeue(db, params);
  } catch (err) {
    // A newer pending update arrived between the check and the write (unique index): this one is superseded.
    if ((err as { code?: string }).code !== '23505' && (err as { cause?: { code?: string } }).cause?.code !== '23505') throw err;
    await db
      .update(outbox)
      .set({ status: 'done', doneAt: sql`now()`, leaseUntil: null })
      .where(mine(params));
  }
}

async function requeue(db: Db, params: Claim & { delayMs: number; error: string; ambiguous: boolean }): Promise<void> {
  await db.execute(sql`
    update outbox o
    set status = case
          when o.kind = ${outboxKind('card_update')} and exists (
            select 1 from outbox p where p.case_id = o.case_id and p.kind = ${outboxKind('card_update')} and p.status = 'pending'
          ) then 'done'
          else 'pending' end,
        not_before = now() + make_interval(secs => ${params.delayMs / 1000}),
        lease_until = null,
        last_error = ${params.error.slice(0, 500)},
        ambiguous = o.ambiguous or ${params.ambiguous}
    where o.id = ${params.id} and o.attempts = ${params.attempts} and o.status = 'in_flight'`);
}

export async function failDelivery(db: Db, params: Claim & { error: string }): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'failed', doneAt: sql`now()`, leaseUntil: null, lastError: params.error.slice(0, 500) })
    .where(mine(params));
}

/** Puts failed rows back in the queue (after the cause was fixed: a channel invite, a new token). */
export async function requeueFailed(db: Db, params: { since: Date }): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', notBefore: sql`now()`, doneAt: null, attempts: 0 })
    .where(and(eq(outbox.status, 'failed'), sql`${outbox.createdAt} >= ${params.since.toISOString()}::timestamptz`))
    .returning({ id: outbox.id });
  return rows.length;
}

export async function countFailedSince(db: Db, params: { since: Date }): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from outbox where status = 'failed' and done_at >= ${params.since.toISOString()}::timestamptz`,
  );
  return Number(row?.n ?? 0);
}

/** Slack said 429: nothing more goes to this channel until Retry-After has passed. */
export async function pauseChannel(db: Db, params: { channel: string; delayMs: number }): Promise<void> {
  await db.execute(sql`
    insert into outbox_channels (channel, next_at)
    values (${params.channel}, now() + make_interval(secs => ${params.delayMs / 1000}))
    on conflict (channel) do update set next_at = greatest(outbox_channels.next_at, excluded.next_at)`);
}

// When the dispatcher should look again (nextDueInMs): ahead milliseconds.
const NEXT_DUE = `
    with recursive chans as (
      (select channel from outbox where status = 'pending' order by channel limit 1)
      union all
      select (
        select o.channel from outbox o where o.status = 'pending' and o.channel > chans.channel order by o.channel limit 1
      ) from chans where chans.channel is not null
    ), due as (
      select coalesce(c.next_at, now()) as at
      from chans
      left join outbox_channels c on c.channel = chans.channel
      -- Any one row that may go: the scan stops at the first. (An EXISTS here was planned as a join
      -- over every due row of the backlog, tens of milliseconds at a few thousand queued cards.)
      cross join lateral (
        select 1 from outbox o
        where o.channel = chans.channel and o.status = 'pending' and o.not_before <= now()
          and not exists (
            select 1 from outbox q
            where q.order_key = o.order_key and q.id < o.id and q.status in ('pending', 'in_flight')
          )
        limit 1
      ) head
      where chans.channel is not null
      union all
      (select not_before from outbox where status = 'pending' and not_before > now() order by not_before limit 1)
    )
    select extract(epoch from (min(at) - now())) * 1000 - $1::float8 as ms from due`;

/**
 * Milliseconds until the dispatcher should look again (0 or less: now), less `aheadMs` (it claims
 * that early); null when nothing is pending. A channel counts once its head row (by priority, the
 * first of its order key) may go, at the channel's pacing slot; a retry counts at its time. Only a
 * handful of rows are read whatever the backlog: the channels by a skip scan, and the earliest retry
 * by its index. Rows waiting behind another row of their order key are left out: that row's
 * completion makes the dispatcher look again anyway.
 */
export async function nextDueInMs(db: Db, params: { aheadMs?: number } = {}): Promise<number | null> {
  const [row] = await queryStatement<{ ms: number | null }>(db, NEXT_DUE, [params.aheadMs ?? 0]);
  if (!row || row.ms === null || row.ms === undefined) return null;
  return Number(row.ms);
}

export async function countUnfinished(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox where status in ('pending', 'in_flight')`);
  return Number(row?.n ?? 0);
}

/** Deliveries waiting, by kind, and how long the oldest has waited (the unfinished-rows index serves it). */
export async function outboxDepth(db: Db): Promise<{ kind: string; pending: number; oldestAgeSeconds: number }[]> {
  const rows = await queryRows<{ kind: string; n: number; age: number }>(
    db,
    sql`select kind, count(*)::int as n, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age
        from outbox where status in ('pending', 'in_flight') group by kind order by kind`,
  );
  return rows.map((r) => ({ kind: r.kind, pending: Number(r.n), oldestAgeSeconds: Number(r.age) }));
}

/** Deliveries set aside for good (newest first), for an operator to look into. */
export async function listFailed(
  db: Db,
  params: { limit: number },
): Promise<{ total: number; rows: { id: number; kind: string; channel: string; caseId: number | null; attempts: number; failedAt: Date | null; lastError: string | null }[] }> {
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox where status = 'failed'`);
  const rows = await queryRows<{ id: number; kind: string; channel: string; case_id: number | null; attempts: number; done_at: string | Date | null; last_error: string | null }>(
    db,
    sql`select id, kind, channel, case_id, attempts, done_at, last_error from outbox where status = 'failed' order by id desc limit ${params.limit}`,
  );
  return {
    total: Number(count?.n ?? 0),
    rows: rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      channel: r.channel,
      caseId: r.case_id === null ? null : Number(r.case_id),
      attempts: Number(r.attempts),
      failedAt: r.done_at === null ? null : new Date(r.done_at),
      lastError: r.last_error,
    })),
  };
}

/**
 * Puts failed rows back in the queue: the ones named, or every failed row. Returns the ids
 * re-queued; an id that is not a failed row (unknown, waiting, delivered) is left alone.
 */
export async function requeueFailedRows(db: Db, params: { ids: number[] } | { all: true }): Promise<number[]> {
  const which = 'all' in params ? sql`true` : sql`id in (${sql.join([sql`0`, ...params.ids.map((id) => sql`${id}`)], sql`, `)})`;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update outbox set status = 'pending', not_before = now(), done_at = null, attempts = 0, lease_until = null
        where status = 'failed' and ${which} returning id`,
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}
