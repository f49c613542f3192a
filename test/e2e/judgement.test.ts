import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { caseEvents, cases } from '../../src/db/schema';
import { cardActionsBlockId, ACTION, BLOCK, REPLY } from '../../src/slack/ids';
import { block, CHANNELS, cardOf, type Harness, PEOPLE, startHarness, threadOf, ticket } from '../support/harness';

// Judgement through the real app: each ticket is judged right after ingest stores it; the decision and its reasons
// are on the card, and staff can confirm or overrule them from it.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function ingest(overrides: Record<string, unknown>) {
  const res = await h.ingest(ticket(overrides));
  expect(res.status).toBe(201);
  await h.settle();
  return { id: res.body.id as number, body: res.body, card: cardOf(h.slack, res.body.id)! };
}

const row = async (id: number) => (await h.app.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;
const value = (id: number) => JSON.stringify({ c: id });

describe('judgement on the card', () => {
  test('a refund demand on a high-value order arrives escalated, with its reasons, and staff can overrule it', async () => {
    const { id, body, card } = await ingest({
      subject: 'Refund now',
      body: 'The sofa arrived with a torn seam. I want a full refund, not a voucher.',
      customer: { name: 'Kai', email: 'kai@example.com', order_count: 1 },
      order: { id: '2001', amount: '1299.00', currency: 'EUR', country: 'DE', items: [{ sku: 'SOFA-3', name: 'Sofa', quantity: 1 }] },
    });
    // The 201 answers once the case is stored; the judgement follows the commit, before the card is posted.
    expect(body.priority).toBe('normal');
    expect((await row(id)).priority).toBe('urgent');
    const reason = block(card.blocks, BLOCK.escalation).elements[0].text as string;
    expect(reason).toMatch(
      /^:rotating_light: Escalated <!date\^\d+\^[^>]+>: Needs a human: Asks for money back; High-value order: €1299\.00 ≥ €300$/,
    );
    expect(block(card.blocks, BLOCK.fields).fields[4].text).toBe('*Priority*\n:red_circle: Urgent');
    expect(block(card.blocks, BLOCK.judgement).elements[0].text).toMatch(
      /^:robot_face: Suggested tags: .*Refund.* \(confirm or change them\) · :slightly_frowning_face: negative/,
    );
    // The escalation channel hears it from Trustloop, with a link to the card.
    const post = h.slack.posts(CHANNELS.escalation).find((m) => m.text?.startsWith(`TL-${id} escalated`))!;
    expect(post.blocks![0].text.text).toContain(
      `:rotating_light: Trustloop escalated <https://acme-store.slack.com/archives/${CHANNELS.email}/p`,
    );
    const c = await row(id);
    expect(c.mustEscalateAt).not.toBeNull();
    expect(c.judgement?.reasons.map((r) => r.code)).toEqual(['refund_request', 'high_value']);
    expect(c.suggestedTags).toContain('refund');
    expect(c.tags).toEqual(c.suggestedTags);
    expect(c.sentiment).toBe('negative');
    expect(c.productKeys).toEqual(['sku:sofa-3']);

    const actions = block(card.blocks, cardActionsBlockId(id)).elements.map((e: { action_id: string }) => e.action_id);
    expect(actions).toEqual([
      ACTION.claim,
      ACTION.assign,
      ACTION.tags,
      REPLY.action.open,
      ACTION.confirmTags,
      ACTION.escalate,
      ACTION.deescalate,
      ACTION.resolve,
    ]);
    await h.click({ actionId: ACTION.deescalate, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: value(id) });
    await vi.waitFor(async () => expect((await row(id)).priority).toBe('normal'));
    expect((await row(id)).mustEscalateAt).toBeNull();
    const audit = await h.app.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(caseEvents.id);
    expect(audit.map((e) => [e.actor, e.action])).toEqual([
      ['api', 'created'],
      ['trustloop', 'escalated'],
      [PEOPLE.agent, 'deescalated'],
    ]);
  });

  test('a sizing question is tagged, marked as something self-service could answer, and its tags can be confirmed', async () => {
    const { id, card } = await ingest({
      source: 'live_chat',
      subject: '',
      body: 'Hi! What size should I get in the linen shirt? I am 180cm and usually wear M.',
    });
    const c = await row(id);
    expect(c.suggestedTags).toEqual(['sizing']);
    expect(c.tags).toEqual(['sizing']);
    expect(c.automatable).toBe(true);
    expect(c.escalatedAt).toBeNull();
    expect(block(card.blocks, BLOCK.judgement).elements[0].text).toContain(':zap: self-service could answer this (size chart)');
    await h.click({ actionId: ACTION.confirmTags, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: value(id) });
    await vi.waitFor(async () => expect((await row(id)).tagsReviewedBy).toBe(PEOPLE.agent));
    await h.settle();
    const update = h.slack
      .callsOf('chat.update')
      .filter((u) => u.args.ts === card.ts)
      .at(-1)!;
    const after = block(update.args.blocks, cardActionsBlockId(id)).elements.map((e: { action_id: string }) => e.action_id);
    expect(after).not.toContain(ACTION.confirmTags);
    expect(block(update.args.blocks, BLOCK.judgement).elements[0].text).not.toContain('Suggested tags');
    expect(threadOf(h.slack, card.channel, card.ts).map((m) => m.text)).toContain(`:label: <@${PEOPLE.agent}> confirmed the tags: Sizing`);
  });

  test('tags sent by the helpdesk are kept; the suggestion is stored beside them', async () => {
    const { id } = await ingest({ body: 'My parcel has not arrived and tracking has not moved in a week.', tags: ['other'] });
    const c = await row(id);
    expect(c.tags).toEqual(['other']);
    expect(c.suggestedTags).toEqual(expect.arrayContaining(['shipping_delay']));
  });

  test('a follow-up that threatens a chargeback escalates a calm case', async () => {
    const { id, card } = await ingest({ body: 'Where is my order #4411? It has been two weeks.' });
    expect((await row(id)).escalatedAt).toBeNull();
    const res = await h.api('POST', `/api/v1/tickets/${id}/messages`, {
      direction: 'customer',
      body: 'Still nothing. If I do not hear back today I will file a chargeback with my bank.',
    });
    expect(res.status).toBe(201);
    await h.settle();
    const c = await row(id);
    expect(c.escalationReason).toMatch(/^Needs a human: .*Chargeback/i);
    expect(c.priority).toBe('urgent');
    const thread = threadOf(h.slack, card.channel, card.ts).map((m) => m.text ?? '');
    expect(thread.some((t) => t.startsWith(':rotating_light: Trustloop escalated TL-'))).toBe(true);
    expect(h.slack.posts(CHANNELS.escalation).filter((m) => m.text?.startsWith(`TL-${id} escalated`))).toHaveLength(1);
  });

  test('the third damage report about one product within the window flags a quality cluster', async () => {
    const order = (n: number) => ({
      id: `Q-${n}`,
      amount: '39.00',
      currency: 'EUR',
      country: 'FR',
      items: [{ sku: 'MUG-BLUE', name: 'Blue mug', quantity: 1 }],
    });
    const body = 'The mug arrived cracked along the handle.';
    const first = await ingest({ body, order: order(1) });
    const second = await ingest({ body, order: order(2) });
    const third = await ingest({ body, order: order(3) });
    expect((await row(first.id)).judgement?.reasons.map((r) => r.code)).not.toContain('quality_cluster');
    expect((await row(second.id)).judgement?.reasons.map((r) => r.code)).not.toContain('quality_cluster');
    expect((await row(third.id)).judgement?.reasons.map((r) => r.code)).toContain('quality_cluster');
    expect((await row(third.id)).escalatedAt).not.toBeNull();
  });

  test('messages in Spanish are tagged; a message in a language Trustloop cannot read at all goes to a person', async () => {
    const es = await ingest({ body: 'Hola, mi pedido llegó roto y quiero un cambio por otro igual.' });
    expect((await row(es.id)).suggestedTags).toEqual(expect.arrayContaining(['damaged', 'exchange']));
    // Nothing in it is a word the model knows: a person reads it.
    const vi = await ingest({ subject: '', body: 'Xin chào, đơn hàng của tôi vẫn chưa đến sau ba tuần. Bạn có thể giúp tôi không?' });
    const c = await row(vi.id);
    expect(c.escalationReason).toBe('Needs a human: Written in a language Trustloop does not read (vi)');
    expect(block(vi.card.blocks, BLOCK.judgement).elements[0].text).toContain('language: vi');
  });

  test('nothing the customer wrote reaches the judgement line', async () => {
    const { card } = await ingest({ body: '<!channel> refund me now or I will leave a one-star review everywhere <@U0CEO0001>' });
    const line = block(card.blocks, BLOCK.judgement).elements[0].text as string;
    expect(line).not.toContain('<!channel>');
    expect(line).not.toContain('<@U0CEO0001>');
    expect(line).toContain('threatens');
  });
});

describe('judgement stored for accuracy on real traffic', () => {
  test('suggested and final tags are both kept after staff change them', async () => {
    const { id, card } = await ingest({ body: 'The zip broke on day two.' });
    await h.click({
      actionId: ACTION.tags,
      caseId: id,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      selectedOptions: ['quality'],
    });
    await vi.waitFor(async () => expect((await row(id)).tags).toEqual(['quality']));
    const c = await row(id);
    expect(c.suggestedTags.length).toBeGreaterThan(0);
    expect(c.tagsReviewedBy).toBe(PEOPLE.agent);
    const events = await h.app.database.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, id), eq(caseEvents.action, 'tagged')));
    expect(events).toHaveLength(1);
  });
});

