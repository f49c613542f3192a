import { createHmac, timingSafeEqual } from 'node:crypto';

// The one-click rating link a store puts in its emails: /csat/<case id>.<signature>?r=1..5.
// The signature (HMAC-SHA256 of the case id with CSAT_LINK_SECRET) stops anyone rating a case
// they were not sent; the rating itself is the customer's choice, so it is not signed.
// Several secrets may be configured while one is rotated: the first signs, any verifies.

const SIG_LENGTH = 22; // 132 bits of base64url

function signature(secret: string, caseId: number): string {
  return createHmac('sha256', secret).update(`csat:v1:${caseId}`).digest('base64url').slice(0, SIG_LENGTH);
}

export function csatToken(secrets: readonly string[], caseId: number): string {
  return `${caseId}.${signature(secrets[0]!, caseId)}`;
}

/** The case id a token was signed for, or null when it is malformed or signed with another secret. */
export function verifyCsatToken(secrets: readonly string[], token: string): number | null {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const caseId = Number(m[1]);
  const given = Buffer.from(m[2]!);
  const ok = secrets.some((s) => timingSafeEqual(Buffer.from(signature(s, caseId)), given));
  return ok && caseId > 0 ? caseId : null;
}
