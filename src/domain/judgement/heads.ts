import { DEFAULT_TAGS } from '../tag-catalogue';
import { type CorpusRecord, dataReasons, type LabelReason } from './corpus';

// The model's outputs ("heads"), defined once: one yes/no head per catalogue tag, one for spam,
// one for automatable, one per must-escalate reason that the words of a message can carry, and a
// three-way sentiment. Refund and chargeback reasons are their tags; amounts, counts and
// followers also come from the extractors, which the heads complement (indirect wording).

export const TAG_HEADS = DEFAULT_TAGS.map((t) => t.id);

export const TEXT_REASON_HEADS = [
  'complaint_escalation',
  'legal_threat',
  'review_threat',
  'public_post_threat',
  'quality_cluster',
  'kol',
  'repeat_customer',
  'bulk_purchase',
  'high_value',
] as const satisfies readonly LabelReason[];
export type TextReasonHead = (typeof TEXT_REASON_HEADS)[number];

/** Binary heads, in the order the model stores them. "escalate": the words carry some must-escalate reason. */
export const BINARY_HEADS: readonly string[] = [
  ...TAG_HEADS.map((t) => `tag:${t}`),
  'spam',
  'automatable',
  ...TEXT_REASON_HEADS.map((r) => `reason:${r}`),
  'escalate',
];

export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

/**
 * The targets one labelled record teaches: 1 or 0 per binary head, NaN where the record says
 * nothing (a reason the store's data alone explains is not evidence about the words), and the
 * sentiment's index (-1: not labelled).
 */
export interface Targets {
  binary: Float32Array;
  sentiment: number;
}

export function targetsOf(r: CorpusRecord): Targets {
  const binary = new Float32Array(BINARY_HEADS.length);
  const tags = new Set(r.labels.tags);
  let i = 0;
  for (const t of TAG_HEADS) binary[i++] = tags.has(t) ? 1 : 0;
  binary[i++] = r.labels.spam ? 1 : 0;
  binary[i++] = r.labels.automatable ? 1 : 0;
  const fromData = new Set(dataReasons(r));
  for (const reason of TEXT_REASON_HEADS) {
    const given = r.labels.reasons.includes(reason);
    binary[i++] = given && fromData.has(reason) ? Number.NaN : given ? 1 : 0;
  }
  // Some reason the words give (one the store's data alone explains says nothing about them).
  const fromWords = r.labels.reasons.filter((x) => !fromData.has(x));
  binary[i++] = fromWords.length > 0 ? 1 : r.labels.reasons.length > 0 ? Number.NaN : 0;
  return { binary, sentiment: SENTIMENTS.indexOf(r.labels.sentiment) };
}

/**
 * What a staff correction teaches: the tags a person settled on, and, when they said "not an
 * escalation", that none of the reasons the words carry applies. Everything else stays unknown.
 */
export function correctionTargets(c: { tags: readonly string[] | null; notAnEscalation: boolean }): Targets {
  const binary = new Float32Array(BINARY_HEADS.length).fill(Number.NaN);
  if (c.tags) {
    const tags = new Set(c.tags);
    TAG_HEADS.forEach((t, i) => (binary[i] = tags.has(t) ? 1 : 0));
  }
  if (c.notAnEscalation) {
    const start = TAG_HEADS.length + 2;
    TEXT_REASON_HEADS.forEach((_, i) => (binary[start + i] = 0));
    binary[start + TEXT_REASON_HEADS.length] = 0;
  }
  return { binary, sentiment: -1 };
}
