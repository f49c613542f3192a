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

export type ConsentChange = { changed: true; consent: Consent; event: string } | { changed: false; notice: string };

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
      if (cmd.expiresAt && cmd.expiresAt.getTime() <= now.getTime()) throw new InvalidInput('The expiry must be in the future.', ['expiresAt']);
      staffNote(cmd);
      return { changed: true, consent: { ...c, state: 'granted', scope, expiresAt: cmd.expiresAt, answeredAt: now }, event: 'ugc_consent_granted' };
    }
    case 'decline':
      if (state !== 'requested') return same('Request usage rights first: consent is recorded as the customer’s answer.');
      staffNote(cmd);
      return { changed: true, consent: { ...c, state: 'declined', scope: [], expiresAt: null, answeredAt: now }, event: 'ugc_consent_declined' };
    case 'revoke':
      if (state !== 'granted') return same(state === 'expired' ? 'The consent has already expired.' : 'There is no granted consent to revoke.');
      staffNote(cmd);
      return { changed: true, consent: { ...c, state: 'revoked', answeredAt: now }, event: 'ugc_consent_revoked' };
  }
}
