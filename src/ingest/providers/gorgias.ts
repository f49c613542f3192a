import { z } from 'zod';
import { type ConversationEvent, type ConversationMessage, type ConversationParse, type Headers, type Secrets } from './types';
import { contentId, dateString, idSchema, parseJson, validate, verifyToken } from './util';

// Gorgias HTTP integrations (Settings → HTTP integration) on the triggers "Ticket created",
// "Ticket updated" and "Ticket message created". Gorgias signs nothing, so the integration's URL
// carries a secret (?token=…, or the Basic auth password), as for Trustpilot and Yotpo. The body
// is the ticket as Gorgias's API shows it ({{ticket}} or the fields below); a message the
// trigger names can come beside it as `message`. Read like Help Scout: open on first sight,
// each message once by its id, a closed ticket resolves the case.

export const PROVIDER = 'gorgias';

export function verify(headers: Headers, _rawBody: Buffer, tokens: Secrets, _now: Date, url?: URL | string): void {
  verifyToken(PROVIDER, headers, url, tokens);
}

const text = (max: number) => z.string().max(max).nullish();

const message = z.object({
  id: idSchema,
  body_text: text(200_000),
  stripped_text: text(200_000),
  from_agent: z.boolean().default(false),
  public: z.boolean().default(true),
  sender: z.object({ name: text(500), email: text(320) }).nullish(),
  created_datetime: dateString,
});

const ticket = z.object({
  id: idSchema,
  subject: text(1000),
  status: text(50),
  channel: text(50),
  customer: z.object({ id: idSchema.nullish(), email: text(320), name: text(500) }).nullish(),
  messages: z.array(message).max(1_000).default([]),
  created_datetime: dateString.nullish(),
  updated_datetime: dateString.nullish(),
});

export const gorgiasPayloadSchema = z.union([z.object({ ticket, message: message.nullish(), event: text(100) }), ticket]);

const SOURCES: Record<string, ConversationEvent['source']> = {
  email: 'email',
  chat: 'live_chat',
  facebook: 'social_dm',
  'facebook-messenger': 'social_dm',
  'instagram-direct-message': 'social_dm',
  'instagram-comment': 'comment',
  'facebook-comment': 'comment',
  sms: 'other',
  phone: 'other',
};

export function parse(rawBody: Buffer, _headers: Headers = {}): ConversationParse {
  const json = parseJson(PROVIDER, rawBody);
  const payload = validate(PROVIDER, gorgiasPayloadSchema, json);
  const t = 'ticket' in payload ? payload.ticket : payload;
  const extra = 'ticket' in payload ? payload.message : null;
  const all = [...t.messages, ...(extra && !t.messages.some((m) => m.id === extra.id) ? [extra] : [])];
  const messages: ConversationMessage[] = all
    .map((m) => ({
      id: `message:${m.id}`,
      direction: (m.from_agent ? (m.public ? 'agent' : 'note') : 'customer') as ConversationMessage['direction'],
      body: (m.stripped_text ?? m.body_text ?? '').trim(),
      ...(m.sender?.name?.trim() ? { authorName: m.sender.name.trim() } : {}),
      at: m.created_datetime,
    }))
    .filter((m) => m.body)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const email = t.customer?.email?.trim().toLowerCase();
  const name = t.customer?.name?.trim();
  const first = messages.find((m) => m.direction === 'customer');
  return {
    conversations: [
      {
        kind: 'conversation',
        provider: PROVIDER,
        eventId: `${('ticket' in payload && payload.event) || 'ticket'}:${t.id}:${contentId(rawBody)}`,
        action: ('ticket' in payload && payload.event) || 'ticket',
        ticketId: t.id,
        source: SOURCES[(t.channel ?? '').toLowerCase()] ?? 'other',
        subject: t.subject?.trim() ?? '',
        ...(first ? { description: first.body } : {}),
        customer: { ...(email ? { email } : {}), ...(name ? { name } : {}), ...(t.customer?.id ? { id: `gorgias:${t.customer.id}` } : {}) },
        messages,
        solved: (t.status ?? '').toLowerCase() === 'closed',
        occurredAt: t.updated_datetime ?? messages.at(-1)?.at ?? t.created_datetime ?? new Date(0),
        raw: json,
      },
    ],
  };
}
