import { DEFAULT_TAGS } from '../tag-catalogue';
import type { CorpusRecord } from './corpus';
import { type Judgement, type JudgementInput, JUDGEMENT_LANGUAGES } from './types';

// Scores judgements against labelled records: per tag, per reason, per language and per channel,
// with the targets the product promises. Pure: the caller judges, this only counts.

export const TARGETS = { escalationRecall: 0.98, escalationPrecision: 0.8, tagMacroF1: 0.85, sentiment: 0.85, languageMacroF1: 0.75 };

export function inputOf(r: CorpusRecord): JudgementInput {
  return {
    subject: r.subject,
    body: r.body,
    source: r.channel,
    kind: r.kind,
    customer: { orderCount: r.customer.orderCount, tags: r.customer.tags },
    order: r.order,
    rating: r.rating,
  };
}

export interface PRF {
  support: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
}

const prf = (tp: number, fp: number, fn: number): PRF => {
  const precision = tp + fp === 0 ? Number.NaN : tp / (tp + fp);
  const recall = tp + fn === 0 ? Number.NaN : tp / (tp + fn);
  const f1 = tp === 0 ? (fp + fn === 0 ? Number.NaN : 0) : (2 * tp) / (2 * tp + fp + fn);
  return { support: tp + fn, predicted: tp + fp, tp, precision, recall, f1 };
};

function count(pairs: readonly [boolean, boolean][]): PRF {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [want, have] of pairs) {
    if (want && have) tp++;
    else if (have) fp++;
    else if (want) fn++;
  }
  return prf(tp, fp, fn);
}

export interface Scores {
  n: number;
  tags: Record<string, PRF>;
  /** Mean F1 over the tags that occur in the labels or the predictions. */
  tagMacroF1: number;
  escalation: PRF;
  reasons: Record<string, PRF>;
  sentiment: number;
  automatable: PRF;
  spam: PRF;
}

export interface Scored {
  all: Scores;
  byLanguage: Record<string, Scores>;
  byChannel: Record<string, Scores>;
}

export function score(pairs: readonly { record: CorpusRecord; judgement: Judgement }[]): Scores {
  const tags: Record<string, PRF> = {};
  for (const t of DEFAULT_TAGS.map((x) => x.id)) {
    tags[t] = count(pairs.map(({ record, judgement }) => [record.labels.tags.includes(t), judgement.suggestedTags.includes(t)]));
  }
  const scored = Object.values(tags).filter((t) => t.support > 0 || t.predicted > 0);
  const reasonCodes = [...new Set(pairs.flatMap(({ record, judgement }) => [...record.labels.reasons, ...judgement.reasons.map((r) => r.code)]))].sort();
  const reasons: Record<string, PRF> = {};
  for (const code of reasonCodes) {
    reasons[code] = count(
      pairs.map(({ record, judgement }) => [
        (record.labels.reasons as readonly string[]).includes(code),
        judgement.reasons.some((r) => r.code === code),
      ]),
    );
  }
  return {
    n: pairs.length,
    tags,
    tagMacroF1: scored.length === 0 ? Number.NaN : scored.reduce((s, t) => s + (Number.isNaN(t.f1) ? 0 : t.f1), 0) / scored.length,
    escalation: count(pairs.map(({ record, judgement }) => [record.labels.mustEscalate, judgement.mustEscalate])),
    reasons,
    sentiment: pairs.filter(({ record, judgement }) => record.labels.sentiment === judgement.sentiment).length / Math.max(1, pairs.length),
    automatable: count(pairs.map(({ record, judgement }) => [record.labels.automatable, judgement.automatable])),
    spam: count(pairs.map(({ record, judgement }) => [record.labels.spam, judgement.spam === true])),
  };
}

export function scoreAll(pairs: readonly { record: CorpusRecord; judgement: Judgement }[]): Scored {
  const group = (key: (r: CorpusRecord) => string) => {
    const out: Record<string, Scores> = {};
    const keys = [...new Set(pairs.map((p) => key(p.record)))].sort();
    for (const k of keys) out[k] = score(pairs.filter((p) => key(p.record) === k));
    return out;
  };
  // Messages in languages the model was not trained on are scored together: one or two of each
  // say nothing on their own, and what matters there is whether they reach a person.
  const trained = new Set<string>(JUDGEMENT_LANGUAGES);
  return { all: score(pairs), byLanguage: group((r) => (trained.has(r.lang) ? r.lang : 'other')), byChannel: group((r) => r.channel) };
}

/** The targets a set of scores misses (empty when it meets them all). */
export function missedTargets(s: Scored, languages: readonly string[]): string[] {
  const missed: string[] = [];
  const a = s.all;
  if (!(a.escalation.recall >= TARGETS.escalationRecall)) missed.push(`must-escalate recall ${fmt(a.escalation.recall)} < ${TARGETS.escalationRecall}`);
  if (!(a.escalation.precision >= TARGETS.escalationPrecision))
    missed.push(`must-escalate precision ${fmt(a.escalation.precision)} < ${TARGETS.escalationPrecision}`);
  if (!(a.tagMacroF1 >= TARGETS.tagMacroF1)) missed.push(`tag macro-F1 ${fmt(a.tagMacroF1)} < ${TARGETS.tagMacroF1}`);
  if (!(a.sentiment >= TARGETS.sentiment)) missed.push(`sentiment ${fmt(a.sentiment)} < ${TARGETS.sentiment}`);
  for (const lang of languages) {
    const l = s.byLanguage[lang];
    if (l && !(l.tagMacroF1 >= TARGETS.languageMacroF1)) missed.push(`${lang} tag macro-F1 ${fmt(l.tagMacroF1)} < ${TARGETS.languageMacroF1}`);
  }
  return missed;
}

export const fmt = (n: number) => (Number.isNaN(n) ? '  –  ' : n.toFixed(3));
