import { describe, expect, test } from 'vitest';
import { InvalidInput } from '../../src/domain/errors';
import { expiringLinkToken, verifyExpiringLinkToken } from '../../src/domain/customer-link';
import { REQUEST_LANGUAGES } from '../../src/domain/review-request-email';
import { applyConsent, type Consent, consentState, grantExpiry, linkCommand, NO_CONSENT, usableScopes, usageRightsMessage } from '../../src/domain/ugc-consent';

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

describe('asking for usage rights', () => {
  test('answer links: signed with their expiry; an edited expiry, another purpose or secret is refused; an expired one still names its request', () => {
    const secrets = ['first-secret-0123456789', 'old-secret-0123456789'];
    const until = later(30);
    const token = expiringLinkToken(secrets, 'ugc_consent', 42, until);
    expect(verifyExpiringLinkToken(secrets, 'ugc_consent', token, t0)).toEqual({ id: 42, expired: false });
    expect(verifyExpiringLinkToken(secrets, 'ugc_consent', token, until)).toEqual({ id: 42, expired: true });
    const [id, exp, sig] = token.split('.');
    expect(verifyExpiringLinkToken(secrets, 'ugc_consent', `${id}.${Number(exp) + 86_400}.${sig}`, t0)).toBeNull();
    expect(verifyExpiringLinkToken(secrets, 'unsubscribe', token, t0)).toBeNull();
    expect(verifyExpiringLinkToken(['another-secret-0123456789'], 'ugc_consent', token, t0)).toBeNull();
    // Rotation: a link signed with the old secret still verifies.
    expect(verifyExpiringLinkToken(secrets, 'ugc_consent', expiringLinkToken(['old-secret-0123456789'], 'ugc_consent', 7, until), t0)).toEqual({ id: 7, expired: false });
  });

  test('a link "yes" grants the request’s scope for its months from the answer; a "no" declines, or withdraws a grant', () => {
    const requested = apply(NO_CONSENT, { kind: 'request' });
    const req = { scope: ['social', 'ads'], grantMonths: 6 };
    expect(linkCommand(requested, 'grant', req, later(3))).toEqual({ kind: 'grant', scope: ['social', 'ads'], expiresAt: grantExpiry(6, later(3)), via: 'link' });
    expect(grantExpiry(6, new Date('2027-05-05T18:00:00Z'))).toEqual(new Date('2027-11-05T18:00:00Z'));
    expect(grantExpiry(null, t0)).toBeNull();
    expect(linkCommand(requested, 'decline', req, t0)).toEqual({ kind: 'decline', via: 'link' });
    const granted = apply(requested, linkCommand(requested, 'grant', req, t0));
    expect(linkCommand(granted, 'decline', req, later(1))).toEqual({ kind: 'revoke', via: 'link' });
    // Once the grant has expired there is nothing to withdraw: a "no" is a decline, which needs a new request.
    expect(linkCommand(granted, 'decline', req, later(400))).toEqual({ kind: 'decline', via: 'link' });
  });

  test('the message names every place and how long, offers nothing, and carries both links', () => {
    const m = usageRightsMessage({
      store: 'Acme Linen',
      language: 'en',
      customerName: 'Ana',
      productTitle: 'Linen Shirt',
      media: 2,
      scope: ['product_page', 'social', 'ads'],
      grantMonths: 12,
      note: '  Love the beach photo!  ',
      grantUrl: 'https://t.example/ugc/1.2.x/grant',
      declineUrl: 'https://t.example/ugc/1.2.x/decline',
      linkExpiresAt: new Date('2027-06-02T09:00:00Z'),
    });
    expect(m.subject).toBe('May we show your review of Linen Shirt?');
    expect(m.text).toContain('May Acme Linen show the photos and videos you shared on our product page, on our social media and in our ads, with your first name, for 12 months from your answer');
    expect(m.text).toContain('\n\nLove the beach photo!\n\n');
    expect(m.text).toContain('Yes, you may use it: https://t.example/ugc/1.2.x/grant');
    expect(m.text).toContain("No, please don't: https://t.example/ugc/1.2.x/decline");
    expect(m.text).toContain('you get nothing for saying yes');
    expect(m.text).not.toMatch(/discount|coupon|voucher|gift card/i);
  });

  // The words a reward would be offered in, in the seven languages (as the review-request test reads them).
  const REWARD = /discount|coupon|voucher|reward|gift|prize|free|%|descuento|cupón|regalo|gratis|rabatt|gutschein|geschenk|kostenlos|réduction|remise|cadeau|gratuit|sconto|buono|omaggio|korting|desconto|cupão|oferta|brinde/i;
  const base = {
    store: 'Acme Linen',
    customerName: 'Ana',
    productTitle: 'Linen Shirt',
    media: 1,
    scope: ['product_page', 'ads'] as const,
    grantMonths: 6,
    note: null,
    linkExpiresAt: new Date('2027-06-02T09:00:00Z'),
  };

  test.each(REQUEST_LANGUAGES)('%s: the message is in the language, names the product, both places, the months, both links, and offers nothing', (language) => {
    const linked = usageRightsMessage({ ...base, language, grantUrl: 'https://t.example/g', declineUrl: 'https://t.example/d' });
    const english = usageRightsMessage({ ...base, language: 'en', grantUrl: 'https://t.example/g', declineUrl: 'https://t.example/d' });
    if (language !== 'en') expect(linked.text).not.toBe(english.text);
    expect(linked.subject).toContain('Linen Shirt');
    expect(linked.text).toContain('Ana');
    expect(linked.text).toContain('6');
    expect(linked.text).toContain('2027');
    expect(linked.text).toMatch(/ https:\/\/t\.example\/g\n/);
    expect(linked.text).toMatch(/ https:\/\/t\.example\/d\n/);
    expect(linked.text).not.toMatch(REWARD);
    expect(linked.subject).not.toMatch(REWARD);
    // Every place asked for is named, and no place that was not.
    const all = usageRightsMessage({ ...base, language, scope: ['product_page', 'social', 'ads'], grantUrl: null, declineUrl: null });
    const two = usageRightsMessage({ ...base, language, grantUrl: null, declineUrl: null });
    expect(all.text.length).toBeGreaterThan(two.text.length);
    expect(two.text).not.toContain('http');
    expect(two.text).not.toMatch(REWARD);
  });
});
