import { X509Certificate, verify as verifySignature } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { normalizeDecimal } from './money';
import { paypalReasonText } from './reasons';
import {
  type DisputeEvent,
  type DisputeItem,
  type DisputeMessage,
  type DisputeStage,
  type DisputeState,
  type Headers,
  type ParseResult,
  PayloadError,
  type ProviderAdapter,
  SignatureError,
} from './types';
import { dateString, header, own, parseJson, validate } from './util';

// PayPal disputes: CUSTOMER.DISPUTE.CREATED / UPDATED / RESOLVED.
// PayPal signs `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(raw body) as
// unsigned decimal}` with RSA-SHA256 (PAYPAL-AUTH-ALGO: SHA256withRSA) and sends the base64
// signature in PAYPAL-TRANSMISSION-SIG. We verify offline against certificates configured
// ahead of time: PAYPAL-CERT-URL is only checked to be a paypal.com https URL, never fetched.
// The transmission id and time are part of the signed string, and a transmission time more
// than 5 minutes from now is refused, so a captured delivery cannot be replayed later (each of
// PayPal's retries is a new transmission, signed afresh).
// Idempotency: the webhook event id (WH-…); retries of one event keep it (25 tries over 3 days).

export const PROVIDER = 'paypal';
/** Seconds a transmission time may be from now, either way (as Stripe's and Svix's timestamps). */
export const TOLERANCE_SECONDS = 300;

export interface PaypalConfig {
  /** The webhook's id in the PayPal developer dashboard (PAYPAL_WEBHOOK_ID); it is part of the signed string. */
  webhookId: string;
  /** PEM certificate(s) PayPal signs with; a PEM bundle or a list. Any valid one may match. */
  certificates: string | readonly string[];
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const parsed = new Map<string, X509Certificate>();

/** Parses the configured certificates; throws a plain Error naming the problem (call it at start-up). */
export function loadCertificates(certificates: string | readonly string[]): X509Certificate[] {
  const pems = (typeof certificates === 'string' ? [certificates] : [...certificates]).flatMap((p) => p.match(PEM_CERT) ?? []);
  if (pems.length === 0) throw new Error('no PEM certificate (-----BEGIN CERTIFICATE-----) found in the PayPal certificate setting');
  return pems.map((pem) => {
    let cert = parsed.get(pem);
    if (!cert) {
      cert = new X509Certificate(pem);
      parsed.set(pem, cert);
    }
    return cert;
  });
}

/** A cert URL is acceptable only over https from paypal.com or one of its sub-domains. */
function isPaypalCertUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const host = url.hostname.toLowerCase();
    return url.protocol === 'https:' && (host === 'paypal.com' || host.endsWith('.paypal.com'));
  } catch {
    return false;
  }
}

