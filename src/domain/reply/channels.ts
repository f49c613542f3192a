// The channels a reply can be sent on, and the events of a reply's life shown in the card's thread:
// each vocabulary defined once, for the senders, the services and the Slack text.

export const SEND_CHANNELS = ['email', 'zendesk', 'helpscout', 'gorgias', 'judgeme', 'yotpo', 'okendo', 'trustpilot'] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

export const CHANNEL_LABELS: Record<SendChannel, string> = {
  email: 'e-mail',
  zendesk: 'Zendesk',
  helpscout: 'Help Scout',
  gorgias: 'Gorgias',
  judgeme: 'Judge.me',
  yotpo: 'Yotpo',
  okendo: 'Okendo',
  trustpilot: 'Trustpilot',
};

/** The settings each channel needs, named where the text is offered for copying instead. */
export const CHANNEL_SETTINGS: Record<SendChannel, string> = {
  email: 'SMTP_URL and SMTP_FROM',
  zendesk: 'ZENDESK_SUBDOMAIN, ZENDESK_EMAIL and ZENDESK_API_TOKEN',
  helpscout: 'HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET',
  gorgias: 'GORGIAS_DOMAIN, GORGIAS_EMAIL and GORGIAS_API_KEY',
  judgeme: 'JUDGEME_API_TOKEN and JUDGEME_SHOP_DOMAIN',
  yotpo: 'YOTPO_APP_KEY and YOTPO_SECRET_KEY',
  okendo: 'no setting (Okendo documents no API to post a reply)',
  trustpilot: 'TRUSTPILOT_ACCESS_TOKEN and TRUSTPILOT_BUSINESS_USER_ID',
};

/**
 * Channels whose platform documents no API to post a reply, whatever is set: Send always offers
 * the text to copy, with where to paste it. Okendo's Merchant REST API lists reviews, review
 * groups, loyalty and webhooks, and nothing that writes a reply.
 */
export const COPY_ONLY_CHANNELS: Partial<Record<SendChannel, string>> = {
  okendo: 'Okendo’s API has no way to post a reply: paste it on the review in Okendo (Reviews → the review → Reply)',
};

/** Thread posts about a reply, rendered at delivery time from the stored draft. */
export const REPLY_EVENTS = ['drafted', 'approved', 'override', 'sent', 'failed', 'copied'] as const;
export type ReplyEvent = (typeof REPLY_EVENTS)[number];
