import { fold, rawTokens, stemWord, type StemLanguage, type Token } from './text';

// Compiles the phrase syntax described in lexicon/types.ts and finds phrases in a token stream.

type Element =
  { kind: 'stem'; value: string } | { kind: 'prefix'; value: string } | { kind: 'exact'; value: string } | { kind: 'gap'; max: number };

export interface Phrase {
  source: string;
  elements: Element[];
}

export interface Span {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface Hit extends Span {
  phrase: string;
}

const GAP = 3;

export function compilePhrase(source: string, language: StemLanguage): Phrase | null {
  const elements: Element[] = [];
  for (const piece of source.trim().split(/\s+/)) {
    if (piece === '*') {
      if (elements.length > 0) elements.push({ kind: 'gap', max: GAP });
    } else if (piece.startsWith('=')) {
      for (const t of rawTokens(piece.slice(1))) elements.push({ kind: 'exact', value: fold(t) });
    } else if (piece.length > 1 && piece.endsWith('*')) {
      elements.push({ kind: 'prefix', value: fold(piece.slice(0, -1)) });
    } else {
      for (const t of rawTokens(piece)) {
        if (/^[.!?;]+$/.test(t)) continue;
        elements.push({ kind: 'stem', value: stemWord(t, language) });
      }
    }
  }
  while (elements.at(-1)?.kind === 'gap') elements.pop();
  return elements.length > 0 ? { source, elements } : null;
}

export function compilePhrases(sources: readonly string[] | undefined, language: StemLanguage): Phrase[] {
  const out: Phrase[] = [];
  for (const s of sources ?? []) {
    const p = compilePhrase(s, language);
    if (p) out.push(p);
  }
  return out;
}

function accepts(el: Element, t: Token): boolean {
  switch (el.kind) {
    case 'stem':
      return t.stem === el.value || t.surface === el.value;
    case 'prefix':
      return t.surface.startsWith(el.value);
    case 'exact':
      return t.surface === el.value;
    case 'gap':
      return false;
  }
}

function matchFrom(tokens: readonly Token[], elements: readonly Element[], ei: number, ti: number, sentence: number): number {
  if (ei === elements.length) return ti;
  const el = elements[ei]!;
  if (el.kind === 'gap') {
    for (let skip = 0; skip <= el.max; skip++) {
      const at = ti + skip;
      if (at >= tokens.length || tokens[at]!.sentence !== sentence) break;
      const end = matchFrom(tokens, elements, ei + 1, at, sentence);
      if (end >= 0) return end;
    }
    return -1;
  }
  const t = tokens[ti];
  if (!t || t.sentence !== sentence || !accepts(el, t)) return -1;
  return matchFrom(tokens, elements, ei + 1, ti + 1, sentence);
}

/** Every place a phrase matches, left to right, shortest match at each start. */
export function findPhrase(tokens: readonly Token[], phrase: Phrase): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const end = matchFrom(tokens, phrase.elements, 0, i, tokens[i]!.sentence);
    if (end >= 0) hits.push({ start: i, end, phrase: phrase.source });
  }
  return hits;
}

/** Phrases by what their first element can match, so a token is only tried against phrases that could start at it. */
interface PhraseIndex {
  /** First element 'stem' or 'exact': its value (a token matches by its stem or its surface form). */
  byFirst: Map<string, number[]>;
  /** First element 'prefix': tried against every token. */
  prefixed: number[];
}

const INDEX_FROM = 2;
const indexes = new WeakMap<readonly Phrase[], PhraseIndex>();

function phraseIndex(phrases: readonly Phrase[]): PhraseIndex {
  let index = indexes.get(phrases);
  if (index) return index;
  index = { byFirst: new Map(), prefixed: [] };
  phrases.forEach((p, pi) => {
    const first = p.elements[0]!;
    if (first.kind === 'prefix') index!.prefixed.push(pi);
    else if (first.kind !== 'gap') {
      const list = index!.byFirst.get(first.value);
      if (list) list.push(pi);
      else index!.byFirst.set(first.value, [pi]);
    }
  });
  indexes.set(phrases, index);
  return index;
}

/**
 * Every hit of every phrase, in phrase order and left to right within a phrase (the order of
 * trying each phrase in turn). Long lists (the lexicons compile once, so their index is kept)
 * only try the phrases whose first word the token can be; the result is the same.
 */
export function findAll(tokens: readonly Token[], phrases: readonly Phrase[]): Hit[] {
  if (phrases.length < INDEX_FROM) return phrases.flatMap((p) => findPhrase(tokens, p));
  const { byFirst, prefixed } = phraseIndex(phrases);
  const found: { pi: number; hit: Hit }[] = [];
  const candidates = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    candidates.clear();
    for (const pi of byFirst.get(t.stem) ?? []) candidates.add(pi);
    for (const pi of byFirst.get(t.surface) ?? []) candidates.add(pi);
    for (const pi of prefixed) candidates.add(pi);
    for (const pi of candidates) {
      const phrase = phrases[pi]!;
      const end = matchFrom(tokens, phrase.elements, 0, i, t.sentence);
      if (end >= 0) found.push({ pi, hit: { start: i, end, phrase: phrase.source } });
    }
  }
  found.sort((a, b) => a.pi - b.pi || a.hit.start - b.hit.start);
  return found.map((f) => f.hit);
}

export function inside(hit: Span, spans: readonly Span[]): boolean {
  return spans.some((s) => s.start <= hit.start && hit.end <= s.end);
}

export function overlaps(hit: Span, spans: readonly Span[]): boolean {
  return spans.some((s) => s.start < hit.end && hit.start < s.end);
}
