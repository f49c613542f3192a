import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reviewDigest } from '../../src/db/queries/review-digest';
import { insertResponseVersion } from '../../src/db/queries/reviews';
import type { DisputeEvent, ReviewEvent } from '../../src/ingest/providers/types';
import { applyDisputeEvent } from '../../src/services/disputes/events';
import { applyReviewEvent } from '../../src/services/reviews/events';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { reviewsConfig } from '../support/providers';

let t: TestDatabase;
const clock = { now: new Date('2027-03-15T10:00:00Z') };
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const review = (id: string, rating: number, body: string, title = ''): ReviewEvent => ({
  kind: 'review',
  provider: 'generic',
  eventId: id,
  action: 'created',
  externalId: id,
  rating,
  title,
  body,
  product: {},
  verified: false,
  media: [],
  reviewer: {},
  createdAt: clock.now,
  raw: {},
});

const dispute = (id: string, reason: string, state: DisputeEvent['state'], action: DisputeEvent['action']): DisputeEvent => ({
  kind: 'dispute',
  provider: 'generic',
  eventId: `${id}-${action}`,
  action,
  externalId: id,
  stage: 'chargeback',
  status: state,
  state,
  reasonCode: reason,
  reasonText: reason,
  amount: '10.00',
  currency: 'EUR',
  respondBy: null,
  createdAt: clock.now,
  raw: {},
});

describe('reviewDigest', () => {
  test('counts reviews and their themes, the latest captured cause per case, and dispute outcomes in the window', async () => {
    const deps = testDeps(t.database.db, reviewsConfig(), clock);
    const db = t.database.db;
    const a = await db.transaction((tx) => applyReviewEvent(tx, deps, review('r1', 1, 'Arrived damaged, the box was crushed'), clock.now));
    const b = await db.transaction((tx) => applyReviewEvent(tx, deps, review('r2', 2, 'The seam split after one wash'), clock.now));
    await db.transaction((tx) => applyReviewEvent(tx, deps, review('r3', 5, 'Lovely!', 'Great'), clock.now));
    const base = { acknowledge: 'Sorry', actions: ['refund'], officialChannel: 'x', body: 'Sorry', draftedBy: 'U1', draftedAt: clock.now };
    await db.transaction((tx) =>
      insertResponseVersion(tx, { ...base, caseId: a.caseId!, reviewId: a.reviewId, causeTag: 'quality', improvements: ['page'] }),
    );
    // The redraft's cause replaces the first one.
    await db.transaction((tx) =>
      insertResponseVersion(tx, { ...base, caseId: a.caseId!, reviewId: a.reviewId, causeTag: 'damaged', improvements: ['supplier'] }),
    );
    await db.transaction((tx) =>
      insertResponseVersion(tx, {
        ...base,
        caseId: b.caseId!,
        reviewId: b.reviewId,
        causeTag: 'quality',
        improvements: ['product', 'supplier'],
      }),
    );
    await db.transaction((tx) => applyDisputeEvent(tx, deps, dispute('d1', 'fraudulent', 'needs_response', 'created'), clock.now));
    await db.transaction((tx) => applyDisputeEvent(tx, deps, dispute('d1', 'fraudulent', 'won', 'closed'), clock.now));
    await db.transaction((tx) => applyDisputeEvent(tx, deps, dispute('d2', 'product_not_received', 'lost', 'closed'), clock.now));

    const digest = await reviewDigest(db, { since: new Date('2027-03-09T00:00:00Z'), until: new Date('2027-03-16T00:00:00Z') });
    expect(digest).toEqual({
      reviews: { total: 3, negative: 2, byRating: { '1': 1, '2': 1, '5': 1 }, problemTags: { damaged: 1, quality: 1 } },
      leads: { total: 0, byReason: {} },
      causes: [
        { causeTag: 'damaged', responses: 1, page: 0, product: 0, supplier: 1 },
        { causeTag: 'quality', responses: 1, page: 0, product: 1, supplier: 1 },
      ],
      disputes: {
        opened: 2,
        won: 1,
        lost: 1,
        byReason: [
          { code: 'fraudulent', label: 'fraudulent', count: 1 },
          { code: 'product_not_received', label: 'product_not_received', count: 1 },
        ],
      },
    });
    const empty = await reviewDigest(db, { since: new Date('2027-04-01T00:00:00Z'), until: new Date('2027-04-08T00:00:00Z') });
    expect(empty).toEqual({
      reviews: { total: 0, negative: 0, byRating: {}, problemTags: {} },
      leads: { total: 0, byReason: {} },
      causes: [],
      disputes: { opened: 0, won: 0, lost: 0, byReason: [] },
    });
  });
});

describe('reviewDigest counts a review in the week it was written', () => {
  test('a back-filled review lands in its written week, not the week the batch arrived', async () => {
    const deps = testDeps(t.database.db, reviewsConfig(), clock);
    const db = t.database.db;
    const written = new Date('2027-01-12T10:00:00Z');
    const arrival = { since: new Date('2027-03-15T00:00:00Z'), until: new Date('2027-03-22T00:00:00Z') };
    const arrivalBefore = (await reviewDigest(db, arrival)).reviews.total;
    await db.transaction((tx) => applyReviewEvent(tx, deps, { ...review('old-1', 2, 'Faded after one wash'), createdAt: written }, clock.now));
    const writtenWeek = await reviewDigest(db, { since: new Date('2027-01-11T00:00:00Z'), until: new Date('2027-01-18T00:00:00Z') });
    expect(writtenWeek.reviews).toMatchObject({ total: 1, negative: 1, byRating: { '2': 1 } });
    expect((await reviewDigest(db, arrival)).reviews.total).toBe(arrivalBefore);
  });
});
