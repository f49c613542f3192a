import type { eld as Eld } from 'eld/extrasmall';
import { compactDetector } from './language-data';

// Language identification with eld (n-gram detector, database shipped in the package, no download;
// the extra-small database: about 110 MB less memory than the medium one, the same decisions on
// the labelled set bar one message). Short or uncertain text is not called foreign: "ok", "Danke!" or an order number
// must not send a case to a human for its language.
//
// Even the extra-small database is some 80 MB resident once its module is read: it is held
// compactly instead (language-data.ts, a few MB), and read when the first text is judged
// (loadLanguageDetector), not when Trustloop starts: an instance at rest does not carry it.

let eld: typeof Eld | null = null;

/** Reads eld's n-gram database (once per process); detectLanguage needs it. */
export async function loadLanguageDetector(): Promise<void> {
  eld ??= (await compactDetector()) ?? (await import('eld/extrasmall')).eld;
}

export interface LanguageGuess {
  language: string;
  supported: boolean;
}

const MIN_LETTERS_TO_FLAG = 25;
const CLOSE_ENOUGH = 0.9;

/** Strips what says nothing about the language: links, addresses, Slack-looking markup, codes, numbers. */
export function languageSample(text: string): string {
  return text
    .replace(/<[^<>\s]{1,200}>/g, ' ')
    .replace(/https?:\/\/\S+|www\.\S+/gi, ' ')
    // Bounded repeats: an unbounded one is retried from every position of a long run (quadratic).
    .replace(/[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{1,24}/g, ' ')
    .replace(/#?\b\p{L}{0,40}\d[\p{L}\d-]{0,40}\b/gu, ' ')
    .replace(/[^\p{L}\s'’.,!?¿¡-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function detectLanguage(text: string, supported: readonly string[]): LanguageGuess {
  const sample = languageSample(text);
  const letters = (sample.match(/\p{L}/gu) ?? []).length;
  if (letters < 3) return { language: 'und', supported: true };
  if (!eld) throw new Error('detectLanguage needs loadLanguageDetector() first');
  const result = eld.detect(sample);
  const top = result.language;
  if (!top) return { language: 'und', supported: true };
  if (supported.includes(top)) return { language: top, supported: true };
  const scores = result.getScores();
  const topScore = scores[top] ?? 0;
  const runnerUp = supported
    .map((code) => ({ code, score: scores[code] ?? 0 }))
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code))[0];
  const unsure = letters < MIN_LETTERS_TO_FLAG || !result.isReliable();
  if (unsure) {
    if (runnerUp && runnerUp.score >= topScore * CLOSE_ENOUGH) return { language: runnerUp.code, supported: true };
    return { language: 'und', supported: true };
  }
  return { language: top, supported: false };
}
