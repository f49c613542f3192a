import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listInbox } from '../../src/db/queries/inbox';
import { listUsableUgc } from '../../src/db/queries/reviews';
import { caseEvents, cases, reviewResponses, reviews } from '../../src/db/schema';
import { reviewClusterJob } from '../../src/jobs/reviews';
import { cardActionsBlockId, ACTION, BLOCK, REVIEW, SLA_BLOCK, UGC } from '../../src/slack/ids';
import { fixture } from '../ingest/providers/fixtures';
import { block, CHANNELS, type Harness, PEOPLE, startHarness, threadOf, ticket } from '../support/harness';
import { deliver, REVIEW_CHANNELS, reviewsConfig, SECRETS, sign } from '../support/providers';

// Reviews end to end: provider webhooks (signed as each provider signs) → stored review → a
// card in the reviews channel for negative ones, a UGC post for positive ones with photos, a
// cluster alert for repeated problems; the Draft response and checklist modals; consent.

let h: Harness;
const { TRUSTPILOT_WEBHOOK_TOKEN: _notConfigured, ...secrets } = SECRETS;
beforeAll(async () => {
  // Trustpilot is left unconfigured on purpose: its route must say so.
  h = await startHarness({
    config: reviewsConfig(),
    env: { ...secrets },
  });
});
afterAll(async () => {
  await h?.stop();
});

const reviewCards = () =>
  h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === REVIEW_CHANNELS.reviews && !c.args.thread_ts);

async function reviewRow(provider: string, externalId: string) {
  const [row] = await h.app.database.db.select().from(reviews).where(eq(reviews.externalId, externalId));
  expect(row?.provider).toBe(provider);
  return row!;
}

function generic(overrides: Record<string, unknown>) {
  return {
    external_id: `g-${Math.random().toString(36).slice(2, 10)}`,
    rating: 5,
    title: '',
    body: '',
    created_at: '2027-03-14T21:04:00+01:00',
    ...overrides,
  };
}

