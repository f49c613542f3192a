import { describe, expect, test } from 'vitest';
import { linkToken, verifyLinkToken } from '../../src/domain/customer-link';
import { buildRequestEmail, REQUEST_LANGUAGES, requestLanguage } from '../../src/domain/review-request-email';

const model = {
  storeName: 'Acme Linen',
  customerName: 'Jane Doe',
  products: [{ name: 'Linen Shirt', url: 'https://acme.example/p/LS#reviews' }],
  step: 0,
  media: 'photo' as const,
  unsubscribeUrl: 'https://trustloop.example.com/u/7.abc',
};

// Words that would make a request pay for or steer a rating, in the seven languages.
const REWARD = /discount|coupon|voucher|reward|gift|prize|free|%|5 ?stars|descuento|cupón|regalo|gratis|rabatt|gutschein|geschenk|kostenlos|réduction|remise|cadeau|gratuit|sconto|buono|regalo|omaggio|korting|cadeau|gratis|desconto|cupão|oferta|brinde/i;

describe('the review request e-mail', () => {
  test.each(REQUEST_LANGUAGES)('%s: greets by first name, asks honestly, offers no reward, links the review and the unsubscribe', (language) => {
    for (const step of [0, 1, 2]) {
      for (const media of ['none', 'photo', 'video'] as const) {
        const m = buildRequestEmail({ ...model, language, step, media });
        expect(m.subject).toContain('Acme Linen');
        expect(m.text).toContain('Jane');
        expect(m.text).not.toContain('Doe');
        expect(m.text).toContain('https://acme.example/p/LS#reviews');
        expect(m.text.trimEnd().endsWith('https://trustloop.example.com/u/7.abc')).toBe(true);
        expect(`${m.subject}\n${m.text}`).not.toMatch(REWARD);
      }
    }
    const first = buildRequestEmail({ ...model, language, media: 'none' });
    const reminder = buildRequestEmail({ ...model, language, step: 1, media: 'none' });
    expect(reminder.subject).not.toBe(first.subject);
    expect(reminder.text.length).toBeGreaterThan(first.text.length);
    expect(buildRequestEmail({ ...model, language, media: 'video' }).text).not.toBe(buildRequestEmail({ ...model, language, media: 'photo' }).text);
  });

  test('several products are each linked; a missing name greets without one', () => {
    const m = buildRequestEmail({
      ...model,
      language: 'en',
      customerName: null,
      products: [
        { name: 'Linen Shirt', url: 'https://a/1' },
        { name: 'Mug', url: 'https://a/2' },
      ],
    });
    expect(m.text.startsWith('Hello,\n')).toBe(true);
    expect(m.text).toContain('Linen Shirt and Mug');
    expect(m.text).toContain('Linen Shirt: https://a/1\nMug: https://a/2');
  });

  test('the language: the customer’s, else their country’s, else the store’s default', () => {
    expect(requestLanguage('pt-BR', 'DE', REQUEST_LANGUAGES, 'en')).toBe('pt');
    expect(requestLanguage(null, 'AT', REQUEST_LANGUAGES, 'en')).toBe('de');
    expect(requestLanguage('pl', 'PL', REQUEST_LANGUAGES, 'en')).toBe('en');
    expect(requestLanguage(null, 'FR', ['en', 'de'], 'de')).toBe('de');
  });
});

describe('signed customer links', () => {
  test('open only the record and purpose they were signed for; a rotated secret still verifies', () => {
    const token = linkToken(['secret-one-0123456789'], 'unsubscribe', 42);
    expect(verifyLinkToken(['secret-one-0123456789'], 'unsubscribe', token)).toBe(42);
    expect(verifyLinkToken(['secret-one-0123456789'], 'ugc_consent', token)).toBeNull();
    expect(verifyLinkToken(['secret-two-0123456789', 'secret-one-0123456789'], 'unsubscribe', token)).toBe(42);
    expect(verifyLinkToken(['secret-two-0123456789'], 'unsubscribe', token)).toBeNull();
    expect(verifyLinkToken(['secret-one-0123456789'], 'unsubscribe', token.replace(/^42/, '43'))).toBeNull();
    expect(verifyLinkToken(['secret-one-0123456789'], 'unsubscribe', 'garbage')).toBeNull();
  });
});
