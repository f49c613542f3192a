import { z } from 'zod';
import { emailConversation, messageIds } from './email';
import type { ConversationParse, Headers, Secrets } from './types';
import { parseJson, validate, verifyToken } from './util';

// Postmark inbound (Servers → the server → Settings → Inbound → Webhook URL). Postmark signs
// nothing; its documentation protects the URL with HTTP Basic auth (https://user:password@host/…),
// which Postmark sends as the Authorization header: the password is the token. The message is
// JSON with the parsed parts and every header; Postmark's MessageID identifies the delivery.

export const PROVIDER = 'postmark';

export function verify(headers: Headers, _rawBody: Buffer, tokens: Secrets, _now: Date, url?: URL | string): void {
  verifyToken(PROVIDER, headers, url, tokens);
}

const text = (max: number) => z.string().max(max).nullish();

export const postmarkInboundSchema = z.object({
  MessageID: z.string().min(1).max(200),
  From: text(1000),
  FromName: text(500),
  FromFull: z.object({ Email: text(320), Name: text(500) }).nullish(),
  Subject: text(2000),
  Date: z
    .string()
    .min(1)
    .max(200)
    .refine((d) => !Number.isNaN(Date.parse(d)), 'must be an RFC 2822 date'),
  TextBody: text(1_000_000),
  HtmlBody: text(2_000_000),
  Headers: z
    .array(z.object({ Name: z.string().max(200), Value: z.string().max(20_000) }))
    .max(500)
    .default([]),
});

export function parse(rawBody: Buffer, _headers: Headers = {}): ConversationParse {
  const json = parseJson(PROVIDER, rawBody);
  const m = validate(PROVIDER, postmarkInboundSchema, json);
  const headerOf = (name: string) => m.Headers.find((h) => h.Name.toLowerCase() === name)?.Value;
  const messageId = messageIds(headerOf('message-id'))[0] ?? m.MessageID;
  const inReplyTo = messageIds(headerOf('in-reply-to'))[0];
  return {
    conversations: [
      emailConversation(
        PROVIDER,
        m.MessageID,
        {
          messageId,
          ...(inReplyTo ? { inReplyTo } : {}),
          references: messageIds(headerOf('references')),
          ...((m.FromFull?.Email ?? m.From) ? { fromEmail: (m.FromFull?.Email ?? m.From)! } : {}),
          ...((m.FromFull?.Name ?? m.FromName) ? { fromName: (m.FromFull?.Name ?? m.FromName)! } : {}),
          subject: m.Subject ?? '',
          ...(m.TextBody ? { text: m.TextBody } : {}),
          ...(m.HtmlBody ? { html: m.HtmlBody } : {}),
          date: new Date(m.Date),
        },
        json,
      ),
    ],
  };
}
