import { SentimentAnalyzer } from 'natural/lib/natural/sentiment/index.js';

// Word-level polarity from natural's lexicons: AFINN-165 for English, Spanish and Portuguese,
// the Pattern lexicons for German, French, Italian and Dutch. The engine adds shop-specific
// cues on top (a "broken" lamp is negative even when the lexicon has no opinion on "broken").

const VOCABULARY: Record<string, [string, 'afinn' | 'pattern', number]> = {
  en: ['English', 'afinn', 1],
  es: ['Spanish', 'afinn', 1],
  pt: ['Portuguese', 'afinn', 1],
  de: ['German', 'pattern', 4],
  fr: ['French', 'pattern', 4],
  it: ['Italian', 'pattern', 4],
  nl: ['Dutch', 'pattern', 4],
};

const analyzers = new Map<string, SentimentAnalyzer | null>();

function analyzerFor(language: string): { analyzer: SentimentAnalyzer; scale: number } | null {
  const spec = VOCABULARY[language];
  if (!spec) return null;
  let analyzer = analyzers.get(language);
  if (analyzer === undefined) {
    analyzer = new SentimentAnalyzer(spec[0], undefined, spec[1]);
    analyzers.set(language, analyzer);
  }
  return analyzer ? { analyzer, scale: spec[2] } : null;
}

/**
 * Sum of word polarities (not the library's per-word average, which long, calm messages
 * would dilute), on AFINN's −5…+5 scale per word.
 */
export function lexiconPolarity(words: readonly string[], language: string): number {
  const a = analyzerFor(language === 'und' ? 'en' : language);
  if (!a || words.length === 0) return 0;
  const lower = words.map((w) => w.toLowerCase());
  return a.analyzer.getSentiment(lower) * lower.length * a.scale;
}
