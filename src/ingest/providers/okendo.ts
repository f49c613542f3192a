import { z } from 'zod';
import {
  type Headers,
  type ParseResult,
  type ProviderAdapter,
  type ReviewEvent,
  type ReviewMedia,
  type Secrets,
  SignatureError,
} from './types';
import { booleanish, compact, contentId, dateString, header, hmacMatches, idSchema, numberish, own, parseJson, validate } from './util';

// Okendo reviews: delivered through Svix. svix-id, svix-timestamp (unix seconds) and
// svix-signature ("v1,<base64>" entries separated by spaces, several during key rotation);
// the signature is HMAC-SHA256 over `${svix-id}.${svix-timestamp}.${raw body}` keyed with the
// base64 part of the whsec_… secret. Timestamps more than 5 minutes from `now` either way are
// refused, as Svix's own library does. We implement the check (rather than call svix's
// Webhook.verify) because that reads the system clock; the tests sign with svix's library.
// Idempotency: svix-id, which Svix keeps across retries of one message.

export const PROVIDER = 'okendo';
export const TOLERANCE_SECONDS = 5 * 60;

function svixHeader(headers: Headers, name: 'id' | 'timestamp' | 'signature'): string | undefined {
  // Standard Webhooks names (webhook-*) are the same scheme under another prefix.
  return header(headers, `svix-${name}`) ?? header(headers, `webhook-${name}`);
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function verify(headers: Headers, rawBody: Buffer, secrets: Secrets, now: Date): void {
  const id = svixHeader(headers, 'id');
  const timestamp = svixHeader(headers, 'timestamp');
  const signature = svixHeader(headers, 'signature');
  const missing = [
    ['svix-id', id],
    ['svix-timestamp', timestamp],
    ['svix-signature', signature],
  ]
    .filter(([, v]) => !v)
    .map(([n]) => n);
  if (missing.length > 0 || !id || !timestamp || !signature) {
    throw new SignatureError(PROVIDER, 'missing_header', `Missing Svix header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError(PROVIDER, 'malformed_header', 'svix-timestamp is not a unix timestamp.');
  const given = signature
    .split(' ')
    .map((entry) => entry.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => Buffer.from(value!, 'base64'));
  if (given.length === 0) throw new SignatureError(PROVIDER, 'malformed_header', 'svix-signature has no v1 signature.');
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), rawBody]);
  const matched = hmacMatches({ provider: PROVIDER, secrets, key: secretKey, messages: [signed], given });
  if (!matched) throw new SignatureError(PROVIDER, 'mismatch', 'svix-signature does not match the body and the configured secret.');
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > TOLERANCE_SECONDS) throw new SignatureError(PROVIDER, 'stale', 'svix-timestamp is more than 5 minutes old.');
  if (age < -TOLERANCE_SECONDS) throw new SignatureError(PROVIDER, 'stale', 'svix-timestamp is more than 5 minutes in the future.');
}

const ACTIONS: Record<string, ReviewEvent['action']> = { 'review.create': 'created', 'review.update': 'updated' };

const mediaSchema = z.object({
  type: z.string().nullish(),
  fullSizeUrl: z.string().nullish(),
  largeUrl: z.string().nullish(),
  thumbnailUrl: z.string().nullish(),
  isHidden: booleanish.nullish(),
});

/** The review resource as Okendo documents it for webhooks and the Merchant REST API. */
export const okendoReviewSchema = z.object({
  reviewId: idSchema,
  subscriberId: z.string().nullish(),
  productId: idSchema.nullish(),
  productName: z.string().nullish(),
  variantId: idSchema.nullish(),
  sku: z.string().nullish(),
  rating: numberish.pipe(z.number().int().min(1).max(5)),
  title: z.string().nullish(),
  body: z.string().nullish(),
  status: z.string().nullish(),
  isRecommended: booleanish.nullish(),
  containsProfanity: booleanish.nullish(),
  media: z.array(mediaSchema).nullish(),
  order: z.object({ orderId: idSchema.nullish(), orderNumber: z.string().nullish() }).nullish(),
  reviewer: z
    .object({
      displayName: z.string().nullish(),
      name: z.string().nullish(),
      email: z.string().nullish(),
      isVerified: booleanish.nullish(),
      verifiedStatus: z.string().nullish(),
    })
    .nullish(),
  languageCode: z.string().nullish(),
  dateCreated: dateString,
});

export const okendoWebhookSchema = z.object({
  topic: z.string().optional(),
  resourceType: z.string().optional(),
  sequenceNumber: numberish.optional(),
  resource: okendoReviewSchema,
});

const envelopeSchema = z.object({
  topic: z.string().optional(),
  type: z.string().optional(),
  eventType: z.string().optional(),
  resourceType: z.string().optional(),
});

/** "review.create", or topic "create" with resourceType "review"; undefined when the body names none. */
function eventName(e: z.output<typeof envelopeSchema>): string | undefined {
  const name = e.topic ?? e.eventType ?? e.type;
  if (!name) return undefined;
  return name.includes('.') || !e.resourceType ? name : `${e.resourceType}.${name}`;
}

type OkendoReview = z.output<typeof okendoReviewSchema>;

function media(r: OkendoReview): ReviewMedia[] {
  const out: ReviewMedia[] = [];
  for (const m of r.media ?? []) {
    if (m.isHidden) continue;
    const type = m.type?.toLowerCase();
    const url = m.fullSizeUrl ?? m.largeUrl ?? m.thumbnailUrl;
    if (url && (type === 'image' || type === 'video')) out.push({ type, url });
  }
  return out;
}

function isVerifiedBuyer(r: OkendoReview): boolean {
  const status = r.reviewer?.verifiedStatus;
  // "Verified Buyer" vs "Verified Reviewer" (email only): only a purchase earns the badge.
  return status ? /buyer/i.test(status) : r.reviewer?.isVerified === true;
}

export function parse(rawBody: Buffer, headers: Headers = {}): ParseResult<ReviewEvent> {
  const json = parseJson(PROVIDER, rawBody);
  const name = eventName(validate(PROVIDER, envelopeSchema, json));
  if (name !== undefined && !own(ACTIONS, name)) return { events: [], ignored: { type: name } };
  const { resource: r } = validate(PROVIDER, okendoWebhookSchema, json);
  // A body that names no topic is read as a new review (each subscription is per topic).
  const action = (name ? own(ACTIONS, name) : undefined) ?? 'created';
  const productId = r.productId?.replace(/^shopify-/, '');
  return {
    events: [
      {
        kind: 'review',
        provider: PROVIDER,
        eventId: svixHeader(headers, 'id') ?? `review.${action}:${r.reviewId}:${contentId(rawBody)}`,
        action,
        externalId: r.reviewId,
        rating: r.rating,
        title: r.title ?? '',
        body: r.body ?? '',
        product: compact({ id: productId, title: r.productName, sku: r.sku }),
        verified: isVerifiedBuyer(r),
        media: media(r),
        reviewer: compact({ name: r.reviewer?.displayName ?? r.reviewer?.name, email: r.reviewer?.email }),
        ...(r.order?.orderId || r.order?.orderNumber ? { orderRef: (r.order.orderId || r.order.orderNumber)! } : {}),
        ...(r.languageCode ? { language: r.languageCode } : {}),
        ...(r.status ? { published: r.status.toLowerCase() === 'approved' } : {}),
        createdAt: r.dateCreated,
        raw: json,
      },
    ],
  };
}

export const adapter: ProviderAdapter<Secrets, ReviewEvent> = { provider: PROVIDER, kind: 'review', verify, parse };
