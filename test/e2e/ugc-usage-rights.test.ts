import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { caseEvents, reviews, ugcConsentRequests } from '../../src/db/schema';
import { UGC, UGC_LIBRARY } from '../../src/slack/ids';
import { block, type Harness, PEOPLE, startHarness } from '../support/harness';
import { REVIEW_CHANNELS, reviewsConfig } from '../support/providers';
import { SmtpDouble } from '../support/smtp-double';

// Usage rights for UGC, end to end: a photo review reaches the UGC channel → Request usage rights
// (a signed Slack click) → the modal (scope, how long, a note) → one e-mail over SMTP with signed,
// expiring grant and decline links → the customer follows the link → the grant is recorded with its
// scope and expiry, audited as the customer's, shown on the post, and `/trustloop ugc` lists the
// item as usable only there and only until it expires. Replays, tampering, superseded and expired
// links change nothing.

let h: Harness;
const smtp = new SmtpDouble();
let now = new Date('2027-05-03T09:00:00Z');
const PUBLIC = 'https://trustloop.example.com';

beforeAll(async () => {
  await smtp.start();
  h = await startHarness({
    config: reviewsConfig(),
    env: { SMTP_URL: smtp.url(), SMTP_FROM: 'Acme Linen <hello@acme-linen.example>', PUBLIC_URL: PUBLIC, CUSTOMER_LINK_SECRET: 'e2e-customer-link-secret-0123456789' },
    clock: () => now,
  });
});
afterAll(async () => {
  await h?.stop();
  await smtp.stop();
});

async function photoReview(externalId: string, email: string | null) {
  const res = await h.api('POST', '/api/v1/reviews', {
    external_id: externalId,
    rating: 5,
    title: 'Perfect for autumn',
    body: 'Soft and warm, exactly as pictured.',
    created_at: '2027-05-01T10:00:00Z',
    product: { title: 'Merino Half-Zip Pullover' },
    verified: true,
    media: [{ type: 'image', url: 'https://cdn.example.com/reviews/cosy.jpg' }],
    reviewer: { name: 'Ana García', ...(email ? { email } : {}) },
  });
  expect(res.body).toMatchObject({ ugc_candidate: true });
  await h.settle();
  const [row] = await h.app.database.db.select().from(reviews).where(and(eq(reviews.provider, 'generic'), eq(reviews.externalId, externalId)));
  const post = h.slack.posts(REVIEW_CHANNELS.ugc).find((m) => m.ts === row!.ugcTs);
  expect(post).toBeDefined();
  return { review: row!, post: post! };
}

/** The newest version of the post (the last chat.update of its ts, else the post). */
function latestPost(ts: string) {
  const updates = h.slack.callsOf('chat.update').filter((c) => c.args.ts === ts);
  return (updates.at(-1)?.args ?? h.slack.posts(REVIEW_CHANNELS.ugc).find((m) => m.ts === ts)) as any;
}
const stateOf = (ts: string): string => block(latestPost(ts).blocks, UGC.block.state).elements[0].text;

async function openRequest(reviewId: number, ts: string, user: string = PEOPLE.agent) {
  const before = h.slack.callsOf('views.open').length;
  const res = await h.click({ actionId: UGC.action.request, user, channel: REVIEW_CHANNELS.ugc, messageTs: ts, value: JSON.stringify({ r: reviewId }) });
  expect(res.status).toBe(200);
  return (await h.slack.waitFor(() => h.slack.callsOf('views.open')[before], 15_000, 'request modal')).args.view as any;
}

function submitRequest(view: any, p: { scope: string[]; months: string; note?: string }, user: string = PEOPLE.agent) {
  return h.submitView({
    callbackId: UGC.view.request,
    user,
    privateMetadata: view.private_metadata,
    values: {
      [UGC.block.requestScope]: { [UGC.input]: { type: 'checkboxes', selected_options: p.scope.map((value) => ({ value })) } },
      [UGC.block.requestDuration]: { [UGC.input]: { type: 'static_select', selected_option: { value: p.months } } },
      [UGC.block.requestNote]: { [UGC.input]: { type: 'plain_text_input', value: p.note ?? null } },
    },
  });
}

/** The grant and decline links in an e-mail, pointed at the running app instead of the public address. */
function linksIn(text: string) {
  const found = [...text.matchAll(new RegExp(`${PUBLIC}(/ugc/[^\\s]+/(grant|decline))`, 'g'))].map((m) => [m[2], m[1]] as const);
  return Object.fromEntries(found) as { grant: string; decline: string };
}
const open = (path: string, method: 'GET' | 'POST' = 'GET') =>
  fetch(`${h.app.url}${path}`, { method, redirect: 'manual' }).then(async (r) => ({ status: r.status, html: await r.text() }));

