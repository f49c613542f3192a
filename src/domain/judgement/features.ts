import { type CompiledConcepts, findConcepts } from './concepts';

// What the judgement model sees of a message: hashed word unigrams and bigrams and character
// n-grams of each word (fastText-style subwords, so "rembourser", "remboursement" and a typo of
// either share most of their features, in every language), plus a few facts of form (shouting,
// emoji anger) and of the channel. Pure and bounded: the cost grows with the text only up to
// MAX_FEATURE_CHARS, and a word only up to MAX_WORD_CHARS, whatever the input.

/** Characters of subject and body the model reads: the customer's point is in the opening. */
export const MAX_FEATURE_CHARS = 6_000;
/** A "word" longer than this is read by its beginning only (a 20,000-character word costs as much as this). */
const MAX_WORD_CHARS = 24;
const MIN_GRAM = 3;
const MAX_GRAM = 5;

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a, 32 bits: a feature's id. Collisions among the ~10^5 features in use are negligible in 2^32. */
export function hash32(s: string): number {
  return fnvOn(FNV_OFFSET, s, 0, s.length) >>> 0;
}

/** FNV-1a carried on from state `h` over s[from, to): hash32(a + b) is fnvOn(fnvOn(offset, a), b). */
function fnvOn(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

const URL_RE = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;
// Bounded parts: an unbounded local part is tried from every position of a long run (quadratic).
const EMAIL_RE = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}.-]{1,253}\.\p{L}{2,24}/gu;
// Letters and digits (with inner apostrophes), or one symbol/emoji at a time.
const TOKEN_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{N}]/gu;
const MARK_RE = /\p{M}+/gu;
const REPEAT_RE = /(\p{L})\1{2,}/gu;

/** Lower case, accents folded, letters repeated for emphasis ("soooo") cut to two. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARK_RE, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[’‘`´]/g, "'")
    .replace(REPEAT_RE, '$1$1');
}

function numberShape(token: string): string {
  // The size of a number says more than its value: an order number, a year, a price, a count.
  return token.length >= 5 ? '#5+' : `#${token.length}`;
}

export interface FeatureInput {
  subject?: string | null;
  body: string;
  source: string;
  kind: string;
  rating?: number | null;
}

/**
 * How much each kind of feature weighs against the others. A word of eight letters gives
 * eighteen character n-grams but one word feature; left alone, the subwords would drown the
 * words and the concepts in the vector's length.
 */
export const FAMILY_WEIGHTS: Record<string, number> = {
  w: 1,
  b: 1,
  c: 0.5,
  k: 3,
  form: 1,
  src: 1,
  kind: 1,
  rating: 1,
};

/**
 * Feature id → term weight for one message (with the lexicon's concepts when one is given): the
 * sublinear count (1 + ln n) times its family's weight. The model multiplies in the idf.
 */
export function extractFeatures(input: FeatureInput, concepts?: CompiledConcepts): Map<number, number> {
  const counts = new Map<number, number>();
  const family = new Map<number, number>();
  // A feature's id is the hash of "family:text", carried on from the family's prefix, so the
  // hundreds of n-grams of a message are hashed where they lie instead of built as strings first.
  const addId = (h: number, weight: number) => {
    const id = h >>> 0;
    const n = counts.get(id);
    if (n === undefined) {
      counts.set(id, 1);
      family.set(id, weight);
    } else counts.set(id, n + 1);
  };
  const add = (key: string) => addId(hash32(key), FAMILY_WEIGHTS[key.slice(0, key.indexOf(':'))] ?? 1);
  const raw = `${input.subject ?? ''}\n${input.body}`.slice(0, MAX_FEATURE_CHARS);

  add(`src:${input.source}`);
  add(`kind:${input.kind}`);
  if (input.kind === 'review' && typeof input.rating === 'number') add(`rating:${Math.round(input.rating)}`);

  // Form: shouting, repeated marks, emoji.
  const caps = raw.match(/\b\p{Lu}{3,}\b/gu)?.length ?? 0;
  const words = raw.match(/\p{L}{3,}/gu)?.length ?? 0;
  if (caps >= 2 && caps >= words * 0.3) add('form:shout');
  if (/[!?]{3,}/.test(raw)) add('form:marks');
  if (raw.length < 40) add('form:short');
  else if (raw.length > 1500) add('form:long');

  const text = normalise(raw.replace(URL_RE, ' urlx ').replace(EMAIL_RE, ' emailx '));
  let prev = '<s>';
  const tokens: string[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    let tok = m[0];
    tokens.push(tok.length > MAX_WORD_CHARS ? tok.slice(0, MAX_WORD_CHARS) : tok);
    if (/^\p{N}+$/u.test(tok)) tok = numberShape(tok);
    else if (tok.length > MAX_WORD_CHARS) tok = tok.slice(0, MAX_WORD_CHARS);
    addId(fnvOn(WORD, tok, 0, tok.length), FAMILY_WEIGHTS.w!);
    addId(fnvOn(fnvOn(fnvOn(BIGRAM, prev, 0, prev.length), ' ', 0, 1), tok, 0, tok.length), FAMILY_WEIGHTS.b!);
    prev = tok;
    if (tok.length >= 3 && /\p{L}/u.test(tok)) {
      const padded = `<${tok}>`;
      for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
        for (let i = 0; i + n <= padded.length; i++) addId(fnvOn(CHARS, padded, i, i + n), FAMILY_WEIGHTS.c!);
      }
    }
  }
  add(`b:${prev} </s>`);
  if (concepts) for (const c of findConcepts(concepts, tokens)) add(`k:${c}`);
  for (const [id, n] of counts) counts.set(id, (1 + Math.log(n)) * family.get(id)!);
  return counts;
}

/** The hash states after each family's prefix. */
const WORD = fnvOn(FNV_OFFSET, 'w:', 0, 2);
const BIGRAM = fnvOn(FNV_OFFSET, 'b:', 0, 2);
const CHARS = fnvOn(FNV_OFFSET, 'c:', 0, 2);

/** The ids of the word features of a text: the words of three letters or more, as the model sees them. */
export function wordIds(raw: string): number[] {
  const text = normalise(raw.slice(0, MAX_FEATURE_CHARS).replace(URL_RE, ' ').replace(EMAIL_RE, ' '));
  const ids: number[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const tok = m[0];
    if (tok.length >= 3 && /^\p{L}+$/u.test(tok)) ids.push(hash32(`w:${tok.slice(0, MAX_WORD_CHARS)}`));
  }
  return ids;
}
