import { describe, expect, test } from 'vitest';
import type { Review, UgcConsentRequest } from '../../src/db/schema';
import { requestMessage } from '../../src/services/ugc-consent';
import { testConfig } from '../support/harness';

// The usage-rights message is written in the review's language when the store writes it, and in
// the store's default language otherwise.

const review = (language: string | null) =>
  ({ id: 7, language, reviewerName: 'Ana García', productTitle: 'Camisa de lino', media: [{ type: 'photo', url: 'https://x.example/a.jpg' }] }) as unknown as Review;
const request = { id: 3, scope: ['social'], grantMonths: 12, note: null, linkExpiresAt: new Date('2027-06-02T09:00:00Z') } as unknown as UgcConsentRequest;

describe('the usage-rights message', () => {
  test('follows the review’s language, and the store’s default for one it does not write', () => {
    const config = testConfig();
    expect(requestMessage(config, null, review('es'), request).subject).toBe('¿Podemos mostrar tu opinión sobre Camisa de lino?');
    expect(requestMessage(config, null, review('de-AT'), request).text).toContain('Hallo Ana,');
    expect(requestMessage(config, null, review('ja'), request).subject).toBe('May we show your review of Camisa de lino?');
    expect(requestMessage(config, null, review(null), request).text).toContain('Hello Ana,');
  });
});