describe('a 1★ Judge.me review', () => {
  const body = fixture('providers/judgeme-review-created.json');
  let ticketId: number;
  let caseId: number;

  test('becomes exactly one card in the reviews channel, with the customer’s other case and order', async () => {
    // The same customer wrote in before (different case of email): the card links it and shows its order.
    const t = await h.ingest(
      ticket({
        external_id: 'ZD-777',
        customer: { name: 'Priya Natarajan', email: 'Priya.Natarajan@example.com' },
        order: {
          id: '1042',
          amount: '129.00',
          currency: 'EUR',
          country: 'DE',
          items: [{ name: 'Merino Half-Zip Pullover - M / Navy', sku: 'MHZ-NVY-M', quantity: 1 }],
        },
      }),
    );
    ticketId = t.body.id;
    await h.settle();
    const ticketCard = h.slack.callsOf('chat.postMessage').find((c) => c.args.metadata?.event_payload?.case_id === ticketId)!;
    const ticketTs = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === ticketId)!.ts;
    expect(ticketCard.args.channel).toBe(CHANNELS.email);

    const res = await deliver(h.app.url, '/webhooks/judgeme', body, sign.judgeme(body));
    expect(res).toEqual({ status: 200, body: { ok: true, received: 1, duplicates: 0, stale: 0, ignored: null } });
    await h.settle();

    const posted = reviewCards();
    expect(posted).toHaveLength(1);
    const card = posted[0]!.args;
    caseId = card.metadata.event_payload.case_id;
    expect(card.channel).toBe(REVIEW_CHANNELS.reviews);
    expect(card.text).toBe(`TL-${caseId} (Judge.me review, 1★, New): Zip broke on day two`);
    expect(card.blocks.map((b: any) => b.block_id)).toEqual([
      BLOCK.header,
      BLOCK.excerpt,
      BLOCK.fields,
      REVIEW.block.why,
      SLA_BLOCK.card,
      BLOCK.judgement,
      `${REVIEW.block.photos}_0`,
      REVIEW.block.related,
      REVIEW.block.response,
      REVIEW.block.checklist,
      cardActionsBlockId(caseId),
      `${REVIEW.block.actions}.${caseId}`,
      BLOCK.meta,
    ]);
    expect(block(card.blocks, BLOCK.header).text.text).toBe(`TL-${caseId} · ★☆☆☆☆ Zip broke on day two`);
    expect(block(card.blocks, BLOCK.excerpt).text.text).toBe(
      '>Lovely wool, but the zip came off on the second day and the seam is already fraying. Not what I expected for the price.',
    );
    expect(block(card.blocks, BLOCK.fields).fields.map((f: any) => f.text)).toEqual([
      '*Product*\nMerino Half-Zip Pullover',
      '*Reviewer*\nPriya N.\npriya.natarajan@example.com\n:white_check_mark: Verified buyer',
      '*Rating*\n★☆☆☆☆ 1/5\nJudge.me · written <!date^1805100066^{date_short_pretty} {time}|2027-03-15 08:41 UTC>',
      '*Order*\n#1042 · €129.00 · DE\n1 item: Merino Half-Zip Pullover - M / Navy',
      '*Status*\n:new: New · unowned',
      // A low rating alone is a case to work, not an escalation: it threatens nothing, asks for no money.
      '*Priority*\nNormal',
      '*Tags*\nQuality',
    ]);
    expect(block(card.blocks, REVIEW.block.why).elements[0].text).toBe(
      ':warning: Negative review: 1★ is at or below 3★ · reports: Quality',
    );
    expect(block(card.blocks, BLOCK.judgement).elements[0].text).toMatch(
      /^:robot_face: Suggested tags: Quality \(confirm or change them\) · /,
    );
    expect(h.slack.posts(CHANNELS.escalation).filter((m) => m.metadata?.event_payload?.case_id === caseId)).toHaveLength(0);
    // Only the picture the reviewer did not hide, as an image block.
    expect(block(card.blocks, `${REVIEW.block.photos}_0`)).toEqual({
      type: 'image',
      block_id: `${REVIEW.block.photos}_0`,
      image_url: 'https://judgeme.imgix.net/alpine-knits/1773564066__zip__original.jpg?auto=format',
      alt_text: 'Photo from the 1-star review of Merino Half-Zip Pullover (photo 1)',
    });
    expect(block(card.blocks, REVIEW.block.related).text.text).toBe(
      `*Customer's other cases*\n• <https://acme-store.slack.com/archives/${CHANNELS.email}/p${ticketTs.replace('.', '')}|TL-${ticketId}> ticket · New · Where is my order?`,
    );
    expect(block(card.blocks, `${REVIEW.block.actions}.${caseId}`).elements.map((e: any) => [e.action_id, e.text.text])).toEqual([
      [REVIEW.action.draft, 'Draft response'],
      [REVIEW.action.checklist, 'Internal checklist'],
    ]);

    const stored = await reviewRow('judgeme', '381944217');
    expect(stored).toMatchObject({
      rating: 1,
      title: 'Zip broke on day two',
      productTitle: 'Merino Half-Zip Pullover',
      productId: '8641242349791',
      verified: true,
      reviewerEmail: 'priya.natarajan@example.com',
      negative: true,
      problemTags: ['quality'],
      caseId,
      media: [{ type: 'image', url: 'https://judgeme.imgix.net/alpine-knits/1773564066__zip__original.jpg?auto=format' }],
    });
  });

  test('a replayed delivery answers 200 and changes nothing', async () => {
    const callsBefore = h.slack.calls.length;
    const res = await deliver(h.app.url, '/webhooks/judgeme', body, sign.judgeme(body));
    expect(res).toEqual({ status: 200, body: { ok: true, received: 1, duplicates: 1, stale: 0, ignored: null } });
    await h.settle();
    expect(h.slack.calls.length).toBe(callsBefore);
    expect(reviewCards()).toHaveLength(1);
    const inbox = (await listInbox(h.app.database.db, { provider: 'judgeme' })).filter((r) => r.status === 'processed');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ eventType: 'review.created', caseId });
  });

  test('a forged delivery is refused with 401 and nothing is stored', async () => {
    const forged = Buffer.from(body.toString('utf8').replace('"rating": 1', '"rating": 5').replace('381944217', '381944218'));
    const res = await deliver(h.app.url, '/webhooks/judgeme', forged, sign.judgeme(forged, 'not-the-secret'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: 'invalid_signature',
      message: 'JUDGEME-HMAC-SHA256 does not match the body and the configured secret.',
    });
    const missing = await deliver(h.app.url, '/webhooks/judgeme', forged);
    expect(missing.status).toBe(401);
    expect(await h.app.database.db.select().from(reviews).where(eq(reviews.externalId, '381944218'))).toEqual([]);
    expect((await listInbox(h.app.database.db, { provider: 'judgeme' })).map((r) => r.status)).toEqual(['processed']);
  });

  test('an edit of the review moves the same case: the card is re-drawn and the thread says so', async () => {
    const edited = Buffer.from(
      body
        .toString('utf8')
        .replace('"event": "review/created"', '"event": "review/updated"')
        .replace('"rating": 1', '"rating": 2')
        .replace('"updated_at": "2027-03-15T08:41:06+00:00"', '"updated_at": "2027-03-16T10:00:00+00:00"'),
    );
    const res = await deliver(h.app.url, '/webhooks/judgeme', edited, sign.judgeme(edited));
    expect(res.body).toMatchObject({ received: 1, duplicates: 0 });
    await h.settle();
    expect(reviewCards()).toHaveLength(1);
    const card = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === caseId && !m.thread_ts)!;
    expect(block(card.blocks, BLOCK.header).text.text).toBe(`TL-${caseId} · ★★☆☆☆ Zip broke on day two`);
    expect(threadOf(h.slack, REVIEW_CHANNELS.reviews, card.ts).map((m) => m.text)).toEqual([
      ':pencil2: The reviewer edited the review from ★☆☆☆☆ to ★★☆☆☆',
    ]);

    // A version Judge.me produced before that edit, delivered after it: 2xx, said to be stale, changes nothing.
    const older = Buffer.from(
      body
        .toString('utf8')
        .replace('"event": "review/created"', '"event": "review/updated"')
        .replace('"rating": 1', '"rating": 3')
        .replace('"updated_at": "2027-03-15T08:41:06+00:00"', '"updated_at": "2027-03-15T09:00:00+00:00"'),
    );
    const late = await deliver(h.app.url, '/webhooks/judgeme', older, sign.judgeme(older));
    expect(late.body).toMatchObject({ received: 1, duplicates: 0, stale: 1 });
    const [stored] = await h.app.database.db.select().from(reviews).where(eq(reviews.externalId, '381944217'));
    expect(stored?.rating).toBe(2);
  });

  test('Draft response opens the four-part modal; the draft goes to the thread and needs a second person', async () => {
    const card = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === caseId && !m.thread_ts)!;
    await h.click({
      actionId: REVIEW.action.draft,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      value: JSON.stringify({ c: caseId }),
    });
    const open = await h.slack.waitFor(
      () => h.slack.callsOf('views.open').find((c) => c.args.view.callback_id === REVIEW.view.draft),
      10_000,
      'modal',
    );
    const view = open.args.view;
    expect(view.blocks.map((b: any) => b.block_id)).toEqual([
      REVIEW.block.draftReview,
      REVIEW.block.acknowledge,
      REVIEW.block.responseActions,
      REVIEW.block.actionDetail,
      REVIEW.block.officialChannel,
      REVIEW.block.cause,
      REVIEW.block.improvements,
      REVIEW.block.improvementNote,
    ]);
    expect(block(view.blocks, REVIEW.block.acknowledge).element.initial_value).toBe(
      // The reviewer's own account of what went wrong, not a stock sentence.
      'Hi Priya, thank you for telling us. We are sorry about your Merino Half-Zip Pullover. You wrote “Lovely wool, but the zip came off on the second day and the seam is already fraying”: that is not the experience we want you to have.',
    );
    expect(block(view.blocks, REVIEW.block.officialChannel).element.initial_value).toBe('help@acme-linen.example');
    expect(block(view.blocks, REVIEW.block.cause).element.initial_option.value).toBe('quality');

    // An empty acknowledgement is refused beside its field; the modal stays open.
    const values = (ack: string) => ({
      [REVIEW.block.acknowledge]: { value: { type: 'plain_text_input', value: ack } },
      [REVIEW.block.responseActions]: {
        value: { type: 'checkboxes', selected_options: [{ value: 'replacement' }, { value: 'batch_check' }] },
      },
      [REVIEW.block.actionDetail]: { value: { type: 'plain_text_input', value: null } },
      [REVIEW.block.officialChannel]: { value: { type: 'plain_text_input', value: 'help@acme-linen.example' } },
      [REVIEW.block.cause]: { value: { type: 'static_select', selected_option: { value: 'quality' } } },
      [REVIEW.block.improvements]: { value: { type: 'checkboxes', selected_options: [{ value: 'supplier' }] } },
      [REVIEW.block.improvementNote]: { value: { type: 'plain_text_input', value: 'Zips from the March batch <!here>' } },
    });
    const refused = await h.submitView({
      callbackId: REVIEW.view.draft,
      user: PEOPLE.agent,
      privateMetadata: view.private_metadata,
      values: values('  '),
    });
    expect(JSON.parse(refused.text)).toEqual({
      response_action: 'errors',
      errors: { [REVIEW.block.acknowledge]: 'Acknowledge the specific issue the customer had.' },
    });

    const ok = await h.submitView({
      callbackId: REVIEW.view.draft,
      user: PEOPLE.agent,
      privateMetadata: view.private_metadata,
      values: values('Hi Priya, we are sorry the zip on your pullover came off on day two.'),
    });
    expect(ok.status).toBe(200);
    await h.settle();
    const draft = await h.slack.waitFor(
      () => threadOf(h.slack, card.channel, card.ts).find((m) => m.blocks?.some((b) => b.block_id === REVIEW.block.draftBody)),
      10_000,
      'draft in thread',
    );
    expect(block(draft.blocks, REVIEW.block.draftBody).text.text).toBe(
      '>Hi Priya, we are sorry the zip on your pullover came off on day two.\n>\n>We will send you a replacement. We are checking the rest of this batch so it does not happen to anyone else.\n>\n>Please reach us at help@acme-linen.example so we can sort this out with you directly.',
    );
    expect(block(draft.blocks, REVIEW.block.draftFacts).elements[0].text).toBe(
      'Action: Replacement, Batch check · Cause: Quality · To change: Change the supplier · Zips from the March batch &lt;!here&gt;',
    );
    const approve = block(draft.blocks, REVIEW.block.draftActions).elements[0];
    const [response] = await h.app.database.db.select().from(reviewResponses).where(eq(reviewResponses.caseId, caseId));
    expect(response).toMatchObject({
      version: 1,
      status: 'pending',
      causeTag: 'quality',
      improvements: ['supplier'],
      draftedBy: PEOPLE.agent,
    });
    expect(approve.value).toBe(JSON.stringify({ c: caseId, d: response!.id }));

    // The author cannot approve their own draft.
    await h.click({
      actionId: REVIEW.action.approve,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: draft.ts,
      value: approve.value,
    });
    const notice = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.path.endsWith(`${PEOPLE.agent}-${REVIEW.action.approve}`)),
      10_000,
      'notice',
    );
    expect(notice.body.text).toBe('A second person must approve a response: ask someone else on the team.');

    await h.click({
      actionId: REVIEW.action.approve,
      user: PEOPLE.agent2,
      channel: card.channel,
      messageTs: draft.ts,
      value: approve.value,
    });
    await h.settle();
    const entry = await h.slack.waitFor(
      () => threadOf(h.slack, card.channel, card.ts).find((m) => m.text?.includes('approved draft response')),
      10_000,
      'approval entry',
    );
    expect(entry.text).toBe(`:white_check_mark: <@${PEOPLE.agent2}> approved draft response v1 by <@${PEOPLE.agent}>`);
    // The card update follows the thread entry in the case's order.
    const updated = await h.slack.waitFor(() => {
      const m = h.slack.messages.find((x) => x.ts === card.ts)!;
      return block(m.blocks, REVIEW.block.response).elements[0].text.startsWith(':white_check_mark:') ? m : null;
    });
    expect(block(updated.blocks, REVIEW.block.response).elements[0].text).toBe(
      `:white_check_mark: *Response v1* by <@${PEOPLE.agent}> approved by <@${PEOPLE.agent2}> · Replacement, Batch check · cause: Quality`,
    );
    const [c] = await h.app.database.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c!.tags).toEqual(['quality']);
    const actions = (await h.app.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId))).map((e) => [
      e.actor,
      e.action,
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        [PEOPLE.agent, 'response_drafted'],
        [PEOPLE.agent, 'denied'],
        [PEOPLE.agent2, 'response_approved'],
      ]),
    );
  });

  test('the internal checklist is kept on the case and shown on the card', async () => {
    const card = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === caseId && !m.thread_ts)!;
    await h.click({
      actionId: REVIEW.action.checklist,
      user: PEOPLE.agent2,
      channel: card.channel,
      messageTs: card.ts,
      value: JSON.stringify({ c: caseId }),
    });
    const open = await h.slack.waitFor(
      () => h.slack.callsOf('views.open').find((c) => c.args.view.callback_id === REVIEW.view.checklist),
      10_000,
      'modal',
    );
    // The country comes from the order Trustloop matched.
    expect(block(open.args.view.blocks, REVIEW.block.country).element.initial_value).toBe('DE');
    await h.submitView({
      callbackId: REVIEW.view.checklist,
      user: PEOPLE.agent2,
      privateMetadata: open.args.view.private_metadata,
      values: {
        [REVIEW.block.country]: { value: { type: 'plain_text_input', value: 'DE' } },
        [REVIEW.block.shippingMethod]: { value: { type: 'plain_text_input', value: 'DHL Paket' } },
        [REVIEW.block.deliveryPromise]: { value: { type: 'plain_text_input', value: '2–4 business days' } },
        [REVIEW.block.promiseKept]: { value: { type: 'radio_buttons', selected_option: { value: 'kept' } } },
        [REVIEW.block.findings]: {
          value: { type: 'checkboxes', selected_options: [{ value: 'slow_response' }, { value: 'robotic_script' }] },
        },
        [REVIEW.block.note]: { value: { type: 'plain_text_input', value: '' } },
      },
    });
    await h.settle();
    const updated = await h.slack.waitFor(() => {
      const m = h.slack.messages.find((x) => x.ts === card.ts)!;
      return block(m.blocks, REVIEW.block.checklist).elements[0].text.includes('by <@') ? m : null;
    });
    expect(block(updated.blocks, REVIEW.block.checklist).elements[0].text).toBe(
      `:clipboard: *Internal checklist* by <@${PEOPLE.agent2}>: DE · DHL Paket · promised 2–4 business days · Delivery promise kept · findings: Response was slow, Script was robotic`,
    );
    const stored = await reviewRow('judgeme', '381944217');
    expect(stored.checklist).toMatchObject({
      country: 'DE',
      findings: ['slow_response', 'robotic_script'],
      promiseKept: 'kept',
      by: PEOPLE.agent2,
    });
  });
});

