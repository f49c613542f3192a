import type { KnownBlock } from '@slack/types';
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import { ErrorCode } from '@slack/web-api';
import type { Db } from '../db/client';
import { deliveries, rateLimited } from '../metrics';
import {
  type Claim,
  type ClaimedRow,
  claimDue,
  completeDelivery,
  failDelivery,
  nextDueInMs,
  pauseChannel,
  retryDelivery,
} from '../db/queries/outbox';
import type { OutboxRow } from '../db/schema';
import { type OutboxKind, type OutboxPayload, parseOutboxPayload } from '../domain/outbox';
import type { Logger } from '../logger';
import { METADATA_EVENT } from './ids';

// Delivers outbox rows to Slack: paced per channel, retried on 429 (after Retry-After), 5xx
// and network errors with backoff, and never posted twice: a row whose earlier try may have
// reached Slack is first looked for in the channel by the outbox id in its message metadata.
// Deliveries run side by side (bounded), so one slow call does not hold up other channels.

export interface PostArgs {
  channel: string;
  text: string;
  blocks?: KnownBlock[];
  thread_ts?: string;
  unfurl_links?: boolean;
  unfurl_media?: boolean;
}

export interface DeliveryContext {
  row: OutboxRow;
  client: WebClient;
  db: Db;
  logger: Logger;
  /** Posts once: looks for an earlier try first when one may have reached Slack. */
  post(args: PostArgs): Promise<{ channel: string; ts: string }>;
  /**
   * Waits for the row's pacing slot in its channel. `post` does it; a handler that writes to the
   * channel through the client itself (chat.update, a file shared to it) calls it just before.
   */
  paced(): Promise<void>;
}

/**
 * A handler delivers one row, given its payload as its kind declares it. Returning a ts records it;
 * with `card` the message is the case's card, stored on the case with the row's completion.
 */
export type DeliveryHandler<K extends OutboxKind> = (
  ctx: DeliveryContext,
  payload: OutboxPayload<K>,
) => Promise<{ ts?: string; card?: { channel: string } } | void>;

/** One handler for every outbox kind: a kind added to the vocabulary without one does not compile. */
export type DeliveryHandlers = { [K in OutboxKind]: DeliveryHandler<K> };

/** Hands a parsed payload to its kind's handler (the parse guarantees they match). */
function runHandler(handlers: DeliveryHandlers, ctx: DeliveryContext, kind: OutboxKind, payload: OutboxPayload<OutboxKind>) {
  return (handlers[kind] as DeliveryHandler<OutboxKind>)(ctx, payload);
}

/** The row has nothing left to do (its case was deleted): it ends as done. */
export class SkipDelivery extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipDelivery';
  }
}

/** The row cannot be delivered until someone fixes something: it ends as failed (and can be re-queued). */
export class CannotDeliver extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CannotDeliver';
  }
}

/** The lease is nearly over: stop before posting, so a replica that takes the row over cannot double it. */
class LeaseExpired extends Error {}

/** Slack errors that a retry can fix. */
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);
/** Token or scope problems: nothing is lost, deliveries wait until an admin fixes the app. */
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
  'team_access_not_granted',
  'org_login_required',
]);
/** Our own failures (a bug, the database) are retried this many times, then the row fails. */
const MAX_INTERNAL_ATTEMPTS = 10;

export interface DispatcherOptions {
  db: Db;
  client: WebClient;
  logger: Logger;
  handlers: DeliveryHandlers;
  /** Minimum gap between two deliveries to one channel. */
  channelIntervalMs: number;
  leaseMs?: number;
  pollMs?: number;
  maxBackoffMs?: number;
  /** Minimum time between two claim queries. */
  minGapMs?: number;
  /** Deliveries in progress at once. */
  concurrency?: number;
}

export class Dispatcher {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Per channel: when this process last sent to it (0: never), as of its latest claimed row. */
  private readonly lastSend = new Map<string, Promise<number>>();
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  private readonly minGapMs: number;
  private readonly concurrency: number;
  private readonly aheadMs: number;

