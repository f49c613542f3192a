import path from 'node:path';
import { loadShopifyAdminEnv } from '../config/env';
import { migrate, openDatabase } from '../db/client';
import { type BackfillProgress, BackfillRefused, BackfillStopped, backfillShopify } from '../ingest/shopify-backfill';

// `trustloop backfill shopify --days N [--restart]`: imports the store's recent orders, with a
// progress bar on stderr (a line every few seconds when stderr is not a terminal). Ctrl-C stops
// after the page in hand; running the command again continues from there.
// The bar is a dozen lines of our own: it also has to print plain lines to a log, which the
// terminal-only bar libraries do not.

const USAGE = 'usage: trustloop backfill shopify --days N [--restart]';

const fmt = (n: number) => n.toLocaleString('en-US');

function bar(p: BackfillProgress): string {
  const width = 24;
  const share = p.estimated ? Math.min(1, p.done / Math.max(1, p.estimated)) : null;
  const filled = share === null ? 0 : Math.round(share * width);
  const total = p.estimated === null ? '?' : fmt(p.estimated);
  const pct = share === null ? '' : ` (${(share * 100).toFixed(1)}%)`;
  const wait = p.waiting ? ` · waiting ${(p.waiting.ms / 1000).toFixed(1)} s: ${p.waiting.reason}` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${fmt(p.done)} / ${total} orders${pct} · ${p.ordersPerSecond.toFixed(0)} orders/s${wait}`;
}

export async function backfillCommand(args: string[], out: NodeJS.WriteStream = process.stderr): Promise<number> {
  const [source, ...flags] = args;
  const daysAt = flags.indexOf('--days');
  const days = daysAt >= 0 ? Number(flags[daysAt + 1]) : NaN;
  if (source !== 'shopify' || !Number.isFinite(days) || days <= 0 || days > 3650) {
    console.error(USAGE);
    return 2;
  }
  const env = loadShopifyAdminEnv();
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: path.join(env.TRUSTLOOP_DATA_DIR, 'pglite') });
  const abort = new AbortController();
  const stop = () => {
    out.write('\nstopping after the page in hand; run the command again to continue\n');
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = Boolean(out.isTTY);
  let lastLine = 0;
  const onProgress = (p: BackfillProgress) => {
    if (tty) return void out.write(`\r${bar(p)}\x1b[K`);
    // Not a terminal (a log): a line every few seconds, and every wait.
    if (p.waiting || Date.now() - lastLine >= 2000 || p.done === p.estimated) {
      lastLine = Date.now();
      out.write(`${bar(p)}\n`);
    }
  };
  try {
    await migrate(database);
    const result = await backfillShopify({
      db: database.db,
      shop: env.SHOPIFY_SHOP_DOMAIN,
      accessToken: env.SHOPIFY_ADMIN_ACCESS_TOKEN,
      days,
      restart: flags.includes('--restart'),
      ...(env.SHOPIFY_ADMIN_API_URL ? { url: env.SHOPIFY_ADMIN_API_URL } : {}),
      onProgress,
      signal: abort.signal,
    });
    if (tty) out.write('\n');
    const how = result.resumed ? 'continued the stopped import' : 'imported';
    const waits =
      result.throttled > 0
        ? `; Shopify's rate limit made it wait ${result.throttled} times (${(result.waitedMs / 1000).toFixed(1)} s)`
        : '';
    if (!result.finished) {
      out.write(`stopped: ${fmt(result.done)} orders stored so far; run the command again to continue${waits}\n`);
      return 130;
    }
    out.write(`done: ${how}, ${fmt(result.stored)} orders in this run, ${fmt(result.done)} in all${waits}\n`);
    return 0;
  } catch (err) {
    if (tty) out.write('\n');
    if (err instanceof BackfillStopped) {
      out.write(`stopped: ${err.message}. ${fmt(err.done)} orders are stored; run the command again to continue from there\n`);
      return 1;
    }
    if (err instanceof BackfillRefused) {
      out.write(`refused: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await database.close();
  }
}
