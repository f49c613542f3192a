import { z } from 'zod';
import { DEFAULT_TAGS } from '../tag-catalogue';
import { DEFAULT_HIGH_VALUE, DEFAULT_HIGH_VALUE_THRESHOLDS } from './thresholds';

// The labelled messages the judgement model learns from and is measured on, one JSON object per
// line. The labels follow docs/judgement/labelling-policy.md; `labelProblems` checks the parts of
// that policy a machine can check (the derived fields and the rules on the store's own data), so a
// labelling slip is caught when the file is written, not when the model is wrong.

export const CORPUS_CHANNELS = ['email', 'live_chat', 'social_dm', 'comment', 'review'] as const;
export const CORPUS_SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
/** The must-escalate reasons a labeller can give (the brief's list, split as the card shows it). */
export const LABEL_REASONS = [
  'refund_request',
  'chargeback',
  'complaint_escalation',
  'legal_threat',
  'high_value',
  'repeat_customer',
  'kol',
  'bulk_purchase',
  'quality_cluster',
  'review_threat',
  'public_post_threat',
] as const;
export type LabelReason = (typeof LABEL_REASONS)[number];

const TAG_IDS = DEFAULT_TAGS.map((t) => t.id) as [string, ...string[]];

/** Tags a self-service answer can handle (policy §5). */
export const AUTOMATABLE_TAGS = [
  'order_status',
  'delivery_time',
  'sizing',
  'material',
  'installation',
  'compatibility',
  'return_policy',
  'payment',
  'discount_code',
  'stock',
] as const;

export const KOL_CUSTOMER_TAGS = ['kol', 'creator', 'influencer', 'ambassador'];
/** Policy thresholds: the workspace defaults (config/judgement.ts). */
export const LABEL_THRESHOLDS = { repeatOrders: 3, bulkUnits: 20 } as const;

export const corpusRecordSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
    lang: z.string().regex(/^[a-z]{2}$/),
    channel: z.enum(CORPUS_CHANNELS),
    kind: z.enum(['ticket', 'review']),
    subject: z.string().max(300),
    body: z.string().min(1).max(20_000),
    rating: z.int().min(1).max(5).nullable(),
    customer: z.object({ orderCount: z.int().min(0).nullable(), tags: z.array(z.string().min(1).max(40)).max(10) }).strict(),
    order: z
      .object({
        amount: z.string().regex(/^\d{1,7}\.\d{2}$/),
        currency: z.string().regex(/^[A-Z]{3}$/),
        itemCount: z.int().min(1).max(100_000),
      })
      .strict()
      .nullable(),
    labels: z
      .object({
        tags: z.array(z.enum(TAG_IDS)).min(1).max(8),
        sentiment: z.enum(CORPUS_SENTIMENTS),
        automatable: z.boolean(),
        mustEscalate: z.boolean(),
        reasons: z.array(z.enum(LABEL_REASONS)).max(LABEL_REASONS.length),
        spam: z.boolean(),
      })
      .strict(),
  })
  .strict();

export type CorpusRecord = z.output<typeof corpusRecordSchema>;

export function highValueThreshold(currency: string): number {
  return DEFAULT_HIGH_VALUE_THRESHOLDS[currency.toUpperCase()] ?? DEFAULT_HIGH_VALUE;
}

/** The reasons the store's own data gives, whatever the text says (policy §4). */
export function dataReasons(r: Pick<CorpusRecord, 'customer' | 'order'>): LabelReason[] {
  const out: LabelReason[] = [];
  if (r.order && Number(r.order.amount) >= highValueThreshold(r.order.currency)) out.push('high_value');
  if (r.customer.orderCount !== null && r.customer.orderCount >= LABEL_THRESHOLDS.repeatOrders) out.push('repeat_customer');
  if (r.customer.tags.some((t) => KOL_CUSTOMER_TAGS.includes(t.toLowerCase()))) out.push('kol');
  if (r.order && r.order.itemCount >= LABEL_THRESHOLDS.bulkUnits) out.push('bulk_purchase');
  return out;
}

/** Policy §5: automatable follows from the other labels. */
export function derivedAutomatable(
  kind: CorpusRecord['kind'],
  labels: Pick<CorpusRecord['labels'], 'tags' | 'sentiment' | 'mustEscalate' | 'spam'>,
): boolean {
  // A review states an opinion: there is no question for self-service to answer.
  if (kind === 'review' || labels.mustEscalate || labels.spam || labels.sentiment === 'negative') return false;
  const allowed = new Set<string>([...AUTOMATABLE_TAGS, 'praise']);
  return labels.tags.every((t) => allowed.has(t)) && labels.tags.some((t) => t !== 'praise');
}

/** What in a record breaks the policy's checkable rules (empty when it is consistent). */
export function labelProblems(r: CorpusRecord): string[] {
  const p: string[] = [];
  const l = r.labels;
  if ((r.channel === 'review') !== (r.kind === 'review')) p.push('kind must be "review" exactly when channel is "review"');
  if ((r.kind === 'review') !== (r.rating !== null)) p.push('rating is 1-5 for reviews and null otherwise');
  if (r.channel !== 'email' && r.channel !== 'review' && r.subject !== '') p.push('only e-mails and reviews have a subject');
  if (new Set(l.tags).size !== l.tags.length) p.push('a tag is listed twice');
  if (new Set(l.reasons).size !== l.reasons.length) p.push('a reason is listed twice');
  if (l.tags.includes('other') && l.tags.length > 1) p.push('"other" is never combined with another tag');
  if (l.mustEscalate !== l.reasons.length > 0) p.push('mustEscalate must be true exactly when reasons is not empty');
  if (l.spam) {
    if (l.reasons.length > 0) p.push('spam never escalates: reasons must be empty');
    if (l.tags.join() !== 'other') p.push('spam is tagged ["other"]');
  } else {
    for (const reason of dataReasons(r)) if (!l.reasons.includes(reason)) p.push(`the store's data gives the reason ${reason}`);
    if (l.tags.includes('refund') !== l.reasons.includes('refund_request')) p.push('the refund tag and the refund_request reason go together');
    if (l.tags.includes('chargeback') !== l.reasons.includes('chargeback')) p.push('the chargeback tag and the chargeback reason go together');
  }
  const automatable = derivedAutomatable(r.kind, l);
  if (l.automatable !== automatable) p.push(`automatable must be ${automatable} by policy §5`);
  return p;
}

/** Parses a JSONL corpus file's text; every problem names its line. */
export function parseCorpus(text: string, file = 'corpus'): { records: CorpusRecord[]; problems: string[] } {
  const records: CorpusRecord[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`${where}: not valid JSON`);
      return;
    }
    const parsed = corpusRecordSchema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join('.') || '(record)'}: ${issue.message}`);
      return;
    }
    for (const msg of labelProblems(parsed.data)) problems.push(`${where} (${parsed.data.id}): ${msg}`);
    records.push(parsed.data);
  });
  return { records, problems };
}
