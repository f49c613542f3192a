import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { listInbox } from '../../src/db/queries/inbox';
import { caseReminders, cases, disputes } from '../../src/db/schema';
import { disputeDeadlineJob } from '../../src/jobs/dispute-deadlines';
import { cardActionsBlockId, BLOCK, DISPUTE } from '../../src/slack/ids';
import { fixture } from '../ingest/providers/fixtures';
import { block, CHANNELS, type Harness, PEOPLE, startHarness, threadOf, ticket } from '../support/harness';
import { deliver, REVIEW_CHANNELS, reviewsConfig, SECRETS, sign } from '../support/providers';

// Disputes end to end with a fixed, movable clock: a Stripe dispute becomes one card; replays
// change nothing; forged and stale deliveries are refused; reminders fire at 72 h, 24 h and 6 h
// before the deadline and an escalation when it passes, each exactly once; updates move the
// same case; closure records won; the evidence export uploads through Slack's three calls.

const HOUR = 3_600_000;
const DUE = new Date('2026-03-25T23:59:59Z'); // evidence_details.due_by of the Stripe fixture
let now = new Date('2026-03-15T10:00:00Z');
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ config: reviewsConfig(), env: { ...SECRETS }, clock: () => now });
});
afterAll(async () => {
  await h?.stop();
});

const disputeCards = () =>
  h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === REVIEW_CHANNELS.disputes && !c.args.thread_ts);
const job = () => disputeDeadlineJob(h.app.deps);

/** Runs the deadline job at `at` and returns the thread replies it added under the card. */
async function runAt(at: Date, cardTs: string) {
  now = at;
  const before = threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).length;
  expect(await h.app.scheduler.runNow(job())).toBe(true);
  await h.settle();
  return threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).slice(before);
}

