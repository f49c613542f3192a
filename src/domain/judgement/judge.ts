import { DEFAULT_JUDGEMENT_CONFIG, type JudgementConfig } from '../../config/judgement';
import { parseAmounts, parseNumber } from './amounts';
import { detectLanguage } from './language';
import { compileTagRule, lexiconFor, type CompiledLexicon, type CompiledTagRule } from './lexicon';
import { words as STOPWORDS } from 'natural/lib/natural/util/stopwords.js';
import { findAll, overlaps, type Hit, type Phrase } from './match';
import { lexiconPolarity } from './sentiment';
import { tokenize, type StemLanguage, type Token } from './text';
import {
  AUTOMATABLE_TOPICS,
  type AutomatableTopic,
  type Intensity,
  type Judgement,
  type JudgementInput,
  type Money,
  type Reason,
  type Sentiment,
  type Threat,
} from './types';

// The judgement engine: suggested tags, sentiment, threats and the must-escalate decision for
// one incoming message. Pure and deterministic: no clock, no I/O, no randomness; the same
// message and config always give the same Judgement.

/** Very long threads are judged on their opening, where the customer states the problem. */
const MAX_CHARS = 20_000;
const NEGATION_WINDOW = 4;

const STEM_LANGUAGES: readonly StemLanguage[] = ['en', 'es', 'de', 'fr'];

const TOPIC_OF_TAG: Record<string, AutomatableTopic> = {
  order_status: 'order_tracking',
  shipping_delay: 'order_tracking',
  delivery_time: 'delivery_estimate',
  sizing: 'size_chart',
  material: 'materials_care',
  return_policy: 'return_policy',
  payment: 'payment_methods',
  discount_code: 'discount_code_rules',
  stock: 'back_in_stock',
};

const AFTER_SALES_PROBLEMS = ['shipping_delay', 'damaged', 'missing_item', 'wrong_item', 'quality', 'chargeback', 'complaint'];

interface Analysis {
  tokens: Token[];
  lx: CompiledLexicon;
  negations: Hit[];
  hits: (phrases: readonly Phrase[]) => Hit[];
}

function analyse(text: string, language: StemLanguage): Analysis {
  const tokens = tokenize(text, language);
  const lx = lexiconFor(language);
  return { tokens, lx, negations: findAll(tokens, lx.negations), hits: (phrases) => findAll(tokens, phrases) };
}

function negated(a: Analysis, hit: Hit): boolean {
  const first = a.tokens[hit.start]!;
  return a.negations.some((n) => {
    const t = a.tokens[n.start]!;
    return t.sentence === first.sentence && n.end <= hit.start && hit.start - n.end < NEGATION_WINDOW;
  });
}

interface TagScore {
  strong: Hit[];
  weak: Hit[];
}

function scoreTag(a: Analysis, rule: CompiledTagRule, presale: boolean): TagScore {
  const excluded = a.hits(rule.not);
  const keep = (h: Hit) => !overlaps(h, excluded) && !(rule.negatable && negated(a, h));
  const strong = [...a.hits(rule.match), ...a.hits(presale ? rule.presale : rule.aftersale)].filter(keep);
  const weak = a.hits(rule.weak).filter(keep);
  return { strong, weak };
}

function tagged(s: TagScore | undefined): boolean {
  if (!s) return false;
  if (s.strong.length > 0) return true;
  // Two different weak cues at different places: "weeks" and "weeks ago" on the same word,
  // or "small" twice, count once.
  return s.weak.some((x) => s.weak.some((y) => x.phrase !== y.phrase && x.start !== y.start));
}

/** Built-in rules, with the workspace's extra phrases merged in (or replacing them). */
function tagRules(lx: CompiledLexicon, config: JudgementConfig): Map<string, CompiledTagRule> {
  if (Object.keys(config.keywords).length === 0) return lx.tags;
  const rules = new Map(lx.tags);
  for (const [tag, kw] of Object.entries(config.keywords).sort(([a], [b]) => a.localeCompare(b))) {
    const extra = compileTagRule({ match: kw.phrases, not: kw.exclude }, lx.language);
    const base = rules.get(tag);
    if (kw.mode === 'override' || !base) rules.set(tag, extra);
    else rules.set(tag, { ...base, match: [...base.match, ...extra.match], not: [...base.not, ...extra.not] });
  }
  return rules;
}