  constructor(private readonly opts: DispatcherOptions) {
    this.log = opts.logger.child({ component: 'dispatcher' });
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5 * 60_000;
    this.minGapMs = opts.minGapMs ?? 20;
    this.concurrency = opts.concurrency ?? 16;
    // Rows are claimed ahead of their slot and sent at the slot, so the time spent claiming and
    // rendering does not widen the gap between two posts to one channel: half a gap, but at least
    // 200 ms (a claim and a render take tens of milliseconds on a busy machine; with a short gap
    // several rows of a channel are then ready in turn) and at most 500 ms (an interactive update
    // queued meanwhile waits behind at most that).
    this.aheadMs = Math.min(500, Math.max(200, Math.floor(opts.channelIntervalMs / 2)));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and waits for deliveries in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    this.loop = null;
  }

  /** Called after a transaction commits outbox rows, so delivery starts without waiting for a poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      let claimed = 0;
      const room = this.concurrency - this.inFlight.size;
      if (room > 0) {
        try {
          claimed = this.startAll(
            await claimDue(this.opts.db, {
              limit: room,
              leaseMs: this.leaseMs,
              intervalMs: this.opts.channelIntervalMs,
              aheadMs: this.aheadMs,
            }),
          );
        } catch (err) {
          this.log.error({ err }, 'dispatcher could not claim deliveries');
        }
      }
      if (!this.running) break;
      // A burst of new rows wakes the loop many times; claims stay at least minGapMs apart so the
      // claim query runs a bounded number of times per second whatever the ingest rate.
      const gap = this.minGapMs - (Date.now() - started);
      if (gap > 0) await new Promise((r) => setTimeout(r, gap));
      if (claimed > 0 && this.inFlight.size < this.concurrency) continue;
      let sleep = this.pollMs;
      if (this.inFlight.size < this.concurrency) {
        try {
          const due = await nextDueInMs(this.opts.db, { aheadMs: this.aheadMs });
          // Something due now that could not be claimed (another replica has it, or it just fell
          // due): look again shortly rather than after a full poll.
          if (due !== null) sleep = Math.min(this.pollMs, Math.max(this.minGapMs, due + 1));
        } catch {
          // Database briefly unavailable: poll again later.
        }
      }
      this.log.trace({ sleepMs: sleep, inFlight: this.inFlight.size }, 'dispatcher idle');
      await this.sleep(sleep);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private startAll(rows: ClaimedRow[]): number {
    for (const row of rows) {
      // Posts to one channel from this process go out in claim order, each one pacing gap after the
      // previous one was sent (not after it finished): a row claimed ahead waits for the one before.
      const previous = this.lastSend.get(row.channel) ?? Promise.resolve(0);
      let sent!: (at: number) => void;
      const mine = new Promise<number>((resolve) => (sent = resolve));
      this.lastSend.set(row.channel, mine);
      const turn = { previous, sent };
      const p: Promise<void> = this.deliver(row, turn).finally(() => {
        // A row that ended without sending passes on when the one before it was sent.
        void previous.then(sent);
        this.inFlight.delete(p);
        // A finished row may unblock the next row of its order key.
        this.wake();
      });
      this.inFlight.add(p);
    }
    if (rows.length > 0) this.log.trace({ claimed: rows.map((r) => r.channel) }, 'dispatcher claimed');
    return rows.length;
  }

  /** Claims what is due and delivers it, waiting for those deliveries (tests and tools). */
  async tick(): Promise<number> {
    const rows = await claimDue(this.opts.db, { limit: this.concurrency, leaseMs: this.leaseMs, intervalMs: this.opts.channelIntervalMs });
    await Promise.all(rows.map((row) => this.deliver(row)));
    return rows.length;
  }

