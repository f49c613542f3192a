import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { lexiconFor } from '../../src/domain/judgement/lexicon';
import { compilePhrases, findAll, findPhrase, type Phrase } from '../../src/domain/judgement/match';
import { tokenize, type StemLanguage } from '../../src/domain/judgement/text';

// findAll indexes long phrase lists by their first word; it must find exactly what trying every
// phrase at every token finds, in the same order (the judgement is deterministic on that order).

const messages = readFileSync(new URL('../fixtures/judgement-eval.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { subject?: string; body: string });

function lists(language: StemLanguage): Phrase[][] {
  const lx = lexiconFor(language);
  const out: Phrase[][] = [lx.negations, lx.positive, lx.negative, lx.furious, lx.upset, ...lx.threats.values()];
  for (const rule of lx.tags.values()) out.push(rule.match, rule.weak, rule.presale, rule.aftersale, rule.not);
  return out.filter((l) => l.length > 0);
}

describe('findAll', () => {
  for (const language of ['en', 'es', 'de', 'fr'] as const) {
    test(`finds what the phrase-by-phrase search finds, in its order (${language} lexicon, every eval message)`, () => {
      const phraseLists = lists(language);
      let hits = 0;
      for (const m of messages) {
        const tokens = tokenize(`${m.subject ?? ''}\n${m.body}`, language);
        for (const list of phraseLists) {
          const expected = list.flatMap((p) => findPhrase(tokens, p));
          expect(findAll(tokens, list)).toEqual(expected);
          hits += expected.length;
        }
      }
      expect(hits).toBeGreaterThan(0);
    });
  }

  test('a prefix or a gap as first matchable element still matches anywhere', () => {
    const phrases = compilePhrases(['refund*', 'never * arrived', 'ship', 'wrong size', '=XL', 'money back'], 'en');
    const tokens = tokenize('Never really arrived. Refunding? I want my money back, wrong size XL, ship it', 'en');
    expect(findAll(tokens, phrases).map((h) => h.phrase)).toEqual(phrases.flatMap((p) => findPhrase(tokens, p)).map((h) => h.phrase));
    expect(findAll(tokens, phrases).map((h) => h.phrase)).toEqual([
      'refund*',
      'never * arrived',
      'ship',
      'wrong size',
      '=XL',
      'money back',
    ]);
  });
});
