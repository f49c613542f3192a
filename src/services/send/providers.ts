import { basic, callProvider, SendError } from './http';

// Senders for the helpdesks and review platforms, each written against the provider's documented
// API: a public comment on a Zendesk ticket, a reply in a Help Scout conversation, a message on a
// Gorgias ticket, and the public reply to a review on Judge.me, Yotpo and Trustpilot. Okendo has
// no sender: its Merchant REST API (api.okendo.io/enterprise) documents reading reviews, groups,
// loyalty and webhooks, but no way to post a reply, so an Okendo review gets copy-ready text.
// Each takes its own credentials (settings) and an API base URL (the provider's by default).

export interface OutboundReply {
  /** The exact text, as shown in Slack. */
  text: string;
  /** The ticket, conversation or review id on the provider; the address for e-mail. */
  target: string;
  subject: string;
  customerEmail: string | null;
  /** The same on every retry of one reply (e-mail Message-ID). */
  messageId: string;
}

export interface Sender {
  send(reply: OutboundReply): Promise<{ externalId: string | null }>;
}

const idOf = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
const pick = (body: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), body);

export interface ZendeskSettings {
  subdomain: string;
  email: string;
  apiToken: string;
  baseUrl?: string;
}

/** Zendesk Support API: PUT /api/v2/tickets/{id}.json with a public comment; API token auth as "{email}/token". */
export function zendeskSender(s: ZendeskSettings): Sender {
  const base = s.baseUrl ?? `https://${s.subdomain}.zendesk.com`;
  return {
    async send(r) {
      const res = await callProvider('Zendesk', {
        method: 'PUT',
        url: `${base}/api/v2/tickets/${encodeURIComponent(r.target)}.json`,
        headers: { authorization: basic(`${s.email}/token`, s.apiToken) },
        json: { ticket: { comment: { body: r.text, public: true } } },
      });
      return { externalId: idOf(pick(res.body, 'audit', 'id')) };
    },
  };
}

export interface HelpScoutSettings {
  appId: string;
  appSecret: string;
  baseUrl?: string;
}

/** Help Scout Mailbox API 2.0: an OAuth client-credentials token, then POST /v2/conversations/{id}/reply. */
export function helpScoutSender(s: HelpScoutSettings): Sender {
  const base = s.baseUrl ?? 'https://api.helpscout.net';
  let token: { value: string; until: number } | null = null;
  const accessToken = async () => {
    if (token && token.until > Date.now()) return token.value;
    const res = await callProvider('Help Scout', {
      method: 'POST',
      url: `${base}/v2/oauth2/token`,
      form: { grant_type: 'client_credentials', client_id: s.appId, client_secret: s.appSecret },
    });
    const value = pick(res.body, 'access_token');
    if (typeof value !== 'string') throw new SendError('Help Scout gave no access token', true);
    const seconds = Number(pick(res.body, 'expires_in') ?? 7200);
    token = { value, until: Date.now() + Math.max(60, seconds - 60) * 1000 };
    return value;
  };
  return {
    async send(r) {
      if (!r.customerEmail) throw new SendError('Help Scout needs the customer’s e-mail address, and the case has none', true);
      const res = await callProvider('Help Scout', {
        method: 'POST',
        url: `${base}/v2/conversations/${encodeURIComponent(r.target)}/reply`,
        headers: { authorization: `Bearer ${await accessToken()}` },
        json: { customer: { email: r.customerEmail }, text: r.text },
      });
      return { externalId: res.headers.get('resource-id') };
    },
  };
}

export interface GorgiasSettings {
  domain: string;
  email: string;
  apiKey: string;
  baseUrl?: string;
}

/** Gorgias REST API: POST /api/tickets/{id}/messages, an e-mail message from the agent side; Basic auth (email, API key). */
export function gorgiasSender(s: GorgiasSettings): Sender {
  const base = s.baseUrl ?? `https://${s.domain}.gorgias.com`;
  return {
    async send(r) {
      if (!r.customerEmail) throw new SendError('Gorgias needs the customer’s e-mail address, and the case has none', true);
      const res = await callProvider('Gorgias', {
        method: 'POST',
        url: `${base}/api/tickets/${encodeURIComponent(r.target)}/messages`,
        headers: { authorization: basic(s.email, s.apiKey) },
        json: {
          channel: 'email',
          via: 'api',
          from_agent: true,
          subject: r.subject,
          body_text: r.text,
          sender: { email: s.email },
          receiver: { email: r.customerEmail },
          source: { type: 'email', from: { address: s.email }, to: [{ address: r.customerEmail }] },
        },
      });
      return { externalId: idOf(pick(res.body, 'id')) };
    },
  };
}

