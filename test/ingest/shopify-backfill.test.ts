import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, countDistinct, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../src/db/client';
import { customers, orderFulfillments, orderRefunds, orders, storeBackfills } from '../../src/db/schema';
import { BackfillRefused, BackfillStopped, backfillShopify, type BackfillProgress } from '../../src/ingest/shopify-backfill';
import { shopify } from '../../src/ingest/providers';
import { applyStoreEvent, orderContext } from '../../src/services/orders';
import { childEnv, cliArgs } from '../support/child';
import { createTestDatabase, seedDataDir, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { testConfig } from '../support/harness';
import { ShopifyAdminDouble } from '../support/shopify-admin-double';
import { fixture } from './providers/fixtures';

// The order history import against a local double of Shopify's GraphQL Admin API: cursor pages
// of the last N days, a THROTTLED answer, a 429 and a page that would exceed the remaining points
// each make it wait as Shopify says; a run of 5xx stops it, and the next run continues from the
// page after the last one stored. Orders a webhook already brought are the same rows.

const now = new Date('2027-03-10T12:00:00Z');
const TOKEN = 'shpat_test_backfill_0123456789abcdef';
const SHOP = 'acme-linen.myshopify.com';
let tdb: TestDatabase;
let double: ShopifyAdminDouble;

beforeAll(async () => {
  tdb = await createTestDatabase();
  // 300 orders, one every 8 hours up to an hour ago: the last 30 days hold 90 of them.
  double = await new ShopifyAdminDouble({
    orders: 300,
    newest: new Date(now.getTime() - 3_600_000),
    spacingMs: 8 * 3_600_000,
    customers: 40,
    token: TOKEN,
  }).start();
});
afterAll(async () => {
  await double?.stop();
  await tdb?.close();
});

const rows = async () => {
  const [o] = await tdb.database.db.select({ n: count(), ids: countDistinct(orders.externalId) }).from(orders);
  return o!;
};

describe('trustloop backfill shopify', () => {
  const waits: { ms: number; reason: string }[] = [];
  const progress: BackfillProgress[] = [];
  const opts = () => ({
    db: tdb.database.db,
    shop: SHOP,
    accessToken: TOKEN,
    days: 30,
    url: double.url,
    clock: () => now,
    // Waits are recorded, not slept: the test checks what the run waited for, and how long.
    sleep: async (ms: number) => void waits.push({ ms, reason: progress.at(-1)?.waiting?.reason ?? '' }),
    pageSize: 10,
    maxAttempts: 3,
    onProgress: (p: BackfillProgress) => progress.push(p),
  });

  test('a webhook already brought one order, with a newer version than the history has', async () => {
    const body = JSON.parse(fixture('providers/shopify-order-create.json').toString('utf8'));
    const first = double.order(210); // the first order of the last 30 days
    Object.assign(body, {
      id: Number(first.legacyResourceId),
      name: first.name,
      updated_at: '2027-03-09T10:00:00Z',
      total_price: '999.00',
    });
    const raw = Buffer.from(JSON.stringify(body));
    const { events } = shopify.parse(raw, { 'x-shopify-topic': 'orders/updated', 'x-shopify-webhook-id': 'wh-pre' });
    const deps = testDeps(tdb.database.db, testConfig(), { now });
    await tdb.database.db.transaction((tx) => applyStoreEvent(tx, deps, events[0] as never, now));
    expect(await rows()).toEqual({ n: 1, ids: 1 });
  });

  test('pages through the last 30 days, waits when throttled, and stops after Shopify fails three times in a row', async () => {
    double.script(1, 'throttled').script(2, '429').script(3, 'low_points').script(5, '5xx', 3);
    const err = await backfillShopify(opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackfillStopped);
    expect((err as BackfillStopped).done).toBe(50);
    expect((err as Error).message).toBe('Shopify answered 502 3 times in a row');
    // Waits as Shopify asked: points restored for the THROTTLED page ((32 − 5) / 50 per s), Retry-After for the 429,
    // the points the next page needs when a page left too few ((32 − 10) / 50 per s), then backoff on the 5xx.
    expect(waits.map((w) => w.ms)).toEqual([540, 2000, 440, 1000, 2000]);
    expect(waits.map((w) => w.reason)).toEqual([
      'throttled: waiting for query points to be restored',
      'throttled (429)',
      'waiting for query points to be restored',
      'Shopify answered 502',
      'Shopify answered 502',
    ]);
    // The count first, then pages of 10 from the oldest order of the window, each after the last one's cursor.
    const reqs = double.requests;
    expect(reqs[0]).toMatchObject({ kind: 'count', query: "created_at:>='2027-02-08T12:00:00Z'", token: TOKEN });
    expect(reqs.filter((r) => r.kind === 'orders').every((r) => r.first === 10 && r.query === "created_at:>='2027-02-08T12:00:00Z'")).toBe(
      true,
    );
    expect(progress.at(-1)).toMatchObject({ done: 50, estimated: 90 });
    // 50 orders stored (one of them the webhook's), each once; the cursor after the fifth page is kept.
    expect(await rows()).toEqual({ n: 50, ids: 50 });
    const [state] = await tdb.database.db.select().from(storeBackfills);
    expect(state).toMatchObject({ status: 'running', done: 50, estimated: 90, cursor: Buffer.from('order:259').toString('base64url') });
  });

  test('the next run continues from the saved cursor and finishes without a duplicate', async () => {
    const before = double.requests.length;
    waits.length = 0;
    const result = await backfillShopify(opts());
    expect(result).toMatchObject({ finished: true, resumed: true, done: 90, stored: 40, pages: 4, throttled: 0 });
    const resumedReqs = double.requests.slice(before);
    // No new count, and the first page asked for is the one after the last page stored.
    expect(resumedReqs.map((r) => r.kind)).toEqual(['orders', 'orders', 'orders', 'orders']);
    expect(resumedReqs[0]!.after).toBe(Buffer.from('order:259').toString('base64url'));
    expect(await rows()).toEqual({ n: 90, ids: 90 });
    const [state] = await tdb.database.db.select().from(storeBackfills);
    expect(state).toMatchObject({ status: 'finished', done: 90 });
    expect(state!.finishedAt).toEqual(now);
  });

  test('what the history says is stored as the webhooks store it; a newer webhook version is kept', async () => {
    const db = tdb.database.db;
    const [webhooked] = await db
      .select()
      .from(orders)
      .where(eq(orders.externalId, String(8_000_000_000_210)));
    expect(webhooked).toMatchObject({ amount: '999.00' });
    // Order 216 was shipped and delivered (every third); order 214 was partly refunded (every tenth, from the fifth).
    const [o] = await db
      .select()
      .from(orders)
      .where(eq(orders.externalId, String(8_000_000_000_216)));
    const ctx = await orderContext(db, { orderId: o!.id });
    expect(ctx).toMatchObject({
      order: { name: '#10217', amount: '56.50', currency: 'EUR', country: 'AT', financialStatus: 'paid' },
      delivery: {
        carrier: 'DHL Express',
        trackingNumber: '1Z216',
        shipmentStatus: 'delivered',
        deliveredAt: new Date('2027-02-13T19:00:00Z'),
      },
      // The customer record as of their newest order on the history (order 296: their 8th).
      customer: { orderCount: 8 },
    });
    expect(o!.items).toEqual([
      { name: 'Merino Cardigan - M / Forest', sku: 'MC-M-FOR', quantity: 1 },
      { name: 'Wool Socks - 2 pack', quantity: 1 },
    ]);
    const refunds = await db
      .select()
      .from(orderRefunds)
      .where(eq(orderRefunds.orderExternalId, String(8_000_000_000_214)));
    expect(refunds.map((r) => [r.amount, r.currency, r.note])).toEqual([['12.50', 'EUR', 'Socks returned']]);
    const [c] = await db
      .select()
      .from(customers)
      .where(eq(customers.externalId, String(9_000_000_000 + (216 % 40))));
    expect(c).toMatchObject({ email: `customer${216 % 40}@example.com`, ordersCount: 8, totalSpent: '640.00', currency: 'EUR' });
    const [f] = await db.select({ n: count() }).from(orderFulfillments);
    expect(f!.n).toBe(60);
  });

  test('--restart imports it all again: still one row per order', async () => {
    const result = await backfillShopify({ ...opts(), restart: true });
    expect(result).toMatchObject({ finished: true, resumed: false, done: 90, stored: 90 });
    expect(await rows()).toEqual({ n: 90, ids: 90 });
  });

  test('a refused token stops at once with the settings to check', async () => {
    const refused = await backfillShopify({ ...opts(), accessToken: 'shpat_wrong_token_000000000000', restart: true }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(BackfillRefused);
    expect((refused as Error).message).toBe(
      'Shopify answered 401: check SHOPIFY_ADMIN_ACCESS_TOKEN and that the app has the read_orders and read_customers scopes',
    );
  });
});

describe('the command', () => {
  test('npm run backfill -- shopify --days 3650 prints its progress on stderr and finishes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-backfill-'));
    seedDataDir(path.join(dir, 'data'));
    const child = spawn(
      process.execPath,
      [...(await cliArgs()), 'backfill', 'shopify', '--days', '3650'],
      {
        cwd: projectRoot(),
        env: childEnv({
          TRUSTLOOP_DATA_DIR: path.join(dir, 'data'),
          SHOPIFY_SHOP_DOMAIN: SHOP,
          SHOPIFY_ADMIN_ACCESS_TOKEN: TOKEN,
          SHOPIFY_ADMIN_API_URL: double.url,
        }),
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Ten years back: the whole history of the double's shop.
    expect(stderr).toMatch(/^\[-{24}\] 0 \/ 300 orders \(0\.0%\) · 0 orders\/s$/m);
    expect(stderr).toMatch(/^\[#{24}\] 300 \/ 300 orders \(100\.0%\) · \d+ orders\/s$/m);
    expect(stderr.trim().split('\n').at(-1)).toBe('done: imported, 300 orders in this run, 300 in all');
    expect(code).toBe(0);
  }, 60_000);
});