/** The exact string PayPal signs; exported so tests (and a debugging session) can rebuild it. */
export function signedString(transmissionId: string, transmissionTime: string, webhookId: string, rawBody: Buffer): string {
  // zlib.crc32 returns the unsigned 32-bit value, which is what PayPal's reference code prints.
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(rawBody)}`;
}

export function verify(headers: Headers, rawBody: Buffer, config: PaypalConfig, now: Date): void {
  const transmissionId = header(headers, 'paypal-transmission-id');
  const transmissionTime = header(headers, 'paypal-transmission-time');
  const signature = header(headers, 'paypal-transmission-sig');
  const algorithm = header(headers, 'paypal-auth-algo');
  const certUrl = header(headers, 'paypal-cert-url');
  const missing = [
    ['PAYPAL-TRANSMISSION-ID', transmissionId],
    ['PAYPAL-TRANSMISSION-TIME', transmissionTime],
    ['PAYPAL-TRANSMISSION-SIG', signature],
    ['PAYPAL-AUTH-ALGO', algorithm],
  ]
    .filter(([, v]) => !v)
    .map(([name]) => name);
  if (missing.length > 0 || !transmissionId || !transmissionTime || !signature || !algorithm) {
    throw new SignatureError(PROVIDER, 'missing_header', `Missing PayPal header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
  }
  const sentAt = Date.parse(transmissionTime);
  if (Number.isNaN(sentAt)) {
    throw new SignatureError(PROVIDER, 'malformed_header', 'PAYPAL-TRANSMISSION-TIME is not a date and time.');
  }
  if (Math.abs(now.getTime() - sentAt) > TOLERANCE_SECONDS * 1000) {
    throw new SignatureError(PROVIDER, 'stale', `PAYPAL-TRANSMISSION-TIME is more than ${TOLERANCE_SECONDS} seconds from now.`);
  }
  if (algorithm.toLowerCase() !== 'sha256withrsa') {
    throw new SignatureError(PROVIDER, 'unsupported_algorithm', `PAYPAL-AUTH-ALGO ${algorithm} is not supported; expected SHA256withRSA.`);
  }
  if (certUrl !== undefined && !isPaypalCertUrl(certUrl)) {
    throw new SignatureError(PROVIDER, 'untrusted_certificate', 'PAYPAL-CERT-URL is not an https URL on paypal.com.');
  }
  const webhookId = config.webhookId.trim();
  if (!webhookId) throw new SignatureError(PROVIDER, 'not_configured', 'No PayPal webhook id is configured.');
  let certs: X509Certificate[];
  try {
    certs = loadCertificates(config.certificates);
  } catch (err) {
    throw new SignatureError(PROVIDER, 'not_configured', `The configured PayPal certificate cannot be read: ${(err as Error).message}`);
  }
  const valid = certs.filter((c) => now >= new Date(c.validFrom) && now <= new Date(c.validTo));
  if (valid.length === 0) {
    throw new SignatureError(
      PROVIDER,
      'untrusted_certificate',
      'No configured PayPal certificate is valid at this time; configure the current one.',
    );
  }
  const message = Buffer.from(signedString(transmissionId, transmissionTime, webhookId, rawBody), 'utf8');
  const sig = Buffer.from(signature, 'base64');
  for (const cert of valid) {
    if (verifySignature('sha256', message, cert.publicKey, sig)) return;
  }
  throw new SignatureError(
    PROVIDER,
    'mismatch',
    'PAYPAL-TRANSMISSION-SIG does not match the body, the webhook id and the configured certificate.',
  );
}

const ACTIONS: Record<string, DisputeEvent['action']> = {
  'CUSTOMER.DISPUTE.CREATED': 'created',
  'CUSTOMER.DISPUTE.UPDATED': 'updated',
  'CUSTOMER.DISPUTE.RESOLVED': 'closed',
};

const envelopeSchema = z.object({ id: z.string().min(1), event_type: z.string().min(1) });

const money = z.object({
  currency_code: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
  value: z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a decimal amount such as "3.00"'),
});

export const paypalDisputeSchema = z.object({
  dispute_id: z.string().min(1),
  create_time: dateString.optional(),
  update_time: dateString.optional(),
  reason: z.string().min(1),
  status: z.string().min(1),
  dispute_life_cycle_stage: z.string().min(1),
  dispute_channel: z.string().optional(),
  dispute_amount: money,
  seller_response_due_date: dateString.nullish(),
  disputed_transactions: z
    .array(
      z.object({
        seller_transaction_id: z.string().nullish(),
        buyer_transaction_id: z.string().nullish(),
        invoice_number: z.string().nullish(),
        custom: z.string().nullish(),
        buyer: z.object({ name: z.string().nullish(), email: z.string().nullish() }).nullish(),
        gross_amount: money.nullish(),
        items: z
          .array(
            z.object({
              item_id: z.string().nullish(),
              item_name: z.string().nullish(),
              item_description: z.string().nullish(),
              item_quantity: z.union([z.string(), z.number()]).nullish(),
            }),
          )
          .max(500)
          .nullish(),
      }),
    )
    .optional(),
  messages: z
    .array(z.object({ posted_by: z.string().nullish(), time_posted: dateString.nullish(), content: z.string().nullish() }))
    .max(1_000)
    .nullish(),
  dispute_outcome: z.object({ outcome_code: z.string().min(1), amount_refunded: money.nullish() }).nullish(),
});

export const paypalDisputeEventSchema = z.object({
  id: z.string().min(1),
  event_type: z.string(),
  resource_type: z.string().optional(),
  create_time: dateString.optional(),
  resource: paypalDisputeSchema,
});

const STAGES: Record<string, DisputeStage> = {
  INQUIRY: 'inquiry',
  CHARGEBACK: 'chargeback',
  PRE_ARBITRATION: 'pre_arbitration',
  ARBITRATION: 'arbitration',
};

