import type { JudgementConfig } from '../../config/judgement';
import type { CompiledConcepts } from './concepts';
import { AUTOMATABLE_TAGS } from './corpus';
import { type AudienceFact, extractFacts, type Facts, type MoneyFact, parseNumber } from './extractors';
import { extractFeatures, hash32, normalise, wordIds } from './features';
import { detectLanguage, type LanguageGuess } from './language';
import type { HeadOutputs, JudgementModel } from './model';
import { TAG_HEADS } from './heads';
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

// The judgement of one message: the model reads the words (tags, sentiment, spam, and the
// must-escalate reasons that wording carries), the extractors read sums, quantities, order
// counts and audiences, the store's data (order value, order count, customer tags) is read as
// it is, and the workspace config sets every threshold and switch. Pure and deterministic: the
// same message, model and config always give the same Judgement.

export interface JudgeContext {
  model: JudgementModel;
  concepts?: CompiledConcepts;
}

const TOPIC_OF_TAG: Record<string, AutomatableTopic> = {
  order_status: 'order_tracking',
  delivery_time: 'delivery_estimate',
  sizing: 'size_chart',
  material: 'materials_care',
  installation: 'basic_usage',
  compatibility: 'basic_usage',
  return_policy: 'return_policy',
  payment: 'payment_methods',
  discount_code: 'discount_code_rules',
  stock: 'back_in_stock',
};

const money = (value: number, currency: string, cents = true) => {
  const symbol: Record<string, string> = { EUR: '€', USD: '$', GBP: '£' };
  const n = cents && !Number.isInteger(value) ? value.toFixed(2) : cents ? value.toFixed(2) : String(value);
  const s = symbol[currency];
  return s ? `${s}${n}` : currency ? `${n} ${currency}` : n;
};

function thresholdFor(currency: string, config: JudgementConfig): number {
  return config.high_value.thresholds[currency.toUpperCase()] ?? config.high_value.default;
}

const has = (counts: Map<number, number>, key: string) => counts.has(hash32(key));

function moodOf(out: HeadOutputs, counts: Map<number, number>): { sentiment: Sentiment; score: number; intensity: Intensity } {
  const s = out.sentiment;
  const sentiment: Sentiment = s.negative >= s.neutral && s.negative >= s.positive ? 'negative' : s.positive >= s.neutral ? 'positive' : 'neutral';
  const score = Math.round((s.positive - s.negative) * 500) / 100;
  let intensity: Intensity = 'calm';
  if (sentiment === 'negative') {
    const heat = (has(counts, 'form:shout') ? 1 : 0) + (has(counts, 'form:marks') ? 1 : 0) + (has(counts, 'k:risk_anger') ? 1 : 0);
    intensity = heat >= 2 && s.negative >= 0.8 ? 'furious' : s.negative >= 0.75 || heat >= 1 ? 'upset' : 'calm';
  }
  return { sentiment, score, intensity };
}

/** The model's reading of one message: its head outputs, the thresholds they are read against, its features. */
export interface Reading {
  out: HeadOutputs;
  thresholds: Record<string, number>;
  counts: Map<number, number>;
  /** The extractors' facts and the language, when already read (tuning judges one message many times). */
  known?: { facts: Facts; language: LanguageGuess };
  /** The share of the message's words the model has learned anything about (1 when it has none). */
  coverage?: number;
}

/**
 * Tags that fire. When none does, the one closest to its threshold is taken if it comes near it
 * (a message is rarely about nothing), else "other".
 */
function tagsOf(fires: (head: string) => boolean, reading: Reading): string[] {
  const ratio = (t: string) => (reading.out.binary[`tag:${t}`] ?? 0) / (reading.thresholds[`tag:${t}`] ?? 0.5);
  const fired = TAG_HEADS.filter((t) => t !== 'other' && fires(`tag:${t}`));
  if (fired.length > 0) {
    // A second tag must be at least half as sure as the first: a message is mostly about one or
    // two things, and a head that barely clears its line beside a clear one is usually an echo.
    const top = Math.min(Math.max(...fired.map(ratio)), SECOND_TAG_CAP);
    return fired.filter((t) => ratio(t) >= top * SECOND_TAG_SHARE);
  }
  if (fires('tag:other')) return ['other'];
  let best: string | null = null;
  let bestRatio = NEAR_THRESHOLD;
  for (const t of TAG_HEADS) {
    if (t === 'other') continue;
    if (ratio(t) >= bestRatio) {
      best = t;
      bestRatio = ratio(t);
    }
  }
  return [best ?? 'other'];
}

/** A further tag is kept when its head is at least this share as far past its line as the surest one's… */
const SECOND_TAG_SHARE = 0.5;
/** …counted up to this many times its line (beyond it, a head is simply sure). */
const SECOND_TAG_CAP = 3;

