import { z } from 'zod';
import {
  type ConversationEvent,
  type ConversationMessage,
  type ConversationParse,
  type Headers,
  PayloadError,
  type Secrets,
  SignatureError,
} from './types';
import { dateString, decodeDigest, header, hmacMatches, idSchema, parseJson, validate } from './util';

// Zendesk event webhooks (Admin Center → Apps and integrations → Webhooks, subscribed to ticket
// events): zen:event-type:ticket.created, ticket.comment_added, ticket.status_changed. Every
// event carries the ticket in `detail`, so any of them, in any order, can open the case.
// X-Zendesk-Webhook-Signature = base64(HMAC-SHA256(signing secret, timestamp + raw body)) with
// the timestamp from X-Zendesk-Webhook-Signature-Timestamp. Idempotency: the event's `id`.

export const PROVIDER = 'zendesk';
export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

export function verify(headers: Headers, rawBody: Buffer, secrets: Secrets, _now: Date): void {
  const given = header(headers, SIGNATURE_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (!given || !timestamp) {
    throw new SignatureError(PROVIDER, 'missing_header', 'The X-Zendesk-Webhook-Signature and -Timestamp headers are required.');
  }
  const candidates = decodeDigest(given, ['base64']);
  // Zendesk's page states timestamp + body, and its Node example signs that way; the worked
  // example on the same page (secret, body, timestamp and signature given) signs body + timestamp.
  // Both are an HMAC under the store's secret, so either order is accepted: no one without the
  // secret can produce one, and a delivery Zendesk signed either way is not refused.
  const stamp = Buffer.from(timestamp, 'utf8');
  const orders = [Buffer.concat([stamp, rawBody]), Buffer.concat([rawBody, stamp])];
  if (hmacMatches({ provider: PROVIDER, secrets, messages: orders, given: candidates })) return;
  throw new SignatureError(PROVIDER, 'mismatch', 'X-Zendesk-Webhook-Signature does not match the body and the webhook signing secret.');
}

const text = (max: number) => z.string().max(max).nullish();

const ticketDetail = z.object({
  id: idSchema,
  subject: text(1000),
  description: text(200_000),
  status: text(50),
  requester_id: idSchema.nullish(),
  tags: z.array(z.string().max(200)).max(500).nullish(),
  via: z.object({ channel: z.union([z.string(), z.number()]).nullish() }).nullish(),
  created_at: dateString.nullish(),
});

const comment = z.object({
  id: idSchema,
  body: z.string().max(200_000),
  is_public: z.boolean().default(true),
  author: z.object({ id: idSchema.nullish(), is_staff: z.boolean().default(false), name: text(500) }),
});

export const zendeskEventSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  time: dateString,
  detail: ticketDetail,
  event: z
    .object({
      comment: comment.nullish(),
      current: z.string().max(50).nullish(),
      previous: z.string().max(50).nullish(),
    })
    .passthrough()
    .nullish(),
});

const SOURCES: Record<string, ConversationEvent['source']> = {
  email: 'email',
  chat: 'live_chat',
  native_messaging: 'live_chat',
  messaging: 'live_chat',
  twitter: 'social_dm',
  facebook: 'social_dm',
  instagram_dm: 'social_dm',
  whatsapp: 'social_dm',
};

const SOLVED = new Set(['solved', 'closed']);
const HANDLED = new Set(['zen:event-type:ticket.created', 'zen:event-type:ticket.comment_added', 'zen:event-type:ticket.status_changed']);

export function parse(rawBody: Buffer, _headers: Headers = {}): ConversationParse {
  const json = parseJson(PROVIDER, rawBody);
  const type =
    typeof json === 'object' && json !== null && typeof (json as { type?: unknown }).type === 'string'
      ? (json as { type: string }).type
      : '';
  if (!type) throw new PayloadError(PROVIDER, 'The event has no type.', [{ path: 'type', message: 'is required' }]);
  if (!HANDLED.has(type)) return { conversations: [], ignored: { type } };
  const e = validate(PROVIDER, zendeskEventSchema, json);
  const d = e.detail;
  const messages: ConversationMessage[] = [];
  const c = e.event?.comment;
  if (type === 'zen:event-type:ticket.comment_added' && c) {
    messages.push({
      id: `comment:${c.id}`,
      direction: c.author.is_staff ? (c.is_public ? 'agent' : 'note') : 'customer',
      body: c.body,
      ...(c.author.name?.trim() ? { authorName: c.author.name.trim() } : {}),
      at: e.time,
    });
  }
  const status = (type === 'zen:event-type:ticket.status_changed' ? e.event?.current : d.status)?.toLowerCase() ?? '';
  const channel = String(d.via?.channel ?? '').toLowerCase();
  return {
    conversations: [
      {
        kind: 'conversation',
        provider: PROVIDER,
        eventId: e.id,
        action: type,
        ticketId: d.id,
        source: SOURCES[channel] ?? (channel.includes('mail') ? 'email' : 'other'),
        subject: d.subject?.trim() ?? '',
        ...(d.description ? { description: d.description } : {}),
        customer: d.requester_id ? { id: `zendesk:${d.requester_id}` } : {},
        messages,
        solved: SOLVED.has(status),
        occurredAt: e.time,
        raw: json,
      },
    ],
  };
}