  private async deliver(row: ClaimedRow, turn?: { previous: Promise<number>; sent: (at: number) => void }): Promise<void> {
    const { db, client } = this.opts;
    const claim: Claim = { id: row.id, attempts: row.attempts };
    const log = this.log.child({ outboxId: row.id, kind: row.kind, caseId: row.caseId ?? undefined, channel: row.channel });
    // Stop short of the lease: after it, another replica may take the row over.
    const deadline = Date.now() + this.leaseMs - Math.min(15_000, this.leaseMs / 4);
    const started = Date.now();
    try {
      // A row this release cannot read (an unknown kind, a payload that does not match it) fails
      // with the reason, for a person to look at; it never stops the other deliveries.
      const parsed = parseOutboxPayload(row.kind, row.payload);
      if (!parsed.ok) throw new CannotDeliver(parsed.error);
      // Claimed up to half a gap ahead of its channel's slot: the row is read and rendered meanwhile,
      // and the call to Slack waits for the slot, so posts to a channel go out one pacing gap apart.
      let ready = false;
      const paced = async () => {
        if (ready) return;
        const previousAt = turn ? await turn.previous : 0;
        const at = Math.max(row.slotAt, previousAt > 0 ? previousAt + this.opts.channelIntervalMs : 0);
        const early = at - Date.now();
        if (early > 0) await new Promise((r) => setTimeout(r, early));
        ready = true;
        turn?.sent(Date.now());
      };
      const ctx: DeliveryContext = { row, client, db, logger: log, paced, post: (args) => this.postOnce(row, args, deadline, paced) };
      const result = await runHandler(this.opts.handlers, ctx, parsed.kind, parsed.payload);
      const card = result?.card && row.caseId ? { caseId: row.caseId, channelId: result.card.channel } : undefined;
      const done = await completeDelivery(db, { ...claim, resultTs: result?.ts ?? null, ...(card ? { card } : {}) });
      if (!done) log.warn('delivered, but the row had been taken over by another replica');
      deliveries.inc({ kind: row.kind, outcome: 'delivered' });
      log.info({ attempts: row.attempts, ms: Date.now() - started }, 'delivered');
    } catch (err) {
      try {
        await this.onError(row, claim, err, log);
      } catch (writeErr) {
        // The row stays in flight; its lease runs out and it is claimed again.
        log.error({ err: writeErr }, 'could not record the delivery outcome');
      }
    }
  }