/** The share of known words below which a message in an unsupported language counts as not understood. */
const MIN_FOREIGN_COVERAGE = 0.5;

/** How near its threshold the likeliest tag must come to be taken when none fires. */
const NEAR_THRESHOLD = 0.6;

export function read(input: JudgementInput, ctx: JudgeContext): Reading {
  const counts = extractFeatures(
    { subject: input.subject, body: input.body, source: input.source, kind: input.kind, rating: input.rating ?? null },
    ctx.concepts,
  );
  const words = wordIds(`${input.subject ?? ''}\n${input.body}`);
  const coverage = words.length === 0 ? 1 : words.filter((w) => ctx.model.knows(w)).length / words.length;
  return { out: ctx.model.predict(counts), thresholds: ctx.model.thresholds, counts, coverage };
}

export function judge(input: JudgementInput, config: JudgementConfig, ctx: JudgeContext): Judgement {
  return decide(input, config, read(input, ctx));
}

/** The judgement from the model's reading, the extractors, the store's data and the config. */
export function decide(input: JudgementInput, config: JudgementConfig, reading: Reading): Judgement {
  const { out, counts } = reading;
  const text = `${input.subject ?? ''}\n${input.body}`;
  const guess = reading.known?.language ?? detectLanguage(text.slice(0, 4_000), config.languages);
  // In a language the model never learned, its heads answer stray letter patterns: unless enough
  // of the words are ones it knows (shared words, product names), only the extractors are trusted.
  const unread = !guess.supported && (reading.coverage ?? 1) < MIN_FOREIGN_COVERAGE;
  const fires = (head: string) => !unread && (out.binary[head] ?? 0) >= (reading.thresholds[head] ?? 0.5);
  const spam = fires('spam');
  const mood = unread ? ({ sentiment: 'neutral', score: 0, intensity: 'calm' } as const) : moodOf(out, counts);
  const tags = new Set(spam || unread ? ['other'] : tagsOf(fires, reading));
  if (input.kind === 'dispute') {
    tags.delete('other');
    tags.add('chargeback');
  }
  applyKeywords(tags, text, config);

  const { money: amounts, quantity, orderCount, audience } = reading.known?.facts ?? extractFacts(text);
  // As with tags, a reason read from the words must be at least half as sure as the surest one:
  // "a full refund, not a voucher" is a refund demand, not also a faint legal threat.
  const ratioOf = (h: string) => (out.binary[h] ?? 0) / (reading.thresholds[h] ?? 0.5);
  const surest = Math.min(Math.max(0, ...WORD_REASONS.filter((r) => fires(r.head)).map((r) => ratioOf(r.head))), SECOND_TAG_CAP);
  const head = (reason: string) => fires(`reason:${reason}`) && ratioOf(`reason:${reason}`) >= surest * SECOND_TAG_SHARE;

  const on = config.rules;
  const reasons: Reason[] = [];
  let guessed: Reason | null = null;
  const add = (enabled: boolean, r: Reason | null | false) => {
    if (enabled && r) reasons.push(r);
  };
  // Spam, pitches and follower-selling ads never escalate, whatever numbers they quote.
  if (!spam) {
    add(on.refund_request, tags.has('refund') && { code: 'refund_request', label: 'Asks for money back' });
    add(
      on.chargeback,
      (tags.has('chargeback') || input.kind === 'dispute') && {
        code: 'chargeback',
        label: input.kind === 'dispute' ? 'Payment dispute opened' : 'Chargeback or bank dispute',
      },
    );
    add(on.complaint_escalation, head('complaint_escalation') && { code: 'complaint_escalation', label: 'Asks for a manager or makes a formal complaint' });
    add(on.legal_threat, head('legal_threat') && { code: 'legal_threat', label: 'Legal threat' });
    add(on.high_value, highValue(input, amounts, config));
    add(on.repeat_customer, repeatCustomer(input, orderCount?.orders ?? null, head('repeat_customer'), config));
    add(on.kol, kol(input, audience, head('kol'), config));
    add(on.bulk_purchase, bulk(input, quantity?.units ?? null, head('bulk_purchase'), config));
    add(on.quality_cluster, qualityCluster(input, tags, head('quality_cluster'), config));
    // A review is no threat by being one; one that says it was posted elsewhere too, or will be changed, is.
    add(on.review_threat, head('review_threat') && { code: 'review_threat', label: 'Threatens a negative review' });
    add(on.public_post_threat, head('public_post_threat') && { code: 'public_post_threat', label: 'Threatens a public post' });
    // The words read as needing a person, but no single reason crossed its line: the likeliest one
    // is given, and marked as a guess so staff know to read the message for it.
    if (reasons.length === 0 && fires('escalate')) {
      const best = likeliestReason(reading, input, on);
      if (best) {
        guessed = { code: best.code, label: `${best.label} (likely)` };
        reasons.push(guessed);
      }
    }
    // Rules a workspace may add beyond the brief (off by default).
    const rating = input.kind === 'review' && typeof input.rating === 'number' ? input.rating : null;
    add(on.low_rating, rating !== null && rating <= config.low_rating_max && { code: 'low_rating', label: `Negative review: ${rating}★` });
    add(on.public_complaint, input.source === 'comment' && mood.sentiment === 'negative' && { code: 'public_complaint', label: 'Negative public comment' });
    add(on.furious, mood.intensity === 'furious' && { code: 'furious', label: 'Furious customer' });
    // An unsupported language is not a reason by itself; one where nothing could be read is.
    const understood = !unread && (tags.size > 1 || !tags.has('other') || reasons.length > 0);
    add(on.language, !guess.supported && !understood && { code: 'language', label: `Written in a language Trustloop does not read (${guess.language})` });
  }

  // A threat is one the customer made: a guessed reason is not reported as one.
  const said = reasons.filter((r) => r !== guessed);
  const threats: Threat[] = [];
  if (said.some((r) => r.code === 'review_threat')) threats.push('negative_review');
  if (said.some((r) => r.code === 'public_post_threat')) threats.push('public_post');
  if (said.some((r) => r.code === 'chargeback')) threats.push('chargeback');
  if (said.some((r) => r.code === 'legal_threat')) threats.push('legal');

  const mustEscalate = reasons.length > 0;
  const sortedTags = [...tags].sort();
  const automatableTopic = automatable(input, sortedTags, mood.sentiment, mustEscalate || spam, config);
  return {
    suggestedTags: sortedTags,
    sentiment: mood.sentiment,
    score: mood.score,
    intensity: mood.intensity,
    threats,
    language: guess.language,
    languageSupported: guess.supported,
    mustEscalate,
    reasons,
    automatable: automatableTopic !== undefined,
    ...(automatableTopic ? { automatableTopic } : {}),
    amounts: amounts.filter((a) => a.currency).map((a): Money => ({ value: a.value, currency: a.currency })),
    priority: mustEscalate ? 'raise' : null,
    spam,
  };
}

