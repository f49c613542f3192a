import { z } from 'zod';
import { emailConversation, messageIds } from './email';
import { type ConversationParse, type Headers, type Secrets, SignatureError } from './types';
import { hmacMatches, parseJson, validate } from './util';

// Mailgun inbound routes (Receiving → Create route → forward("https://<trustloop>/webhooks/mailgun")).
// Mailgun posts the parsed message as a form; the route hands this adapter the form's fields as
// JSON. Signature: hex HMAC-SHA256(HTTP webhook signing key, timestamp + token) in `signature`.
// The Message-Id identifies the delivery (Mailgun's retries carry the same message).

export const PROVIDER = 'mailgun';

const text = (max: number) => z.string().max(max).optional();

export const mailgunFormSchema = z.object({
  timestamp: z.string().regex(/^\d{1,12}$/, 'must be unix seconds'),
  token: z.string().min(1).max(200),
  signature: z.string().regex(/^[0-9a-f]{64}$/i, 'must be a hex HMAC-SHA256'),
  sender: text(1000),
  from: text(1000),
  subject: text(2000),
  'body-plain': text(1_000_000),
  'body-html': text(2_000_000),
  'Message-Id': text(1000),
  'In-Reply-To': text(1000),
  References: text(20_000),
  Date: text(200),
  'message-headers': text(200_000),
});

function fields(rawBody: Buffer): Record<string, unknown> {
  const json = parseJson(PROVIDER, rawBody);
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
}

export function verify(_headers: Headers, rawBody: Buffer, keys: Secrets, _now: Date): void {
  const f = fields(rawBody);
  const { timestamp, token, signature } = f;
  if (typeof timestamp !== 'string' || typeof token !== 'string' || typeof signature !== 'string') {
    throw new SignatureError(PROVIDER, 'missing_header', 'The timestamp, token and signature fields Mailgun signs with are missing.');
  }
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (hmacMatches({ provider: PROVIDER, secrets: keys, messages: [`${timestamp}${token}`], given: [given] })) return;
  throw new SignatureError(
    PROVIDER,
    'mismatch',
    'The Mailgun signature does not match the timestamp, token and the HTTP webhook signing key.',
  );
}

/** "Maya Lindqvist <maya@example.com>" → its parts. */
function address(value: string | undefined): { email?: string; name?: string } {
  if (!value) return {};
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+)>\s*$/.exec(value);
  if (m) return { email: m[2]!, ...(m[1]!.trim() ? { name: m[1]!.trim() } : {}) };
  return /@/.test(value) ? { email: value.trim() } : {};
}

export function parse(rawBody: Buffer, _headers: Headers = {}): ConversationParse {
  const raw = fields(rawBody);
  const f = validate(PROVIDER, mailgunFormSchema, raw);
  let headers: [string, string][] = [];
  try {
    const parsed: unknown = f['message-headers'] ? JSON.parse(f['message-headers']) : [];
    if (Array.isArray(parsed))
      headers = parsed.filter((h): h is [string, string] => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string');
  } catch {
    // The separate Message-Id, In-Reply-To and References fields are enough.
  }
  const headerOf = (name: string) => headers.find((h) => h[0].toLowerCase() === name.toLowerCase())?.[1];
  const messageId = messageIds(f['Message-Id'] ?? headerOf('Message-Id'))[0] ?? `mailgun:${f.token}`;
  const inReplyTo = messageIds(f['In-Reply-To'] ?? headerOf('In-Reply-To'))[0];
  const dateText = f.Date ?? headerOf('Date');
  const date = dateText && !Number.isNaN(Date.parse(dateText)) ? new Date(dateText) : new Date(Number(f.timestamp) * 1000);
  const from = address(f.from ?? f.sender);
  // The body-plain and body-html fields; the conversation keeps only the fields it reads.
  const { 'message-headers': _h, signature: _s, token: _t, ...kept } = raw;
  return {
    conversations: [
      emailConversation(
        PROVIDER,
        messageId,
        {
          messageId,
          ...(inReplyTo ? { inReplyTo } : {}),
          references: messageIds(f.References ?? headerOf('References')),
          ...(from.email ? { fromEmail: from.email } : {}),
          ...(from.name ? { fromName: from.name } : {}),
          subject: f.subject ?? '',
          ...(f['body-plain'] ? { text: f['body-plain'] } : {}),
          ...(f['body-html'] ? { html: f['body-html'] } : {}),
          date,
        },
        kept,
      ),
    ],
  };
}