function sentenceOf(a: Analysis, hit: Hit): number {
  return a.tokens[hit.start]!.sentence;
}

/**
 * Damage words ("broke", "cracked") mean damaged in transit, unless the sentence talks about
 * use ("after two weeks", "first time I used it") and not about arrival: then it is quality.
 */
function splitDamage(a: Analysis, damage: TagScore): { damaged: Hit[]; quality: Hit[] } {
  const usage = new Set(a.hits(a.lx.usage).map((h) => sentenceOf(a, h)));
  const arrival = new Set(a.hits(a.lx.arrival).map((h) => sentenceOf(a, h)));
  const damaged: Hit[] = [];
  const quality: Hit[] = [];
  for (const h of damage.strong) {
    const s = sentenceOf(a, h);
    (usage.has(s) && !arrival.has(s) ? quality : damaged).push(h);
  }
  return { damaged, quality };
}

/** Sentiment weights (library polarity is AFINN-scaled, cues count phrase hits). */
const W = {
  libraryWarm: 0.25,
  libraryCold: 0.5,
  positiveCue: 1.5,
  negativeCue: 1,
  furiousCue: 2,
  upsetCue: 1,
  problem: 2,
  warmthWithProblem: 0.25,
  negativeAt: -1.5,
  positiveAt: 1.5,
  /** Praise needs less warmth than a positive sentiment: "Arrived quickly. Thanks!" */
  praiseAt: 1,
};

interface Mood {
  sentiment: Sentiment;
  score: number;
  intensity: Intensity;
}

function capsWords(tokens: readonly Token[]): number {
  return tokens.filter((t) => t.raw.length >= 3 && /^\p{Lu}+$/u.test(t.raw)).length;
}

function mood(a: Analysis, language: string, tags: Set<string>, text: string): Mood {
  const bySentence = new Map<number, string[]>();
  for (const t of a.tokens) {
    if (!/\p{L}/u.test(t.raw)) continue;
    const list = bySentence.get(t.sentence) ?? [];
    list.push(t.raw);
    bySentence.set(t.sentence, list);
  }
  let warmWords = 0;
  let coldWords = 0;
  for (const words of bySentence.values()) {
    const v = lexiconPolarity(words, language);
    if (v > 0) warmWords += v;
    else coldWords += v;
  }
  const positive = a.hits(a.lx.positive).length;
  const negative = a.hits(a.lx.negative).length;
  const furiousHits = a.hits(a.lx.furious).length;
  const upsetHits = a.hits(a.lx.upset).length;
  const problems = AFTER_SALES_PROBLEMS.filter((t) => tags.has(t)).length;
  // With a problem on the table, warm words are mostly sarcasm ("Great service 👏", "Wonderful.")
  // or politeness, so they count for a quarter. Weights were fitted on the dev split.
  const warmth = problems > 0 ? W.warmthWithProblem : 1;
  const raw =
    (warmWords * W.libraryWarm + positive * W.positiveCue) * warmth +
    coldWords * W.libraryCold -
    negative * W.negativeCue -
    furiousHits * W.furiousCue -
    upsetHits * W.upsetCue -
    problems * W.problem;
  const score = Math.round(Math.max(-5, Math.min(5, raw)) * 100) / 100;
  const sentiment: Sentiment = raw <= W.negativeAt ? 'negative' : raw >= W.positiveAt ? 'positive' : 'neutral';
  const caps = capsWords(a.tokens);
  const shouting = (/[!?]{2,}/.test(text) ? 1 : 0) + (caps >= 2 ? 1 : 0) + (caps >= 4 ? 1 : 0);
  const heat = furiousHits * 2 + shouting + (upsetHits >= 2 ? 1 : 0);
  let intensity: Intensity = 'calm';
  if (sentiment === 'negative') {
    if (heat >= 3) intensity = 'furious';
    else if (heat >= 1 || upsetHits >= 1 || raw <= -5) intensity = 'upset';
  }
  return { sentiment, score, intensity };
}

