import type { AuditEvent } from './audit';
import { InvalidInput } from './errors';

// The customer's consent to reuse their photo, video or words, pure: requested → granted or
// declined; a grant can be revoked, and ends by itself at its expiry. A grant names where the
// content may be used (product page, social, ads). Nothing is usable without a recorded grant,
// and a grant is only ever recorded as the customer's answer: through their signed link, or by
// staff writing down how the customer said yes.

export const CONSENT_STATES = ['none', 'requested', 'granted', 'declined', 'revoked', 'expired'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export const CONSENT_SCOPES = ['product_page', 'social', 'ads'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export const CONSENT_SCOPE_LABELS: Record<ConsentScope, string> = { product_page: 'product page', social: 'social media', ads: 'ads' };

/** How an answer reached Trustloop: the customer's signed link, or staff recording it with a note. */
export const CONSENT_VIA = ['link', 'staff'] as const;
export type ConsentVia = (typeof CONSENT_VIA)[number];

export interface Consent {
  /** As stored: expired is worked out from `expiresAt`, never stored ahead of time. */
  state: Exclude<ConsentState, 'expired'>;
  scope: ConsentScope[];
  expiresAt: Date | null;
  requestedAt: Date | null;
  answeredAt: Date | null;
}

export const NO_CONSENT: Consent = { state: 'none', scope: [], expiresAt: null, requestedAt: null, answeredAt: null };

/** The state as of `now`: a grant past its expiry is expired. */
export function consentState(c: Consent, now: Date): ConsentState {
  if (c.state === 'granted' && c.expiresAt && c.expiresAt.getTime() <= now.getTime()) return 'expired';
  return c.state;
}

/** Where the content may be used now: the granted scope while the grant lasts, else nowhere. */
export function usableScopes(c: Consent, now: Date): ConsentScope[] {
  return consentState(c, now) === 'granted' ? CONSENT_SCOPES.filter((s) => c.scope.includes(s)) : [];
}

export type ConsentCommand =
  | { kind: 'request' }
  | { kind: 'grant'; scope: readonly string[]; expiresAt: Date | null; via: ConsentVia; note?: string | null }
  | { kind: 'decline'; via: ConsentVia; note?: string | null }
  | { kind: 'revoke'; via: ConsentVia; note?: string | null };

export type ConsentChange = { changed: true; consent: Consent; event: AuditEvent } | { changed: false; notice: string };

/** Applies one command; an answer that is not the customer's (no request, no scope, no note) is refused. */
export function applyConsent(c: Consent, cmd: ConsentCommand, now: Date): ConsentChange {
  const state = consentState(c, now);
  const same = (notice: string): ConsentChange => ({ changed: false, notice });
  const staffNote = (x: { via: ConsentVia; note?: string | null }) => {
    if (x.via === 'staff' && !x.note?.trim()) {
      throw new InvalidInput('Write down how the customer answered (an e-mail, a DM…): consent is recorded as their answer.', ['note']);
    }
  };
  switch (cmd.kind) {
    case 'request':
      if (state === 'requested') return same('Usage rights were already requested.');
      if (state === 'granted') return same('The customer has already granted usage rights.');
      return { changed: true, consent: { ...NO_CONSENT, state: 'requested', requestedAt: now }, event: 'ugc_consent_requested' };
    case 'grant': {
      if (state !== 'requested') return same('Request usage rights first: consent is recorded as the customer’s answer.');
      const scope = CONSENT_SCOPES.filter((s) => cmd.scope.includes(s));
      if (scope.length === 0) throw new InvalidInput('Choose where the customer agreed it may be used.', ['scope']);
      if (cmd.expiresAt && cmd.expiresAt.getTime() <= now.getTime())
        throw new InvalidInput('The expiry must be in the future.', ['expiresAt']);
      staffNote(cmd);
      return {
        changed: true,
        consent: { ...c, state: 'granted', scope, expiresAt: cmd.expiresAt, answeredAt: now },
        event: 'ugc_consent_granted',
      };
    }
    case 'decline':
      if (state !== 'requested') return same('Request usage rights first: consent is recorded as the customer’s answer.');
      staffNote(cmd);
      return {
        changed: true,
        consent: { ...c, state: 'declined', scope: [], expiresAt: null, answeredAt: now },
        event: 'ugc_consent_declined',
      };
    case 'revoke':
      if (state !== 'granted')
        return same(state === 'expired' ? 'The consent has already expired.' : 'There is no granted consent to revoke.');
      staffNote(cmd);
      return { changed: true, consent: { ...c, state: 'revoked', answeredAt: now }, event: 'ugc_consent_revoked' };
  }
}

// ---- Asking the customer -------------------------------------------------------------------

/** How long a grant may last from the customer's answer, as the team offers it (months; null: until withdrawn). */
export const GRANT_DURATIONS = [3, 6, 12, 24, null] as const;
export type GrantMonths = (typeof GRANT_DURATIONS)[number];

/** The answer links work this long; a customer who wants to withdraw a grant can still do so after. */
export const ANSWER_LINK_DAYS = 30;

/** Where the request was sent from and through what: e-mail, or text the team sends themselves. */
export const REQUEST_CHANNELS = ['email', 'copy'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/** The customer's possible answers through the links: yes, no, or (after a yes) withdraw. */
export const LINK_ANSWERS = ['grant', 'decline'] as const;
export type LinkAnswer = (typeof LINK_ANSWERS)[number];

export function grantExpiry(months: number | null, answeredAt: Date): Date | null {
  if (months === null) return null;
  const d = new Date(answeredAt.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export function answerLinksExpire(requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + ANSWER_LINK_DAYS * 86_400_000);
}

/** The consent a stored review carries. A grant recorded before scopes were asked for counts for the uses the team approved under it. */
export function reviewConsent(r: {
  ugcConsent: string;
  ugcConsentScope: readonly string[];
  ugcScope: readonly string[];
  ugcConsentExpiresAt: Date | null;
  ugcConsentRequestedAt: Date | null;
  ugcConsentAt: Date | null;
}): Consent {
  const state = (['none', 'requested', 'granted', 'declined', 'revoked'] as const).find((s) => s === r.ugcConsent) ?? 'none';
  const granted = r.ugcConsentScope.length > 0 ? r.ugcConsentScope : r.ugcScope;
  return {
    state,
    scope: CONSENT_SCOPES.filter((s) => granted.includes(s)),
    expiresAt: r.ugcConsentExpiresAt,
    requestedAt: r.ugcConsentRequestedAt,
    answeredAt: r.ugcConsentAt,
  };
}

/** What a link answer means for the consent as it stands: a "no" after a grant withdraws it. */
export function linkCommand(current: Consent, answer: LinkAnswer, request: { scope: readonly string[]; grantMonths: number | null }, now: Date): ConsentCommand {
  if (answer === 'grant') return { kind: 'grant', scope: request.scope, expiresAt: grantExpiry(request.grantMonths, now), via: 'link' };
  return consentState(current, now) === 'granted' ? { kind: 'revoke', via: 'link' } : { kind: 'decline', via: 'link' };
}

export interface UsageRightsMessage {
  subject: string;
  text: string;
}

const CUSTOMER_SCOPE_WORDS: Record<ConsentScope, string> = {
  product_page: 'on our product page',
  social: 'on our social media',
  ads: 'in our ads',
};

/**
 * The message asking for usage rights, in plain text, exactly as the customer reads it. It names
 * every place asked for and for how long, offers nothing in return, and says how to say no or
 * change their mind later.
 */
export function usageRightsMessage(p: {
  store: string;
  customerName: string | null;
  productTitle: string | null;
  media: number;
  scope: readonly ConsentScope[];
  grantMonths: number | null;
  note: string | null;
  /** The signed answer links; null when the store has no public address for them: the customer replies instead. */
  grantUrl: string | null;
  declineUrl: string | null;
  linkExpiresAt: Date;
}): UsageRightsMessage {
  const what = p.media > 0 ? (p.media === 1 ? 'the photo or video' : 'the photos and videos') : 'the words';
  const product = p.productTitle ? ` of ${p.productTitle}` : '';
  const places = p.scope.map((s) => CUSTOMER_SCOPE_WORDS[s]);
  const where = places.length > 1 ? `${places.slice(0, -1).join(', ')} and ${places.at(-1)}` : (places[0] ?? '');
  const howLong = p.grantMonths === null ? 'until you tell us to stop' : `for ${p.grantMonths} months from your answer, or until you tell us to stop`;
  const until = p.linkExpiresAt.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const lines = [
    p.customerName ? `Hello ${p.customerName},` : 'Hello,',
    `Thank you for your review${product}. May ${p.store} show ${what} you shared ${where}, with your first name, ${howLong}?`,
    ...(p.note?.trim() ? [p.note.trim()] : []),
    ...(p.grantUrl && p.declineUrl
      ? [
          `Yes, you may use it: ${p.grantUrl}`,
          `No, please don't: ${p.declineUrl}`,
          `Nothing changes about your review either way, and you get nothing for saying yes. These links work until ${until}; if you say yes and change your mind later, the second link withdraws it at any time.`,
        ]
      : [
          'Please reply to this message with "yes" or "no".',
          'Nothing changes about your review either way, and you get nothing for saying yes. If you say yes and change your mind later, tell us and we will stop.',
        ]),
    `${p.store}`,
  ];
  return { subject: `May we show your review${product}?`.slice(0, 200), text: lines.join('\n\n') };
}

// ---- the library (/trustloop ugc) ----------------------------------------------------------

export interface UgcItem {
  reviewId: number;
  rating: number;
  productTitle: string | null;
  reviewerName: string | null;
  media: number;
  state: ConsentState;
  /** Where it may be used now; empty unless a grant is recorded and current. */
  usable: ConsentScope[];
  expiresAt: Date | null;
  channel: string | null;
  ts: string | null;
}

export interface UgcLibrary {
  usable: UgcItem[];
  notUsable: UgcItem[];
  /** Not-usable items by consent state (requested, declined, revoked, expired, none). */
  byState: Partial<Record<ConsentState, number>>;
}