describe('accuracy on real traffic', () => {
  test('per tag: kept, removed and missed suggestions; overruled automatic escalations', async () => {
    const { tagAccuracy, escalationAccuracy } = await import('../../src/db/queries/judgement');
    const since = new Date(Date.now() - 3_600_000);
    const before = await tagAccuracy(h.app.database.db, { since });
    const sizingBefore = before.tags.find((t) => t.tag === 'sizing') ?? { kept: 0, removed: 0, missed: 0 };
    const { id, card } = await ingest({ source: 'live_chat', subject: '', body: 'Which size fits me best, I am usually an M?' });
    expect((await row(id)).suggestedTags).toEqual(['sizing']);
    // Staff keep sizing and add material: one kept, one missed.
    await h.click({
      actionId: ACTION.tags,
      caseId: id,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      selectedOptions: ['sizing', 'material'],
    });
    await vi.waitFor(async () => expect((await row(id)).tags).toEqual(['material', 'sizing']));
    const after = await tagAccuracy(h.app.database.db, { since });
    expect(after.reviewed).toBe(before.reviewed + 1);
    const sizing = after.tags.find((t) => t.tag === 'sizing')!;
    expect(sizing.kept - sizingBefore.kept).toBe(1);
    const material = after.tags.find((t) => t.tag === 'material')!;
    const materialBefore = before.tags.find((t) => t.tag === 'material') ?? { kept: 0, removed: 0, missed: 0 };
    expect(material.missed - materialBefore.missed).toBe(1);
    const esc = await escalationAccuracy(h.app.database.db, { since });
    // Earlier in this file one automatic escalation was overruled (the sofa refund).
    expect(esc.overruled).toBeGreaterThanOrEqual(1);
    expect(esc.automatic).toBeGreaterThanOrEqual(esc.overruled);
  });
});
