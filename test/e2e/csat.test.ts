import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { csatToken } from '../../src/domain/csat-link';
import { csatResponses } from '../../src/db/schema';
import { type Harness, startHarness, ticket } from '../support/harness';

// CSAT through the real app: the ingest API and the one-click link.

const SECRET = 'csat-link-secret-0123456789abcdef';
let h: Harness;
const now = new Date('2026-11-20T10:00:00Z');
beforeAll(async () => {
  h = await startHarness({ env: { CSAT_LINK_SECRET: SECRET }, clock: () => now });
});
afterAll(async () => {
  await h?.stop();
});

const ratingsOf = (caseId: number) =>
  h.app.database.db
    .select({
      rating: csatResponses.rating,
      via: csatResponses.via,
      comment: csatResponses.comment,
      respondedAt: csatResponses.respondedAt,
    })
    .from(csatResponses)
    .where(eq(csatResponses.caseId, caseId));

describe('POST /api/v1/csat', () => {
  test('records a rating by case id, replaces it by source and external id, keeping the comment', async () => {
    const c = (await h.ingest(ticket({ external_id: 'CS-1' }))).body;
    const first = await h.api('POST', '/api/v1/csat', { case_id: c.ref, rating: 2, comment: 'Slow', responded_at: '2026-11-19T08:00:00Z' });
    expect(first).toEqual({ status: 201, body: { case_id: c.id, rating: 2, created: true } });
    const again = await h.api('POST', '/api/v1/csat', { source: 'email', external_id: 'CS-1', rating: 4 });
    expect(again).toEqual({ status: 200, body: { case_id: c.id, rating: 4, created: false } });
    // The new rating has no comment: the earlier one stays.
    expect(await ratingsOf(c.id)).toEqual([{ rating: 4, via: 'api', comment: 'Slow', respondedAt: now }]);
    await h.api('POST', '/api/v1/csat', { case_id: c.ref, rating: 5, comment: 'Sorted after all' });
    expect((await ratingsOf(c.id))[0]!.comment).toBe('Sorted after all');
  });

  test('bad fields get a 400 naming each; an unknown case 404; no token 401', async () => {
    const bad = await h.api('POST', '/api/v1/csat', { case_id: 'abc', rating: 6, comment: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['case_id', 'comment', 'rating']);
    const none = await h.api('POST', '/api/v1/csat', { rating: 3 });
    expect(none.status).toBe(400);
    expect(none.body.issues).toEqual([{ path: 'case_id', message: 'give case_id, or source and external_id' }]);
    expect((await h.api('POST', '/api/v1/csat', { case_id: 999999, rating: 3 })).status).toBe(404);
    expect((await h.api('POST', '/api/v1/csat', { case_id: 1, rating: 3 }, { authorization: 'Bearer wrong' })).status).toBe(401);
  });
});

describe('the one-click rating link', () => {
  test('the API hands out the signed links; a click records, a second click replaces', async () => {
    const c = (await h.ingest(ticket({ external_id: 'CS-2' }))).body;
    const links = await h.api('GET', `/api/v1/tickets/${c.id}/csat-link`);
    const token = csatToken([SECRET], c.id);
    expect(links).toEqual({
      status: 200,
      body: {
        case_id: c.id,
        path: `/csat/${token}`,
        ratings: Object.fromEntries([1, 2, 3, 4, 5].map((r) => [String(r), `/csat/${token}?r=${r}`])),
      },
    });
    // Opening a link (as an email scanner prefetching all five does) records nothing: it asks to confirm.
    for (const r of [1, 2, 3, 4, 5]) expect((await fetch(`${h.app.url}/csat/${token}?r=${r}`)).status).toBe(200);
    expect(await ratingsOf(c.id)).toEqual([]);
    const open = await fetch(`${h.app.url}/csat/${token}?r=5`);
    expect(open.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const form = await open.text();
    expect(form).toContain('<form method="post">');
    expect(form).toContain('<input type="radio" name="r" value="5" checked required> 5');
    expect(form).toContain('<input type="radio" name="r" value="4" required> 4');
    // The form posts to the same URL.
    const post = (r: string) =>
      fetch(`${h.app.url}/csat/${token}?r=5`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: r,
      });
    const sent = await post('r=5');
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('You rated Acme Linen 5 out of 5.');
    expect(await ratingsOf(c.id)).toEqual([{ rating: 5, via: 'link', comment: null, respondedAt: now }]);
    await post('r=3');
    expect((await ratingsOf(c.id)).map((r) => r.rating)).toEqual([3]);
    expect((await post('r=7')).status).toBe(400);
    expect((await ratingsOf(c.id)).map((r) => r.rating)).toEqual([3]);
  });

  test('a link without a rating offers the five; a bad rating 400; a forged or foreign token 401 and records nothing', async () => {
    const c = (await h.ingest(ticket({ external_id: 'CS-3' }))).body;
    const token = csatToken([SECRET], c.id);
    const choose = await fetch(`${h.app.url}/csat/${token}`);
    expect(choose.status).toBe(200);
    expect(await choose.text()).toContain('<input type="radio" name="r" value="1" required> 1');
    expect((await fetch(`${h.app.url}/csat/${token}?r=9`)).status).toBe(400);
    const otherCase = token.replace(/^\d+/, String(c.id + 1000));
    expect((await fetch(`${h.app.url}/csat/${otherCase}?r=1`)).status).toBe(401);
    expect((await fetch(`${h.app.url}/csat/${csatToken(['another-secret-0123456789'], c.id)}?r=1`)).status).toBe(401);
    expect((await fetch(`${h.app.url}/csat/%ZZ?r=1`)).status).toBe(404);
    const forged = await fetch(`${h.app.url}/csat/${otherCase}`, { method: 'POST', body: 'r=1' });
    expect(forged.status).toBe(401);
    expect(await ratingsOf(c.id)).toEqual([]);
  });
});
