import type { Db } from '../db/client';
import { backfillState, beginBackfill, endBackfill, storeOrderPage } from '../services/store-backfill';
import { adminGraphqlUrl, COUNT_QUERY, ORDERS_QUERY, orderEvents, ordersSince, PROVIDER } from './providers/shopify-admin';

// `trustloop backfill shopify --days N`: the last N days of the store's orders through the GraphQL
// Admin API, page by page (cursor pagination, oldest first). Each page is stored with the cursor
// after it, so a run that stops (Ctrl-C, a crash, Shopify failing past the retries) continues
// from there when started again. Shopify's calculated query cost is respected: after each page
// the remaining points (extensions.cost.throttleStatus) are read and, when the next page would
// not fit, the run waits for them to be restored; a THROTTLED answer or an HTTP 429 waits too.

export interface BackfillProgress {
  /** Orders stored so far in this backfill (previous runs of it included). */
  done: number;
  /** Shopify's count of the orders to import, when it gave one. */
  estimated: number | null;
  /** Orders stored per second in this run. */
  ordersPerSecond: number;
  /** Set while the run waits for Shopify (throttled, or retrying a failure). */
  waiting?: { ms: number; reason: string };
}

export interface BackfillResult {
  finished: boolean;
  /** Continued a run that had stopped, from its saved cursor. */
  resumed: boolean;
  done: number;
  estimated: number | null;
  /** Orders stored by this run. */
  stored: number;
  pages: number;
  /** Times Shopify throttled the run (THROTTLED, 429) or the remaining points made it wait. */
  throttled: number;
  waitedMs: number;
}

export interface BackfillOptions {
  db: Db;
  shop: string;
  accessToken: string;
  days: number;
  /** Starts over even when a previous run stopped half-way. */
  restart?: boolean;
  /** The GraphQL endpoint (tests: a local double); default: the shop's Admin API. */
  url?: string;
  clock?: () => Date;
  /** Waits; tests pass one that records the wait and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Orders per page (Shopify allows 250; nested lists make 25 fit in the 1,000-point query limit). */
  pageSize?: number;
  /** Tries of one page that fails (5xx, network) before the run stops, resumable. */
  maxAttempts?: number;
  onProgress?: (p: BackfillProgress) => void;
  /** Aborted: the run stops after the page in hand, resumable. */
  signal?: AbortSignal;
}

/** Shopify refused the token or its scopes, or the query itself: running again will not help. */
export class BackfillRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackfillRefused';
  }
}

/** Shopify kept failing: the run stopped; what was stored stays and the next run continues from it. */
export class BackfillStopped extends Error {
  constructor(
    message: string,
    readonly done: number,
  ) {
    super(message);
    this.name = 'BackfillStopped';
  }
}

interface ThrottleStatus {
  maximumAvailable?: number;
  currentlyAvailable?: number;
  restoreRate?: number;
}
interface Cost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}
interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
  extensions?: { cost?: Cost };
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long until `cost` points are available again (ms), from the status Shopify reported. */
function restoreWait(status: ThrottleStatus | undefined, cost: number | undefined): number {
  if (!status || !cost || status.currentlyAvailable === undefined || !status.restoreRate) return 0;
  const missing = cost - status.currentlyAvailable;
  return missing > 0 ? Math.ceil((missing / status.restoreRate) * 1000) : 0;
}