describe('a Stripe dispute', () => {
  const created = fixture('providers/stripe-dispute-created.json');
  let caseId: number;
  let cardTs: string;
  let ticketId: number;

  test('becomes exactly one card in the disputes channel, human-owned, with its deadline and evidence', async () => {
    // The customer wrote in about the order before disputing the charge.
    const t = await h.ingest(
      ticket({
        external_id: 'ZD-5001',
        subject: 'Package never arrived',
        body: 'Tracking says delivered but I have nothing.',
        customer: { name: 'Maya Lindqvist', email: 'maya.lindqvist@example.com' },
        order: { id: '1042', amount: '49.99', currency: 'USD', country: 'SE', items: [{ name: 'Linen Shirt', sku: 'LS-M', quantity: 1 }] },
        created_at: '2026-03-10T08:00:00Z',
      }),
    );
    ticketId = t.body.id;
    await h.settle();

    const res = await deliver(h.app.url, '/webhooks/stripe', created, sign.stripe(created, now));
    expect(res).toEqual({ status: 200, body: { ok: true, received: 1, duplicates: 0, stale: 0, ignored: null } });
    await h.settle();
    const posted = disputeCards();
    expect(posted).toHaveLength(1);
    const card = posted[0]!.args;
    caseId = card.metadata.event_payload.case_id;
    cardTs = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === caseId && !m.thread_ts)!.ts;
    expect(card.text).toBe(`TL-${caseId} (Stripe dispute, Chargeback, New): $49.99 · Customer says the item never arrived`);
    expect(card.blocks.map((b: any) => b.block_id)).toEqual([
      BLOCK.header,
      BLOCK.fields,
      DISPUTE.block.evidence,
      DISPUTE.block.related,
      BLOCK.escalation,
      cardActionsBlockId(caseId),
      `${DISPUTE.block.actions}.${caseId}`,
      BLOCK.meta,
    ]);
    expect(block(card.blocks, BLOCK.header).text.text).toBe(`TL-${caseId} · Chargeback · $49.99 · Customer says the item never arrived`);
    const ticketTs = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === ticketId)!.ts.replace('.', '');
    const link = `<https://acme-store.slack.com/archives/${CHANNELS.email}/p${ticketTs}|TL-${ticketId}>`;
    expect(block(card.blocks, BLOCK.fields).fields.map((f: any) => f.text)).toEqual([
      '*Amount*\n$49.99',
      '*Reason*\nCustomer says the item never arrived\n`product_not_received`',
      '*Stage*\nChargeback · Needs a response',
      '*Respond by*\n<!date^1774483199^{date_short_pretty} {time}|2026-03-25 23:59 UTC>\n:alarm_clock: due in 10d 13h',
      '*Customer*\nMaya Lindqvist\nmaya.lindqvist@example.com',
      '*Order*\n#1042 · $49.99 · SE\n1 item: Linen Shirt',
      '*Status*\n:new: New · :warning: *needs an owner*',
      // A chargeback goes to a person by the judgement's rules: the dispute arrives escalated.
      '*Priority*\n:red_circle: Urgent',
      '*Provider*\nStripe · `needs_response`\ndp_1QxR7lL2eZvKYlo2XkD4mN2p',
      '*Tags*\nChargeback',
    ]);
    expect(block(card.blocks, DISPUTE.block.evidence).text.text).toBe(
      [
        '*Evidence* (3 of 4 ready)',
        `:white_check_mark: *Order record*: held: ${link} order #1042 · $49.99`,
        ':white_large_square: *Shipping proof*: _to collect: carrier, tracking number and the delivered event_',
        `:white_check_mark: *Communication history*: held: 1 message in ${link}`,
        ':white_check_mark: *Policy evidence*: held: refund, shipping pages',
      ].join('\n'),
    );
    expect(block(card.blocks, `${DISPUTE.block.actions}.${caseId}`).elements.map((e: any) => e.text.text)).toEqual([
      'Evidence checklist',
      'Export evidence',
      'Evidence submitted',
    ]);
    const [d] = await h.app.database.db.select().from(disputes).where(eq(disputes.caseId, caseId));
    expect(d).toMatchObject({
      provider: 'stripe',
      stage: 'chargeback',
      state: 'needs_response',
      amount: '49.99',
      currency: 'USD',
      orderRef: '1042',
    });
    expect(d!.respondBy).toEqual(DUE);
  });

  test('a replay changes nothing; a forged or stale delivery is refused', async () => {
    const calls = h.slack.calls.length;
    const replay = await deliver(h.app.url, '/webhooks/stripe', created, sign.stripe(created, now));
    expect(replay.body).toEqual({ ok: true, received: 1, duplicates: 1, stale: 0, ignored: null });
    const forged = await deliver(h.app.url, '/webhooks/stripe', created, sign.stripe(created, now, 'whsec_attacker_0000000000000000'));
    expect(forged).toEqual({
      status: 401,
      body: { error: 'invalid_signature', message: 'No Stripe-Signature v1 signature matches the configured secret.' },
    });
    const stale = await deliver(h.app.url, '/webhooks/stripe', created, sign.stripe(created, new Date(now.getTime() - 10 * 60_000)));
    expect(stale.status).toBe(401);
    expect(stale.body.message).toBe('The Stripe-Signature timestamp is more than 300 seconds from now.');
    await h.settle();
    expect(h.slack.calls.length).toBe(calls);
    expect(disputeCards()).toHaveLength(1);
    expect((await listInbox(h.app.database.db, { provider: 'stripe' })).map((r) => [r.eventId, r.status])).toEqual([
      ['evt_1QxR7mL2eZvKYlo2Cq0fT9aB', 'processed'],
    ]);
  });

  test('reminders fire 72 h, 24 h and 6 h before the deadline, then an escalation, each exactly once', async () => {
    expect(await runAt(new Date(DUE.getTime() - 72 * HOUR - 60_000), cardTs)).toEqual([]);

    let added = await runAt(new Date(DUE.getTime() - 72 * HOUR + 60_000), cardTs);
    expect(added.map((m) => m.text)).toEqual([`TL-${caseId}: 2d 23h left to respond to the dispute`]);
    expect(added[0]!.blocks![0].elements[0].text).toMatch(
      new RegExp(
        `^:alarm_clock: \\*2d 23h left\\* to respond to the dispute \\(due <!date\\^1774483199.*\\), nobody owns it yet: <@${PEOPLE.manager}> · <!date`,
      ),
    );
    // The same tick again, and a later tick before the next rung, send nothing.
    expect(await runAt(new Date(DUE.getTime() - 72 * HOUR + 120_000), cardTs)).toEqual([]);
    expect(await runAt(new Date(DUE.getTime() - 30 * HOUR), cardTs)).toEqual([]);

    // Someone claims the case: the next reminders name the owner.
    await h.click({
      actionId: 'case_claim',
      user: PEOPLE.agent,
      channel: REVIEW_CHANNELS.disputes,
      messageTs: cardTs,
      value: JSON.stringify({ c: caseId, o: null }),
    });
    await h.slack.waitFor(
      () => threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).find((m) => m.text?.includes('claimed')),
      10_000,
      'claim entry',
    );
    await h.settle();
    const claimed = threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).length;

    added = await runAt(new Date(DUE.getTime() - 24 * HOUR), cardTs);
    expect(added.map((m) => m.text)).toEqual([`TL-${caseId}: 1d left to respond to the dispute`]);
    expect(added[0]!.blocks![0].elements[0].text).toContain(`, <@${PEOPLE.agent}> · `);
    added = await runAt(new Date(DUE.getTime() - 6 * HOUR + 1000), cardTs);
    expect(added.map((m) => m.text)).toEqual([`TL-${caseId}: 5h 59m left to respond to the dispute`]);
    expect(threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).length).toBe(claimed + 2);

    // The card's countdown was re-drawn with the reminder.
    const card = h.slack.messages.find((m) => m.ts === cardTs)!;
    expect(block(card.blocks, BLOCK.fields).fields[3].text).toBe(
      '*Respond by*\n<!date^1774483199^{date_short_pretty} {time}|2026-03-25 23:59 UTC>\n:alarm_clock: due in 5h 59m',
    );

    added = await runAt(new Date(DUE.getTime() + 5 * 60_000), cardTs);
    expect(added.map((m) => m.text)).toEqual([`TL-${caseId}: respond-by deadline passed`]);
    // The first announcement came with the dispute (must-escalate); the second is the deadline's.
    const escalation = h.slack.posts(CHANNELS.escalation).filter((m) => m.metadata?.event_payload?.case_id === caseId);
    expect(escalation).toHaveLength(2);
    expect(escalation[0]!.blocks![0].text.text).toContain('*Reason:* Needs a human: Payment dispute opened');
    expect(escalation[1]!.blocks![0].text.text).toContain(
      "*Reason:* The dispute's respond-by deadline (2026-03-25 23:59 UTC) passed without a response",
    );
    const [c] = await h.app.database.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c).toMatchObject({
      priority: 'urgent',
      escalationReason: "The dispute's respond-by deadline (2026-03-25 23:59 UTC) passed without a response",
    });
    expect(await runAt(new Date(DUE.getTime() + 60 * 60_000), cardTs)).toEqual([]);

    const rows = await h.app.database.db.select().from(caseReminders).where(eq(caseReminders.caseId, caseId));
    expect(rows.map((r) => [r.target, r.level, r.superseded]).sort()).toEqual(
      [
        ['dispute_response', 'due_in_24h', false],
        ['dispute_response', 'due_in_6h', false],
        ['dispute_response', 'due_in_72h', false],
        ['dispute_response', 'escalation', false],
      ].sort(),
    );
  });

  test('Export evidence uploads one Markdown document through the three upload calls', async () => {
    await h.click({
      actionId: DISPUTE.action.export,
      user: PEOPLE.agent,
      channel: REVIEW_CHANNELS.disputes,
      messageTs: cardTs,
      value: JSON.stringify({ c: caseId }),
    });
    const complete = await h.slack.waitFor(() => h.slack.callsOf('files.completeUploadExternal')[0], 10_000, 'upload completed');
    const [getUrl] = h.slack.callsOf('files.getUploadURLExternal');
    expect(getUrl!.args.filename).toBe(`TL-${caseId}-stripe-dispute-evidence.md`);
    expect(h.slack.uploads).toHaveLength(1);
    const upload = h.slack.uploads[0]!;
    expect(Number(getUrl!.args.length)).toBe(upload.bytes.length);
    expect(complete.args).toMatchObject({
      channel_id: REVIEW_CHANNELS.disputes,
      thread_ts: cardTs,
      files: [{ id: upload.id, title: `Dispute evidence TL-${caseId}` }],
      initial_comment: `:page_facing_up: Dispute evidence for TL-${caseId}, exported by <@${PEOPLE.agent}>. Check it, add what is missing, then submit it to Stripe.`,
    });
    const doc = upload.bytes.toString('utf8');
    expect(doc.split('\n').slice(0, 3)).toEqual([
      `# Dispute evidence: TL-${caseId}`,
      '',
      'Acme Linen · Stripe dispute `dp\\_1QxR7lL2eZvKYlo2XkD4mN2p`',
    ]);
    expect(doc).toContain('- Amount: 49.99 USD');
    expect(doc).toContain('- [x] **Order record** (held by Trustloop)');
    expect(doc).toContain('- [ ] **Shipping proof** (still to collect)');
    expect(doc).toContain(`### TL-${ticketId} · ticket · Package never arrived`);
    expect(doc).toContain('> Tracking says delivered but I have nothing.');
    expect(doc).toContain('- refund: https://acme-linen.example/policies/refund');
    // The card shows the export.
    await h.settle();
    const card = await h.slack.waitFor(() => {
      const m = h.slack.messages.find((x) => x.ts === cardTs)!;
      return (block(m.blocks, DISPUTE.block.evidence).text.text as string).includes('Evidence exported') ? m : null;
    });
    expect(block(card.blocks, DISPUTE.block.evidence).text.text).toMatch(
      new RegExp(`:page_facing_up: Evidence exported by <@${PEOPLE.agent}> <!date`),
    );
  });

  test('the evidence checklist takes ticks and notes; Evidence submitted stops the reminders', async () => {
    await h.click({
      actionId: DISPUTE.action.evidence,
      user: PEOPLE.agent2,
      channel: REVIEW_CHANNELS.disputes,
      messageTs: cardTs,
      value: JSON.stringify({ c: caseId }),
    });
    const open = await h.slack.waitFor(
      () => h.slack.callsOf('views.open').find((c) => c.args.view.callback_id === DISPUTE.view.evidence),
      10_000,
      'modal',
    );
    expect(block(open.args.view.blocks, DISPUTE.block.evidenceHeld).text.text).toBe(
      '*Trustloop already holds*\n• *Order record*: filled in by Trustloop (1 item)\n• *Communication history*: filled in by Trustloop (1 item)\n• *Policy evidence*: filled in by Trustloop (2 items)',
    );
    await h.submitView({
      callbackId: DISPUTE.view.evidence,
      user: PEOPLE.agent2,
      privateMetadata: open.args.view.private_metadata,
      values: {
        [DISPUTE.block.evidenceChecks]: { value: { type: 'checkboxes', selected_options: [{ value: 'shipping_proof' }] } },
        [`${DISPUTE.block.evidenceNotePrefix}shipping_proof`]: {
          value: { type: 'plain_text_input', value: 'USPS 9400 1000 0000 0000 0000 00, delivered 12 Mar' },
        },
      },
    });
    await h.settle();
    const card = await h.slack.waitFor(() => {
      const m = h.slack.messages.find((x) => x.ts === cardTs)!;
      return (block(m.blocks, DISPUTE.block.evidence).text.text as string).startsWith('*Evidence* (4 of 4') ? m : null;
    });
    expect((block(card.blocks, DISPUTE.block.evidence).text.text as string).split('\n')[2]).toBe(
      `:ballot_box_with_check: *Shipping proof*: checked by <@${PEOPLE.agent2}> · USPS 9400 1000 0000 0000 0000 00, delivered 12 Mar`,
    );

    await h.click({
      actionId: DISPUTE.action.submitted,
      user: PEOPLE.agent2,
      channel: REVIEW_CHANNELS.disputes,
      messageTs: cardTs,
      value: JSON.stringify({ c: caseId }),
    });
    await vi.waitFor(async () => {
      const [d] = await h.app.database.db.select().from(disputes).where(eq(disputes.caseId, caseId));
      expect(d).toMatchObject({ respondedAt: now, respondedBy: PEOPLE.agent2 });
    });
    await h.slack.waitFor(
      () => threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).find((m) => m.text?.includes('submitted the evidence')),
      10_000,
      'entry',
    );
    const entries = threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).map((m) => m.text);
    expect(entries.slice(-2)).toEqual([
      `:ballot_box_with_check: <@${PEOPLE.agent2}> updated the evidence checklist: +Shipping proof`,
      `:outbox_tray: <@${PEOPLE.agent2}> submitted the evidence; deadline reminders stop`,
    ]);
  });

  test('updates move the same case; closure records won and resolves it', async () => {
    const updated = JSON.parse(created.toString('utf8'));
    updated.id = 'evt_1QxU9qL2eZvKYlo2UpD4tEd1';
    updated.type = 'charge.dispute.updated';
    updated.data.object.status = 'under_review';
    updated.created = 1774500000;
    const body = Buffer.from(JSON.stringify(updated));
    now = new Date(DUE.getTime() + 2 * HOUR);
    expect((await deliver(h.app.url, '/webhooks/stripe', body, sign.stripe(body, now))).body.duplicates).toBe(0);
    await h.settle();
    // An update Stripe produced before that one (event.created earlier: still needs a response, another
    // amount), delivered after it: acknowledged (2xx) and logged, but it moves nothing.
    const calls = h.slack.calls.length;
    const older = JSON.parse(created.toString('utf8'));
    older.id = 'evt_1QxU9rL2eZvKYlo2Pa7rB1tr';
    older.type = 'charge.dispute.updated';
    older.created = 1774000000;
    older.data.object.amount = 3999;
    const olderBody = Buffer.from(JSON.stringify(older));
    expect((await deliver(h.app.url, '/webhooks/stripe', olderBody, sign.stripe(olderBody, now))).body).toEqual({
      ok: true,
      received: 1,
      duplicates: 0,
      // The provider's delivery log says it arrived late and changed nothing.
      stale: 1,
      ignored: null,
    });
    await h.settle();
    expect(h.slack.calls.length).toBe(calls);
    const [stillUnderReview] = await h.app.database.db.select().from(disputes).where(eq(disputes.caseId, caseId));
    expect(stillUnderReview).toMatchObject({ state: 'under_review', amount: '49.99' });
    const closed = fixture('providers/stripe-dispute-closed.json');
    now = new Date('2026-04-01T00:00:10Z');
    expect((await deliver(h.app.url, '/webhooks/stripe', closed, sign.stripe(closed, now))).body.duplicates).toBe(0);
    // The older update delivered again late (Stripe does not order deliveries) changes nothing.
    expect((await deliver(h.app.url, '/webhooks/stripe', body, sign.stripe(body, now))).body.duplicates).toBe(1);
    await h.settle();
    expect(disputeCards()).toHaveLength(1);
    const [d] = await h.app.database.db.select().from(disputes).where(eq(disputes.caseId, caseId));
    expect(d).toMatchObject({ state: 'won', outcome: 'won', status: 'won' });
    const [c] = await h.app.database.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c!.status).toBe('resolved');
    const card = h.slack.messages.find((m) => m.ts === cardTs)!;
    expect(block(card.blocks, DISPUTE.block.outcome).text.text).toBe(
      ':trophy: *Closed: won* <!date^1775001610^{date_short_pretty} {time}|2026-04-01 00:00 UTC>. The money stays with the store.',
    );
    const entries = threadOf(h.slack, REVIEW_CHANNELS.disputes, cardTs).map((m) => m.text);
    expect(entries.slice(-2)).toEqual(['Needs a response → *Under review*', 'Under review → *Won* · The dispute closed: *won*']);
  });
});

