import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { tokenMatches, zodIssues } from '../http';
import { type Headers, PayloadError, type Secrets, SignatureError } from './types';

// Helpers shared by the adapters: header lookup, constant-time comparison, body parsing that
// turns every failure into a PayloadError with field paths, and lenient scalar schemas for
// providers that send numbers and booleans as strings.

/** Header value by case-insensitive name (Node lower-cases them; tests and proxies may not). */
export function header(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const first = typeof value === 'string' ? value : value[0];
    const trimmed = first?.trim();
    return trimmed ? trimmed : undefined;
  }
  return undefined;
}

export function secretList(provider: string, secrets: Secrets): string[] {
  const list = (typeof secrets === 'string' ? [secrets] : [...secrets]).map((s) => s.trim()).filter((s) => s.length > 0);
  if (list.length === 0) throw new SignatureError(provider, 'not_configured', `No ${provider} webhook secret is configured.`);
  return list;
}

/** Constant-time equality of two byte strings; different lengths are simply unequal. */
function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/**
 * The signature check the HMAC providers share: true when one of the digests the request carries
 * is the HMAC of one of the signed messages under one of the configured secrets (during a rotation
 * the old secret stays beside the new one). Digests are compared in constant time, so a forger
 * learns nothing from how long a refusal takes. `key` turns a configured secret into the HMAC key
 * for providers that encode it (Svix's whsec_ base64).
 */
export function hmacMatches(params: {
  provider: string;
  secrets: Secrets;
  messages: readonly (Buffer | string)[];
  given: readonly Buffer[];
  algorithm?: 'sha256' | 'sha1';
  key?: (secret: string) => string | Buffer;
}): boolean {
  const { algorithm = 'sha256', key = (s: string) => s } = params;
  for (const secret of secretList(params.provider, params.secrets)) {
    const k = key(secret);
    for (const message of params.messages) {
      const expected = createHmac(algorithm, k).update(message).digest();
      if (params.given.some((g) => bytesEqual(g, expected))) return true;
    }
  }
  return false;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The byte strings a digest header may stand for, by the encodings the provider is known to use. */
export function decodeDigest(value: string, encodings: readonly ('hex' | 'base64')[]): Buffer[] {
  const out: Buffer[] = [];
  if (encodings.includes('hex') && HEX_DIGEST.test(value)) out.push(Buffer.from(value, 'hex'));
  if (encodings.includes('base64') && BASE64.test(value)) out.push(Buffer.from(value, 'base64'));
  return out;
}

/** A stable id from content, for providers whose deliveries carry no id of their own. */
export function contentId(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p).update('\0');
  return hash.digest('hex').slice(0, 32);
}

/** Parses JSON; malformed JSON is a PayloadError at the body's root. */
export function parseJson(provider: string, rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (err) {
    const message = `The body is not valid JSON: ${(err as Error).message}`;
    throw new PayloadError(provider, message, [{ path: '(body)', message }]);
  }
}

/** Validates with a zod schema; failures become a PayloadError naming each field path. */
export function validate<S extends z.ZodType>(provider: string, schema: S, value: unknown, prefix: (string | number)[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = zodIssues(result.error).map((i) => ({
    ...i,
    path: prefix.length > 0 ? [...prefix.map(String), ...(i.path === '(body)' ? [] : [i.path])].join('.') : i.path,
  }));
  throw new PayloadError(provider, `Invalid ${provider} payload: ${issues.map((i) => i.path).join(', ')}`, issues);
}

/** Drops keys whose value is undefined, null or an empty string, so results compare cleanly. */
export function compact<T extends Record<string, unknown>>(obj: T): { [K in keyof T]?: Exclude<T[K], undefined | null> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined | null> };
}

// ----- lenient scalars ------------------------------------------------------------------

/** An id sent as a number or a string; always a string afterwards. */
export const idSchema = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

/** A number, also accepted as a numeric string ("5"). */
export const numberish = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number),
]);

/** A boolean, also accepted as "true"/"false"/"1"/"0". */
export const booleanish = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  z.literal(1).transform(() => true),
  z.literal(0).transform(() => false),
]);

const SPACE_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?(?:UTC|Z)$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A point in time sent as ISO 8601 with an offset, "2018-02-20 14:12:13 UTC" (Yotpo), or a
 * bare date (read as midnight UTC).
 */
export const dateString = z.string().transform((value, ctx) => {
  const v = value.trim();
  const m = SPACE_UTC.exec(v);
  const iso = m ? `${m[1]}T${m[2]}Z` : ISO_DATE.test(v) ? `${v}T00:00:00Z` : ISO_DATE_TIME.test(v) ? v : undefined;
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time such as 2026-11-27T09:30:00Z' });
    return z.NEVER;
  }
  return date;
});

/** Unix seconds. */
export const unixSeconds = z
  .number()
  .int()
  .nonnegative()
  .transform((s) => new Date(s * 1000));

function urlOf(url: URL | string | undefined): URL | undefined {
  if (url === undefined) return undefined;
  if (url instanceof URL) return url;
  try {
    return new URL(url, 'http://localhost');
  } catch {
    return undefined;
  }
}

/** Table lookup that ignores inherited keys: a provider sending "constructor" gets undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * For providers that do not sign deliveries (Trustpilot, Yotpo): the webhook URL carries a
 * shared secret, either as `?token=…` or as the password of HTTP Basic auth
 * (https://any-user:<token>@host/…). Compared in constant time; any configured token passes.
 */
export function verifyToken(provider: string, headers: Headers, url: URL | string | undefined, tokens: Secrets): void {
  const expected = secretList(provider, tokens);
  const given: string[] = [];
  const query = urlOf(url)?.searchParams.get('token');
  if (query) given.push(query);
  const auth = header(headers, 'authorization');
  if (auth && /^basic\s+/i.test(auth)) {
    const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) given.push(decoded.slice(colon + 1));
  }
  if (given.length === 0) {
    throw new SignatureError(
      provider,
      'missing_header',
      `Send the ${provider} webhook token as ?token=… in the URL or as the Basic auth password.`,
    );
  }
  // Evaluate every pair so the time taken does not depend on which token matched.
  let ok = false;
  for (const g of given) for (const e of expected) ok = tokenMatches(g, e) || ok;
  if (!ok) throw new SignatureError(provider, 'mismatch', `The ${provider} webhook token does not match.`);
}
