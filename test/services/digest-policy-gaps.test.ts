import { renderDigest } from '../../blocks/digest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cases, type NewCase, orders, replyDrafts } from '../../src/db/schema';
import { weekOf } from '../../src/domain/period';
import { blockProblems } from '../../src/sandbox/slack/block-limits';
import { computeDigest } from '../../src/services/digest';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testConfig } from '../support/harness';

// The digest flags the questions the store's policy could not answer while replies were drafted:
// each case once (its newest draft of the week), delivery times per destination country, with what
// the customers wrote about. The week is Monday 16 Nov to Monday 23 Nov 2026, Berlin time.

let t: TestDatabase;
const config = testConfig();
const week = weekOf('2026-11-16', 'Europe/Berlin');
const inWeek = new Date('2026-11-18T10:00:00Z');
let seq = 0;

async function caseWith(c: Partial<NewCase> = {}): Promise<number> {
  const [row] = await t.database.db
    .insert(cases)
    .values({
      kind: 'ticket',
      source: 'email',
      externalId: `G-${++seq}`,
      subject: 'Subject',
      body: 'Body',
      priority: 'normal',
      channelId: 'C0EMAIL01',
      receivedAt: inWeek,
      reportedAt: inWeek,
      ...c,
    })
    .returning({ id: cases.id });
  return row!.id;
}

async function draft(caseId: number, version: number, type: string, gaps: string[], draftedAt = inWeek): Promise<void> {
  await t.database.db.insert(replyDrafts).values({
    caseId,
    version,
    language: 'en',
    type,
    greeting: 'Hi,',
    parts: { confirmation: 'c', status: 's', next: 'n', needs: null, contact: 'x' },
    signoff: 'Bye',
    body: 'Hi,\n\nc',
    gaps,
    draftedBy: 'U0AGENT01',
    draftedAt,
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.database.db;
  // Three delay questions to Norway (two by the case's own country, one by its matched order), one to Japan.
  for (const type of ['delay', 'delay', 'order_status']) await draft(await caseWith({ orderCountry: 'no' }), 1, type, ['delivery_window']);
  const [order] = await db
    .insert(orders)
    .values({ provider: 'shopify', externalId: 'o-77', name: '#1077', amount: '40.00', currency: 'EUR', country: 'JP', placedAt: inWeek, receivedAt: inWeek, updatedAt: inWeek })
    .returning({ id: orders.id });
  await draft(await caseWith({ matchedOrderId: order!.id }), 1, 'delay', ['delivery_window']);
  // Refund timing missing twice, once with the contact path too.
  await draft(await caseWith(), 1, 'refund', ['refunds', 'contact']);
  await draft(await caseWith(), 1, 'damage', ['refunds']);
  // Redrafted: the newest version answered nothing missing, so the case is not counted.
  const redrafted = await caseWith();
  await draft(redrafted, 1, 'return', ['returns']);
  await draft(redrafted, 2, 'return', []);
  // Drafted the week before: not this week's.
  await draft(await caseWith(), 1, 'exchange', ['exchanges'], new Date('2026-11-10T10:00:00Z'));
});
afterAll(async () => {
  await t?.close();
});

describe('the digest flags what the policy cannot answer', () => {
  test('per gap (delivery times per country), each case once by its newest draft, with what customers asked; rendered in the thread', async () => {
    const model = await computeDigest(t.database.db, config, week);
    expect(model.policyGaps).toEqual([
      { gap: 'delivery_window', country: 'NO', count: 3, types: [{ type: 'delay', count: 2 }, { type: 'order_status', count: 1 }] },
      { gap: 'refunds', country: null, count: 2, types: [{ type: 'damage', count: 1 }, { type: 'refund', count: 1 }] },
      { gap: 'contact', country: null, count: 1, types: [{ type: 'refund', count: 1 }] },
      { gap: 'delivery_window', country: 'JP', count: 1, types: [{ type: 'delay', count: 1 }] },
    ]);
    const { main, thread } = renderDigest(config, model);
    for (const m of [main, ...thread]) expect(blockProblems(m.blocks, 'message')).toEqual([]);
    const details = thread.flatMap((m) => m.blocks.map((b: any) => b.text?.text ?? '')).join('\n');
    expect(details).toContain(
      '*Questions the store’s policy cannot answer* · replies drafted this week promised nothing here; add it to the policy (`trustloop policy show` prints what it says now)\n' +
        '• Delivery times to Norway (NO): 3 cases (delay 2, order status 1)\n' +
        '• Refund timing: 2 cases (damage 1, refund 1)\n' +
        '• The contact path: 1 case (refund 1)\n' +
        '• Delivery times to Japan (JP): 1 case (delay 1)',
    );
    expect((main.blocks.at(-1) as any).elements[0].text).toContain('questions the policy cannot answer');
  });

  test('a week whose drafts all had their answers shows no such section', async () => {
    const model = await computeDigest(t.database.db, config, weekOf('2026-11-30', 'Europe/Berlin'));
    expect(model.policyGaps).toEqual([]);
    const { main, thread } = renderDigest(config, model);
    expect(JSON.stringify([main, thread])).not.toContain('policy cannot answer');
  });
});
