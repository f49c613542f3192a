import { sql } from 'drizzle-orm';
import { type Database, migrate, openDatabase } from '../../src/db/client';
import { customers, orderFulfillments, orderRefunds, orders } from '../../src/db/schema';
import { orderEvents } from '../../src/ingest/providers/shopify-admin';
import { backfillShopify } from '../../src/ingest/shopify-backfill';
import { ShopifyAdminDouble } from '../support/shopify-admin-double';
import { benchDatabase } from './support';

// `npm run bench backfill`: the Shopify order history import over 50,000 orders from the local
// double of the GraphQL Admin API (pages of 250, no throttling), on PostgreSQL when one answers
// (else the embedded database), interrupted half-way and run again (it continues from the saved
// cursor; the rows are counted for duplicates). Printed: orders/s and the resident memory at the start,
// its peak and at each quarter (it should stay flat: one page is held at a time), beside a floor
// in the same run: the same rows, already read, inserted with plain INSERTs of 250 rows.

const ORDERS = Number(process.env.BENCH_BACKFILL_ORDERS ?? 50_000);
const TOKEN = 'shpat_bench_backfill_0123456789abcdef';
const MB = 1024 * 1024;

async function database(): Promise<{ database: Database; label: string; drop(): Promise<void> }> {
  const server = await benchDatabase();
  const database = await openDatabase(server ? { url: server.url } : {});
  await migrate(database);
  return {
    database,
    label: server ? 'PostgreSQL' : 'embedded PGlite',
    async drop() {
      await database.close();
      await server?.drop();
    },
  };
}

export async function benchBackfill(): Promise<void> {
  const now = new Date();
  // One order a minute up to now: 50,000 orders span about 35 days.
  const double = await new ShopifyAdminDouble({ orders: ORDERS, newest: now, spacingMs: 60_000, customers: 5_000, token: TOKEN }).start();
  const { database: db, label, drop } = await database();
  try {
    console.log(`Shopify backfill: ${ORDERS.toLocaleString('en-US')} orders from the local GraphQL double, pages of 250, ${label}`);
    const rssAt: number[] = [];
    let peak = process.memoryUsage().rss;
    const startRss = peak;
    let nextQuarter = 1;
    const started = performance.now();
    // Interrupted half-way (as Ctrl-C does), then run again: it continues from the saved cursor.
    const halfway = new AbortController();
    const run = (signal?: AbortSignal) =>
      backfillShopify({
        db: db.db,
        shop: 'bench.myshopify.com',
        accessToken: TOKEN,
        days: 40,
        url: double.url,
        pageSize: 250,
        ...(signal ? { signal } : {}),
        onProgress: (p) => {
          const rss = process.memoryUsage().rss;
          peak = Math.max(peak, rss);
          if (p.done >= (nextQuarter * ORDERS) / 4) {
            rssAt.push(rss);
            nextQuarter++;
          }
          if (p.done >= ORDERS / 2) halfway.abort();
        },
      });
    const first = await run(halfway.signal);
    const resumedAt = first.done;
    const second = await run();
    const result = { stored: first.stored + second.stored, pages: first.pages + second.pages };
    const seconds = (performance.now() - started) / 1000;
    const [stored] = await db.db
      .select({ n: sql<number>`count(*)::int`, distinct: sql<number>`count(distinct external_id)::int` })
      .from(orders);
    console.log(
      `  backfill      ${Math.round(result.stored / seconds).toLocaleString('en-US')} orders/s  (${result.stored} orders, ${result.pages} pages, ${seconds.toFixed(1)} s; ${stored!.n} order rows)`,
    );
    console.log(
      `  resume        interrupted at ${resumedAt.toLocaleString('en-US')} orders (finished: ${first.finished}), run again: ${second.resumed ? 'continued' : 'started over'} and finished (${second.finished}); ${stored!.n} rows, ${stored!.distinct} distinct orders`,
    );
    console.log(
      `  memory        RSS ${Math.round(startRss / MB)} MB at the start, peak ${Math.round(peak / MB)} MB; at 25/50/75/100 %: ${rssAt.map((r) => `${Math.round(r / MB)}`).join(' / ')} MB`,
    );

    // Floor: the same rows, read from the same pages beforehand, inserted with plain INSERTs.
    const pages: ReturnType<typeof orderEvents>[][] = [];
    for (let from = 0; from < ORDERS; from += 250) {
      const page: ReturnType<typeof orderEvents>[] = [];
      for (let i = from; i < Math.min(ORDERS, from + 250); i++) page.push(orderEvents(double.order(i)));
      pages.push(page);
    }
    await db.db.execute(sql`truncate orders, order_fulfillments, order_refunds, customers cascade`);
    const received = new Date();
    const floorStarted = performance.now();
    for (const page of pages) {
      await db.db.insert(orders).values(
        page.map(({ order: o }) => ({
          provider: o.provider,
          externalId: o.externalId,
          name: o.name,
          email: o.email ?? null,
          customerName: o.customerName ?? null,
          customerExternalId: o.customerExternalId ?? null,
          amount: o.amount,
          currency: o.currency,
          country: o.country ?? null,
          items: o.items,
          financialStatus: o.financialStatus ?? null,
          fulfillmentStatus: o.fulfillmentStatus ?? null,
          placedAt: o.placedAt,
          providerUpdatedAt: o.occurredAt ?? null,
          receivedAt: received,
          updatedAt: received,
        })),
      );
      const shipments = page.flatMap(({ order: o }) => o.fulfillments ?? []);
      if (shipments.length > 0)
        await db.db.insert(orderFulfillments).values(
          shipments.map((f) => ({
            provider: f.provider,
            externalId: f.externalId,
            orderExternalId: f.orderExternalId,
            status: f.status,
            shipmentStatus: f.shipmentStatus ?? null,
            carrier: f.carrier ?? null,
            trackingNumber: f.trackingNumber ?? null,
            trackingUrl: f.trackingUrl ?? null,
            items: f.items,
            fulfilledAt: f.createdAt,
            deliveredAt: f.deliveredAt ?? null,
            receivedAt: received,
            updatedAt: received,
          })),
        );
      const refunds = page.flatMap(({ refunds: r }) => r);
      if (refunds.length > 0)
        await db.db.insert(orderRefunds).values(
          refunds.map((r) => ({
            provider: r.provider,
            externalId: r.externalId,
            orderExternalId: r.orderExternalId,
            amount: r.amount,
            currency: r.currency,
            items: r.items,
            refundedAt: r.createdAt,
            receivedAt: received,
          })),
        );
      const people = new Map(page.flatMap(({ customer: c }) => (c ? [[c.externalId, c] as const] : [])));
      await db.db
        .insert(customers)
        .values(
          [...people.values()].map((c) => ({
            provider: c.provider,
            externalId: c.externalId,
            email: c.email ?? null,
            name: c.name ?? null,
            ordersCount: c.ordersCount ?? null,
            receivedAt: received,
            updatedAt: received,
          })),
        )
        // Customers recur across pages; the floor only needs them there once.
        .onConflictDoNothing();
    }
    const floorSeconds = (performance.now() - floorStarted) / 1000;
    console.log(
      `  floor         ${Math.round(ORDERS / floorSeconds).toLocaleString('en-US')} orders/s  (plain INSERTs of the same rows, already read: ${floorSeconds.toFixed(1)} s)`,
    );
  } finally {
    await double.stop();
    await drop();
  }
}
