import { createHash } from 'node:crypto';

// Erasing one customer's personal data on request. Rows the figures count (a case, an order, a
// review) stay with their dates, amounts and tags; what names or quotes the customer is replaced
// by one marker, so a reader sees that something was erased rather than an empty field.

export const ERASED = '[erased]';

/**
 * How an erased address is remembered so that nothing is e-mailed to it again: a one-way hash,
 * enough to recognise the address when a new order brings it back, not enough to read it.
 */
export function erasedAddressKey(email: string): string {
  return `sha256:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

export function normaliseEmail(email: string): string | null {
  const e = email.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : null;
}

/**
 * What to look for in free text: the address, each full name the customer was known by, and
 * their own texts (messages, review bodies) as they may have been copied elsewhere. Names shorter
 * than three letters and texts shorter than eight are left out: they would match other people's text.
 */
export function erasureNeedles(p: { email: string; names: (string | null | undefined)[]; texts?: (string | null | undefined)[] }): string[] {
  const names = p.names.map((n) => n?.trim() ?? '').filter((n) => n.length >= 3);
  const texts = (p.texts ?? []).map((t) => t?.trim() ?? '').filter((t) => t.length >= 8 && t !== ERASED);
  // Longest first, so a text that holds the name is replaced whole rather than around it.
  return [...new Set([p.email.toLowerCase(), ...names, ...texts])].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text with every needle (case-insensitive) replaced by the marker. */
export function scrubText(text: string, needles: readonly string[]): string {
  if (needles.length === 0) return text;
  const pattern = new RegExp(needles.map(escapeRegExp).join('|'), 'giu');
  return text.replace(pattern, ERASED);
}

/** scrubText over every string (keys stay) of a JSON value. */
export function scrubJson<T>(value: T, needles: readonly string[]): T {
  if (typeof value === 'string') return scrubText(value, needles) as T;
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, needles)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v, needles)])) as T;
  }
  return value;
}

/** True when the text holds a needle (the rows a sweep must rewrite). */
export function holdsNeedle(text: string | null | undefined, needles: readonly string[]): boolean {
  if (!text) return false;
  const lower = text.toLowerCase();
  return needles.some((n) => lower.includes(n.toLowerCase()));
}

/** Tables an erasure looks at, in the order it reports them. */
export const ERASURE_TABLES = [
  'cases',
  'case_messages',
  'case_events',
  'reply_drafts',
  'review_responses',
  'csat_responses',
  'reviews',
  'ugc_consent_requests',
  'disputes',
  'orders',
  'order_fulfillments',
  'order_refunds',
  'customers',
  'review_requests',
  'email_suppressions',
  'webhook_inbox',
  'outbox',
  'digests',
  'fix_items',
] as const;
export type ErasureTable = (typeof ERASURE_TABLES)[number];

/** Tables that hold nothing that names or quotes a customer (ids, times, Slack message ids, product keys). */
export const TABLES_WITHOUT_PERSONAL_DATA = [
  'case_reminders',
  'cluster_alerts',
  'evidence_exports',
  'outbox_channels',
  'review_request_sends',
  'slack_events',
  'store_backfills',
] as const;
export type ErasureCounts = Record<ErasureTable, number>;
