import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { reviewRequestDeliveryHandlers } from '../../src/slack/deliveries-review-requests';
import { SkipDelivery } from '../../src/slack/dispatcher';
import { queryRows } from '../../src/db/client';
import { getRequest, recordSend, requestFigures, suppressEmail } from '../../src/db/queries/review-requests';
import { requestFiguresText } from '../../blocks/metrics';
import { outbox, reviewRequestSends } from '../../src/db/schema';
import { type DeliveredOrder, eraseCustomerRequests, orderDelivered, requestEmail, sweepReviewRequests } from '../../src/services/review-requests';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { testConfig } from '../support/harness';

// Review requests on a real database with a fake clock: scheduling once per order, the sweep
// through delay → request → reminders, holds and their release, limits, and unsubscribes.

let t: TestDatabase;
const clock = { now: new Date('2027-03-01T12:00:00Z') };
let deps: ReturnType<typeof testDeps>;
const config = testConfig({
  review_requests: { enabled: true, review_url: 'https://acme-linen.example/products/{product}#reviews', reminder_days: [5, 7] },
});

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.database.db, config, clock);
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.database.db.execute(sql`truncate review_requests, review_request_sends, email_suppressions, outbox, cases, disputes, reviews restart identity cascade`);
});

let seq = 0;
function delivered(over: Partial<DeliveredOrder> = {}): DeliveredOrder {
  seq++;
  return {
    provider: 'shopify',
    orderId: `ord-${seq}`,
    orderName: `#${1000 + seq}`,
    customer: { email: 'Jane@Example.com', name: 'Jane Doe' },
    country: 'DE',
    products: [{ key: 'LS-M-WHT', name: 'Linen Shirt' }],
    // 10:00 Berlin
    deliveredAt: new Date('2027-03-01T09:00:00Z'),
    ...over,
  };
}

const db = () => t.database.db;
const deliver = (o: DeliveredOrder) => db().transaction((tx) => orderDelivered(tx, deps, o, clock.now));
const sweep = (at: Date) => db().transaction((tx) => sweepReviewRequests(tx, deps, at));
const emails = () => db().select().from(outbox).where(eq(outbox.kind, 'review_request_email'));

async function openCase(p: { email: string; tags: string[]; orderId?: string; status?: string }): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db(),
    sql`insert into cases (kind, source, external_id, subject, body, customer_email, order_id, status, priority, tags, channel_id, received_at, reported_at)
        values ('ticket', 'email', ${`t-${Math.random()}`}, 'Question', 'Hi', ${p.email}, ${p.orderId ?? null}, ${p.status ?? 'open'}, 'normal',
                ${`{${p.tags.join(',')}}`}::text[], 'C0SUPPORT1', now(), now()) returning id`,
  );
  return row!.id;
}

