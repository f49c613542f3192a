import type { Money } from './types';

// Money mentioned in the message, with its currency. A number with no currency next to it is
// never an amount, so order numbers ("order #10045", "Bestellung 4411") are left alone, and a
// number written right after an order word or "#" is skipped even when a symbol follows it.

const SYMBOLS: [string, string][] = [
  ['US$', 'USD'],
  ['CA$', 'CAD'],
  ['C$', 'CAD'],
  ['AU$', 'AUD'],
  ['A$', 'AUD'],
  ['NZ$', 'NZD'],
  ['R$', 'BRL'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['$', 'USD'],
  ['¥', 'JPY'],
  ['zł', 'PLN'],
];

const CODES = [
  'EUR',
  'USD',
  'GBP',
  'CAD',
  'AUD',
  'NZD',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'JPY',
  'BRL',
  'MXN',
  'INR',
  'SGD',
  'HKD',
];
const WORDS: [string, string][] = [
  ['euros', 'EUR'],
  ['euro', 'EUR'],
  ['dollars', 'USD'],
  ['bucks', 'USD'],
];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const symbolAlt = SYMBOLS.map(([s]) => esc(s)).join('|');
const codeAlt = CODES.join('|');
const wordAlt = WORDS.map(([w]) => w).join('|');
const NUMBER = String.raw`\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;

const BEFORE = new RegExp(String.raw`(?<![\p{L}\d])(${symbolAlt}|${codeAlt})\s?(${NUMBER})(?![\d])`, 'gu');
const AFTER = new RegExp(String.raw`(?<![\p{L}\d#.,])(${NUMBER})\s?(${symbolAlt}|${codeAlt}|${wordAlt})(?![\p{L}])`, 'giu');

const ORDER_WORDS =
  /(?:#|\b(?:order|orders|ord|no|nr|num|number|bestellung|bestellnummer|auftrag|pedido|commande|ordine|encomenda|bestelling|zamówienie|invoice|ref|tracking)\.?\s*(?:no\.?|nr\.?|number|n°|nº|#)?\s*)$/iu;

function currencyOf(token: string): string | undefined {
  const sym = SYMBOLS.find(([s]) => s === token);
  if (sym) return sym[1];
  const upper = token.toUpperCase();
  if (CODES.includes(upper)) return upper;
  return WORDS.find(([w]) => w === token.toLowerCase())?.[1];
}

/** "1,299.99", "1.299,99", "349,00", "1 299" → "1299.99", "1299.99", "349.00", "1299.00". */
export function parseNumber(raw: string): number | null {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '');
  const lastSep = Math.max(s.lastIndexOf(','), s.lastIndexOf('.'));
  let normal: string;
  if (lastSep === -1) normal = s;
  else {
    const decimals = s.length - lastSep - 1;
    const intPart = s.slice(0, lastSep).replace(/[.,]/g, '');
    normal = decimals === 3 ? intPart + s.slice(lastSep + 1) : `${intPart}.${s.slice(lastSep + 1)}`;
  }
  const n = Number(normal);
  return Number.isFinite(n) ? n : null;
}

interface Found extends Money {
  at: number;
  end: number;
}

export function parseAmounts(text: string): Money[] {
  const found: Found[] = [];
  const push = (at: number, end: number, num: string, cur: string | undefined) => {
    const value = parseNumber(num);
    if (cur === undefined || value === null || value <= 0) return;
    if (found.some((f) => f.at < end && at < f.end)) return;
    found.push({ at, end, value: value.toFixed(2), currency: cur });
  };
  for (const m of text.matchAll(BEFORE)) {
    push(m.index, m.index + m[0].length, m[2]!, currencyOf(m[1]!));
  }
  for (const m of text.matchAll(AFTER)) {
    if (ORDER_WORDS.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
    push(m.index, m.index + m[0].length, m[1]!, currencyOf(m[2]!));
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: Money[] = [];
  for (const f of found) {
    const key = `${f.value} ${f.currency}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ value: f.value, currency: f.currency });
  }
  return out;
}