  private async onError(row: OutboxRow, claim: Claim, err: unknown, log: Logger): Promise<void> {
    const { db } = this.opts;
    const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
    if (err instanceof SkipDelivery) {
      log.info({ reason: e.message }, 'delivery skipped');
      deliveries.inc({ kind: row.kind, outcome: 'skipped' });
      await completeDelivery(db, claim);
      return;
    }
    if (err instanceof CannotDeliver) {
      log.error({ reason: err.reason }, `delivery failed; re-queue with "npx trustloop outbox retry ${row.id}" once fixed`);
      deliveries.inc({ kind: row.kind, outcome: 'failed' });
      await failDelivery(db, { ...claim, error: err.reason });
      return;
    }
    if (err instanceof LeaseExpired) {
      await retryDelivery(db, { ...claim, delayMs: 0, error: 'lease nearly over before posting', ambiguous: false });
      return;
    }
    if (e.code === ErrorCode.RateLimitedError) {
      const delayMs = Math.max(1, e.retryAfter ?? 1) * 1000;
      log.warn({ retryAfterMs: delayMs }, 'rate limited by Slack');
      rateLimited.inc({ kind: row.kind });
      deliveries.inc({ kind: row.kind, outcome: 'retry' });
      await pauseChannel(db, { channel: row.channel, delayMs });
      // A 429 means Slack did not process the call: this try is not ambiguous.
      await retryDelivery(db, { ...claim, delayMs, error: 'ratelimited', ambiguous: false });
      return;
    }
    if (e.code === ErrorCode.PlatformError) {
      const code = e.data?.error ?? 'platform_error';
      if (AUTH_ERRORS.has(code)) {
        log.error({ error: code }, 'Slack refused the bot token or its scopes; deliveries wait until the app is fixed');
        deliveries.inc({ kind: row.kind, outcome: 'retry' });
        await retryDelivery(db, { ...claim, delayMs: this.maxBackoffMs, error: code, ambiguous: false });
        return;
      }
      if (!TRANSIENT_ERRORS.has(code)) {
        log.error({ error: code }, `Slack refused the delivery; re-queue with "npx trustloop outbox retry ${row.id}" once fixed`);
        deliveries.inc({ kind: row.kind, outcome: 'failed' });
        await failDelivery(db, { ...claim, error: code });
        return;
      }
    }
    const slackSide = e.code === ErrorCode.HTTPError || e.code === ErrorCode.RequestError || e.code === ErrorCode.PlatformError;
    if (!slackSide && row.attempts >= MAX_INTERNAL_ATTEMPTS) {
      log.error({ err }, 'delivery kept failing inside Trustloop; giving up on this row');
      deliveries.inc({ kind: row.kind, outcome: 'failed' });
      await failDelivery(db, { ...claim, error: `internal: ${e.message ?? String(err)}` });
      return;
    }
    // 5xx, network failure, timeout, or our own failure: Slack may or may not have the message.
    const delayMs = this.backoff(row.attempts);
    const reason = e.code === ErrorCode.HTTPError ? `http ${e.statusCode}` : (e.data?.error ?? e.message ?? String(err));
    log.warn({ reason, delayMs, attempts: row.attempts }, 'delivery failed; will retry');
    deliveries.inc({ kind: row.kind, outcome: 'retry' });
    await retryDelivery(db, { ...claim, delayMs, error: reason, ambiguous: true });
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.maxBackoffMs, 1000 * 2 ** Math.max(0, attempts - 1));
    // A spread that depends on the attempt keeps replicas from retrying in lockstep, without randomness in tests.
    return Math.round(base * (0.85 + (0.3 * ((attempts * 7919) % 100)) / 100));
  }

  private async postOnce(
    row: OutboxRow,
    args: PostArgs,
    deadline: number,
    paced: () => Promise<void>,
  ): Promise<{ channel: string; ts: string }> {
    const { client } = this.opts;
    let channel = args.channel;
    // A user id means a DM: open it first so there is a channel to look in and post to.
    if (/^[UW]/.test(channel)) {
      const opened = await client.conversations.open({ users: channel });
      channel = opened.channel?.id ?? channel;
    }
    if (row.ambiguous) {
      const found = await this.findEarlierTry(row, channel, args.thread_ts);
      if (found) {
        this.log.info({ outboxId: row.id, ts: found }, 'earlier try had reached Slack; not posting again');
        return { channel, ts: found };
      }
    }
    await paced();
    if (Date.now() > deadline) throw new LeaseExpired();
    const res = await client.chat.postMessage({
      ...args,
      channel,
      metadata: { event_type: METADATA_EVENT, event_payload: { outbox_id: row.id, case_id: row.caseId ?? 0 } },
    } as ChatPostMessageArguments);
    return { channel: res.channel ?? channel, ts: res.ts! };
  }

  private async findEarlierTry(row: OutboxRow, channel: string, threadTs?: string): Promise<string | null> {
    const { client } = this.opts;
    const oldest = String(Math.floor(row.createdAt.getTime() / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = threadTs
        ? await client.conversations.replies({
            channel,
            ts: threadTs,
            oldest,
            limit: 200,
            include_all_metadata: true,
            ...(cursor ? { cursor } : {}),
          })
        : await client.conversations.history({ channel, oldest, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
      for (const m of res.messages ?? []) {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown } } }).metadata;
        if (meta?.event_type === METADATA_EVENT && Number(meta.event_payload?.outbox_id) === row.id && m.ts) return m.ts;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }
}
