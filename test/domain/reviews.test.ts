import { beforeAll, describe, expect, test } from 'vitest';
import { InvalidInput } from '../../src/domain/errors';
import { DEFAULT_JUDGEMENT_CONFIG } from '../../src/config/judgement';
import { judge, loadLanguageDetector } from '../../src/domain/judgement';
import { loadJudgement } from '../../src/services/judgement-model';
import {
  classifyReview,
  composeResponse,
  reviewSubject,
  stars,
  suggestAcknowledgement,
  ugcTransition,
  ugcUsable,
  type UgcState,
} from '../../src/domain/reviews';

// The language detector's database is read on first use (the services load it before judging).
beforeAll(() => loadLanguageDetector());

const opts = { negativeMaxRating: 3, ugcMinRating: 4 };
const judged = (body: string, rating: number) =>
  judge({ body, source: 'review', kind: 'review', customer: { tags: [] }, rating }, DEFAULT_JUDGEMENT_CONFIG, loadJudgement());

describe('classifyReview', () => {
  test('a rating at or below the threshold is negative whatever the text says', () => {
    for (const rating of [1, 2, 3]) {
      const c = classifyReview({ rating, media: [] }, judged('Lovely, thank you!', rating), opts);
      expect(c).toMatchObject({ negative: true, why: 'rating', ugcCandidate: false });
    }
  });

  test('a 4★ review whose text reports a problem is negative, with the problem tags', () => {
    const c = classifyReview({ rating: 4, media: [] }, judged('Love it but the zip broke on day two', 4), opts);
    // Broke in use: a quality problem (policy: broken on arrival would be damaged).
    expect(c).toEqual({ negative: true, why: 'text', problemTags: ['quality'], ugcCandidate: false });
  });

  test('a happy 4★ or 5★ is not negative; with photos or video and published it is a UGC candidate', () => {
    const happy = judged('Beautiful sweater, fits perfectly, fast shipping!', 5);
    expect(classifyReview({ rating: 5, media: [] }, happy, opts)).toEqual({
      negative: false,
      why: null,
      problemTags: [],
      ugcCandidate: false,
    });
    expect(classifyReview({ rating: 5, media: [{ type: 'video' }] }, happy, opts).ugcCandidate).toBe(true);
    expect(classifyReview({ rating: 5, media: [{ type: 'image' }], published: false }, happy, opts).ugcCandidate).toBe(false);
    // Below the UGC rating (with a stricter threshold configured) it stays a plain review.
    expect(classifyReview({ rating: 4, media: [{ type: 'image' }] }, happy, { negativeMaxRating: 2, ugcMinRating: 5 }).ugcCandidate).toBe(
      false,
    );
  });

  test('the configured threshold moves the line', () => {
    // A judgement that finds no problem in the words: only the rating decides.
    const text = { suggestedTags: ['other'], sentiment: 'neutral' as const };
    expect(classifyReview({ rating: 3, media: [] }, text, { negativeMaxRating: 2, ugcMinRating: 4 }).negative).toBe(false);
    expect(classifyReview({ rating: 3, media: [] }, text, opts).negative).toBe(true);
  });
});

