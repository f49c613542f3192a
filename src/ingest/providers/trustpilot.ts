import { z } from 'zod';
import type { Headers, ParseResult, ProviderAdapter, ReviewEvent, Secrets } from './types';
import { booleanish, compact, contentId, dateString, idSchema, numberish, own, parseJson, validate, verifyToken } from './util';

// Trustpilot: batched {"events":[{eventName, version, eventData}]} deliveries; one request can
// carry several reviews. Trustpilot documents no signature, so the subscription URL carries a
// shared token: https://…/webhooks/trustpilot?token=<TRUSTPILOT_WEBHOOK_TOKEN> (or the same
// token as the Basic auth password in the URL's user-info).
// Service-review payloads carry no customer email (privacy); referenceId is the order
// reference the shop sent with the invitation.
// Idempotency: no delivery id exists, so each event's id is its name, the review id and a
// hash of its eventData: a redelivered batch repeats them, an edited review does not.

export const PROVIDER = 'trustpilot';

export function verify(headers: Headers, _rawBody: Buffer, tokens: Secrets, _now: Date, url?: URL | string): void {
  verifyToken(PROVIDER, headers, url, tokens);
}

const ACTIONS: Record<string, ReviewEvent['action']> = {
  'service-review-created': 'created',
  'service-review-updated': 'updated',
};

const envelopeSchema = z.object({
  events: z.array(z.object({ eventName: z.string().min(1) })),
});

export const trustpilotServiceReviewSchema = z.object({
  id: idSchema,
  language: z.string().nullish(),
  title: z.string().nullish(),
  text: z.string().nullish(),
  referenceId: z.string().nullish(),
  stars: numberish.pipe(z.number().int().min(1).max(5)),
  createdAt: dateString,
  updatedAt: dateString.nullish(),
  isVerified: booleanish.nullish(),
  locationId: z.string().nullish(),
  link: z.string().nullish(),
  consumer: z.object({ id: z.string().nullish(), name: z.string().nullish(), link: z.string().nullish() }).nullish(),
  tags: z.array(z.object({ group: z.string(), value: z.string() })).nullish(),
});

export const trustpilotWebhookSchema = z.object({
  events: z.array(z.object({ eventName: z.string(), version: z.string().optional(), eventData: trustpilotServiceReviewSchema })),
});

export function parse(rawBody: Buffer, _headers: Headers = {}): ParseResult<ReviewEvent> {
  const json = parseJson(PROVIDER, rawBody);
  const envelope = validate(PROVIDER, envelopeSchema, json);
  const rawEvents = (json as { events: { eventData?: unknown }[] }).events;
  const events: ReviewEvent[] = [];
  const ignored = new Set<string>();
  envelope.events.forEach(({ eventName }, i) => {
    const action = own(ACTIONS, eventName);
    if (!action) {
      ignored.add(eventName);
      return;
    }
    const item = rawEvents[i]!;
    const r = validate(PROVIDER, trustpilotServiceReviewSchema, item.eventData, ['events', i, 'eventData']);
    events.push({
      kind: 'review',
      provider: PROVIDER,
      eventId: `${eventName}:${r.id}:${contentId(JSON.stringify(item.eventData))}`,
      action,
      externalId: r.id,
      rating: r.stars,
      title: r.title ?? '',
      body: r.text ?? '',
      // A service review is about the shop, not a product.
      product: {},
      verified: r.isVerified ?? false,
      media: [],
      reviewer: compact({ name: r.consumer?.name }),
      ...(r.referenceId ? { orderRef: r.referenceId } : {}),
      ...(r.language ? { language: r.language } : {}),
      occurredAt: r.updatedAt ?? r.createdAt,
      createdAt: r.createdAt,
      raw: item,
    });
  });
  return { events, ...(ignored.size > 0 ? { ignored: { type: [...ignored].join(', ') } } : {}) };
}

export const adapter: ProviderAdapter<Secrets, ReviewEvent> = { provider: PROVIDER, kind: 'review', verify, parse };