/** Outcomes from the merchant's side: did the money stay with us? */
const OUTCOMES: Record<string, DisputeState> = {
  RESOLVED_SELLER_FAVOUR: 'won',
  CANCELED_BY_BUYER: 'won',
  DENIED: 'won',
  RESOLVED_BUYER_FAVOUR: 'lost',
  ACCEPTED: 'lost',
  // PayPal paid the buyer from its own funds (seller protection): settled, neither won nor lost.
  RESOLVED_WITH_PAYOUT: 'closed',
  NONE: 'closed',
};

const AUTHORS: Record<string, DisputeMessage['author']> = { BUYER: 'customer', SELLER: 'store', ARBITER: 'provider' };

/** What the buyer disputed, from every disputed transaction's items. */
function itemsOf(d: z.output<typeof paypalDisputeSchema>): DisputeItem[] {
  return (d.disputed_transactions ?? []).flatMap((t) =>
    (t.items ?? []).flatMap((i) => {
      const name = (i.item_name ?? i.item_description ?? i.item_id ?? '').trim();
      if (!name) return [];
      const quantity = Number.parseInt(String(i.item_quantity ?? '1'), 10);
      return [{ name, ...(i.item_id?.trim() ? { sku: i.item_id.trim() } : {}), quantity: Number.isFinite(quantity) && quantity > 0 ? quantity : 1 }];
    }),
  );
}

function messagesOf(d: z.output<typeof paypalDisputeSchema>): DisputeMessage[] {
  return (d.messages ?? []).flatMap((m) =>
    m.content?.trim() ? [{ author: own(AUTHORS, (m.posted_by ?? '').toUpperCase()) ?? 'provider', at: m.time_posted ?? null, body: m.content }] : [],
  );
}

function stateOf(status: string, action: DisputeEvent['action'], outcome: string | undefined): DisputeState {
  if (action === 'closed' || status === 'RESOLVED') return (outcome ? own(OUTCOMES, outcome) : undefined) ?? 'closed';
  switch (status) {
    case 'UNDER_REVIEW':
    case 'WAITING_FOR_BUYER_RESPONSE':
      return 'under_review';
    default:
      // OPEN, WAITING_FOR_SELLER_RESPONSE, OTHER and anything new: a person should look.
      return 'needs_response';
  }
}

export function parse(rawBody: Buffer, _headers: Headers = {}): ParseResult<DisputeEvent> {
  const json = parseJson(PROVIDER, rawBody);
  const envelope = validate(PROVIDER, envelopeSchema, json);
  const action = own(ACTIONS, envelope.event_type);
  if (!action) return { events: [], ignored: { type: envelope.event_type } };
  const event = validate(PROVIDER, paypalDisputeEventSchema, json);
  const d = event.resource;
  const createdAt = d.create_time ?? event.create_time;
  if (!createdAt) {
    throw new PayloadError(PROVIDER, 'Invalid paypal payload: resource.create_time', [
      { path: 'resource.create_time', message: 'is required' },
    ]);
  }
  const currency = d.dispute_amount.currency_code.toUpperCase();
  const tx = d.disputed_transactions?.[0];
  const buyerName = d.disputed_transactions?.map((t) => t.buyer?.name?.trim()).find((n) => n);
  const items = itemsOf(d);
  const messages = messagesOf(d);
  return {
    events: [
      {
        kind: 'dispute',
        provider: PROVIDER,
        eventId: event.id,
        action,
        externalId: d.dispute_id,
        stage: own(STAGES, d.dispute_life_cycle_stage.toUpperCase()) ?? 'chargeback',
        status: d.status,
        state: stateOf(d.status, action, d.dispute_outcome?.outcome_code),
        reasonCode: d.reason,
        reasonText: paypalReasonText(d.reason),
        amount: normalizeDecimal(d.dispute_amount.value, currency),
        currency,
        respondBy: d.seller_response_due_date ?? null,
        ...(tx?.invoice_number ? { orderRef: tx.invoice_number } : {}),
        ...(tx?.seller_transaction_id ? { chargeRef: tx.seller_transaction_id } : {}),
        ...(tx?.buyer?.email ? { customerEmail: tx.buyer.email } : {}),
        ...(buyerName ? { customerName: buyerName } : {}),
        ...(items.length > 0 ? { items } : {}),
        ...(messages.length > 0 ? { messages } : {}),
        ...(d.update_time || event.create_time ? { occurredAt: (d.update_time ?? event.create_time)! } : {}),
        createdAt,
        raw: json,
      },
    ],
  };
}

export const adapter: ProviderAdapter<PaypalConfig, DisputeEvent> = { provider: PROVIDER, kind: 'dispute', verify, parse };
