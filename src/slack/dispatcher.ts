import type { KnownBlock } from '@slack/types';
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import { ErrorCode } from '@slack/web-api';
import type { Db } from '../db/client';
import {
  claimDue,
  completeDelivery,
  failDelivery,
  nextDueInMs,
  pauseChannel,
  retryDelivery,
} from '../db/queries/outbox';
import type { OutboxRow } from '../db/schema';
import type { Logger } from '../logger';
import { METADATA_EVENT } from './ids';

// Delivers outbox rows to Slack: paced per channel, retried on 429 (after Retry-After), 5xx
// and network errors with backoff, and never posted twice: a row whose earlier try may have
// reached Slack is first looked for in the channel by the outbox id in its message metadata.

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
}

/** A handler delivers one row. Returning a ts records it; throwing SkipDelivery ends the row quietly. */
export type DeliveryHandler = (ctx: DeliveryContext) => Promise<{ ts?: string } | void>;

export class SkipDelivery extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipDelivery';
  }
}

const RETRYABLE_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export interface DispatcherOptions {
  db: Db;
  client: WebClient;
  logger: Logger;
  handlers: Record<string, DeliveryHandler>;
  /** Minimum gap between two deliveries to one channel. */
  channelIntervalMs: number;
  leaseMs?: number;
  pollMs?: number;
  maxBackoffMs?: number;
  /** Minimum time between two claim queries. */
  minGapMs?: number;
}

export class Dispatcher {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  private readonly minGapMs: number;

  constructor(private readonly opts: DispatcherOptions) {
    this.log = opts.logger.child({ component: 'dispatcher' });
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5 * 60_000;
    this.minGapMs = opts.minGapMs ?? 20;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Called after a transaction commits outbox rows, so delivery starts without waiting for a poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delivered = 0;
      const started = Date.now();
      try {
        delivered = await this.tick();
      } catch (err) {
        this.log.error({ err }, 'dispatcher tick failed');
      }
      if (!this.running) break;
      // A burst of new rows wakes the loop many times; ticks stay at least minGapMs apart so
      // the claim query runs a bounded number of times per second whatever the ingest rate.
      const gap = this.minGapMs - (Date.now() - started);
      if (gap > 0) await new Promise((r) => setTimeout(r, gap));
      if (delivered > 0) continue;
      let sleep = this.pollMs;
      try {
        const due = await nextDueInMs(this.opts.db);
        // Something due now that the tick could not take (another replica has it, or it just
        // became due): look again shortly rather than after a full poll.
        if (due !== null) sleep = Math.min(this.pollMs, Math.max(25, due + 5));
      } catch {
        // Database briefly unavailable: poll again later.
      }
      this.log.trace({ sleepMs: sleep }, 'dispatcher idle');
      await this.sleep(sleep);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        this.woken = false;
        done();
      };
    });
  }

  /** Claims what is due and delivers it (one row per channel at a time). Returns rows handled. */
  async tick(): Promise<number> {
    const rows = await claimDue(this.opts.db, { limit: 50, leaseMs: this.leaseMs, intervalMs: this.opts.channelIntervalMs });
    if (rows.length > 0) this.log.trace({ claimed: rows.map((r) => r.channel) }, 'dispatcher claimed');
    await Promise.all(rows.map((row) => this.deliver(row)));
    return rows.length;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { db, client } = this.opts;
    const log = this.log.child({ outboxId: row.id, kind: row.kind, caseId: row.caseId ?? undefined, channel: row.channel });
    const handler = this.opts.handlers[row.kind];
    if (!handler) {
      log.error('no handler for outbox kind');
      await failDelivery(db, { id: row.id, error: `no handler for kind ${row.kind}` });
      return;
    }
    const started = Date.now();
    try {
      const ctx: DeliveryContext = { row, client, db, logger: log, post: (args) => this.postOnce(row, args) };
      const result = await handler(ctx);
      await completeDelivery(db, { id: row.id, resultTs: result && 'ts' in result ? (result.ts ?? null) : null });
      log.info({ attempts: row.attempts, ms: Date.now() - started }, 'delivered');
    } catch (err) {
      await this.onError(row, err, log);
    }
  }

  private async onError(row: OutboxRow, err: unknown, log: Logger): Promise<void> {
    const { db } = this.opts;
    const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
    if (err instanceof SkipDelivery) {
      log.info({ reason: e.message }, 'delivery skipped');
      await completeDelivery(db, { id: row.id });
      return;
    }
    if (e.code === ErrorCode.RateLimitedError) {
      const delayMs = Math.max(1, e.retryAfter ?? 1) * 1000;
      log.warn({ retryAfterMs: delayMs }, 'rate limited by Slack');
      await pauseChannel(db, { channel: row.channel, delayMs });
      // A 429 means Slack did not process the call: this try is not ambiguous.
      await retryDelivery(db, { id: row.id, delayMs, error: 'ratelimited', ambiguous: false });
      return;
    }
    if (e.code === ErrorCode.PlatformError && !RETRYABLE_PLATFORM_ERRORS.has(e.data?.error ?? '')) {
      log.error({ error: e.data?.error }, 'Slack refused the delivery');
      await failDelivery(db, { id: row.id, error: e.data?.error ?? 'platform_error' });
      return;
    }
    // 5xx, network failure, timeout, or our own failure: Slack may or may not have the message.
    const delayMs = this.backoff(row.attempts);
    const reason = e.code === ErrorCode.HTTPError ? `http ${e.statusCode}` : (e.data?.error ?? e.message ?? String(err));
    log.warn({ reason, delayMs, attempts: row.attempts }, 'delivery failed; will retry');
    await retryDelivery(db, { id: row.id, delayMs, error: reason, ambiguous: true });
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.maxBackoffMs, 1000 * 2 ** Math.max(0, attempts - 1));
    // Deterministic spread by attempt keeps replicas from retrying in lockstep without randomness in tests.
    return Math.round(base * (0.85 + 0.3 * ((attempts * 7919) % 100) / 100));
  }

  private async postOnce(row: OutboxRow, args: PostArgs): Promise<{ channel: string; ts: string }> {
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
        ? await client.conversations.replies({ channel, ts: threadTs, oldest, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) })
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
