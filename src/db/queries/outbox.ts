import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';
import { type OutboxRow, outbox } from '../schema';

/**
 * card_post / card_update: render the case's card at delivery time (so coalesced updates send
 * the latest state); thread_post: a timeline entry under the card; escalation_post: the
 * escalation channel's post, rendered with a link to the card; post: a ready message to a
 * channel or a user (DM). Later features register more kinds with the dispatcher.
 */
export type OutboxKind = 'card_post' | 'card_update' | 'thread_post' | 'escalation_post' | 'post' | (string & {});

/** Interactive changes jump ahead of new cards in the same channel. */
export const PRIORITY = { normal: 0, interactive: 1 } as const;

export interface Enqueue {
  kind: OutboxKind;
  caseId?: number | null;
  channel: string;
  /** Rows with the same key are delivered in order; defaults to the case, else the channel. */
  orderKey?: string;
  payload?: Record<string, unknown>;
  priority?: number;
  notBefore?: Date;
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
    values ('card_update', ${params.caseId}, ${params.channel}, ${caseOrderKey(params.caseId)}, ${PRIORITY.interactive})
    on conflict (case_id) where kind = 'card_update' and status = 'pending' do nothing`);
}

/** What a change to a case shows: an entry in its card's thread, and the card re-rendered. */
export async function enqueueCaseChange(
  db: Db,
  params: { caseId: number; channel: string; entry: object; priority?: number },
): Promise<void> {
  const { caseId, channel, entry, priority } = params;
  await enqueue(db, [{ kind: 'thread_post', caseId, channel, payload: { ...entry }, ...(priority !== undefined ? { priority } : {}) }]);
  await enqueueCardUpdate(db, { caseId, channel });
}

const CLAIM_LOCK = 0x7472_6f62; // one claimer at a time across replicas, so pacing holds

/**
 * Claims due rows: the head of each order key, at most one per channel whose pacing allows it,
 * interactive rows first. A row whose lease expired (its process died mid-delivery) is
 * reclaimed and marked ambiguous: the dispatcher looks for it in Slack before posting again.
 */
export async function claimDue(db: Db, params: { limit: number; leaseMs: number; intervalMs: number }): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${CLAIM_LOCK}) as ok`);
    if (!lock?.ok) return [];
    // Per channel with work (found by a skip scan over the channel index), the first row by
    // priority then age that is the head of its order key; channels still paced are skipped.
    const claimed = await queryRows<{ id: string | number }>(
      tx,
      sql`
      with recursive chans as (
        (select channel from outbox where status in ('pending', 'in_flight') order by channel limit 1)
        union all
        select (
          select o.channel from outbox o
          where o.status in ('pending', 'in_flight') and o.channel > chans.channel
          order by o.channel limit 1
        ) from chans where chans.channel is not null
      ), ready as (
        select h.id
        from chans
        left join outbox_channels c on c.channel = chans.channel
        cross join lateral (
          select o.id from outbox o
          where o.channel = chans.channel
            and o.status in ('pending', 'in_flight')
            and (o.status = 'pending' or o.lease_until < now())
            and o.not_before <= now()
            and not exists (
              select 1 from outbox p
              where p.order_key = o.order_key and p.id < o.id and p.status in ('pending', 'in_flight')
            )
          order by o.priority desc, o.id
          limit 1
        ) h
        where chans.channel is not null and (c.next_at is null or c.next_at <= now())
        limit ${params.limit}
      ), claimed as (
        update outbox o
        set status = 'in_flight',
            ambiguous = o.ambiguous or o.status = 'in_flight',
            lease_until = now() + make_interval(secs => ${params.leaseMs / 1000}),
            attempts = o.attempts + 1
        from ready
        where o.id = ready.id and (o.status = 'pending' or o.lease_until < now())
        returning o.id, o.channel
      ), paced as (
        insert into outbox_channels (channel, next_at)
        select channel, now() + make_interval(secs => ${params.intervalMs / 1000}) from claimed
        on conflict (channel) do update set next_at = excluded.next_at
      )
      select id from claimed`,
    );
    if (claimed.length === 0) return [];
    return tx
      .select()
      .from(outbox)
      .where(
        inArray(
          outbox.id,
          claimed.map((r) => Number(r.id)),
        ),
      );
  });
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

export async function completeDelivery(db: Db, params: Claim & { resultTs?: string | null }): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ status: 'done', doneAt: sql`now()`, resultTs: params.resultTs ?? null, leaseUntil: null, lastError: null })
    .where(mine(params))
    .returning({ id: outbox.id });
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
          when o.kind = 'card_update' and exists (
            select 1 from outbox p where p.case_id = o.case_id and p.kind = 'card_update' and p.status = 'pending'
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

/**
 * Milliseconds until the earliest row that heads its order key may go: its retry time or its
 * channel's pacing, whichever is later (0 or less: due now). Null when nothing is pending.
 * Rows waiting behind another row of their order key are left out: that row's completion
 * makes the dispatcher look again anyway.
 */
export async function nextDueInMs(db: Db): Promise<number | null> {
  const [row] = await queryRows<{ ms: number | null }>(
    db,
    sql`
    select extract(epoch from (min(greatest(o.not_before, coalesce(c.next_at, o.not_before))) - now())) * 1000 as ms
    from outbox o
    left join outbox_channels c on c.channel = o.channel
    where o.status = 'pending'
      and not exists (
        select 1 from outbox p
        where p.order_key = o.order_key and p.id < o.id and p.status in ('pending', 'in_flight')
      )`,
  );
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