describe('which reviews become cases', () => {
  test('a 4★ review whose text reports a problem is a case; a happy 4★ without photos is only stored', async () => {
    const problem = await h.api(
      'POST',
      '/api/v1/reviews',
      generic({ rating: 4, body: 'Love it but the zip broke on day two', external_id: 'g-4-zip' }),
    );
    expect(problem.status).toBe(201);
    expect(problem.body).toMatchObject({
      created: true,
      duplicate: false,
      negative: true,
      ugc_candidate: false,
      case: { kind: 'review', created: true },
    });
    const happy = await h.api(
      'POST',
      '/api/v1/reviews',
      generic({ rating: 4, body: 'Beautiful sweater, fits perfectly.', external_id: 'g-4-happy' }),
    );
    expect(happy.status).toBe(201);
    expect(happy.body).toMatchObject({ created: true, negative: false, ugc_candidate: false, case: null });
    await h.settle();
    const card = reviewCards().find((c) => c.args.metadata.event_payload.case_id === problem.body.case.id)!;
    expect(block(card.args.blocks, REVIEW.block.why).elements[0].text).toBe(
      ':mag: 4★, but the text reports a problem: Quality',
    );
    expect((await reviewRow('generic', 'g-4-happy')).caseId).toBeNull();
    const again = await h.api(
      'POST',
      '/api/v1/reviews',
      generic({ rating: 4, body: 'Beautiful sweater, fits perfectly.', external_id: 'g-4-happy' }),
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, duplicate: true });
  });

  test('a 5★ review from a creator reaches a person in the UGC channel, with the reason, and is not a case', async () => {
    const res = await h.api(
      'POST',
      '/api/v1/reviews',
      generic({
        rating: 5,
        title: 'Obsessed',
        body: 'Softest sweater I own. I am featuring it for my 80k followers on Instagram next week!',
        external_id: 'g-5-creator',
        product: { title: 'Merino Half-Zip Pullover' },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ negative: false, ugc_candidate: false, case: null });
    expect(res.body.lead_reasons).toEqual([{ code: 'kol', label: 'KOL/creator: says 80,000 followers ≥ 10,000' }]);
    await h.settle();
    const row = await reviewRow('generic', 'g-5-creator');
    expect(row.caseId).toBeNull();
    const posts = h.slack.posts(REVIEW_CHANNELS.ugc).filter((m) => m.blocks?.some((b: any) => b.block_id === UGC.block.lead));
    const lead = posts.find((m) => JSON.stringify(m.blocks).includes('Softest sweater I own'));
    expect(lead).toBeDefined();
    expect(block(lead!.blocks!, UGC.block.lead).text.text).toBe(
      ':star2: *This reviewer must reach a person:* KOL/creator: says 80,000 followers ≥ 10,000',
    );
    // Not a case card anywhere: no card in the reviews channel and nothing in the escalation channel.
    expect(reviewCards().filter((c) => JSON.stringify(c.args.blocks).includes('Softest sweater'))).toHaveLength(0);
    expect(h.slack.posts(CHANNELS.escalation).filter((m) => JSON.stringify(m.blocks ?? m.text).includes('Softest sweater'))).toHaveLength(0);
    // A replay posts nothing more.
    await h.api('POST', '/api/v1/reviews', generic({ rating: 5, title: 'Obsessed', body: 'x', external_id: 'g-5-creator' }));
    await h.settle();
    expect(h.slack.posts(REVIEW_CHANNELS.ugc).filter((m) => JSON.stringify(m.blocks).includes('Softest sweater I own'))).toHaveLength(1);
  });

  test('a 1★ review that threatens more than the review arrives escalated, with the reason', async () => {
    const res = await h.api(
      'POST',
      '/api/v1/reviews',
      generic({
        rating: 1,
        title: 'Scam',
        body: 'Never arrived and no answer to four emails. I have reported you to Trading Standards and my solicitor is writing to you.',
        external_id: 'g-1-legal',
      }),
    );
    expect(res.status).toBe(201);
    const caseId = res.body.case.id;
    await h.settle();
    const c = (await h.app.database.db.select().from(cases).where(eq(cases.id, caseId)))[0]!;
    expect(c.escalationReason).toMatch(/^Needs a human: .*Legal threat/);
    expect(c.priority).toBe('urgent');
    expect(h.slack.posts(CHANNELS.escalation).filter((m) => m.metadata?.event_payload?.case_id === caseId)).toHaveLength(1);
  });

  test('malformed bodies get 400 with field paths and are kept for inspection; unknown events are acknowledged', async () => {
    const bad = Buffer.from(JSON.stringify({ event: 'review/created', review: { id: 5, rating: 9, created_at: 'yesterday' } }));
    const res = await deliver(h.app.url, '/webhooks/judgeme', bad, sign.judgeme(bad));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_payload');
    expect(res.body.issues.map((i: any) => i.path)).toEqual(['review.rating', 'review.created_at']);
    const rejected = (await listInbox(h.app.database.db, { provider: 'judgeme' })).find((r) => r.status === 'rejected')!;
    expect(rejected.body).toBe(bad.toString('utf8'));
    expect(rejected.error?.issues?.map((i) => i.path)).toEqual(['review.rating', 'review.created_at']);

    const unknown = Buffer.from(JSON.stringify({ event: 'review/deleted', review: { id: 5 } }));
    const ignored = await deliver(h.app.url, '/webhooks/judgeme', unknown, sign.judgeme(unknown));
    expect(ignored).toEqual({ status: 200, body: { ok: true, received: 0, duplicates: 0, stale: 0, ignored: 'review/deleted' } });
    expect(
      (await listInbox(h.app.database.db, { provider: 'judgeme' })).filter((r) => r.status === 'ignored').map((r) => r.eventType),
    ).toEqual(['review/deleted']);
  });

  test('a stray NUL in a provider’s text is stored as U+FFFD, not refused', async () => {
    const raw = JSON.parse(fixture('providers/judgeme-review-created.json').toString('utf8'));
    raw.review.id = 381944299;
    raw.review.title = 'Bad\u0000zip';
    const nul = Buffer.from(JSON.stringify(raw));
    const res = await deliver(h.app.url, '/webhooks/judgeme', nul, sign.judgeme(nul));
    expect(res.body).toMatchObject({ received: 1, duplicates: 0 });
    expect((await reviewRow('judgeme', '381944299')).title).toBe('Bad\uFFFDzip');
  });

  test('the OpenAPI document describes the review and dispute endpoints', async () => {
    const spec = (await h.api('GET', '/api/v1/openapi.json')).body;
    const deref = (node: { $ref: string }) => spec.components.schemas[node.$ref.replace('#/components/schemas/', '')];
    const reviewBody = deref(spec.paths['/api/v1/reviews'].post.requestBody.content['application/json'].schema);
    expect(reviewBody.required).toEqual(expect.arrayContaining(['external_id', 'rating', 'created_at']));
    const disputeBody = deref(spec.paths['/api/v1/disputes'].post.requestBody.content['application/json'].schema);
    expect(disputeBody.properties.stage.enum).toEqual(['inquiry', 'chargeback', 'pre_arbitration', 'arbitration']);
    expect(Object.keys(spec.paths['/api/v1/disputes'].post.responses)).toEqual(['200', '201', '400', '401', '413', '415']);
  });

  test('a provider whose secret is not configured answers 404 naming the setting', async () => {
    const batch = fixture('providers/trustpilot-batch.json');
    const res = await deliver(h.app.url, '/webhooks/trustpilot?token=anything', batch);
    expect(res).toEqual({
      status: 404,
      body: {
        error: 'provider_not_configured',
        message: 'Trustpilot webhooks are not enabled on this Trustloop: set TRUSTPILOT_WEBHOOK_TOKEN and restart.',
      },
    });
  });

  test('Yotpo (token in the URL) and Okendo (Svix) deliveries become cases; a Yotpo request without the token is refused', async () => {
    const yotpo = fixture('providers/yotpo-review-create.json');
    expect((await deliver(h.app.url, '/webhooks/yotpo', yotpo)).status).toBe(401);
    const y = await deliver(h.app.url, `/webhooks/yotpo?token=${SECRETS.YOTPO_WEBHOOK_TOKEN}`, yotpo);
    expect(y.body).toMatchObject({ received: 1, duplicates: 0 });
    const okendo = fixture('providers/okendo-review-create.json');
    const o = await deliver(h.app.url, '/webhooks/okendo', okendo, sign.okendo(okendo, 'msg_2Zr4bq1', new Date()));
    expect(o.body).toMatchObject({ received: 1, duplicates: 0 });
    await h.settle();
    expect((await reviewRow('yotpo', '412209871')).caseId).not.toBeNull();
    expect((await reviewRow('okendo', '9b1d6f3a-7c2e-4e8b-a5d0-3f6c1b2e9a74')).caseId).not.toBeNull();
  });
});

