import { createHmac, sign as rsaSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import Stripe from 'stripe';
import { Webhook } from 'svix';
import { CHANNELS, PEOPLE, testConfig } from './harness';

// Provider deliveries for end-to-end tests: secrets, signing exactly as each provider signs,
// and a sender that posts raw bytes to the running app.

export const SECRETS = {
  STRIPE_WEBHOOK_SECRET: 'whsec_e2e_5c1d7a9b3e8f2a4c6d0b1e3f5a7c9d2e',
  SHOPIFY_WEBHOOK_SECRET: 'shpss_e2e_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  JUDGEME_WEBHOOK_SECRET: 'judgeme-e2e-client-secret-77c1a0',
  OKENDO_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  TRUSTPILOT_WEBHOOK_TOKEN: 'trustpilot-e2e-token-4a8c2e6f0b1d3f5a',
  YOTPO_WEBHOOK_TOKEN: 'yotpo-e2e-token-9b7d5f3a1c2e4f6a8b0d',
  PAYPAL_WEBHOOK_ID: '8PT597110X687430LKGECATA',
  PAYPAL_CERT_FILE: new URL('../fixtures/paypal/TEST-ONLY-signing-cert.pem', import.meta.url).pathname,
} as const;

const PAYPAL_KEY = readFileSync(new URL('../fixtures/paypal/TEST-ONLY-signing-key.pem', import.meta.url), 'utf8');

export const REVIEW_CHANNELS = {
  reviews: 'C0REVIEWS',
  disputes: 'C0DISPUTE',
  ugc: 'C0UGC0001',
  supplyChain: 'C0SUPPLY1',
} as const;

/** The e2e workspace config with the review, dispute, UGC and supply-chain channels and policy pages. */
export function reviewsConfig(extra: Record<string, unknown> = {}) {
  return testConfig({
    channels: {
      default: CHANNELS.support,
      sources: { email: CHANNELS.email, live_chat: CHANNELS.chat },
      escalation: CHANNELS.escalation,
      reviews: REVIEW_CHANNELS.reviews,
      disputes: REVIEW_CHANNELS.disputes,
      ugc: REVIEW_CHANNELS.ugc,
      supply_chain: REVIEW_CHANNELS.supplyChain,
    },
    team: { members: [PEOPLE.agent, PEOPLE.agent2], usergroups: ['S0SUPPORT'], managers: [PEOPLE.manager] },
    reviews: { official_channel: 'help@acme-linen.example' },
    disputes: {
      policy_urls: { refund: 'https://acme-linen.example/policies/refund', shipping: 'https://acme-linen.example/policies/shipping' },
    },
    ...extra,
  });
}

export const sign = {
  judgeme: (body: Buffer, secret: string = SECRETS.JUDGEME_WEBHOOK_SECRET) => ({
    'judgeme-hmac-sha256': createHmac('sha256', secret).update(body).digest('hex'),
  }),
  stripe: (body: Buffer, now: Date, secret: string = SECRETS.STRIPE_WEBHOOK_SECRET) => ({
    'stripe-signature': Stripe.webhooks.generateTestHeaderString({
      payload: body.toString('utf8'),
      secret,
      timestamp: Math.floor(now.getTime() / 1000) - 5,
    }),
  }),
  shopify: (body: Buffer, topic: string, webhookId: string, secret: string = SECRETS.SHOPIFY_WEBHOOK_SECRET) => ({
    'x-shopify-topic': topic,
    'x-shopify-webhook-id': webhookId,
    'x-shopify-shop-domain': 'acme-linen.myshopify.com',
    'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
  }),
  okendo: (body: Buffer, id: string, now: Date, secret: string = SECRETS.OKENDO_WEBHOOK_SECRET) => {
    const timestamp = Math.floor(now.getTime() / 1000);
    return {
      'svix-id': id,
      'svix-timestamp': String(timestamp),
      'svix-signature': new Webhook(secret).sign(id, new Date(timestamp * 1000), body.toString('utf8')),
    };
  },
  paypal: (body: Buffer, transmissionId: string, now: Date, webhookId: string = SECRETS.PAYPAL_WEBHOOK_ID) => {
    const time = new Date(now.getTime() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const message = `${transmissionId}|${time}|${webhookId}|${crc32(body)}`;
    return {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': rsaSign('sha256', Buffer.from(message), PAYPAL_KEY).toString('base64'),
      'paypal-auth-algo': 'SHA256withRSA',
      'paypal-cert-url': 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-ad47cb8d',
    };
  },
};

/** POSTs raw bytes to the app, as a provider would. */
export async function deliver(
  baseUrl: string,
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as any };
}
