import type { WorkspaceConfig } from '../config/workspace';
import { EmailError, type Mailer } from '../services/send/email';
import { recordRequestEmail, type RequestLinks, requestEmail } from '../services/review-requests';
import { CannotDeliver, type DeliveryHandlers, SkipDelivery } from './dispatcher';

// Review request e-mails leave through the same outbox as Slack posts, so a crash or an SMTP
// outage delays one and never loses it. The e-mail is written when it is sent, from the stored
// request, so an unsubscribe that came after it was queued stops it here.

export interface RequestDeliveryDeps {
  config: WorkspaceConfig;
  clock: () => Date;
  /** Null when SMTP is not set: requests wait (failed, re-queued later) instead of being lost. */
  mailer: Mailer | null;
  links: RequestLinks | null;
}

export function reviewRequestDeliveryHandlers(deps: RequestDeliveryDeps) {
  return {
    async review_request_email(ctx, { requestId, step }) {
      const key = { requestId, step };
      if (!deps.mailer) throw new CannotDeliver('smtp_not_configured: set SMTP_URL and SMTP_FROM');
      if (!deps.links) throw new CannotDeliver('links_not_configured: set PUBLIC_URL and CUSTOMER_LINK_SECRET (every request carries an unsubscribe link)');
      const mail = await requestEmail(ctx.db, deps.config, key, deps.links);
      if (!mail.send) throw new SkipDelivery(`review request not sent: ${mail.reason}`);
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
        throw err;
      }
    },
  } satisfies Partial<DeliveryHandlers>;
}