export interface JudgemeSettings {
  apiToken: string;
  shopDomain: string;
  baseUrl?: string;
}

/** Judge.me API v1: POST /api/v1/replies (a public reply, shown on the widgets), with api_token and shop_domain. */
export function judgemeSender(s: JudgemeSettings): Sender {
  const base = s.baseUrl ?? 'https://judge.me';
  return {
    async send(r) {
      const q = new URLSearchParams({ api_token: s.apiToken, shop_domain: s.shopDomain });
      const res = await callProvider('Judge.me', {
        method: 'POST',
        url: `${base}/api/v1/replies?${q}`,
        json: { review_id: Number.isFinite(Number(r.target)) ? Number(r.target) : r.target, send_reply_email: true, reply: { content: r.text } },
      });
      return { externalId: idOf(pick(res.body, 'reply', 'id')) };
    },
  };
}

export interface YotpoSettings {
  appKey: string;
  secretKey: string;
  baseUrl?: string;
}

/** Yotpo API: a utoken from POST /oauth/token, then POST /reviews/{id}/comments with a public comment. */
export function yotpoSender(s: YotpoSettings): Sender {
  const base = s.baseUrl ?? 'https://api.yotpo.com';
  return {
    async send(r) {
      const auth = await callProvider('Yotpo', {
        method: 'POST',
        url: `${base}/oauth/token`,
        json: { client_id: s.appKey, client_secret: s.secretKey, grant_type: 'client_credentials' },
      });
      const utoken = pick(auth.body, 'access_token');
      if (typeof utoken !== 'string') throw new SendError('Yotpo gave no access token', true);
      const res = await callProvider('Yotpo', {
        method: 'POST',
        url: `${base}/reviews/${encodeURIComponent(r.target)}/comments`,
        json: { utoken, app_key: s.appKey, comment: { content: r.text, public: true } },
      });
      return { externalId: idOf(pick(res.body, 'response', 'comment', 'id')) };
    },
  };
}

export interface TrustpilotSettings {
  accessToken: string;
  businessUserId: string;
  baseUrl?: string;
}

/** Trustpilot Service Reviews API: POST /v1/private/reviews/{reviewId}/reply, as a business user (OAuth access token). */
export function trustpilotSender(s: TrustpilotSettings): Sender {
  const base = s.baseUrl ?? 'https://api.trustpilot.com';
  return {
    async send(r) {
      await callProvider('Trustpilot', {
        method: 'POST',
        url: `${base}/v1/private/reviews/${encodeURIComponent(r.target)}/reply`,
        headers: { authorization: `Bearer ${s.accessToken}` },
        json: { authorBusinessUserId: s.businessUserId, message: r.text },
      });
      return { externalId: null };
    },
  };
}

export interface JudgemeReviewRequest {
  reviewerName: string | null;
  reviewerEmail: string;
  /** Shopify product ids of the delivered products (one request each, as Judge.me takes them). */
  productIds: readonly string[];
  fulfilledAt: Date;
  /** When Judge.me should send it (a day in the past or today: within minutes). */
  sendOn: Date;
}

/** dd/mm/yyyy, the date format Judge.me's request endpoint reads. */
const judgemeDay = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;

/**
 * Judge.me's documented endpoint for scheduling a review request: POST /api/orders/send_manual_review_request
 * with the private api_token, one product per call (by Shopify product id), the fulfilment date and
 * the day to send. Judge.me then e-mails the customer (with its own reminders and unsubscribe).
 * Every key is sent, empty where it does not apply, as its documentation asks.
 */
export function judgemeRequestSender(s: JudgemeSettings): { request(r: JudgemeReviewRequest): Promise<void> } {
  const base = s.baseUrl ?? 'https://judge.me';
  return {
    async request(r) {
      const q = new URLSearchParams({ api_token: s.apiToken, shop_domain: s.shopDomain });
      for (const productId of r.productIds) {
        await callProvider('Judge.me', {
          method: 'POST',
          url: `${base}/api/orders/send_manual_review_request?${q}`,
          json: {
            reviewer_name: r.reviewerName ?? '',
            reviewer_email: r.reviewerEmail,
            shopify_product_id: productId,
            product_handle: '',
            fulfilled_at: judgemeDay(r.fulfilledAt),
            quantity: '',
            processed_at: judgemeDay(r.sendOn),
          },
        });
      }
    },
  };
}
