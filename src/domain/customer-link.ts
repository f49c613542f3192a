import { createHmac, timingSafeEqual } from 'node:crypto';

// Links Trustloop puts in e-mails to customers: /u/<token> (stop review requests) and
// /ugc/<token> (answer a usage-rights request). A token is the record's id and an HMAC-SHA256 of
// the purpose and id with CUSTOMER_LINK_SECRET, so a link opens only the record it was sent for
// and only for its purpose. Several secrets may be set while one is rotated: the first signs.

export const LINK_PURPOSES = ['unsubscribe', 'ugc_consent'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

const SIG_LENGTH = 22; // 132 bits of base64url

function signature(secret: string, purpose: LinkPurpose, id: number): string {
  return createHmac('sha256', secret).update(`${purpose}:v1:${id}`).digest('base64url').slice(0, SIG_LENGTH);
}

export function linkToken(secrets: readonly string[], purpose: LinkPurpose, id: number): string {
  return `${id}.${signature(secrets[0]!, purpose, id)}`;
}

/** The id a token was signed for, for this purpose; null when malformed, for another purpose, or signed with another secret. */
export function verifyLinkToken(secrets: readonly string[], purpose: LinkPurpose, token: string): number | null {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const given = Buffer.from(m[2]!);
  const ok = secrets.some((s) => timingSafeEqual(Buffer.from(signature(s, purpose, id)), given));
  return ok && id > 0 ? id : null;
}

/**
 * A link that also stops working at a time the store chose (a usage-rights request's answer
 * links): the expiry is signed with the id, so it cannot be stretched by editing the link.
 * Token: <id>.<expiry in unix seconds>.<signature>.
 */
function expiringSignature(secret: string, purpose: LinkPurpose, id: number, expiresSec: number): string {
  return createHmac('sha256', secret).update(`${purpose}:v2:${id}:${expiresSec}`).digest('base64url').slice(0, SIG_LENGTH);
}

export function expiringLinkToken(secrets: readonly string[], purpose: LinkPurpose, id: number, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${id}.${exp}.${expiringSignature(secrets[0]!, purpose, id, exp)}`;
}

export type ExpiringLinkCheck = { id: number; expired: boolean } | null;

/**
 * The id a token was signed for and whether its time has passed (`now` from the caller); null when
 * malformed, for another purpose, or signed with another secret. An expired link still names its
 * record, so the page can say it expired rather than that it is false.
 */
export function verifyExpiringLinkToken(secrets: readonly string[], purpose: LinkPurpose, token: string, now: Date): ExpiringLinkCheck {
  const m = /^(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const exp = Number(m[2]);
  const given = Buffer.from(m[3]!);
  const ok = secrets.some((s) => timingSafeEqual(Buffer.from(expiringSignature(s, purpose, id, exp)), given));
  if (!ok || id <= 0) return null;
  return { id, expired: now.getTime() >= exp * 1000 };
}