async function library(user: string) {
  const before = h.slack.responses.filter((r) => r.path.endsWith(`cmd-${user}`)).length;
  await h.command({ text: 'ugc', user });
  return (await h.slack.waitFor(() => h.slack.responses.filter((r) => r.path.endsWith(`cmd-${user}`))[before], 15_000, 'ugc library')).body as any;
}

const grants = (reviewId: number) =>
  h.app.database.db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.action, 'ugc_consent_granted'), eq(caseEvents.actor, 'customer')))
    .then((rows) => rows.filter((e) => (e.data as { reviewId?: number }).reviewId === reviewId));

describe('usage rights for UGC', () => {
  test('request → e-mail with signed links → the customer grants → recorded, audited, on the post, usable only where and while granted', async () => {
    const { review, post } = await photoReview('ugc-rights-1', 'ana@example.com');
    expect(stateOf(post.ts)).toBe('*Usage rights:* not requested · :red_circle: *Not usable*: nothing is used without the customer’s recorded grant');

    const view = await openRequest(review.id, post.ts);
    expect(view.callback_id).toBe(UGC.view.request);
    expect(block(view.blocks, UGC.block.requestFacts).elements[0].text).toMatch(/^Trustloop e-mails Ana García at ana@example.com/);
    // Where and how long are required; a request with nowhere to use it stays in the modal.
    const empty = await submitRequest(view, { scope: [], months: '12' });
    expect(JSON.parse(empty.text)).toEqual({ response_action: 'errors', errors: { [UGC.block.requestScope]: 'Choose where you want to use it.' } });
    expect(smtp.received).toHaveLength(0);

    const ok = await submitRequest(view, { scope: ['product_page', 'social'], months: '12', note: 'Your photo by the lake is lovely <b>really</b>.' });
    expect(ok.status).toBe(200);
    await h.settle();
    await h.slack.waitFor(() => (smtp.received.length > 0 ? true : null), 15_000, 'the e-mail');
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['ana@example.com']);
    expect(mail.subject).toBe('May we show your review of Merino Half-Zip Pullover?');
    expect(mail.text).toContain('May Acme Linen show the photo or video you shared on our product page and on our social media, with your first name, for 12 months from your answer');
    expect(mail.text).toContain('Your photo by the lake is lovely <b>really</b>.');
    expect(mail.text).toContain('These links work until 2 June 2027');
    const links = linksIn(mail.text);
    expect(links.grant).toMatch(/^\/ugc\/\d+\.\d+\.[A-Za-z0-9_-]{22}\/grant$/);
    expect(links.decline).toBe(links.grant.replace(/grant$/, 'decline'));
    expect(stateOf(post.ts)).toMatch(
      new RegExp(`^\\*Usage rights:\\* requested, waiting for the customer for product page, social media, 12 months from the answer · e-mailed to ana@example.com \\(<@${PEOPLE.agent}>, <!date`),
    );
    // Nothing is usable on a request alone.
    expect(block((await library(PEOPLE.agent)).blocks, UGC_LIBRARY.usable).text.text).toMatch(/^\*Usable:\* nothing yet/);

    // A link with its expiry or signature edited is refused; opening the real one records nothing.
    const [, id, exp, sig] = /^\/ugc\/(\d+)\.(\d+)\.([^/]+)\/grant$/.exec(links.grant)!;
    expect((await open(`/ugc/${id}.${Number(exp) + 86_400 * 365}.${sig}/grant`, 'POST')).status).toBe(401);
    expect((await open(`/ugc/${id}.${exp}.${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}/grant`, 'POST')).status).toBe(401);
    const page = await open(links.grant);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<button type="submit">Yes, you may use it</button>');
    expect((await h.app.database.db.select().from(reviews).where(eq(reviews.id, review.id)))[0]!.ugcConsent).toBe('requested');

    now = new Date('2027-05-05T18:00:00Z');
    const granted = await open(links.grant, 'POST');
    expect(granted.status).toBe(200);
    expect(granted.html).toContain('Acme Linen may show your review (product page, social media) until 5 May 2028');
    await h.settle();
    const [row] = await h.app.database.db.select().from(reviews).where(eq(reviews.id, review.id));
    expect(row).toMatchObject({
      ugcConsent: 'granted',
      ugcConsentScope: ['product_page', 'social'],
      ugcConsentExpiresAt: new Date('2028-05-05T18:00:00Z'),
      ugcConsentVia: 'link',
    });
    const [req] = await h.app.database.db.select().from(ugcConsentRequests).where(eq(ugcConsentRequests.reviewId, review.id));
    expect(req).toMatchObject({ status: 'answered', answer: 'granted', answeredAt: now });
    expect(await grants(review.id)).toHaveLength(1);
    expect(stateOf(post.ts)).toMatch(
      /^\*Usage rights:\* :white_check_mark: granted for product page, social media until <!date\^\d+\^.*\(the customer’s link, <!date.* · :large_green_circle: \*Usable\* for product page, social media$/,
    );

    // Replaying the link (a double click, a mail client fetching twice) changes nothing.
    const replay = await open(links.grant, 'POST');
    expect(replay.html).toContain('Your answer was already recorded.');
    expect(await grants(review.id)).toHaveLength(1);

    const lib = await library(PEOPLE.agent);
    expect(block(lib.blocks, UGC_LIBRARY.usable).text.text).toMatch(/Merino Half-Zip Pullover.*\*product page, social media\* until /);

    // A year on the grant has ended by itself: not usable, and the expired answer links record nothing.
    now = new Date('2028-05-06T09:00:00Z');
    const later = await library(PEOPLE.agent);
    expect(block(later.blocks, UGC_LIBRARY.usable).text.text).not.toContain('Merino Half-Zip Pullover');
    expect(block(later.blocks, UGC_LIBRARY.notUsable).elements[0].text).toContain('1 expired');
    expect((await open(links.grant, 'POST')).status).toBe(410);
    expect((await open(links.decline, 'POST')).status).toBe(410);
  });

  test('a new request supersedes the old links; "no" after "yes" withdraws the grant; without an e-mail address the team gets the text to send', async () => {
    now = new Date('2027-06-01T09:00:00Z');
    const { review, post } = await photoReview('ugc-rights-2', 'lea@example.com');
    const sentBefore = smtp.received.length;
    expect((await submitRequest(await openRequest(review.id, post.ts), { scope: ['ads'], months: 'none' })).status).toBe(200);
    await h.settle();
    await h.slack.waitFor(() => (smtp.received.length > sentBefore ? true : null), 15_000, 'first e-mail');
    const first = linksIn(smtp.received.at(-1)!.text);
    const declined = await open(first.decline, 'POST');
    expect(declined.html).toContain('will not use');
    await h.settle();
    expect(stateOf(post.ts)).toMatch(/^\*Usage rights:\* :no_entry_sign: declined \(the customer’s link/);

    // Asked again: the first message's links no longer do anything.
    expect((await submitRequest(await openRequest(review.id, post.ts), { scope: ['ads', 'social'], months: '6' })).status).toBe(200);
    await h.settle();
    await h.slack.waitFor(() => (smtp.received.length > sentBefore + 1 ? true : null), 15_000, 'second e-mail');
    const second = linksIn(smtp.received.at(-1)!.text);
    expect(second.grant).not.toBe(first.grant);
    const stale = await open(first.grant, 'POST');
    expect(stale.status).toBe(410);
    expect(stale.html).toContain('This link was replaced');
    expect((await open(second.grant, 'POST')).html).toContain('may show your review (social media, ads) until 1 December 2027');
    // Changing their mind: the "no" link withdraws the grant.
    expect((await open(second.decline, 'POST')).html).toContain('Withdrawn');
    await h.settle();
    const [row] = await h.app.database.db.select().from(reviews).where(eq(reviews.id, review.id));
    expect(row!.ugcConsent).toBe('revoked');
    const audit = await h.app.database.db.select().from(caseEvents).where(eq(caseEvents.actor, 'customer'));
    expect(audit.filter((e) => (e.data as { reviewId?: number }).reviewId === review.id).map((e) => e.action)).toEqual([
      'ugc_consent_declined',
      'ugc_consent_granted',
      'ugc_consent_revoked',
    ]);
    expect(stateOf(post.ts)).toMatch(/:no_entry_sign: withdrawn .* :red_circle: \*Not usable\*/);

    // No address: nothing is e-mailed; the modal turns into the text with the links, to send by hand.
    const { review: noMail, post: noMailPost } = await photoReview('ugc-rights-3', null);
    const count = smtp.received.length;
    const res = await submitRequest(await openRequest(noMail.id, noMailPost.ts), { scope: ['product_page'], months: '3' });
    const ack = JSON.parse(res.text);
    expect(ack.response_action).toBe('update');
    expect(ack.view.callback_id).toBe(UGC.view.copy);
    const text = block(ack.view.blocks, UGC.block.copyText).element.initial_value as string;
    expect(linksIn(text).grant).toMatch(/^\/ugc\/\d+\./);
    await h.settle();
    expect(smtp.received).toHaveLength(count);
    expect(stateOf(noMailPost.ts)).toContain(`text with the links given to <@${PEOPLE.agent}> to send`);

    // Someone outside the team cannot ask.
    await h.click({ actionId: UGC.action.request, user: PEOPLE.outsider, channel: REVIEW_CHANNELS.ugc, messageTs: post.ts, value: JSON.stringify({ r: review.id }) });
    const refused = await h.slack.waitFor(() => h.slack.responses.find((r) => r.path.endsWith(`${PEOPLE.outsider}-${UGC.action.request}`)), 15_000, 'refusal');
    expect(refused.body.text).toMatch(/^Only the support team can request usage rights/);
  });
});
