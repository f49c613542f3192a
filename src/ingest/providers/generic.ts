import { z } from 'zod';
import { currencySchema } from '../schemas';
import { decimalAmount, normalizeDecimal } from './money';
import { cardReasonText } from './reasons';
import { DISPUTE_STAGES, DISPUTE_STATES, type DisputeEvent, type Headers, type ParseResult, type ReviewEvent } from './types';
import { compact, contentId, parseJson, validate } from './util';

// The generic ingest API for reviews and disputes from systems without a native adapter:
// POST /api/v1/reviews and POST /api/v1/disputes, JSON in snake_case like the ticket API,
// authenticated with the INGEST_TOKEN bearer (no signature of their own). The schemas carry
// .meta({ id }) so the OpenAPI document can be generated from them.
// Idempotency: `event_id` when the sender gives one; otherwise the action, external_id and a
// hash of the validated body, so a resend of the same body repeats the id.

export const PROVIDER = 'generic';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-27T09:30:00Z' });

const eventIdField = text(200)
  .min(1)
  .optional()
  .meta({ description: 'Your id for this delivery; the same id sent twice is stored once. Defaults to a hash of the body.' });

export const reviewCreateSchema = z
  .object({
    external_id: text(200).min(1).meta({ description: 'The review id in the sending system.' }),
    event_id: eventIdField,
    action: z.enum(['created', 'updated']).default('created').meta({ description: 'updated: a new version of a review sent before.' }),
    rating: z.int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').meta({ description: 'Stars, 1 to 5.' }),
    title: text(1000).default(''),
    body: text(200_000).default('').meta({ description: "The reviewer's text." }),
    product: z
      .object({
        id: text(200).optional(),
        handle: text(255).optional(),
        title: text(500).optional(),
        sku: text(100).optional(),
      })
      .default({}),
    verified: z.boolean().default(false).meta({ description: 'The reviewer is a verified buyer.' }),
    media: z
      .array(z.object({ type: z.enum(['image', 'video']), url: z.url('must be a URL').max(2000) }))
      .max(50)
      .default([]),
    reviewer: z
      .object({
        name: text(500).optional(),
        email: z.email('must be an email address').max(320).optional(),
      })
      .default({}),
    order_ref: text(200).optional().meta({ description: 'Order number or id, to match the review to the order and the customer.' }),
    language: text(35).optional().meta({ description: 'BCP 47 language tag, e.g. "en" or "de-AT".' }),
    published: z.boolean().optional(),
    created_at: isoDate.meta({ description: 'When the review was written.' }),
  })
  .meta({ id: 'ReviewCreate' });

export type ReviewCreate = z.output<typeof reviewCreateSchema>;

export const disputeCreateSchema = z
  .object({
    external_id: text(200).min(1).meta({ description: 'The dispute id in the sending system.' }),
    event_id: eventIdField,
    action: z.enum(['created', 'updated', 'closed']).default('created'),
    stage: z.enum(DISPUTE_STAGES),
    state: z.enum(DISPUTE_STATES).meta({ description: 'needs_response, under_review, won, lost or closed.' }),
    status: text(100).optional().meta({ description: "The sending system's own status word; defaults to state." }),
    reason_code: text(100).min(1).meta({ description: 'e.g. product_not_received, fraudulent, duplicate.' }),
    reason_text: text(500).optional().meta({ description: 'The reason in plain words; derived from reason_code when omitted.' }),
    amount: decimalAmount(12, 4, '49.99').meta({
      description: 'Disputed amount in the currency (not minor units), e.g. "49.99" or "1500" for JPY.',
    }),
    currency: currencySchema,
    respond_by: isoDate.nullable().optional().meta({ description: 'Deadline to respond or submit evidence.' }),
    order_ref: text(200).optional(),
    charge_ref: text(200).optional().meta({ description: 'Payment, charge or transaction id.' }),
    customer_email: z.email('must be an email address').max(320).optional(),
    created_at: isoDate.meta({ description: 'When the dispute was opened.' }),
  })
  .meta({ id: 'DisputeCreate' });

export type DisputeCreate = z.output<typeof disputeCreateSchema>;

/** A validated POST /api/v1/reviews body as a ReviewEvent. */
export function reviewEvent(input: ReviewCreate, raw: unknown = input): ReviewEvent {
  return {
    kind: 'review',
    provider: PROVIDER,
    eventId: input.event_id ?? `review.${input.action}:${input.external_id}:${contentId(JSON.stringify(input))}`,
    action: input.action,
    externalId: input.external_id,
    rating: input.rating,
    title: input.title,
    body: input.body,
    product: compact(input.product),
    verified: input.verified,
    media: input.media,
    reviewer: compact(input.reviewer),
    ...(input.order_ref ? { orderRef: input.order_ref } : {}),
    ...(input.language ? { language: input.language } : {}),
    ...(input.published !== undefined ? { published: input.published } : {}),
    createdAt: new Date(input.created_at),
    raw,
  };
}

/** A validated POST /api/v1/disputes body as a DisputeEvent. */
export function disputeEvent(input: DisputeCreate, raw: unknown = input): DisputeEvent {
  return {
    kind: 'dispute',
    provider: PROVIDER,
    eventId: input.event_id ?? `dispute.${input.action}:${input.external_id}:${contentId(JSON.stringify(input))}`,
    action: input.action,
    externalId: input.external_id,
    stage: input.stage,
    status: input.status ?? input.state,
    state: input.state,
    reasonCode: input.reason_code,
    reasonText: input.reason_text ?? cardReasonText(input.reason_code),
    amount: normalizeDecimal(input.amount, input.currency),
    currency: input.currency,
    respondBy: input.respond_by ? new Date(input.respond_by) : null,
    ...(input.order_ref ? { orderRef: input.order_ref } : {}),
    ...(input.charge_ref ? { chargeRef: input.charge_ref } : {}),
    ...(input.customer_email ? { customerEmail: input.customer_email } : {}),
    createdAt: new Date(input.created_at),
    raw,
  };
}

/** Body → events, for callers holding the raw body (the route may also use ctx.json(reviewCreateSchema)). */
export function parseReview(rawBody: Buffer, _headers: Headers = {}): ParseResult<ReviewEvent> {
  const json = parseJson(PROVIDER, rawBody);
  return { events: [reviewEvent(validate(PROVIDER, reviewCreateSchema, json), json)] };
}

export function parseDispute(rawBody: Buffer, _headers: Headers = {}): ParseResult<DisputeEvent> {
  const json = parseJson(PROVIDER, rawBody);
  return { events: [disputeEvent(validate(PROVIDER, disputeCreateSchema, json), json)] };
}
