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
import { contentId, dateString, decodeDigest, header, hmacMatches, idSchema, parseJson, validate } from './util';

// Help Scout webhooks (Manage → Apps → Webhooks): X-HelpScout-Event names the event
// (convo.created, convo.customer.reply.created, convo.agent.reply.created, convo.note.created,
// convo.status, …) and the body is the conversation with its threads. Every delivery is read the
// same way: the case is opened on first sight, each thread is appended once (by its id), and a
// closed conversation resolves the case. X-HelpScout-Signature = base64(HMAC-SHA1(raw body,
// secret key)). Help Scout sends no delivery id: the event, conversation and body hash stand in.

export const PROVIDER = 'helpscout';
export const SIGNATURE_HEADER = 'x-helpscout-signature';

export function verify(headers: Headers, rawBody: Buffer, secrets: Secrets, _now: Date): void {
  const given = header(headers, SIGNATURE_HEADER);
  if (!given) throw new SignatureError(PROVIDER, 'missing_header', 'The X-HelpScout-Signature header is missing.');
  const candidates = given.length === 28 ? [Buffer.from(given, 'base64')] : decodeDigest(given, ['base64']);
  if (hmacMatches({ provider: PROVIDER, secrets, algorithm: 'sha1', messages: [rawBody], given: candidates })) return;
  throw new SignatureError(PROVIDER, 'mismatch', 'X-HelpScout-Signature does not match the body and the webhook secret key.');
}

const text = (max: number) => z.string().max(max).nullish();
const person = z.object({ id: idSchema.nullish(), type: text(50), first: text(200), last: text(200), email: text(320) }).passthrough();

const thread = z.object({
  id: idSchema,
  type: z.string().min(1).max(50),
  body: text(200_000),
  createdBy: person.nullish(),
  createdAt: dateString,
});

export const helpscoutConversationSchema = z.object({
  id: idSchema,
  number: idSchema.nullish(),
  type: text(50),
  status: text(50),
  subject: text(1000),
  createdAt: dateString.nullish(),
  primaryCustomer: person.nullish(),
  customer: person.nullish(),
  threads: z.union([z.array(thread).max(1_000), z.number()]).nullish(),
  _embedded: z.object({ threads: z.array(thread).max(1_000).nullish() }).nullish(),
});

const DIRECTION: Record<string, ConversationMessage['direction']> = {
  customer: 'customer',
  reply: 'agent',
  message: 'agent',
  note: 'note',
};

function nameOf(p: z.infer<typeof person> | null | undefined): string | undefined {
  const n = [p?.first, p?.last]
    .map((x) => x?.trim())
    .filter(Boolean)
    .join(' ');
  return n || undefined;
}

/** Help Scout sends HTML bodies: the card and timeline show the words. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|blockquote|h\d)>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function parse(rawBody: Buffer, headers: Headers = {}): ConversationParse {
  const event = header(headers, 'x-helpscout-event');
  if (!event)
    throw new PayloadError(PROVIDER, 'The X-HelpScout-Event header is missing.', [
      { path: 'headers.x-helpscout-event', message: 'is required' },
    ]);
  if (!event.startsWith('convo.') || event === 'convo.deleted' || event === 'convo.merged')
    return { conversations: [], ignored: { type: event } };
  const json = parseJson(PROVIDER, rawBody);
  const c = validate(PROVIDER, helpscoutConversationSchema, json);
  const threads = c._embedded?.threads ?? (Array.isArray(c.threads) ? c.threads : []);
  const messages: ConversationMessage[] = threads
    .filter((t) => DIRECTION[t.type] && t.body?.trim())
    .map((t) => ({
      id: `thread:${t.id}`,
      // A chat or phone thread is the customer's when a customer wrote it.
      direction: DIRECTION[t.type]!,
      body: htmlToText(t.body!),
      ...(nameOf(t.createdBy) ? { authorName: nameOf(t.createdBy)! } : {}),
      at: t.createdAt,
    }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const who = c.primaryCustomer ?? c.customer;
  const email = who?.email?.trim().toLowerCase();
  const name = nameOf(who);
  const first = messages.find((m) => m.direction === 'customer');
  const latest = messages.at(-1)?.at ?? c.createdAt ?? new Date(0);
  const conversation: ConversationEvent = {
    kind: 'conversation',
    provider: PROVIDER,
    eventId: `${event}:${c.id}:${contentId(rawBody)}`,
    action: event,
    ticketId: c.id,
    source: c.type === 'chat' ? 'live_chat' : c.type === 'phone' ? 'other' : 'email',
    subject: c.subject?.trim() ?? '',
    ...(first ? { description: first.body } : {}),
    customer: { ...(email ? { email } : {}), ...(name ? { name } : {}), ...(who?.id ? { id: `helpscout:${who.id}` } : {}) },
    messages,
    solved: (c.status ?? '').toLowerCase() === 'closed',
    occurredAt: latest,
    raw: json,
  };
  return { conversations: [conversation] };
}
