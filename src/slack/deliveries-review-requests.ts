import type { WorkspaceConfig } from '../config/workspace';
import { EmailError, type Mailer } from '../services/send/email';
import { claimRequestEmail, recordRequestEmail, releaseRequestEmail, type RequestLinks, requestEmail, requestHandoff } from '../services/review-requests';
import { SendError } from '../services/send/http';
import type { JudgemeReviewRequest } from '../services/send/providers';
import { CannotDeliver, type DeliveryContext, type DeliveryHandlers, SkipDelivery } from './dispatcher';

// Review request e-mails leave through the same outbox as Slack posts, so a crash or an SMTP
// outage delays one and never loses it. The e-mail is written when it is sent, from the stored
// request, so an unsubscribe that came after it was queued stops it here.

export interface RequestDeliveryDeps {
  config: WorkspaceConfig;
  clock: () => Date;
  /** Null when SMTP is not set: requests wait (failed, re-queued later) instead of being lost. */
  mailer: Mailer | null;
  links: RequestLinks | null;
  /** Judge.me's request endpoint (JUDGEME_API_TOKEN and JUDGEME_SHOP_DOMAIN), for review_requests.send_via: judgeme. */
  judgeme?: { request(r: JudgemeReviewRequest): Promise<void> } | null;
}

/** The schedule said the request may go: Judge.me is asked to send it (and its reminders). */
async function handOver(ctx: DeliveryContext, deps: RequestDeliveryDeps, key: { requestId: number; step: number }): Promise<void> {
  if (!deps.judgeme) throw new CannotDeliver('judgeme_not_configured: set JUDGEME_API_TOKEN and JUDGEME_SHOP_DOMAIN');
  const h = await requestHandoff(ctx.db, key);
  if (!h.send) throw new SkipDelivery(`review request not handed over: ${h.reason}`);
  if (h.productIds.length === 0) {
    await recordRequestEmail(ctx.db, { ...key, status: 'failed', at: deps.clock() });
    throw new CannotDeliver('no_product_id: Judge.me asks by Shopify product id, and the order sent none');
  }
  const now = deps.clock();
  if (!(await claimRequestEmail(ctx.db, key))) throw new SkipDelivery('review request is being handed over by another try');
  try {
    await deps.judgeme.request({ reviewerName: h.name, reviewerEmail: h.email, productIds: h.productIds, fulfilledAt: h.deliveredAt, sendOn: now });
  } catch (err) {
    if (err instanceof SendError && err.permanent) {
      await recordRequestEmail(ctx.db, { ...key, status: 'failed', at: now });
      throw new CannotDeliver(`judgeme_refused: ${err.message}`);
    }
    await releaseRequestEmail(ctx.db, key);
    throw err;
  }
  await recordRequestEmail(ctx.db, { ...key, status: 'sent', at: now });
}

export function reviewRequestDeliveryHandlers(deps: RequestDeliveryDeps) {
  return {
    async review_request_email(ctx, { requestId, step }) {
      const key = { requestId, step };
      if (deps.config.review_requests.send_via === 'judgeme') return handOver(ctx, deps, key);
      if (!deps.mailer) throw new CannotDeliver('smtp_not_configured: set SMTP_URL and SMTP_FROM');
      if (!deps.links) throw new CannotDeliver('links_not_configured: set PUBLIC_URL and CUSTOMER_LINK_SECRET (every request carries an unsubscribe link)');
      const mail = await requestEmail(ctx.db, deps.config, key, deps.links);
      if (!mail.send) throw new SkipDelivery(`review request not sent: ${mail.reason}`);
      // Exactly once: only the try holding the claim hands the e-mail to the mail server.
      if (!(await claimRequestEmail(ctx.db, key))) throw new SkipDelivery('review request e-mail is being sent by another try');
      try {
        const sent = await deps.mailer.send({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          headers: mail.headers,
          ...(deps.config.review_requests.from ? { from: deps.config.review_requests.from } : {}),
        });
        await recordRequestEmail(ctx.db, { ...key, status: 'sent', at: deps.clock(), messageId: sent.messageId });
      } catch (err) {
        if (err instanceof EmailError && err.permanent) {
          await recordRequestEmail(ctx.db, { ...key, status: 'failed', at: deps.clock() });
          throw new CannotDeliver(`email_refused: ${err.message}`);
        }
        await releaseRequestEmail(ctx.db, key);
        throw err;
      }
    },
  } satisfies Partial<DeliveryHandlers>;
}
