import type { Env } from '../../config/env';
import { CHANNEL_LABELS, CHANNEL_SETTINGS, type SendChannel } from '../../domain/reply/channels';
import { EmailError, type Mailer } from './email';
import { SendError } from './http';
import {
  gorgiasSender,
  helpScoutSender,
  judgemeSender,
  type OutboundReply,
  type Sender,
  trustpilotSender,
  yotpoSender,
  zendeskSender,
} from './providers';

// Where a reply goes: back through the channel the case came from. A helpdesk ticket is answered
// in the helpdesk, a review on its platform, everything else by e-mail. A channel whose
// credentials are not set is not available: the draft then offers copy-ready text instead of Send.

export { CHANNEL_LABELS, CHANNEL_SETTINGS, SEND_CHANNELS, type SendChannel } from '../../domain/reply/channels';

const HELPDESK_SOURCES: Record<string, SendChannel> = { zendesk: 'zendesk', helpscout: 'helpscout', help_scout: 'helpscout', gorgias: 'gorgias' };
const REVIEW_PROVIDERS: Record<string, SendChannel> = { judgeme: 'judgeme', yotpo: 'yotpo', okendo: 'okendo', trustpilot: 'trustpilot' };

export interface ReplyRoute {
  channel: SendChannel;
  /** The ticket, conversation or review id, or the e-mail address. */
  target: string;
}

/** The channel a case is answered on, or null when there is nowhere to send it (no address, no ticket). */
export function routeFor(
  c: { kind: string; source: string; externalId: string; customerEmail: string | null },
  review: { provider: string; externalId: string; reviewerEmail: string | null } | null,
): ReplyRoute | null {
  if (c.kind === 'review' && review) {
    const platform = REVIEW_PROVIDERS[review.provider];
    if (platform) return { channel: platform, target: review.externalId };
    const email = review.reviewerEmail ?? c.customerEmail;
    return email ? { channel: 'email', target: email } : null;
  }
  const helpdesk = HELPDESK_SOURCES[c.source];
  if (helpdesk) return { channel: helpdesk, target: c.externalId };
  return c.customerEmail ? { channel: 'email', target: c.customerEmail } : null;
}

export interface Senders {
  available(channel: SendChannel): boolean;
  send(channel: SendChannel, reply: OutboundReply): Promise<{ externalId: string | null }>;
  close(): void;
}

/** A send that did not happen: permanent (someone must fix a setting or the address) or worth a retry. */
export interface SendFailure {
  message: string;
  permanent: boolean;
}

export function failureOf(err: unknown): SendFailure {
  if (err instanceof SendError || err instanceof EmailError) return { message: err.message, permanent: err.permanent };
  return { message: (err as Error).message ?? String(err), permanent: false };
}

export function createSenders(channels: Partial<Record<SendChannel, Sender>>): Senders {
  return {
    available: (channel) => channels[channel] !== undefined,
    async send(channel, reply) {
      const sender = channels[channel];
      if (!sender) throw new SendError(`${CHANNEL_LABELS[channel]} is not set up (set ${CHANNEL_SETTINGS[channel]})`, true);
      return sender.send(reply);
    },
    close() {
      for (const s of Object.values(channels)) (s as Partial<{ close(): void }>).close?.();
    },
  };
}

/**
 * An e-mail sender over the store's one SMTP transport. The transport is not its to close: review
 * requests and usage-rights requests send through the same one, and the app closes it once.
 */
export function emailSender(mailer: Mailer): Sender {
  return {
    async send(r) {
      const sent = await mailer.send({ to: r.target, subject: r.subject, text: r.text, messageId: r.messageId });
      return { externalId: sent.messageId };
    },
  };
}

/** The senders whose credentials are set; e-mail goes through the app's shared transport (null: SMTP is off). */
export function sendersFromEnv(env: Env, mailer: Mailer | null): Senders {
  const all: Partial<Record<SendChannel, Sender>> = {};
  if (mailer) all.email = emailSender(mailer);
  if (env.ZENDESK_SUBDOMAIN && env.ZENDESK_EMAIL && env.ZENDESK_API_TOKEN)
    all.zendesk = zendeskSender({ subdomain: env.ZENDESK_SUBDOMAIN, email: env.ZENDESK_EMAIL, apiToken: env.ZENDESK_API_TOKEN });
  if (env.HELPSCOUT_APP_ID && env.HELPSCOUT_APP_SECRET) all.helpscout = helpScoutSender({ appId: env.HELPSCOUT_APP_ID, appSecret: env.HELPSCOUT_APP_SECRET });
  if (env.GORGIAS_DOMAIN && env.GORGIAS_EMAIL && env.GORGIAS_API_KEY)
    all.gorgias = gorgiasSender({ domain: env.GORGIAS_DOMAIN, email: env.GORGIAS_EMAIL, apiKey: env.GORGIAS_API_KEY });
  if (env.JUDGEME_API_TOKEN && env.JUDGEME_SHOP_DOMAIN) all.judgeme = judgemeSender({ apiToken: env.JUDGEME_API_TOKEN, shopDomain: env.JUDGEME_SHOP_DOMAIN, ...(env.JUDGEME_API_URL ? { baseUrl: env.JUDGEME_API_URL } : {}) });
  if (env.YOTPO_APP_KEY && env.YOTPO_SECRET_KEY) all.yotpo = yotpoSender({ appKey: env.YOTPO_APP_KEY, secretKey: env.YOTPO_SECRET_KEY });
  if (env.TRUSTPILOT_ACCESS_TOKEN && env.TRUSTPILOT_BUSINESS_USER_ID)
    all.trustpilot = trustpilotSender({ accessToken: env.TRUSTPILOT_ACCESS_TOKEN, businessUserId: env.TRUSTPILOT_BUSINESS_USER_ID });
  return createSenders(all);
}

export type { OutboundReply, Sender } from './providers';