const WORD_REASONS: { head: string; code: Reason['code']; label: string }[] = [
  { head: 'tag:refund', code: 'refund_request', label: 'Asks for money back' },
  { head: 'tag:chargeback', code: 'chargeback', label: 'Chargeback or bank dispute' },
  { head: 'reason:complaint_escalation', code: 'complaint_escalation', label: 'Asks for a manager or makes a formal complaint' },
  { head: 'reason:legal_threat', code: 'legal_threat', label: 'Legal threat' },
  { head: 'reason:review_threat', code: 'review_threat', label: 'Threatens a negative review' },
  { head: 'reason:public_post_threat', code: 'public_post_threat', label: 'Threatens a public post' },
  { head: 'reason:quality_cluster', code: 'quality_cluster', label: 'Quality issue clustering: says others have the same fault' },
  { head: 'reason:kol', code: 'kol', label: 'KOL/creator: presents themselves as a creator' },
  { head: 'reason:repeat_customer', code: 'repeat_customer', label: 'Repeat customer: says they order regularly' },
  { head: 'reason:bulk_purchase', code: 'bulk_purchase', label: 'Bulk purchase: asks for wholesale or bulk' },
];

/** The reason whose head came closest to its line (each as a share of its threshold), if it is switched on. */
function likeliestReason(reading: Reading, input: JudgementInput, on: JudgementConfig['rules']): Reason | null {
  let best: (typeof WORD_REASONS)[number] | null = null;
  let ratio = 0;
  for (const r of WORD_REASONS) {
    if (!on[r.code as keyof typeof on]) continue;
    if (r.code === 'review_threat' && input.kind === 'review') continue;
    const x = (reading.out.binary[r.head] ?? 0) / (reading.thresholds[r.head] ?? 0.5);
    if (x > ratio) {
      best = r;
      ratio = x;
    }
  }
  return best ? { code: best.code, label: best.label } : null;
}

function highValue(input: JudgementInput, amounts: readonly MoneyFact[], config: JudgementConfig): Reason | null {
  const amount = input.order?.amount ? parseNumber(input.order.amount) : null;
  if (amount !== null && input.order?.currency) {
    const currency = input.order.currency.toUpperCase();
    const limit = thresholdFor(currency, config);
    if (amount >= limit) return { code: 'high_value', label: `High-value order: ${money(amount, currency)} ≥ ${money(limit, currency, false)}` };
  }
  for (const m of amounts) {
    const limit = m.currency ? thresholdFor(m.currency, config) : config.high_value.default;
    if (Number(m.value) >= limit) {
      return { code: 'high_value', label: `High value: mentions ${money(Number(m.value), m.currency)} ≥ ${money(limit, m.currency, false)}` };
    }
  }
  return null;
}