describe('UGC', () => {
  test('a positive review with a photo is posted to the UGC channel and moves through consent; nothing is usable without it', async () => {
    const res = await h.api(
      'POST',
      '/api/v1/reviews',
      generic({
        external_id: 'g-ugc-1',
        rating: 5,
        title: 'Perfect for autumn',
        body: 'Soft, warm and the colour is exactly as pictured. <!channel> love it',
        product: { title: 'Merino Half-Zip Pullover' },
        verified: true,
        media: [
          { type: 'image', url: 'https://cdn.example.com/reviews/cosy.jpg' },
          { type: 'image', url: 'http://insecure.example.com/x.jpg' },
          { type: 'video', url: 'https://cdn.example.com/reviews/cosy.mp4' },
        ],
        reviewer: { name: 'Ana G.', email: 'ana@example.com' },
      }),
    );
    expect(res.body).toMatchObject({ negative: false, ugc_candidate: true, case: null });
    await h.settle();
    const post = h.slack.posts(REVIEW_CHANNELS.ugc).filter((m) => m.text?.startsWith('UGC candidate'));
    expect(post).toHaveLength(1);
    const msg = post[0]!;
    expect(msg.text).toBe('UGC candidate: 5★ review of Merino Half-Zip Pullover with 3 photos or videos');
    expect(block(msg.blocks, UGC.block.summary).text.text).toBe(
      ':camera_with_flash: *UGC candidate* · ★★★★★ · *Merino Half-Zip Pullover*\n>Perfect for autumn. Soft, warm and the colour is exactly as pictured. &lt;!channel&gt; love it',
    );
    // Only the public https photo becomes an image block; the video is a link.
    expect(msg.blocks!.filter((b) => b.type === 'image').map((b) => b.image_url)).toEqual(['https://cdn.example.com/reviews/cosy.jpg']);
    expect(block(msg.blocks, UGC.block.videos).elements[0].text).toBe(
      '<https://cdn.example.com/reviews/cosy.mp4|▶ video 1> · Ana G. · verified buyer · API · ask at ana@example.com',
    );
    const review = await reviewRow('generic', 'g-ugc-1');
    const value = JSON.stringify({ r: review.id });
    const buttons = (m: typeof msg) => block(m.blocks, `${UGC.block.actions}.${review.id}`).elements.map((e: any) => e.text.text);
    expect(buttons(msg)).toEqual(['Request usage rights', 'Approve for ads / product page', 'Skip']);
    expect(block(msg.blocks, UGC.block.state).elements[0].text).toBe(
      '*Usage rights:* not requested · :red_circle: *Not usable*: nothing is used without the customer’s recorded grant',
    );

    const click = async (actionId: string, user: string = PEOPLE.agent) => {
      const updates = h.slack.callsOf('chat.update').filter((c) => c.args.ts === msg.ts).length;
      await h.click({ actionId, user, channel: REVIEW_CHANNELS.ugc, messageTs: msg.ts, value });
      await h.settle();
      return h.slack.waitFor(
        () => h.slack.callsOf('chat.update').filter((c) => c.args.ts === msg.ts)[updates],
        10_000,
        `update after ${actionId}`,
      );
    };
    // Consent is the customer's answer: it cannot be recorded before permission was asked.
    await h.click({ actionId: UGC.action.granted, user: PEOPLE.agent, channel: REVIEW_CHANNELS.ugc, messageTs: msg.ts, value });
    const early = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.path.endsWith(`${PEOPLE.agent}-${UGC.action.granted}`)),
      10_000,
      'notice',
    );
    expect(early.body.text).toBe('Request usage rights first; consent is recorded as the customer’s answer.');

    let u = await click(UGC.action.approve);
    expect(block(u.args.blocks, UGC.block.state).elements[0].text).toBe(
      `*Usage rights:* not requested · *Approved for:* ads, product page by <@${PEOPLE.agent}> · :red_circle: *Not usable*: nothing is used without the customer’s recorded grant`,
    );
    expect(await listUsableUgc(h.app.database.db)).toEqual([]);
    // Request usage rights opens the modal; with no SMTP set up, the team gets the text to send.
    const opened = h.slack.callsOf('views.open').length;
    await h.click({ actionId: UGC.action.request, user: PEOPLE.agent, channel: REVIEW_CHANNELS.ugc, messageTs: msg.ts, value });
    const modal = (await h.slack.waitFor(() => h.slack.callsOf('views.open')[opened], 10_000, 'request modal')).args.view as any;
    const updates = h.slack.callsOf('chat.update').filter((c) => c.args.ts === msg.ts).length;
    const submitted = await h.submitView({
      callbackId: UGC.view.request,
      user: PEOPLE.agent,
      privateMetadata: modal.private_metadata,
      values: {
        [UGC.block.requestScope]: { [UGC.input]: { type: 'checkboxes', selected_options: [{ value: 'ads' }] } },
        [UGC.block.requestDuration]: { [UGC.input]: { type: 'static_select', selected_option: { value: '12' } } },
        [UGC.block.requestNote]: { [UGC.input]: { type: 'plain_text_input', value: null } },
      },
    });
    // No SMTP and no customer links here: the team gets text asking the customer to reply, and records the answer below.
    const copy = JSON.parse(submitted.text).view;
    expect(copy.callback_id).toBe(UGC.view.copy);
    expect(block(copy.blocks, UGC.block.copyText).element.initial_value).toContain('Please reply to this message with "yes" or "no".');
    await h.settle();
    u = await h.slack.waitFor(() => h.slack.callsOf('chat.update').filter((c) => c.args.ts === msg.ts)[updates], 10_000, 'update after request');
    expect(buttons(u.args as any)).toEqual(['Customer said yes', 'Customer said no', 'Skip']);
    u = await click(UGC.action.granted, PEOPLE.agent2);
    expect(block(u.args.blocks, UGC.block.state).elements[0].text).toMatch(
      new RegExp(
        `^\\*Usage rights:\\* :white_check_mark: granted for product page, ads, until withdrawn \\(<@${PEOPLE.agent2}>, <!date.*\\*Approved for:\\* ads, product page by <@${PEOPLE.agent}> · :large_green_circle: \\*Usable\\* for product page, ads$`,
      ),
    );
    expect((await listUsableUgc(h.app.database.db)).map((r) => r.externalId)).toEqual(['g-ugc-1']);
    u = await click(UGC.action.revoke);
    expect(buttons(u.args as any)).toEqual(['Request usage rights again', 'Skip']);
    expect(await listUsableUgc(h.app.database.db)).toEqual([]);
    // Someone outside the team is refused, privately.
    await h.click({ actionId: UGC.action.skip, user: PEOPLE.outsider, channel: REVIEW_CHANNELS.ugc, messageTs: msg.ts, value });
    const refused = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.path.endsWith(`${PEOPLE.outsider}-${UGC.action.skip}`)),
      10_000,
      'refusal',
    );
    expect(refused.body.text).toMatch(/^Only the support team can skip UGC candidates/);
    expect((await reviewRow('generic', 'g-ugc-1')).ugcConsent).toBe('revoked');
  });
});