describe('review requests', () => {
  test('a delivered order schedules one request, however often the delivery is reported', async () => {
    const o = delivered();
    const first = await deliver(o);
    const again = await deliver(o);
    expect(first).toMatchObject({ scheduled: true, created: true, dueAt: new Date('2027-03-08T09:00:00Z') });
    expect(again).toMatchObject({ scheduled: true, created: false });
    const [n] = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from review_requests`);
    expect(n!.n).toBe(1);
    expect(await deliver(delivered({ customer: { email: null } }))).toEqual({ scheduled: false, reason: 'no_email' });
  });

  test('switched off, nothing is scheduled', async () => {
    const off = testDeps(db(), testConfig(), clock);
    expect(await db().transaction((tx) => orderDelivered(tx, off, delivered(), clock.now))).toEqual({ scheduled: false, reason: 'off' });
  });

  test('delivery → 7 days → request → two reminders, each e-mail queued exactly once', async () => {
    const { requestId } = (await deliver(delivered())) as { requestId: number };
    expect((await sweep(new Date('2027-03-08T08:59:00Z'))).sent).toBe(0);
    expect((await sweep(new Date('2027-03-08T09:00:00Z'))).sent).toBe(1);
    // The same minute again (a second replica, a restart): nothing more.
    expect((await sweep(new Date('2027-03-08T09:00:30Z'))).sent).toBe(0);
    expect((await sweep(new Date('2027-03-13T09:00:00Z'))).sent).toBe(1);
    expect((await sweep(new Date('2027-03-20T09:00:00Z'))).sent).toBe(1);
    expect((await sweep(new Date('2027-04-20T09:00:00Z'))).sent).toBe(0);
    const queued = await emails();
    expect(queued.map((r) => r.payload)).toEqual([
      { requestId, step: 0 },
      { requestId, step: 1 },
      { requestId, step: 2 },
    ]);
    expect(await getRequest(db(), { id: requestId })).toMatchObject({ status: 'completed', sends: 3 });
    // The unique key: a send recorded twice is refused by the database itself.
    expect(await recordSend(db(), { requestId, step: 1, at: clock.now })).toBe(false);
  });

  test('held while the customer has an open case, with the reason; released once it is resolved', async () => {
    const { requestId } = (await deliver(delivered())) as { requestId: number };
    const caseId = await openCase({ email: 'jane@example.com', tags: ['order_status'] });
    expect((await sweep(new Date('2027-03-08T09:00:00Z'))).held).toBe(1);
    expect(await getRequest(db(), { id: requestId })).toMatchObject({ status: 'held', holdReasons: ['open_case'], everHeld: true });
    expect(await emails()).toHaveLength(0);
    await db().execute(sql`update cases set status = 'resolved' where id = ${caseId}`);
    // Looked at again within 15 minutes of the hold.
    expect((await sweep(new Date('2027-03-08T09:16:00Z'))).sent).toBe(1);
    expect(await getRequest(db(), { id: requestId })).toMatchObject({ status: 'sent', holdReasons: [] });
  });

  test('a case about this order’s delivery drops the request with its reason', async () => {
    const o = delivered();
    const { requestId } = (await deliver(o)) as { requestId: number };
    await openCase({ email: 'jane@example.com', tags: ['shipping_delay'], orderId: o.orderName!.slice(1), status: 'resolved' });
    expect((await sweep(new Date('2027-03-08T09:00:00Z'))).skipped).toBe(1);
    expect(await getRequest(db(), { id: requestId })).toMatchObject({ status: 'skipped', skipReason: 'case_about_order' });
  });

  test('an open dispute and a refund in progress hold the request', async () => {
    const { requestId } = (await deliver(delivered())) as { requestId: number };
    await openCase({ email: 'JANE@example.com', tags: ['refund'] });
    await sweep(new Date('2027-03-08T09:00:00Z'));
    expect(await getRequest(db(), { id: requestId })).toMatchObject({ status: 'held', holdReasons: ['refund_in_progress'] });
  });

  test('cap per customer and one request per product: a second order within 30 days is not asked', async () => {
    const a = (await deliver(delivered())) as { requestId: number };
    const b = (await deliver(delivered({ deliveredAt: new Date('2027-03-03T09:00:00Z') }))) as { requestId: number };
    await sweep(new Date('2027-03-08T09:00:00Z'));
    await sweep(new Date('2027-03-10T09:00:00Z'));
    expect(await getRequest(db(), { id: a.requestId })).toMatchObject({ status: 'sent' });
    expect(await getRequest(db(), { id: b.requestId })).toMatchObject({ status: 'skipped', skipReason: 'customer_cap' });
    // Two months later the cap has passed but the shirt was asked about this year: only the mug is asked about.
    const c = (await deliver(
      delivered({ deliveredAt: new Date('2027-05-01T09:00:00Z'), products: [{ key: 'LS-M-WHT', name: 'Linen Shirt' }, { key: 'MUG-1', name: 'Mug' }] }),
    )) as { requestId: number };
    await sweep(new Date('2027-05-08T09:00:00Z'));
    expect(await getRequest(db(), { id: c.requestId })).toMatchObject({ status: 'sent', products: [{ key: 'MUG-1', name: 'Mug' }] });
  });

  test('an unsubscribe stops waiting requests and queued e-mails at once', async () => {
    const { requestId } = (await deliver(delivered())) as { requestId: number };
    await sweep(new Date('2027-03-08T09:00:00Z'));
    expect(await suppressEmail(db(), { email: 'JANE@example.com', reason: 'unsubscribed', at: clock.now })).toBe(1);
    expect(await getRequest(db(), { id: requestId })).toMatchObject({ status: 'skipped', skipReason: 'unsubscribed', checkAt: null });
    const sends = await db().select().from(reviewRequestSends);
    expect(sends.map((s) => s.status)).toEqual(['suppressed']);
    // A later order from the same address is never sent either.
    const later = (await deliver(delivered({ deliveredAt: new Date('2027-06-01T09:00:00Z') }))) as { requestId: number };
    await sweep(new Date('2027-06-08T09:00:00Z'));
    expect(await getRequest(db(), { id: later.requestId })).toMatchObject({ status: 'skipped', skipReason: 'unsubscribed' });
  });

  test('erase-by-e-mail stops waiting requests and queued e-mails at once, and the requests stop naming the customer', async () => {
    const queued = (await deliver(delivered())) as { requestId: number };
    const waiting = (await deliver(delivered({ deliveredAt: new Date('2027-03-05T09:00:00Z') }))) as { requestId: number };
    await sweep(new Date('2027-03-08T09:00:00Z'));
    expect((await db().select().from(reviewRequestSends)).map((s) => s.status)).toEqual(['queued']);
    expect(await eraseCustomerRequests(deps, 'JANE@example.com')).toEqual({ stopped: 2, erased: 2 });
    // The e-mail already in the outbox is not written, let alone sent.
    const links = { unsubscribe: (id: number) => `https://t.example/u/${id}` };
    expect(await requestEmail(db(), config, { requestId: queued.requestId, step: 0 }, links)).toEqual({ send: false, reason: 'suppressed' });
    for (const id of [queued.requestId, waiting.requestId]) {
      const r = await getRequest(db(), { id });
      expect(r!.customerEmail).toBe(`erased:${id}`);
      expect(r!.customerName).toBeNull();
    }
    await sweep(new Date('2027-03-12T09:00:00Z'));
    expect(await getRequest(db(), { id: waiting.requestId })).toMatchObject({ status: 'skipped', checkAt: null });
    expect(await emails()).toHaveLength(1);
    // A later order from the address is never asked.
    const later = (await deliver(delivered({ deliveredAt: new Date('2027-06-01T09:00:00Z') }))) as { requestId: number };
    await sweep(new Date('2027-06-08T09:00:00Z'));
    expect(await getRequest(db(), { id: later.requestId })).toMatchObject({ status: 'skipped', skipReason: 'erased' });
  });

  test('a second try of a queued e-mail while the first is still with the mail server sends nothing', async () => {
    const { requestId } = (await deliver(delivered())) as { requestId: number };
    await sweep(new Date('2027-03-08T09:00:00Z'));
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const sent: string[] = [];
    const mailer = {
      async send(m: { to: string; messageId: string }) {
        sent.push(m.messageId);
        await gate;
        return { messageId: m.messageId, accepted: [m.to] };
      },
      verify: async () => {},
      close: () => {},
    };
    const handlers = reviewRequestDeliveryHandlers({ config, clock: () => clock.now, mailer, links: { unsubscribe: (id) => `https://t.example/u/${id}` } });
    const ctx = { db: db() } as never;
    const first = handlers.review_request_email(ctx, { requestId, step: 0 });
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    // The row's lease ran out and another try starts while the first still waits on the server.
    await expect(handlers.review_request_email(ctx, { requestId, step: 0 })).rejects.toBeInstanceOf(SkipDelivery);
    release();
    await first;
    expect(sent).toHaveLength(1);
    expect((await db().select().from(reviewRequestSends)).map((x) => x.status)).toEqual(['sent']);
  });

  test('a customer abroad is asked after 14 days, in their daytime', async () => {
    const { requestId } = (await deliver(delivered({ country: 'US', deliveredAt: new Date('2027-03-01T04:00:00Z') }))) as { requestId: number };
    const r = await getRequest(db(), { id: requestId });
    // 15 March 04:00Z is night across the US; the first hour that is daytime from New York to Honolulu.
    expect(r!.dueAt.getTime()).toBeGreaterThan(new Date('2027-03-15T04:00:00Z').getTime());
    expect(r!.dueAt.toISOString()).toBe('2027-03-15T19:00:00.000Z');
  });

  test('figures: sent, review rate, share with photo or video, time to review, held, rating from requests vs unasked', async () => {
    const a = (await deliver(delivered({ customer: { email: 'a@example.com' } }))) as { requestId: number };
    const b = (await deliver(delivered({ customer: { email: 'b@example.com' } }))) as { requestId: number };
    const c = (await deliver(delivered({ customer: { email: 'c@example.com' } }))) as { requestId: number };
    await openCase({ email: 'c@example.com', tags: [] });
    await sweep(new Date('2027-03-08T09:00:00Z'));
    expect((await getRequest(db(), { id: c.requestId }))!.status).toBe('held');
    const review = (email: string, rating: number, writtenAt: string, media: unknown[]) =>
      db().execute(sql`insert into reviews (provider, external_id, rating, reviewer_email, written_at, received_at, updated_at, negative, media)
        values ('generic', ${`r-${Math.random()}`}, ${rating}, ${email}, ${writtenAt}::timestamptz, now(), now(), false, ${JSON.stringify(media)}::jsonb)`);
    // a reviews two days after the request, with a photo; b never does; d was never asked.
    await review('A@example.com', 5, '2027-03-10T09:00:00Z', [{ type: 'image', url: 'https://x/1.jpg' }]);
    await review('d@example.com', 3, '2027-03-11T09:00:00Z', []);
    const f = await requestFigures(db(), { start: new Date('2027-03-01T00:00:00Z'), end: new Date('2027-04-01T00:00:00Z') });
    expect(f).toEqual({
      sent: 2,
      reviewed: 1,
      withMedia: 1,
      medianMsToReview: 2 * 86_400_000,
      held: 1,
      fromRequests: { count: 1, averageRating: 5 },
      unsolicited: { count: 1, averageRating: 3 },
    });
    expect(a.requestId).not.toBe(b.requestId);
    expect(requestFiguresText(f)).toBe(
      '2 sent · 1 reviewed (50%) · 1 with photo or video (100%) · review after 2d (median) · 1 held for an open case, refund or dispute\nRating from requests 5.0 ★ (1) vs unasked 3.0 ★ (1)',
    );
  });
});