export async function backfillShopify(opts: BackfillOptions): Promise<BackfillResult> {
  const clock = opts.clock ?? (() => new Date());
  const sleep = opts.sleep ?? realSleep;
  const url = opts.url ?? adminGraphqlUrl(opts.shop);
  const pageSize = opts.pageSize ?? 25;
  const maxAttempts = opts.maxAttempts ?? 6;
  const stats = { throttled: 0, waitedMs: 0 };
  let lastCost: Cost | undefined;

  const wait = async (ms: number, reason: string, progress: () => BackfillProgress) => {
    stats.waitedMs += ms;
    opts.onProgress?.({ ...progress(), waiting: { ms, reason } });
    await sleep(ms);
  };

  /** One GraphQL call, retried through throttling and transient failures. */
  async function call(query: string, variables: Record<string, unknown>, progress: () => BackfillProgress): Promise<GraphqlAnswer> {
    let failures = 0;
    for (;;) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': opts.accessToken },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        failures++;
        if (failures >= maxAttempts) throw new BackfillStopped(`Shopify could not be reached (${(err as Error).message})`, progress().done);
        await wait(backoff(failures), 'Shopify could not be reached', progress);
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        throw new BackfillRefused(
          `Shopify answered ${res.status}: check SHOPIFY_ADMIN_ACCESS_TOKEN and that the app has the read_orders and read_customers scopes`,
        );
      }
      if (res.status === 429) {
        await res.body?.cancel();
        stats.throttled++;
        const after = Number(res.headers.get('retry-after'));
        await wait(Number.isFinite(after) && after > 0 ? after * 1000 : backoff(++failures), 'throttled (429)', progress);
        continue;
      }
      if (res.status >= 500 || res.status === 408) {
        await res.body?.cancel();
        failures++;
        if (failures >= maxAttempts)
          throw new BackfillStopped(`Shopify answered ${res.status} ${maxAttempts} times in a row`, progress().done);
        await wait(backoff(failures), `Shopify answered ${res.status}`, progress);
        continue;
      }
      const answer = (await res.json().catch(() => null)) as GraphqlAnswer | null;
      if (!res.ok || !answer) throw new BackfillRefused(`Shopify answered ${res.status} to the query`);
      const cost = answer.extensions?.cost;
      if (answer.errors?.some((e) => e.extensions?.code === 'THROTTLED')) {
        stats.throttled++;
        const ms = restoreWait(cost?.throttleStatus, cost?.requestedQueryCost) || backoff(++failures);
        await wait(ms, 'throttled: waiting for query points to be restored', progress);
        continue;
      }
      if (answer.errors?.length) {
        throw new BackfillRefused(`Shopify refused the query: ${answer.errors.map((e) => e.message ?? e.extensions?.code).join('; ')}`);
      }
      lastCost = cost;
      return answer;
    }
  }

  const existing = await backfillState(opts.db, { provider: PROVIDER, shop: opts.shop });
  const resumed = Boolean(existing && existing.status === 'running' && !opts.restart);
  const startedAt = Date.now();
  let stored = 0;
  let pages = 0;
  let run = existing!;
  const progress = (): BackfillProgress => ({
    done: run?.done ?? 0,
    estimated: run?.estimated ?? null,
    ordersPerSecond: stored / Math.max(0.001, (Date.now() - startedAt) / 1000),
  });
  if (!resumed) {
    const since = new Date(clock().getTime() - opts.days * 86_400_000);
    let estimated: number | null = null;
    try {
      const counted = await call(COUNT_QUERY, { query: ordersSince(since) }, () => ({ done: 0, estimated: null, ordersPerSecond: 0 }));
      const count = (counted.data?.ordersCount as { count?: unknown } | undefined)?.count;
      estimated = typeof count === 'number' ? count : null;
    } catch (err) {
      // The count only feeds the progress bar: without it the import runs all the same.
      if (err instanceof BackfillRefused && /answered 40[13]/.test(err.message)) throw err;
    }
    run = await beginBackfill(opts.db, { provider: PROVIDER, shop: opts.shop, since, estimated, now: clock() });
  }
  let cursor = run.cursor;
  const query = ordersSince(run.since);
  opts.onProgress?.(progress());
  for (;;) {
    if (opts.signal?.aborted) return { finished: false, resumed, done: run.done, estimated: run.estimated, stored, pages, ...stats };
    // The points this page needs are not there yet: wait for Shopify to restore them rather than be throttled.
    const ahead = restoreWait(lastCost?.throttleStatus, lastCost?.requestedQueryCost);
    if (ahead > 0) {
      stats.throttled++;
      await wait(ahead, 'waiting for query points to be restored', progress);
    }
    const answer = await call(ORDERS_QUERY, { first: pageSize, after: cursor, query }, progress);
    const conn = answer.data?.orders as { nodes?: unknown[]; pageInfo?: { hasNextPage?: boolean; endCursor?: string | null } } | undefined;
    if (!conn || !Array.isArray(conn.nodes)) throw new BackfillRefused('Shopify answered without data.orders');
    const events = conn.nodes.map((n, i) => orderEvents(n, ['data', 'orders', 'nodes', i]));
    const more = Boolean(conn.pageInfo?.hasNextPage && conn.pageInfo.endCursor);
    const next = more ? conn.pageInfo!.endCursor! : cursor;
    await storeOrderPage(opts.db, { backfillId: run.id, page: { orders: events, cursor: next }, now: clock() });
    stored += events.length;
    pages++;
    run = { ...run, done: run.done + events.length, cursor: next };
    opts.onProgress?.(progress());
    if (!more) break;
    cursor = next;
  }
  await endBackfill(opts.db, { id: run.id, now: clock() });
  return { finished: true, resumed, done: run.done, estimated: run.estimated, stored, pages, ...stats };
}

/** 1 s, 2 s, 4 s … up to a minute. */
function backoff(attempt: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
}