function repeatCustomer(input: JudgementInput, said: number | null, head: boolean, config: JudgementConfig): Reason | null {
  const min = config.repeat_customer_orders;
  const orders = input.customer.orderCount ?? null;
  if (orders !== null && orders >= min) return { code: 'repeat_customer', label: `Repeat customer: ${orders} orders ≥ ${min}` };
  if (said !== null && said >= min) return { code: 'repeat_customer', label: `Repeat customer: says this is order ${said} ≥ ${min}` };
  if (head) return { code: 'repeat_customer', label: 'Repeat customer: says they order regularly' };
  return null;
}

function kol(input: JudgementInput, audience: AudienceFact | null, head: boolean, config: JudgementConfig): Reason | null {
  const kolTags = new Set(config.kol_customer_tags.map((t) => t.toLowerCase()));
  const tag = [...input.customer.tags].sort().find((t) => kolTags.has(t.toLowerCase()));
  if (tag !== undefined) return { code: 'kol', label: `KOL/creator: customer tag "${tag.toLowerCase()}"` };
  const min = config.kol_min_followers;
  if (audience && min > 0) {
    // A count decides: at or above the line it is a KOL, below it it is not, whatever the words say.
    return audience.followers >= min
      ? { code: 'kol', label: `KOL/creator: says ${audience.followers.toLocaleString('en-US')} followers ≥ ${min.toLocaleString('en-US')}` }
      : null;
  }
  return head ? { code: 'kol', label: 'KOL/creator: presents themselves as a creator' } : null;
}

function bulk(input: JudgementInput, said: number | null, head: boolean, config: JudgementConfig): Reason | null {
  const min = config.bulk_quantity;
  const items = input.order?.itemCount ?? null;
  if (items !== null && items >= min) return { code: 'bulk_purchase', label: `Bulk purchase: ${items} units ≥ ${min}` };
  if (said !== null && said >= min) return { code: 'bulk_purchase', label: `Bulk purchase: asks about ${said} units ≥ ${min}` };
  if (head) return { code: 'bulk_purchase', label: 'Bulk purchase: asks for wholesale or bulk' };
  return null;
}

function qualityCluster(input: JudgementInput, tags: Set<string>, head: boolean, config: JudgementConfig): Reason | null {
  const similar = Math.max(0, input.recentSimilarQualityIssues ?? 0) + 1;
  if ((tags.has('damaged') || tags.has('quality')) && similar >= config.quality_cluster.count) {
    return {
      code: 'quality_cluster',
      label: `Quality issue clustering: ${similar} similar cases in ${config.quality_cluster.days} days ≥ ${config.quality_cluster.count}`,
    };
  }
  return head ? { code: 'quality_cluster', label: 'Quality issue clustering: says others have the same fault' } : null;
}

/** Policy §5: a calm question self-service can answer from the store's pages or the tracking. */
function automatable(
  input: JudgementInput,
  tags: readonly string[],
  sentiment: Sentiment,
  excluded: boolean,
  config: JudgementConfig,
): AutomatableTopic | undefined {
  if (excluded || !config.automation.enabled || input.kind !== 'ticket' || sentiment === 'negative') return undefined;
  const allowed = new Set<string>([...AUTOMATABLE_TAGS, 'praise']);
  if (!tags.every((t) => allowed.has(t))) return undefined;
  const topics = tags.filter((t) => t !== 'praise').map((t) => TOPIC_OF_TAG[t]!);
  if (topics.length === 0 || !topics.every((t) => config.automation.topics.includes(t))) return undefined;
  return AUTOMATABLE_TOPICS.find((t) => topics.includes(t));
}

/** The workspace's own phrases per tag (judgement.keywords): they add a tag, or decide it alone. */
function applyKeywords(tags: Set<string>, text: string, config: JudgementConfig): void {
  const entries = Object.entries(config.keywords);
  if (entries.length === 0) return;
  const folded = ` ${normalise(text).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const found = (phrase: string) => {
    const p = normalise(phrase).replace(/[^\p{L}\p{N}*]+/gu, ' ').trim();
    if (!p) return false;
    if (p.endsWith('*')) return folded.includes(` ${p.slice(0, -1)}`);
    return folded.includes(` ${p} `);
  };
  for (const [tag, kw] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    const hit = kw.phrases.some(found) && !kw.exclude.some(found);
    if (kw.mode === 'override') {
      if (hit) tags.add(tag);
      else tags.delete(tag);
    } else if (hit) tags.add(tag);
  }
  if (tags.size > 1) tags.delete('other');
  if (tags.size === 0) tags.add('other');
}
