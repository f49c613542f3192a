import { readFile } from 'node:fs/promises';
import type { eld as Eld } from 'eld/extrasmall';

// eld's extra-small n-gram database, held compactly. Importing it as eld ships it (one object
// literal of 49,553 n-grams, each an object of language scores) costs some 45 MB of live heap and
// about 80 MB resident once parsed, the largest single thing in a Trustloop process. Here the same
// file is read as text and its entries packed into typed arrays behind one index (a few MB), and
// eld's own detector is given a view that builds each n-gram's scores when it is looked up: the
// decisions and scores are eld's, bit for bit (test/domain/language-data.test.ts compares them
// over the labelled messages). When the package's files are not laid out as expected, the caller
// falls back to eld's own import.

type Detector = typeof Eld;

interface PackedNgrams {
  type: string;
  languages: Record<number, string>;
  index: Map<string, number>;
  /** Entry i's scores are pairs start[i] .. start[i + 1] - 1. */
  start: Uint32Array;
  langs: Uint8Array;
  scores: Int32Array;
}

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}
  expect(s: string): void {
    if (!this.text.startsWith(s, this.at)) throw new Error(`eld data: expected ${s} at ${this.at}`);
    this.at += s.length;
  }
  seek(s: string): void {
    const i = this.text.indexOf(s, this.at);
    if (i < 0) throw new Error(`eld data: no ${s}`);
    this.at = i + s.length;
  }
  peek(): string {
    return this.text[this.at]!;
  }
  int(): number {
    const from = this.at;
    while (this.text.charCodeAt(this.at) >= 48 && this.text.charCodeAt(this.at) <= 57) this.at++;
    if (from === this.at) throw new Error(`eld data: expected a number at ${from}`);
    return Number(this.text.slice(from, this.at));
  }
  /** A key: a single-quoted string (its only escape is a backslash before a character) or a bare name. */
  key(): string {
    if (this.peek() !== "'") {
      const from = this.at;
      while (this.at < this.text.length && this.text[this.at] !== ':') this.at++;
      return this.text.slice(from, this.at);
    }
    this.at++;
    let out = '';
    for (;;) {
      const c = this.text[this.at++];
      if (c === undefined) throw new Error('eld data: unterminated string');
      if (c === "'") return out;
      out += c === '\\' ? this.text[this.at++]! : c;
    }
  }
}

export function packNgrams(text: string): PackedNgrams {
  const s = new Scanner(text);
  s.seek('type:');
  const type = s.key();
  s.seek('languages:{');
  const languages: Record<number, string> = {};
  while (s.peek() !== '}') {
    const n = s.int();
    s.expect(':');
    languages[n] = s.key();
    if (s.peek() === ',') s.expect(',');
  }
  s.seek('ngrams:{');
  const index = new Map<string, number>();
  const start: number[] = [0];
  const langs: number[] = [];
  const scores: number[] = [];
  while (s.peek() !== '}') {
    const key = s.key();
    s.expect(':{');
    while (s.peek() !== '}') {
      langs.push(s.int());
      s.expect(':');
      scores.push(s.int());
      if (s.peek() === ',') s.expect(',');
    }
    s.expect('}');
    index.set(key, start.length - 1);
    start.push(langs.length);
    if (s.peek() === ',') s.expect(',');
  }
  return { type, languages, index, start: Uint32Array.from(start), langs: Uint8Array.from(langs), scores: Int32Array.from(scores) };
}

/** What eld's detector reads from `ngrams[key]`: the n-gram's score per language index. */
function ngramView(p: PackedNgrams): Record<string, Record<number, number>> {
  return new Proxy({} as Record<string, Record<number, number>>, {
    get(_, key) {
      const i = typeof key === 'string' ? p.index.get(key) : undefined;
      if (i === undefined) return undefined;
      const scores: Record<number, number> = {};
      for (let j = p.start[i]!; j < p.start[i + 1]!; j++) scores[p.langs[j]!] = p.scores[j]!;
      return scores;
    },
  });
}

/** eld's detector over its extra-small database held compactly; null when eld's files are not where this expects them. */
export async function compactDetector(): Promise<Detector | null> {
  try {
    const entry = import.meta.resolve('eld/extrasmall');
    const packed = packNgrams(await readFile(new URL('../ngrams/extrasmall.js', entry), 'utf8'));
    const { createEld } = (await import(new URL('../languageDetector.js', entry).href)) as {
      createEld(): { instance: Detector; loadData(data: unknown): unknown };
    };
    const { instance, loadData } = createEld();
    loadData({ type: packed.type, languages: packed.languages, ngrams: ngramView(packed) });
    return instance;
  } catch {
    return null;
  }
}
