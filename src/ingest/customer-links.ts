import escapeHtml from 'escape-html';
import { verifyExpiringLinkToken, verifyLinkToken } from '../domain/customer-link';
import { CONSENT_SCOPE_LABELS, CONSENT_SCOPES, type LinkAnswer, LINK_ANSWERS } from '../domain/ugc-consent';
import { type AnswerOutcome, answerUsageRights, requestForLink } from '../services/ugc-consent';
import type { Deps } from '../services/deps';
import { unsubscribeRequest } from '../services/review-requests';
import { HttpError, type Route } from './http';

// Links in e-mails to customers. Unsubscribe is one click: mail clients that honour
// List-Unsubscribe-Post (RFC 8058) POST to the link themselves; a customer who opens it in a
// browser gets a page whose button POSTs. A GET alone changes nothing, because e-mail link
// scanners open every link in a message.

export function page(status: number, title: string, body: string) {
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;text-align:center;color:#222}button{padding:.5rem .9rem;border:1px solid #999;border-radius:.4rem;background:#fff;font-size:1rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return { status, body: html, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } };
}

export function customerLinkRoutes(deps: Deps, secrets: readonly string[] | undefined): Route[] {
  const store = deps.config.store.name;
  const notEnabled = () =>
    new HttpError(404, 'customer_links_not_configured', 'Customer links are not enabled on this Trustloop: set CUSTOMER_LINK_SECRET and restart.');
  const invalid = () => page(401, 'This link is not valid', '<p>Please use the link from your e-mail as it was sent.</p>');
  return [
    {
      method: 'GET',
      path: '/u/:token',
      auth: 'public',
      async handler(ctx) {
        if (!secrets) throw notEnabled();
        if (verifyLinkToken(secrets, 'unsubscribe', ctx.params.token!) === null) return invalid();
        return page(
          200,
          `Review requests from ${store}`,
          `<form method="post"><p>Stop e-mails asking you to review your orders from ${escapeHtml(store)}?</p><p><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></p></form>`,
        );
      },
    },
    {
      method: 'POST',
      path: '/u/:token',
      auth: 'public',
      maxBytes: 1024,
      async handler(ctx) {
        if (!secrets) throw notEnabled();
        const requestId = verifyLinkToken(secrets, 'unsubscribe', ctx.params.token!);
        if (requestId === null) return invalid();
        const r = await unsubscribeRequest(deps, requestId);
        // A request that no longer exists (erased) gets the same answer: there is nothing more to stop.
        ctx.log.requestId = requestId;
        return page(
          200,
          'You are unsubscribed',
          `<p>${escapeHtml(store)} will not ask you for reviews again${r.found && r.stopped > 0 ? ', including the request that was on its way' : ''}.</p>`,
        );
      },
    },
    ...ugcAnswerRoutes(deps, secrets, notEnabled, invalid),
  ];
}

const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const places = (scope: readonly string[]) =>
  CONSENT_SCOPES.filter((s) => scope.includes(s))
    .map((s) => CONSENT_SCOPE_LABELS[s])
    .join(', ');

/**
 * A usage-rights answer: /ugc/<token>/grant or /decline. The GET shows the question and a button
 * (link scanners open every link, so opening one records nothing); the POST records the answer.
 */
function ugcAnswerRoutes(deps: Deps, secrets: readonly string[] | undefined, notEnabled: () => HttpError, invalid: () => ReturnType<typeof page>): Route[] {
  const store = deps.config.store.name;
  const read = (token: string, answer: string) => {
    if (!secrets) throw notEnabled();
    if (!(LINK_ANSWERS as readonly string[]).includes(answer)) return null;
    const check = verifyExpiringLinkToken(secrets, 'ugc_consent', token, deps.clock());
    return check ? { ...check, answer: answer as LinkAnswer } : null;
  };
  const expired = () => page(410, 'This link has expired', `<p>Nothing was recorded. If you would still like to answer, reply to ${escapeHtml(store)}'s message.</p>`);
  const replaced = () => page(410, 'This link was replaced', `<p>${escapeHtml(store)} sent you a newer message about this; please use the links in that one.</p>`);
  const gone = () => page(404, 'Nothing to answer here', '<p>This request no longer exists.</p>');
  return [
    {
      method: 'GET',
      path: '/ugc/:token/:answer',
      auth: 'public',
      async handler(ctx) {
        const link = read(ctx.params.token!, ctx.params.answer!);
        if (!link) return invalid();
        const found = await requestForLink(deps, { requestId: link.id });
        if (!found) return gone();
        if (!found.current) return replaced();
        const req = found.request;
        if (link.expired && !(link.answer === 'decline' && req.answer === 'granted')) return expired();
        const where = escapeHtml(places(req.scope));
        const howLong = req.grantMonths === null ? 'until you tell us to stop' : `for ${req.grantMonths} months, or until you tell us to stop`;
        const body =
          link.answer === 'grant'
            ? `<form method="post"><p>Allow ${escapeHtml(store)} to show the photos, videos and words of your review (${where}), with your first name, ${howLong}?</p><p><button type="submit">Yes, you may use it</button></p></form>`
            : `<form method="post"><p>Tell ${escapeHtml(store)} not to use your review's photos, videos or words (${where})? If you said yes before, this withdraws it.</p><p><button type="submit">No, please don't</button></p></form>`;
        return page(200, `Your review and ${store}`, body);
      },
    },
    {
      method: 'POST',
      path: '/ugc/:token/:answer',
      auth: 'public',
      maxBytes: 1024,
      async handler(ctx) {
        const link = read(ctx.params.token!, ctx.params.answer!);
        if (!link) return invalid();
        ctx.log.requestId = link.id;
        const out = await answerUsageRights(deps, { requestId: link.id, answer: link.answer, linkExpired: link.expired });
        return answerPage(store, out, { expired, replaced, gone });
      },
    },
  ];
}

function answerPage(store: string, out: AnswerOutcome, pages: Record<'expired' | 'replaced' | 'gone', () => ReturnType<typeof page>>) {
  if (out.kind !== 'recorded' && out.kind !== 'unchanged') return out.kind === 'expired' ? pages.expired() : out.kind === 'superseded' ? pages.replaced() : pages.gone();
  const s = escapeHtml(store);
  const again = out.kind === 'unchanged' ? 'Your answer was already recorded. ' : '';
  switch (out.state) {
    case 'granted':
      return page(
        200,
        'Thank you',
        `<p>${again}${s} may show your review (${escapeHtml(places(out.scope))})${out.expiresAt ? ` until ${escapeHtml(day(out.expiresAt))}` : ''}. If you change your mind, the "No" link in the message withdraws it at any time.</p>`,
      );
    case 'declined':
      return page(200, 'Understood', `<p>${again}${s} will not use your review's photos, videos or words.</p>`);
    case 'revoked':
      return page(200, 'Withdrawn', `<p>${again}${s} will stop using your review's photos, videos and words.</p>`);
    default:
      return page(200, 'Nothing changed', `<p>${s} has nothing to record for this link now.</p>`);
  }
}
