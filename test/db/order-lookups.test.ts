import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertOrder, lookUpOrderGathered, lookUpOrders } from '../../src/db/queries/orders';
import { matchOrder } from '../../src/services/orders';
import { createTestDatabase, type TestDatabase } from '../support/db';

// New tickets look their orders up together: one statement answers many lookups, each by its
// order names and platform ids and, where asked, by the customer's latest order before its time.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const order = (externalId: string, name: string, email: string, placedAt: string) =>
    insertOrder(t.database.db, {
      provider: 'shopify',
      externalId,
      name,
      email,
      amount: '40.00',
      currency: 'EUR',
      placedAt: new Date(placedAt),
      receivedAt: new Date(placedAt),
      updatedAt: new Date(placedAt),
    });
  await order('9001', '#1001', 'ana@example.com', '2026-11-01T10:00:00Z');
  await order('9002', '#1002', 'ana@example.com', '2026-11-20T10:00:00Z');
  await order('9003', '#1003', 'ben@example.com', '2026-11-10T10:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

const at = new Date('2026-11-15T00:00:00Z');

test('many lookups in one statement are answered each in its own place', async () => {
  const [byName, byId, byEmail, none, both] = await lookUpOrders(t.database.db, [
    { names: ['#1003'], externalIds: [], email: null, before: at },
    { names: [], externalIds: ['9002'], email: null, before: at },
    // Ana's latest order placed before the 15th is #1001 (#1002 came later).
    { names: [], externalIds: [], email: 'ANA@example.com', before: at },
    { names: ['#4040'], externalIds: ['4040'], email: 'nobody@example.com', before: at },
    { names: ['#1001', '#1003'], externalIds: [], email: 'ben@example.com', before: at },
  ]);
  expect(byName!.byRef.map((o) => o.name)).toEqual(['#1003']);
  expect(byName!.byEmail).toBeNull();
  expect(byId!.byRef.map((o) => o.name)).toEqual(['#1002']);
  expect(byEmail!.byRef).toEqual([]);
  expect(byEmail!.byEmail?.name).toBe('#1001');
  expect(none).toEqual({ byRef: [], byEmail: null });
  // Newest first; the e-mail's own answer is given beside them.
  expect(both!.byRef.map((o) => o.name)).toEqual(['#1003', '#1001']);
  expect(both!.byEmail?.name).toBe('#1003');
});

test('lookups made at the same moment are gathered and each caller gets its own answer', async () => {
  const answers = await Promise.all(
    ['#1001', '#1002', '#1003', '#1001'].map((name) => lookUpOrderGathered(t.database.db, { names: [name], externalIds: [], email: null, before: at })),
  );
  expect(answers.map((a) => a.byRef.map((o) => o.name))).toEqual([['#1001'], ['#1002'], ['#1003'], ['#1001']]);
});

test('a case is matched by the order it names, else a number in its text, else the customer’s latest order', async () => {
  const db = t.database.db;
  const named = await matchOrder(db, { refs: ['1002'], text: 'about #1003', email: 'ana@example.com', at }, { gathered: true });
  expect(named?.name).toBe('#1002');
  // A named order Trustloop has not seen is not a reason to guess another.
  expect(await matchOrder(db, { refs: ['#7777'], text: '', email: 'ana@example.com', at })).toBeNull();
  expect((await matchOrder(db, { refs: [], text: 'where is order 1003?', email: 'ana@example.com', at }))?.name).toBe('#1003');
  expect((await matchOrder(db, { refs: [], text: 'where is order 5555?', email: 'ana@example.com', at }))?.name).toBe('#1001');
  expect(await matchOrder(db, { refs: [], text: 'hello', email: null, at })).toBeNull();
});
