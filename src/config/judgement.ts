import { z } from 'zod';
import { DEFAULT_HIGH_VALUE, DEFAULT_HIGH_VALUE_THRESHOLDS } from '../domain/judgement/thresholds';
import { AUTOMATABLE_TOPICS, JUDGEMENT_LANGUAGES } from '../domain/judgement/types';

export { JUDGEMENT_LANGUAGES };

// Thresholds and switches for the judgement engine (src/domain/judgement). Every key has a
// default, so `judgement: {}` (or leaving the section out) gives the behaviour the brief asks
// for. The workspace config mounts this schema under `judgement`.

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, - or _ (at most 64)');
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR')
  .transform((v) => v.toUpperCase());
const phrase = z.string().trim().min(1).max(200);



/** Each must-escalate rule from the brief, on or off. A rule that is off adds no reason. */
const rulesSchema = z
  .object({
    refund_request: z.boolean().default(true),
    chargeback: z.boolean().default(true),
    complaint_escalation: z.boolean().default(true),
    high_value: z.boolean().default(true),
    repeat_customer: z.boolean().default(true),
    kol: z.boolean().default(true),
    bulk_purchase: z.boolean().default(true),
    quality_cluster: z.boolean().default(true),
    review_threat: z.boolean().default(true),
    public_post_threat: z.boolean().default(true),
    legal_threat: z.boolean().default(true),
    // Beyond the brief, off unless a workspace wants them: a low rating, a negative public comment
    // or anger alone is a case to work, not a reason to escalate.
    low_rating: z.boolean().default(false),
    public_complaint: z.boolean().default(false),
    furious: z.boolean().default(false),
    /** Nothing in the message could be read (a language the model does not know, and no fact found). */
    language: z.boolean().default(true),
  })
  .strict();

const keywordRuleSchema = z
  .object({
    /** Phrases that suggest the tag (same syntax as the built-in tables: `*` gap, `word*` prefix, `=word` exact). */
    phrases: z.array(phrase).max(200).default([]),
    /** Phrases inside which a hit does not count ("refund policy"). */
    exclude: z.array(phrase).max(200).default([]),
    /** extend: add to the built-in phrases; override: replace them for this tag. */
    mode: z.enum(['extend', 'override']).default('extend'),
  })
  .strict();

export const judgementConfigSchema = z
  .object({
    rules: rulesSchema.prefault({}),
    high_value: z
      .object({
        /** Order value at or above which a case escalates, per currency. */
        // Listed currencies are merged over the defaults; set one very high to switch it off.
        thresholds: z
          .record(currency, z.number().positive())
          .default({})
          .transform((t) => ({ ...DEFAULT_HIGH_VALUE_THRESHOLDS, ...t })),
        /** Used for any currency not listed. */
        default: z.number().positive().default(DEFAULT_HIGH_VALUE),
      })
      .strict()
      .prefault({}),
    repeat_customer_orders: z.int().min(1).default(3),
    bulk_quantity: z.int().min(2).default(20),
    kol_customer_tags: z.array(z.string().trim().min(1).max(64)).default(['kol', 'creator', 'influencer', 'ambassador']),
    /** "80k followers" in a message makes the sender a KOL from this many followers. */
    kol_min_followers: z.int().min(0).default(10_000),
    quality_cluster: z
      .object({
        /** This case plus the similar recent ones on the same product. */
        count: z.int().min(2).default(3),
        /** Window the caller counts recent cases in. */
        days: z.int().min(1).max(365).default(14),
      })
      .strict()
      .prefault({}),
    /** Reviews rated at or below this escalate (low_rating rule). */
    low_rating_max: z.int().min(0).max(5).default(2),
    /** Languages the model was trained on; a message in another is still read for what can be read. */
    languages: z
      .array(z.enum(JUDGEMENT_LANGUAGES))
      .min(1)
      .default([...JUDGEMENT_LANGUAGES]),
    /** Extra or replacement phrases per tag id; a tag not in the default catalogue may be added here. */
    keywords: z.record(slug, keywordRuleSchema).default({}),
    automation: z
      .object({
        enabled: z.boolean().default(true),
        topics: z.array(z.enum(AUTOMATABLE_TOPICS)).default([...AUTOMATABLE_TOPICS]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type JudgementConfig = z.output<typeof judgementConfigSchema>;
export type JudgementConfigInput = z.input<typeof judgementConfigSchema>;

export const DEFAULT_JUDGEMENT_CONFIG: JudgementConfig = judgementConfigSchema.parse({});
