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
 * unique index), and none is needed while the card itself is still waiting to be posted,
 * because the post renders the current state.
 */
export async function enqueueCardUpdate(db: Db, params: { caseId: number; channel: string }): Promise<void> {
  await db.execute(sql`
    insert into outbox (kind, case_id, channel, order_key, priority)
    select 'card_update', ${params.caseId}, ${params.channel}, ${caseOrderKey(params.caseId)}, ${PRIORITY.interactive}
    where not exists (
      select 1 from outbox where case_id = ${params.caseId} and kind = 'card_post' and status = 'pending'
    )
    on conflict (case_id) where kind = 'card_update' and status = 'pending' do nothing`);
}

const CLAIM_LOCK = 0x7472_6f62; // one claimer at a time across replicas, so pacing holds

/**
 * Claims due rows: the head of each order key, at most one per channel whose pacing allows it,
 * interactive rows first. A row whose lease expired (its process died mid-delivery) is
 * reclaimed and marked ambiguous: the dispatcher looks for it in Slack before posting again.
 */
export async function claimDue(
  db: Db,
  params: { limit: number; leaseMs: number; intervalMs: number },
): Promise<OutboxRow[]> {
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
      .where(inArray(outbox.id, claimed.map((r) => Number(r.id))));
  });
}

export async function completeDelivery(db: Db, params: { id: number; resultTs?: string | null }): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'done', doneAt: sql`now()`, resultTs: params.resultTs ?? null, leaseUntil: null, lastError: null })
    .where(and(eq(outbox.id, params.id), eq(outbox.status, 'in_flight')));
}

export async function retryDelivery(
  db: Db,
  params: { id: number; delayMs: number; error: string; ambiguous: boolean },
): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: 'pending',
      notBefore: sql`now() + make_interval(secs => ${params.delayMs / 1000})`,
      leaseUntil: null,
      lastError: params.error.slice(0, 500),
      // Once a try may have reached Slack, every later try must look first.
      ...(params.ambiguous ? { ambiguous: true } : {}),
    })
    .where(eq(outbox.id, params.id));
}

export async function failDelivery(db: Db, params: { id: number; error: string }): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'failed', doneAt: sql`now()`, leaseUntil: null, lastError: params.error.slice(0, 500) })
    .where(eq(outbox.id, params.id));
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