describe('the negative-review response', () => {
  test('is composed as acknowledgement, action, official channel', () => {
    expect(
      composeResponse({ acknowledge: ' Sorry the zip broke. ', actions: ['replacement', 'refund'], officialChannel: 'help@shop.example' }),
    ).toBe(
      'Sorry the zip broke.\n\nWe will send you a replacement. We will refund you.\n\nPlease reach us at help@shop.example so we can sort this out with you directly.',
    );
    expect(
      composeResponse({
        acknowledge: 'Sorry.',
        actions: ['contact'],
        actionDetail: 'Ana will call you today.',
        officialChannel: 'our chat',
      }),
    ).toBe('Sorry.\n\nAna will call you today.\n\nPlease reach us at our chat so we can sort this out with you directly.');
  });

  test('refuses a missing part, naming it', () => {
    const fail = (p: Parameters<typeof composeResponse>[0]) => {
      try {
        composeResponse(p);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidInput);
        return (err as InvalidInput).path[0];
      }
      throw new Error('expected a refusal');
    };
    expect(fail({ acknowledge: ' ', actions: ['contact'], officialChannel: 'x' })).toBe('acknowledge');
    expect(fail({ acknowledge: 'Sorry', actions: ['teleport'], officialChannel: 'x' })).toBe('actions');
    expect(fail({ acknowledge: 'Sorry', actions: ['refund'], officialChannel: '' })).toBe('officialChannel');
  });

  test('the suggested acknowledgement answers the specific experience, in the reviewer’s own words', () => {
    expect(
      suggestAcknowledgement({
        reviewerName: 'Priya N.',
        productTitle: 'Merino Pullover',
        problemTags: ['quality'],
        title: 'Lovely colour',
        body: 'The colour is lovely. But the zip came off on day two and the seam is already fraying. Shame.',
      }),
    ).toBe(
      'Hi Priya, thank you for telling us. We are sorry about your Merino Pullover. You wrote “But the zip came off on day two and the seam is already fraying”: that is not the experience we want you to have.',
    );
    // A rating without words: the problem the judgement found, never a stock sentence.
    expect(suggestAcknowledgement({ reviewerName: null, productTitle: 'Vase', problemTags: ['damaged'], title: '', body: '' })).toBe(
      'Hello, thank you for telling us. We are sorry your Vase arrived damaged.',
    );
  });

  test('a German review is answered in German, Spanish in Spanish, and so on for the seven languages', () => {
    const ack = suggestAcknowledgement({
      reviewerName: 'Jonas Berger',
      productTitle: 'Merino Cardigan',
      problemTags: ['damaged'],
      title: 'Leider kaputt',
      body: 'Der Reißverschluss war nach zwei Tagen kaputt.',
      language: 'de',
    });
    expect(ack).toBe(
      'Hallo Jonas, danke, dass Sie uns das geschrieben haben. Es tut uns leid, was mit dem Produkt „Merino Cardigan“ passiert ist. Sie schreiben „Der Reißverschluss war nach zwei Tagen kaputt“: So soll es bei uns nicht sein.',
    );
    expect(composeResponse({ acknowledge: ack, actions: ['replacement'], officialChannel: 'hilfe@shop.example', language: 'de' })).toBe(
      `${ack}\n\nWir schicken Ihnen Ersatz.\n\nSchreiben Sie uns bitte an hilfe@shop.example, dann klären wir das direkt mit Ihnen.`,
    );
    for (const [language, word] of [
      ['es', 'Sentimos'],
      ['fr', 'désolés'],
      ['it', 'dispiace'],
      ['nl', 'spijt'],
      ['pt', 'Lamentamos'],
    ] as const) {
      expect(suggestAcknowledgement({ problemTags: ['damaged'], title: 'x', body: '', language })).toContain(word);
    }
    // A language Trustloop does not write gets English.
    expect(composeResponse({ acknowledge: 'Przepraszamy.', actions: ['refund'], officialChannel: 'x', language: 'pl' })).toContain('We will refund you.');
  });

  test('subjects, stars and priorities', () => {
    expect(stars(2)).toBe('★★☆☆☆');
    expect(reviewSubject({ rating: 1, title: '', body: 'x'.repeat(100) })).toBe(`★☆☆☆☆ ${'x'.repeat(79)}…`);
    expect(reviewSubject({ rating: 3, title: '', body: '' })).toBe('★★★☆☆ (no text)');
  });
});

describe('UGC consent', () => {
  const s = (over: Partial<UgcState> = {}): UgcState => ({ status: 'candidate', consent: 'none', scope: [], ...over });

  test('follows requested → granted | declined, granted → revoked, declined → requested again', () => {
    expect(ugcTransition(s(), 'request')).toMatchObject({ changed: true, patch: { consent: 'requested' } });
    expect(ugcTransition(s({ consent: 'requested' }), 'granted')).toMatchObject({ changed: true, patch: { consent: 'granted' } });
    expect(ugcTransition(s({ consent: 'requested' }), 'declined')).toMatchObject({ changed: true, patch: { consent: 'declined' } });
    expect(ugcTransition(s({ consent: 'granted' }), 'revoke')).toMatchObject({ changed: true, patch: { consent: 'revoked' } });
    expect(ugcTransition(s({ consent: 'declined' }), 'request')).toMatchObject({ changed: true, patch: { consent: 'requested' } });
  });

  test('consent cannot be recorded without a request, nor revoked unless granted', () => {
    expect(ugcTransition(s(), 'granted')).toEqual({
      changed: false,
      notice: 'Request usage rights first; consent is recorded as the customer’s answer.',
    });
    expect(ugcTransition(s({ consent: 'declined' }), 'revoke')).toEqual({
      changed: false,
      notice: 'There is no granted consent to revoke.',
    });
    expect(ugcTransition(s({ status: 'skipped' }), 'approve')).toEqual({ changed: false, notice: 'This UGC candidate was skipped.' });
  });

  test('usable only when approved for a use and consent is granted', () => {
    expect(ugcUsable(s({ scope: ['ads'] }))).toBe(false);
    expect(ugcUsable(s({ consent: 'granted' }))).toBe(false);
    expect(ugcUsable(s({ consent: 'granted', scope: ['ads', 'product_page'] }))).toBe(true);
    expect(ugcUsable(s({ consent: 'revoked', scope: ['ads'] }))).toBe(false);
    expect(ugcUsable(s({ consent: 'granted', scope: ['ads'], status: 'skipped' }))).toBe(false);
  });
});
