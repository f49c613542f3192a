import { caseRef } from '../domain/case';
import { CaseNotFound } from '../domain/errors';
import { csatToken, verifyCsatToken } from '../domain/csat-link';
import { recordCsatClick, recordCsatFromApi } from '../services/csat';
import type { Deps } from '../services/deps';
import { findCase } from '../services/lookup';
import escapeHtml from 'escape-html';
import { HttpError, type Route } from './http';
import { csatCreateSchema } from './schemas';

// CSAT: ratings from the store's helpdesk (POST /api/v1/csat) and from the one-click
// link the store puts in its emails (GET /csat/<token>?r=1..5 shows a page to confirm the rating,
// which its form POSTs to the same URL).

const RATINGS = [1, 2, 3, 4, 5] as const;

function page(status: number, title: string, body: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;text-align:center;color:#222}a{display:inline-block;margin:.25rem;padding:.5rem .9rem;border:1px solid #999;border-radius:.4rem;text-decoration:none;color:#222}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return { status, body: html, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } };
}

const ratingOf = (r: string | null): number | null => (r !== null && /^[1-5]$/.test(r) ? Number(r) : null);

const invalidLink = () => page(401, 'This rating link is not valid', '<p>Please use the link from your email as it was sent.</p>');

/** The rating form: posts to the page's own URL, with the rating from the email's link chosen. */
function ratingForm(rating: number | null): string {
  const choices = RATINGS.map(
    (n) => `<label><input type="radio" name="r" value="${n}"${n === rating ? ' checked' : ''} required> ${n}</label>`,
  ).join(' ');
  return `<form method="post"><p>From 1 (poor) to 5 (great):</p><p>${choices}</p><p><button type="submit">Send my rating</button></p></form>`;
}

export function csatRoutes(deps: Deps, secrets: readonly string[] | undefined): Route[] {
  const store = deps.config.store.name;
  const notEnabled = () =>
    new HttpError(404, 'csat_link_not_configured', 'CSAT links are not enabled on this Trustloop: set CSAT_LINK_SECRET and restart.');
  return [
    {
      method: 'POST',
      path: '/api/v1/csat',
      auth: 'ingest',
      json: true,
      async handler(ctx) {
        const input = ctx.json(csatCreateSchema);
        const r = await recordCsatFromApi(deps, input);
        ctx.log.caseId = r.caseId;
        return { status: r.created ? 201 : 200, body: { case_id: r.caseId, rating: r.rating, created: r.created } };
      },
    },
    {
      // The links to put in the customer's email, one per rating.
      method: 'GET',
      path: '/api/v1/tickets/:id/csat-link',
      auth: 'ingest',
      async handler(ctx) {
        if (!secrets) throw notEnabled();
        const id = Number(ctx.params.id!.replace(/^TL-/i, ''));
        const c = Number.isSafeInteger(id) && id > 0 ? await findCase(deps.db, id) : null;
        if (!c) throw new CaseNotFound(ctx.params.id!);
        const path = `/csat/${csatToken(secrets, c.id)}`;
        return { status: 200, body: { case_id: c.id, path, ratings: Object.fromEntries(RATINGS.map((r) => [r, `${path}?r=${r}`])) } };
      },
    },
    {
      // The link opens a page that asks to confirm: email link scanners fetch every link in a
      // message, so a GET records nothing. The rating is recorded by the form's POST.
      method: 'GET',
      path: '/csat/:token',
      auth: 'public',
      async handler(ctx) {
        if (!secrets) throw notEnabled();
        const caseId = verifyCsatToken(secrets, ctx.params.token!);
        if (caseId === null) return invalidLink();
        ctx.log.caseId = caseId;
        const r = ctx.url.searchParams.get('r');
        const rating = ratingOf(r);
        return page(r === null || rating !== null ? 200 : 400, `How did ${store} do?`, ratingForm(rating));
      },
    },
    {
      method: 'POST',
      path: '/csat/:token',
      auth: 'public',
      maxBytes: 1024,
      async handler(ctx) {
        if (!secrets) throw notEnabled();
        const caseId = verifyCsatToken(secrets, ctx.params.token!);
        if (caseId === null) return invalidLink();
        ctx.log.caseId = caseId;
        const rating = ratingOf(new URLSearchParams(ctx.rawBody.toString('utf8')).get('r'));
        if (rating === null) return page(400, `How did ${store} do?`, ratingForm(null));
        try {
          await recordCsatClick(deps, { caseId, rating });
        } catch (err) {
          if (err instanceof CaseNotFound)
            return page(404, 'This conversation is closed', `<p>${escapeHtml(caseRef(caseId))} no longer exists.</p>`);
          throw err;
        }
        return page(
          200,
          'Thank you!',
          `<p>You rated ${escapeHtml(store)} ${rating} out of 5. You can change it with the links in the email.</p>`,
        );
      },
    },
  ];
}