const STOP = new Set(STOPWORDS);
const ORDER_WORD = /^(order|bestellung|pedido|commande)$/i;
const UNIT = /^(units?|pcs|pieces?|pairs?|sets?|items?|boxes|packs?|of|x|stück|unidades|unités|pièces)$/;

const FOLLOWERS = /(\d+(?:[.,]\d+)?)\s?(k|m|mil|tsd\.?|000)?\s*(?:followers?|subs\b|subscribers|seguidores|abonnés|abonnes|abonnenten)/giu;

function followerCount(text: string): number {
  let best = 0;
  for (const m of text.matchAll(FOLLOWERS)) {
    const base = parseNumber(m[1]!) ?? 0;
    const unit = (m[2] ?? '').toLowerCase();
    const n =
      unit === 'k' || unit.startsWith('tsd') || unit === 'mil'
        ? base * 1000
        : unit === 'm'
          ? base * 1_000_000
          : unit === '000'
            ? base * 1000
            : base;
    best = Math.max(best, n);
  }
  return best;
}

/** "need around 200 tote bags", "40 units": a number after a purchase word, not a duration or size. */
function quantityAsked(a: Analysis): number {
  const purchases = a.hits(a.lx.purchase);
  const notQuantity = a.hits(a.lx.notQuantity);
  let best = 0;
  a.tokens.forEach((t, i) => {
    if (!/^\d+$/.test(t.raw) || t.raw.length > 5) return;
    const prev = a.tokens[i - 1];
    const next = a.tokens[i + 1];
    if (!next || next.sentence !== t.sentence || prev?.raw === '#') return;
    if (notQuantity.some((h) => h.start === i + 1)) return;
    // "order 60 of your", "need around 200 tote bags"; not "order the trousers in 32 and…".
    if (STOP.has(next.surface) && next.surface !== 'of') return;
    // "order 10045 shipped?" is an order number; "order 50 units" is a quantity.
    if (prev && ORDER_WORD.test(prev.raw) && !UNIT.test(next.surface)) return;
    if (prev && /^(size|talla|größe|taille|nr|no)$/i.test(prev.raw)) return;
    const asked = purchases.some((h) => a.tokens[h.start]!.sentence === t.sentence && h.end <= i && i - h.end <= 1);
    if (asked) best = Math.max(best, Number(t.raw));
  });
  return best;
}

/** "€349.00", "420.00 CAD"; a round threshold shows no cents: "€300". */
function money(value: number, currency: string, cents = true): string {
  const symbol: Record<string, string> = { EUR: '€', USD: '$', GBP: '£' };
  const n = cents || !Number.isInteger(value) ? value.toFixed(2) : String(value);
  const s = symbol[currency];
  return s ? `${s}${n}` : `${n} ${currency}`;
}

function thresholdFor(currency: string, config: JudgementConfig): number {
  return config.high_value.thresholds[currency.toUpperCase()] ?? config.high_value.default;
}

function highValue(input: JudgementInput, amounts: Money[], textCounts: boolean, config: JudgementConfig): Reason | null {
  const candidates: Money[] = [];
  const amount = input.order?.amount ? parseNumber(input.order.amount) : null;
  if (amount !== null && input.order?.currency) candidates.push({ value: amount.toFixed(2), currency: input.order.currency.toUpperCase() });
  else if (textCounts) candidates.push(...amounts);
  for (const m of candidates) {
    const limit = thresholdFor(m.currency, config);
    if (Number(m.value) >= limit) {
      return { code: 'high_value', label: `High-value order: ${money(Number(m.value), m.currency)} ≥ ${money(limit, m.currency, false)}` };
    }
  }
  return null;
}

const THREAT_ORDER: readonly Threat[] = ['negative_review', 'public_post', 'chargeback', 'legal'];

