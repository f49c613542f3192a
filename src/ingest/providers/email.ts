import EmailReplyParser from 'email-reply-parser';
import { htmlToText } from './helpscout';
import type { ConversationEvent, ConversationProvider } from './types';

// What every inbound e-mail provider shares: threading and the words the customer wrote.
// A thread is known by its first message: the first id in References (or In-Reply-To, or the
// message's own Message-ID). A reply names earlier messages there, and its subject may carry
// the case reference ("Re: [TL-1042] …"); either puts it in the same case.

export interface InboundEmail {
  messageId: string;
  inReplyTo?: string;
  references: string[];
  fromEmail?: string;
  fromName?: string;
  subject: string;
  text?: string;
  html?: string;
  date: Date;
}

/** Message-IDs in a header value, without angle brackets: "<a@x> <b@y>" → ["a@x", "b@y"]. */
export function messageIds(value: string | undefined | null): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]{1,500})>/g)].map((m) => m[1]!);
  if (bracketed.length > 0) return bracketed.slice(0, 100);
  return value
    .split(/[\s,]+/)
    .filter((v) => v.length > 0 && v.length <= 500)
    .slice(0, 100);
}

const CASE_REF = /\bTL-(\d{1,12})\b/i;

/**
 * What the card and the timeline show of an e-mail: the new words only. Quoted history ("On …
 * wrote:", "> …") and signatures ("-- ", "Sent from my iPhone") are cut by email-reply-parser;
 * when that leaves nothing (a reply written below the quote), the whole text is kept.
 */
export function visibleText(text: string | undefined, html: string | undefined): string {
  const plain = (text?.trim() ? text : html ? htmlToText(html) : '').replace(/\r\n/g, '\n').slice(0, 200_000);
  const reply = new EmailReplyParser().parseReply(plain).trim();
  return reply || plain.trim();
}

export function emailConversation(provider: ConversationProvider, eventId: string, m: InboundEmail, raw: unknown): ConversationEvent {
  const refs = [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])];
  const root = m.references[0] ?? m.inReplyTo ?? m.messageId;
  const ref = CASE_REF.exec(m.subject)?.[1];
  const body = visibleText(m.text, m.html);
  const email = m.fromEmail?.trim().toLowerCase();
  const name = m.fromName?.trim();
  return {
    kind: 'conversation',
    provider,
    eventId,
    action: 'email.inbound',
    namespace: 'email',
    ticketId: root,
    threadRefs: [...new Set([...refs, m.messageId])].filter((r) => r !== root),
    ...(ref ? { caseRef: Number(ref) } : {}),
    source: 'email',
    subject: m.subject.replace(/^\s*((re|fwd?|aw|wg|sv|vs|r|rif|antw)\s*:\s*)+/i, '').trim(),
    description: body,
    customer: { ...(email ? { email } : {}), ...(name ? { name } : {}) },
    messages: [{ id: `message:${m.messageId}`, direction: 'customer', body, ...(name ? { authorName: name } : {}), at: m.date }],
    occurredAt: m.date,
    raw,
  };
}
