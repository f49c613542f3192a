import { RegexpTokenizer } from 'natural/lib/natural/tokenizers/index.js';
import { PorterStemmer, PorterStemmerDe, PorterStemmerEs, PorterStemmerFr } from 'natural/lib/natural/stemmers/index.js';

// Tokenising and stemming come from `natural`. Its per-language "aggressive" tokenizers drop
// accented letters and digits, so we use its RegexpTokenizer with a Unicode word pattern;
// sentence punctuation is kept as tokens so a phrase never matches across two sentences.
// natural is imported by sub-path: its index also loads database back-ends and dotenv.

export type StemLanguage = 'en' | 'es' | 'de' | 'fr';

export interface Token {
  /** Lower case, accents removed: what prefix rules (`refund*`) compare against. */
  surface: string;
  /** Stem in the message's language, accents removed. */
  stem: string;
  /** The token as written (case kept), for the capitals check. */
  raw: string;
  /** Sentence number; gaps in a phrase stay inside one sentence. */
  sentence: number;
  /** Index in the original token stream, counting punctuation. */
  position: number;
}

const tokenizer = new RegexpTokenizer({
  pattern: /\p{N}+(?:[.,]\p{N}+)+|[\p{L}\p{M}\p{N}]+|[.!?;]+|[#%€$£]|\p{Extended_Pictographic}\uFE0F?/gu,
  gaps: false,
});

const STEMMERS = { en: PorterStemmer, es: PorterStemmerEs, de: PorterStemmerDe, fr: PorterStemmerFr } as const;

export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

export function stemWord(word: string, language: StemLanguage): string {
  const lower = word.normalize('NFC').toLowerCase();
  if (/^\p{N}/u.test(lower)) return lower;
  return fold(STEMMERS[language].stem(lower));
}

/** Curly quotes and apostrophes become straight ones; nothing else is rewritten. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
}

export function rawTokens(text: string): string[] {
  return tokenizer.tokenize(normaliseText(text)) ?? [];
}

export function tokenize(text: string, language: StemLanguage): Token[] {
  const out: Token[] = [];
  let sentence = 0;
  rawTokens(text).forEach((raw, position) => {
    if (/^[.!?;]+$/.test(raw)) {
      sentence++;
      return;
    }
    out.push({ raw, surface: fold(raw), stem: stemWord(raw, language), sentence, position });
  });
  return out;
}