export function judge(input: JudgementInput, config: JudgementConfig = DEFAULT_JUDGEMENT_CONFIG): Judgement {
  const text = `${input.subject ?? ''}\n${input.body}`.slice(0, MAX_CHARS);
  const guess = detectLanguage(text, config.languages);
  const stemLanguage: StemLanguage = STEM_LANGUAGES.includes(guess.language as StemLanguage) ? (guess.language as StemLanguage) : 'en';
  const a = analyse(text, stemLanguage);
  const amounts = parseAmounts(text);

  const hasOrder = Boolean(input.order && (input.order.amount || (input.order.itemCount ?? 0) > 0));
  const presale = input.kind === 'ticket' && !hasOrder && a.hits(a.lx.orderContext).length === 0;

  // Tags.
  const rules = tagRules(a.lx, config);
  const scores = new Map<string, TagScore>();
  for (const [tag, rule] of rules) scores.set(tag, scoreTag(a, rule, presale));
  const damage = scores.get('damaged');
  if (damage) {
    const split = splitDamage(a, damage);
    scores.set('damaged', { strong: split.damaged, weak: [] });
    const q = scores.get('quality') ?? { strong: [], weak: [] };
    scores.set('quality', { strong: [...q.strong, ...split.quality], weak: q.weak });
  }
  const tags = new Set<string>();
  for (const [tag, s] of scores) if (tag !== 'praise' && tag !== 'other' && tagged(s)) tags.add(tag);
  if (input.kind === 'dispute') tags.add('chargeback');

  const praise = scores.get('praise');
  const praiseHits = praise ? praise.strong.length + praise.weak.length * 0.5 : 0;
  const m = mood(a, guess.language, tags, text);
  // A bare "thanks!" is praise too, when nothing else is asked.
  const thanksOnly = tags.size === 0 && praiseHits > 0 && a.tokens.length <= 6;
  const warm = m.sentiment === 'positive' || (m.sentiment === 'neutral' && m.score >= W.praiseAt);
  if ((warm && tagged(praise)) || (thanksOnly && m.sentiment !== 'negative')) tags.add('praise');
  if (m.sentiment === 'positive') tags.delete('complaint');

  if (!guess.supported) tags.clear();
  if (tags.size === 0) tags.add('other');

  // Threats. A review or public-post threat only counts from an unhappy customer.
  const threats = new Set<Threat>();
  const unhappy = m.sentiment === 'negative' || m.intensity !== 'calm';
  for (const t of THREAT_ORDER) {
    const always = a.hits(a.lx.threatsAlways.get(t) ?? []).filter((h) => !negated(a, h));
    const hits = a.hits(a.lx.threats.get(t) ?? []).filter((h) => !negated(a, h));
    if (always.length === 0 && hits.length === 0) continue;
    if ((t === 'negative_review' || t === 'public_post') && !unhappy && always.length === 0) continue;
    if (t === 'negative_review' && input.kind === 'review') continue;
    threats.add(t);
  }
  if (tags.has('chargeback')) threats.add('chargeback');

  // Must-escalate rules, in a fixed order so the card always lists reasons the same way.
  const on = config.rules;
  const reasons: Reason[] = [];
  const add = (enabled: boolean, r: Reason | null | false) => {
    if (enabled && r) reasons.push(r);
  };
  add(on.refund_request, tags.has('refund') && { code: 'refund_request', label: 'Refund requested' });
  add(
    on.chargeback,
    (tags.has('chargeback') || threats.has('chargeback') || input.kind === 'dispute') && {
      code: 'chargeback',
      label: input.kind === 'dispute' ? 'Payment dispute opened' : 'Chargeback or bank dispute',
    },
  );
  add(
    on.complaint_escalation,
    a.hits(a.lx.escalationRequest).some((h) => !negated(a, h)) && {
      code: 'complaint_escalation',
      label: 'Asks for a complaint escalation',
    },
  );
  const paidWords = a.hits(a.lx.paid).length > 0;
  add(on.high_value, highValue(input, amounts, paidWords || !presale, config));
  const orders = input.customer.orderCount ?? null;
  add(
    on.repeat_customer,
    orders !== null &&
      orders >= config.repeat_customer_orders && {
        code: 'repeat_customer',
        label: `Repeat customer: ${orders} orders ≥ ${config.repeat_customer_orders}`,
      },
  );
  const kolTags = new Set(config.kol_customer_tags.map((t) => t.toLowerCase()));
  const kolTag = [...input.customer.tags].sort().find((t) => kolTags.has(t.toLowerCase()));
  const followers = followerCount(text);
  const kolSays = a.hits(a.lx.kol).length > 0 || (config.kol_min_followers > 0 && followers >= config.kol_min_followers);
  add(
    on.kol,
    (kolTag !== undefined || kolSays) && {
      code: 'kol',
      label:
        kolTag !== undefined
          ? `KOL/creator: customer tag "${kolTag.toLowerCase()}"`
          : followers > 0
            ? `KOL/creator: says ${followers.toLocaleString('en-US')} followers`
            : 'KOL/creator: says so in the message',
    },
  );
  const quantity = Math.max(input.order?.itemCount ?? 0, quantityAsked(a));
  const bulkWords = a.hits(a.lx.bulk).length > 0;
  add(
    on.bulk_purchase,
    (quantity >= config.bulk_quantity || bulkWords) && {
      code: 'bulk_purchase',
      label:
        quantity >= config.bulk_quantity
          ? `Bulk purchase: ${quantity} units ≥ ${config.bulk_quantity}`
          : 'Bulk purchase: asks for wholesale or bulk',
    },
  );
  const similar = Math.max(0, input.recentSimilarQualityIssues ?? 0) + 1;
  add(
    on.quality_cluster,
    (tags.has('damaged') || tags.has('quality')) &&
      similar >= config.quality_cluster.count && {
        code: 'quality_cluster',
        label: `Quality issue clustering: ${similar} similar cases in ${config.quality_cluster.days} days ≥ ${config.quality_cluster.count}`,
      },
  );
  add(on.review_threat, threats.has('negative_review') && { code: 'review_threat', label: 'Upset customer threatens a negative review' });
  add(on.public_post_threat, threats.has('public_post') && { code: 'public_post_threat', label: 'Upset customer threatens a public post' });
  add(on.legal_threat, threats.has('legal') && { code: 'legal_threat', label: 'Legal threat' });
  const rating = input.kind === 'review' && typeof input.rating === 'number' ? input.rating : null;
  add(on.low_rating, rating !== null && rating <= config.low_rating_max && { code: 'low_rating', label: `Negative review: ${rating}★` });
  add(
    on.public_complaint,
    input.source === 'comment' && m.sentiment === 'negative' && { code: 'public_complaint', label: 'Negative public comment' },
  );
  add(on.furious, m.intensity === 'furious' && { code: 'furious', label: 'Furious customer' });
  add(on.language, !guess.supported && { code: 'language', label: `Needs a human: language (${guess.language})` });

  const mustEscalate = reasons.length > 0;
  const sortedTags = [...tags].sort();

  // Automation: only safe, calm, factual questions, never an escalated case.
  let automatableTopic: AutomatableTopic | undefined;
  if (!mustEscalate && config.automation.enabled && m.intensity === 'calm' && m.sentiment !== 'negative' && guess.supported) {
    const topics = sortedTags.filter((t) => t !== 'praise').map((t) => TOPIC_OF_TAG[t]);
    if (topics.length > 0 && topics.every((t): t is AutomatableTopic => t !== undefined && config.automation.topics.includes(t))) {
      automatableTopic = AUTOMATABLE_TOPICS.find((t) => topics.includes(t));
    }
  }

  return {
    suggestedTags: sortedTags,
    sentiment: m.sentiment,
    score: m.score,
    intensity: m.intensity,
    threats: THREAT_ORDER.filter((t) => threats.has(t)),
    language: guess.language,
    languageSupported: guess.supported,
    mustEscalate,
    reasons,
    automatable: automatableTopic !== undefined,
    ...(automatableTopic ? { automatableTopic } : {}),
    amounts,
    priority: mustEscalate ? 'raise' : null,
  };
}
