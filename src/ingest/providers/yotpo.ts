import { z } from 'zod';
import type { Headers, ParseResult, ProviderAdapter, ReviewEvent, Secrets } from './types';
import { booleanish, compact, contentId, dateString, idSchema, numberish, own, parseJson, validate, verifyToken } from './util';

// Yotpo: review_create and review_updated, {event, data}. Yotpo signs nothing, so the webhook
// URL registered with Yotpo carries a shared token: https://…/webhooks/yotpo?token=<YOTPO_WEBHOOK_TOKEN>
// (the Basic-auth password form is accepted too).
// Yotpo's documented examples send numbers and booleans both as JSON values and as strings
// ("5", "false") and dates both as ISO and as "2018-02-20 14:12:13 UTC"; all are accepted.
// Idempotency: no delivery id exists, so the id is the event, the review id and a hash of the
// body: a retry repeats it, a later update (publish, escalation) does not.

export const PROVIDER = 'yotpo';

export function verify(headers: Headers, _rawBody: Buffer, tokens: Secrets, _now: Date, url?: URL | string): void {
  verifyToken(PROVIDER, headers, url, tokens);
}

const ACTIONS: Record<string, ReviewEvent['action']> = { review_create: 'created', review_updated: 'updated' };

const envelopeSchema = z.object({ event: z.string().min(1) });

const optionalId = z.union([idSchema, z.literal('')]).nullish();

export const yotpoReviewSchema = z.object({
  id: idSchema,
  title: z.string().nullish(),
  content: z.string().nullish(),
  score: numberish.pipe(z.number().int().min(1).max(5)),
  reviewer_display_name: z.string().nullish(),
  customer_email: z.string().nullish(),
  verified_buyer: booleanish.nullish(),
  user_type: z.string().nullish(),
  deleted: booleanish.nullish(),
  archived: booleanish.nullish(),
  escalated: booleanish.nullish(),
  sentiment: z.union([z.string(), z.number()]).nullish(),
  language: z.string().nullish(),
  order_id: optionalId,
  external_order_id: optionalId,
  order: z.object({ id: optionalId, external_id: optionalId }).nullish(),
  external_product_id: optionalId,
  product_id: optionalId,
  product_title: z.string().nullish(),
  sku: z.string().nullish(),
  created_at: dateString,
  updated_at: dateString.nullish(),
});

export const yotpoWebhookSchema = z.object({ event: z.string(), data: yotpoReviewSchema });

export function parse(rawBody: Buffer, _headers: Headers = {}): ParseResult<ReviewEvent> {
  const json = parseJson(PROVIDER, rawBody);
  const { event } = validate(PROVIDER, envelopeSchema, json);
  const action = own(ACTIONS, event);
  if (!action) return { events: [], ignored: { type: event } };
  const { data: r } = validate(PROVIDER, yotpoWebhookSchema, json);
  // The store's own order id first: Yotpo's order_id is Yotpo's internal number.
  const orderRef = r.external_order_id || r.order?.external_id || r.order_id || r.order?.id;
  const published = r.deleted || r.archived ? false : undefined;
  return {
    events: [
      {
        kind: 'review',
        provider: PROVIDER,
        eventId: `${event}:${r.id}:${contentId(rawBody)}`,
        action,
        externalId: r.id,
        rating: r.score,
        title: r.title ?? '',
        body: r.content ?? '',
        product: compact({ id: r.external_product_id || r.product_id || undefined, title: r.product_title, sku: r.sku }),
        verified: r.verified_buyer ?? r.user_type?.toLowerCase() === 'verifiedbuyer',
        media: [],
        reviewer: compact({ name: r.reviewer_display_name, email: r.customer_email }),
        ...(orderRef ? { orderRef } : {}),
        ...(r.language ? { language: r.language } : {}),
        ...(published !== undefined ? { published } : {}),
        occurredAt: r.updated_at ?? r.created_at,
        createdAt: r.created_at,
        raw: json,
      },
    ],
  };
}

export const adapter: ProviderAdapter<Secrets, ReviewEvent> = { provider: PROVIDER, kind: 'review', verify, parse };
