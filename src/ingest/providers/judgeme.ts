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
import {
  booleanish,
  compact,
  contentId,
  dateString,
  decodeDigest,
  header,
  hmacMatches,
  idSchema,
  numberish,
  own,
  parseJson,
  validate,
} from './util';

// Judge.me: webhooks review/created and review/updated.
// JUDGEME-HMAC-SHA256 = HMAC-SHA256(raw body) keyed with the OAuth app's client secret, or with
// the shop's private API token when the webhook was created with that token (Judge.me's
// "Verifying webhooks" help article). Public integrations compare it as lower-case hex; some
// compare base64. Both encodings of the same MAC are accepted: that costs no security.
// Idempotency: Judge.me sends no delivery id, so the id is the event, the review id and a hash
// of the body: a retry (same bytes) repeats it, a later edit of the review does not.

export const PROVIDER = 'judgeme';
export const SIGNATURE_HEADER = 'judgeme-hmac-sha256';

export function verify(headers: Headers, rawBody: Buffer, secrets: Secrets, _now: Date): void {
  const given = header(headers, SIGNATURE_HEADER);
  if (!given) throw new SignatureError(PROVIDER, 'missing_header', 'The JUDGEME-HMAC-SHA256 header is missing.');
  const candidates = decodeDigest(given, ['hex', 'base64']);
  if (hmacMatches({ provider: PROVIDER, secrets, messages: [rawBody], given: candidates })) return;
  throw new SignatureError(PROVIDER, 'mismatch', 'JUDGEME-HMAC-SHA256 does not match the body and the configured secret.');
}

const ACTIONS: Record<string, ReviewEvent['action']> = { 'review/created': 'created', 'review/updated': 'updated' };

/** Judge.me's `verified` is a word; these mean the reviewer bought the product. */
const BUYER_VERIFICATIONS = new Set(['buyer', 'verified-buyer', 'verified_buyer', 'verified-purchase', 'confirmed-buyer']);

const picture = z.object({
  hidden: booleanish.nullish(),
  urls: z
    .object({
      original: z.string().nullish(),
      huge: z.string().nullish(),
      compact: z.string().nullish(),
      small: z.string().nullish(),
    })
    .nullish(),
});

export const judgemeReviewSchema = z.object({
  id: idSchema,
  title: z.string().nullish(),
  body: z.string().nullish(),
  rating: numberish.pipe(z.number().int().min(1).max(5)),
  product_external_id: idSchema.nullish(),
  product_handle: z.string().nullish(),
  product_title: z.string().nullish(),
  reviewer: z.object({ name: z.string().nullish(), email: z.string().nullish() }).nullish(),
  verified: z.union([z.boolean(), z.string()]).nullish(),
  hidden: booleanish.nullish(),
  published: booleanish.nullish(),
  pictures: z.array(picture).nullish(),
  created_at: dateString,
  updated_at: dateString.nullish(),
});

export const judgemeWebhookSchema = z.object({
  event: z.string().optional(),
  shop_domain: z.string().optional(),
  review: judgemeReviewSchema,
});

const envelopeSchema = z.object({ event: z.string().optional() });

type JudgemeReview = z.output<typeof judgemeReviewSchema>;

function media(r: JudgemeReview): ReviewMedia[] {
  const out: ReviewMedia[] = [];
  for (const p of r.pictures ?? []) {
    if (p.hidden) continue;
    const url = p.urls?.original ?? p.urls?.huge ?? p.urls?.compact ?? p.urls?.small;
    if (url) out.push({ type: 'image', url });
  }
  return out;
}

function isVerifiedBuyer(v: JudgemeReview['verified']): boolean {
  return typeof v === 'boolean' ? v : typeof v === 'string' && BUYER_VERIFICATIONS.has(v.toLowerCase());
}

export function parse(rawBody: Buffer, _headers: Headers = {}): ParseResult<ReviewEvent> {
  const json = parseJson(PROVIDER, rawBody);
  const { event } = validate(PROVIDER, envelopeSchema, json);
  if (event !== undefined && !own(ACTIONS, event)) return { events: [], ignored: { type: event } };
  const { review: r } = validate(PROVIDER, judgemeWebhookSchema, json);
  // Without an event name in the body, an edit shows as updated_at later than created_at.
  const action =
    (event ? own(ACTIONS, event) : undefined) ??
    (r.updated_at && r.updated_at.getTime() - r.created_at.getTime() > 1000 ? 'updated' : 'created');
  return {
    events: [
      {
        kind: 'review',
        provider: PROVIDER,
        eventId: `review/${action}:${r.id}:${contentId(rawBody)}`,
        action,
        externalId: r.id,
        rating: r.rating,
        title: r.title ?? '',
        body: r.body ?? '',
        product: compact({ id: r.product_external_id, handle: r.product_handle, title: r.product_title }),
        verified: isVerifiedBuyer(r.verified),
        media: media(r),
        reviewer: compact({ name: r.reviewer?.name, email: r.reviewer?.email }),
        ...(r.published != null ? { published: r.published } : r.hidden != null ? { published: !r.hidden } : {}),
        occurredAt: r.updated_at ?? r.created_at,
        createdAt: r.created_at,
        raw: json,
      },
    ],
  };
}

export const adapter: ProviderAdapter<Secrets, ReviewEvent> = { provider: PROVIDER, kind: 'review', verify, parse };
