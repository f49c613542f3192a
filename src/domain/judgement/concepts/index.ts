import { AFTER_SALES } from './after-sales';
import { PRE_SALES } from './pre-sales';
import { RISK_VOICE } from './risk-voice';
import { type ConceptTable, CONCEPT_LANGUAGES } from './types';

const DEFAULT_TABLES: readonly ConceptTable[] = [PRE_SALES, AFTER_SALES, RISK_VOICE];

// Finds the concepts of the lexicon in a message's words (already folded by features.ts).
// Compiled once: every entry is indexed by its first word's first three letters, so each token
// tries only the few entries that could start at it, and the cost is linear in the message.

interface Pattern {
  concept: string;
  parts: { word: string; prefix: boolean }[];
}

export interface CompiledConcepts {
  byHead: Map<string, Pattern[]>;
  names: string[];
}

const head = (word: string) => word.slice(0, 3);

export function compileConcepts(...tables: ConceptTable[]): CompiledConcepts {
  const byHead = new Map<string, Pattern[]>();
  const names: string[] = [];
  for (const table of tables) {
    for (const [concept, languages] of Object.entries(table)) {
      names.push(concept);
      const seen = new Set<string>();
      for (const lang of CONCEPT_LANGUAGES) {
        for (const entry of languages[lang] ?? []) {
          const clean = entry.trim().toLowerCase();
          if (!clean || seen.has(clean)) continue;
          seen.add(clean);
          const parts = clean.split(/\s+/).map((w) => (w.endsWith('*') ? { word: w.slice(0, -1), prefix: true } : { word: w, prefix: false }));
          if (parts.some((p) => p.word.length === 0)) continue;
          const key = head(parts[0]!.word);
          const list = byHead.get(key) ?? [];
          list.push({ concept, parts });
          byHead.set(key, list);
        }
      }
    }
  }
  return { byHead, names };
}

const matches = (token: string, p: { word: string; prefix: boolean }) => (p.prefix ? token.startsWith(p.word) : token === p.word);

/** The concepts found in the tokens (each once), for the feature vector. */
export function findConcepts(compiled: CompiledConcepts, tokens: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const candidates = compiled.byHead.get(head(tokens[i]!));
    if (!candidates) continue;
    for (const c of candidates) {
      if (found.has(c.concept) || i + c.parts.length > tokens.length) continue;
      if (c.parts.every((p, k) => matches(tokens[i + k]!, p))) found.add(c.concept);
    }
  }
  return found;
}

let compiled: CompiledConcepts | null = null;

/** The lexicon Trustloop ships, compiled once. */
export function defaultConcepts(): CompiledConcepts {
  compiled ??= compileConcepts(...DEFAULT_TABLES);
  return compiled;
}

/** Changes whenever the lexicon does: a model trained with another lexicon must be retrained. */
export function conceptsFingerprint(): number {
  let h = 0x811c9dc5;
  const text = JSON.stringify(DEFAULT_TABLES);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