describe('quality clusters', () => {
  test('negative reviews and damaged tickets about one product alert the supply-chain channel once per cluster', async () => {
    const product = { title: 'Linen Duvet Cover', sku: 'LDC-KING' };
    // Earlier tests' Merino reviews may have made their own cluster: only this product's posts count here.
    const duvet = () => h.slack.posts(REVIEW_CHANNELS.supplyChain).filter((m) => m.text?.includes('Linen Duvet Cover'));
    const send = (i: number) =>
      h.api(
        'POST',
        '/api/v1/reviews',
        generic({ external_id: `g-cluster-${i}`, rating: 1, body: `Seams split after one wash (${i})`, product }),
      );
    expect((await send(1)).body.negative).toBe(true);
    // A ticket tagged damaged about the same product (an order line named with its variant).
    const t = await h.ingest(
      ticket({
        external_id: 'ZD-cluster',
        subject: 'Duvet cover torn',
        body: 'The duvet cover arrived torn.',
        tags: ['damaged'],
        order: {
          id: '2001',
          amount: '89.00',
          currency: 'EUR',
          items: [{ name: 'Linen Duvet Cover - King / Sand', sku: 'LDC-KING', quantity: 1 }],
        },
      }),
    );
    expect(t.status).toBe(201);
    await h.settle();
    expect(duvet()).toEqual([]);
    // The third report makes the cluster: the review's own ingest raises it.
    expect((await send(2)).body.negative).toBe(true);
    await h.settle();
    const alerts = duvet().filter((m) => !m.thread_ts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toBe('Quality cluster: 3 problem reports about Linen Duvet Cover in 7 days');
    expect(block(alerts[0]!.blocks, 'cluster_header').text.text).toBe('Quality cluster: Linen Duvet Cover');
    const evidence = block(alerts[0]!.blocks, 'cluster_evidence').text.text as string;
    expect(evidence.split('\n')).toHaveLength(3);
    expect(evidence).toContain(`|TL-${t.body.id}> ticket (Damaged item)`);

    // A fourth report joins the same cluster: a reply in the alert's thread, no second alert.
    await send(3);
    await h.app.scheduler.runNow(reviewClusterJob(h.app.deps));
    await h.settle();
    expect(duvet().filter((m) => !m.thread_ts)).toHaveLength(1);
    const followups = h.slack.posts(REVIEW_CHANNELS.supplyChain).filter((m) => m.thread_ts === alerts[0]!.ts);
    expect(followups).toHaveLength(1);
    expect(followups[0]!.text).toBe('1 more report about Linen Duvet Cover');
    // Running the job again finds nothing new.
    const posts = h.slack.posts(REVIEW_CHANNELS.supplyChain).length;
    await h.app.scheduler.runNow(reviewClusterJob(h.app.deps));
    await h.settle();
    expect(h.slack.posts(REVIEW_CHANNELS.supplyChain)).toHaveLength(posts);
  });
});
