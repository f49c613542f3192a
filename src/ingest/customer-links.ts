import escapeHtml from 'escape-html';
import { verifyLinkToken } from '../domain/customer-link';
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
  ];
}
