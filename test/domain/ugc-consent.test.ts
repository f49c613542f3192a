import { describe, expect, test } from 'vitest';
import { InvalidInput } from '../../src/domain/errors';
import { applyConsent, type Consent, consentState, NO_CONSENT, usableScopes } from '../../src/domain/ugc-consent';

const t0 = new Date('2026-05-01T10:00:00Z');
const later = (days: number) => new Date(t0.getTime() + days * 86_400_000);

function apply(c: Consent, cmd: Parameters<typeof applyConsent>[1], now = t0): Consent {
  const r = applyConsent(c, cmd, now);
  if (!r.changed) throw new Error(r.notice);
  return r.consent;
}

describe('consent', () => {
  test('requested → granted with scope and expiry → expired by itself; usable only in the granted scope while it lasts', () => {
    const requested = apply(NO_CONSENT, { kind: 'request' });
    expect(consentState(requested, t0)).toBe('requested');
    expect(usableScopes(requested, t0)).toEqual([]);
    const granted = apply(requested, { kind: 'grant', scope: ['ads', 'product_page', 'billboard'], expiresAt: later(365), via: 'link' }, later(2));
    expect(granted.scope).toEqual(['product_page', 'ads']);
    expect(usableScopes(granted, later(10))).toEqual(['product_page', 'ads']);
    expect(consentState(granted, later(365))).toBe('expired');
    expect(usableScopes(granted, later(365))).toEqual([]);
    // An expired grant can be asked for again.
    expect(apply(granted, { kind: 'request' }, later(366)).state).toBe('requested');
  });

  test('granted → revoked: nothing usable; declined: nothing usable; both can be asked again', () => {
    const requested = apply(NO_CONSENT, { kind: 'request' });
    const granted = apply(requested, { kind: 'grant', scope: ['social'], expiresAt: null, via: 'link' });
    expect(usableScopes(granted, later(1000))).toEqual(['social']);
    const revoked = apply(granted, { kind: 'revoke', via: 'link' }, later(3));
    expect(consentState(revoked, later(3))).toBe('revoked');
    expect(usableScopes(revoked, later(3))).toEqual([]);
    const declined = apply(requested, { kind: 'decline', via: 'link' });
    expect(usableScopes(declined, t0)).toEqual([]);
    expect(apply(declined, { kind: 'request' }).state).toBe('requested');
    expect(apply(revoked, { kind: 'request' }).state).toBe('requested');
  });

  test('no grant without a request, twice, or without a scope; staff must say how the customer answered', () => {
    expect(applyConsent(NO_CONSENT, { kind: 'grant', scope: ['ads'], expiresAt: null, via: 'staff', note: 'said yes' }, t0)).toMatchObject({
      changed: false,
    });
    const requested = apply(NO_CONSENT, { kind: 'request' });
    expect(applyConsent(requested, { kind: 'request' }, t0)).toMatchObject({ changed: false });
    expect(() => applyConsent(requested, { kind: 'grant', scope: [], expiresAt: null, via: 'link' }, t0)).toThrow(InvalidInput);
    expect(() => applyConsent(requested, { kind: 'grant', scope: ['ads'], expiresAt: null, via: 'staff', note: ' ' }, t0)).toThrow(InvalidInput);
    expect(() => applyConsent(requested, { kind: 'grant', scope: ['ads'], expiresAt: t0, via: 'link' }, t0)).toThrow(InvalidInput);
    const byStaff = apply(requested, { kind: 'grant', scope: ['ads'], expiresAt: null, via: 'staff', note: 'replied yes by e-mail' });
    expect(byStaff.state).toBe('granted');
    expect(applyConsent(byStaff, { kind: 'decline', via: 'link' }, t0)).toMatchObject({ changed: false });
    expect(applyConsent(NO_CONSENT, { kind: 'revoke', via: 'link' }, t0)).toMatchObject({ changed: false });
  });
});