describe('other dispute providers', () => {
  test('an inquiry is flagged "resolve before it becomes a chargeback"', async () => {
    now = new Date('2026-03-15T10:00:00Z');
    const inquiry = fixture('providers/stripe-inquiry-jpy.json');
    await deliver(h.app.url, '/webhooks/stripe', inquiry, sign.stripe(inquiry, now));
    await h.settle();
    const card = disputeCards().find((c) => c.args.text.includes('Inquiry'))!;
    expect(block(card.args.blocks, BLOCK.header).text.text).toMatch(/ · Inquiry · ¥15,000 · /);
    expect(block(card.args.blocks, DISPUTE.block.inquiry).text.text).toBe(
      ':warning: *Inquiry: resolve it before it becomes a chargeback.* Refund, or answer with the order record and shipping proof now, while it costs no fee.',
    );
  });

  test('PayPal (verified offline against the configured certificate) and Shopify disputes become cases', async () => {
    now = new Date('2027-03-15T09:58:13Z');
    const pp = fixture('providers/paypal-dispute-created.json');
    expect((await deliver(h.app.url, '/webhooks/paypal', pp, sign.paypal(pp, 'tx-1', now, '1JE4291016473214C'))).status).toBe(401);
    expect((await deliver(h.app.url, '/webhooks/paypal', pp, sign.paypal(pp, 'tx-1', now))).body).toMatchObject({
      received: 1,
      duplicates: 0,
    });
    // The store's order arrives first (orders/create): the dispute names only Shopify's order id.
    const order = fixture('providers/shopify-order-create.json');
    const stored = await deliver(h.app.url, '/webhooks/shopify', order, sign.shopify(order, 'orders/create', 'wh-0'));
    expect(stored.body).toEqual({ ok: true, received: 1, duplicates: 0, stale: 0, ignored: null });
    const sh = fixture('providers/shopify-dispute-create.json');
    expect((await deliver(h.app.url, '/webhooks/shopify', sh, sign.shopify(sh, 'disputes/create', 'wh-1'))).body).toMatchObject({
      received: 1,
    });
    await h.settle();
    const [shopifyCase] = await h.app.database.db.select().from(cases).where(eq(cases.externalId, '1052608616'));
    const shopifyCard = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === shopifyCase!.id && !m.thread_ts)!;
    const shopifyFields = (block(shopifyCard.blocks, BLOCK.fields).fields as { text: string }[]).map((f) => f.text);
    // The order the team knows, with what the order holds; never Shopify's internal id.
    expect(shopifyFields).toContain(
      '*Order*\n#1042 · €189.00 · AT\n3 items: Merino Cardigan - M / Forest (MC-M-FOR), Wool Socks - 2 pack\n:package: Not shipped yet',
    );
    expect(shopifyFields).toContain('*Customer*\nJonas Berger\njonas.berger@example.com\n1st order · €189.00 lifetime');
    expect(JSON.stringify(shopifyCard.blocks)).not.toContain('5784930517213');

    const [paypalCase] = await h.app.database.db.select().from(cases).where(eq(cases.externalId, 'PP-D-27803'));
    const paypalCard = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === paypalCase!.id && !m.thread_ts)!;
    const paypalFields = (block(paypalCard.blocks, BLOCK.fields).fields as { text: string }[]).map((f) => f.text);
    expect(paypalFields).toContain('*Customer*\nJonas Berger\njonas.berger@example.com');
    expect(paypalFields.find((f) => f.startsWith('*Order*'))).toContain('1 item: Merino Cardigan');
    // What the buyer wrote in the dispute is on the timeline, as written: never markup or a mention.
    const thread = threadOf(h.slack, paypalCard.channel, paypalCard.ts).map((m) => JSON.stringify(m.blocks));
    expect(thread.some((t) => t.includes('Ordered two weeks ago, tracking has not moved since.'))).toBe(true);
    expect(thread.some((t) => t.includes('&lt;!channel&gt;'))).toBe(true);
    expect(thread.join('')).not.toContain('<!channel>');
    const won = fixture('providers/shopify-dispute-update-won.json');
    expect((await deliver(h.app.url, '/webhooks/shopify', won, sign.shopify(won, 'disputes/update', 'wh-2'))).body).toMatchObject({
      received: 1,
    });
    const products = await deliver(h.app.url, '/webhooks/shopify', sh, sign.shopify(sh, 'products/update', 'wh-3'));
    expect(products.body).toEqual({ ok: true, received: 0, duplicates: 0, stale: 0, ignored: 'products/update' });
    await h.settle();
    const rows = await h.app.database.db.select().from(disputes);
    expect(rows.find((d) => d.provider === 'paypal')).toMatchObject({
      externalId: 'PP-D-27803',
      state: 'needs_response',
      orderRef: 'TL-ORDER-1042',
    });
    expect(rows.find((d) => d.provider === 'shopify')).toMatchObject({ externalId: '1052608616', state: 'won', outcome: 'won' });
  });

  test('PayPal: a retry (new transmission, same event id) changes nothing; a captured delivery replayed later is refused', async () => {
    now = new Date('2027-03-15T09:58:13Z');
    const pp = fixture('providers/paypal-dispute-created.json');
    const captured = sign.paypal(pp, 'tx-1', now);
    const calls = h.slack.calls.length;
    const before = await h.app.database.db.select().from(disputes);
    now = new Date('2027-03-15T10:30:00Z');
    const retry = await deliver(h.app.url, '/webhooks/paypal', pp, sign.paypal(pp, 'tx-2', now));
    expect(retry.body).toEqual({ ok: true, received: 1, duplicates: 1, stale: 0, ignored: null });
    const replayed = await deliver(h.app.url, '/webhooks/paypal', pp, captured);
    expect(replayed).toEqual({
      status: 401,
      body: { error: 'invalid_signature', message: 'PAYPAL-TRANSMISSION-TIME is more than 300 seconds from now.' },
    });
    await h.settle();
    expect(h.slack.calls.length).toBe(calls);
    expect(await h.app.database.db.select().from(disputes)).toEqual(before);
    expect((await listInbox(h.app.database.db, { provider: 'paypal' })).map((r) => [r.eventId, r.status])).toEqual([
      ['WH-4M0448861G563140B-9EX36365822141321', 'processed'],
    ]);
  });

  test('the generic API creates a dispute (201) and answers a resend with 200', async () => {
    const body = JSON.parse(fixture('providers/generic-dispute.json').toString('utf8'));
    const first = await h.api('POST', '/api/v1/disputes', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      created: true,
      duplicate: false,
      stage: 'chargeback',
      state: 'needs_response',
      case: { kind: 'dispute', status: 'new', priority: 'urgent' },
    });
    const again = await h.api('POST', '/api/v1/disputes', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, duplicate: true, case: { id: first.body.case.id } });
    const bad = await h.api('POST', '/api/v1/disputes', { ...body, event_id: 'x2', amount: 'lots' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: any) => i.path)).toEqual(['amount']);
  });
});
