import cron from 'node-cron';
import { z } from 'zod';

// The `digest` section of the workspace config: when the weekly voice-of-customer
// digest is published, when a repeated question is worth fixing at its source, and what a fix
// can change. Every key has a default; the channel lives under `channels.digest`.

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, - or _ (at most 64)');

/** What a fix item can change, as the brief lists them. */
export const DEFAULT_FIX_TARGETS = [
  { id: 'product_page', label: 'Product page' },
  { id: 'faq', label: 'FAQ' },
  { id: 'policy_page', label: 'Policy page' },
  { id: 'email', label: 'Email' },
  { id: 'ad_creative', label: 'Ad creative' },
  { id: 'supplier', label: 'Supplier' },
  { id: 'logistics', label: 'Logistics' },
];

export const DEFAULT_DIGEST_SCHEDULE = '0 9 * * 1';

const threshold = z.int('must be a whole number of cases a week').min(1, 'must be at least 1').max(100_000);

export const digestConfigSchema = z
  .object({
    /** Cron expression (minute hour day month weekday), read in the store's time zone. Default Monday 09:00. */
    schedule: z
      .string()
      .trim()
      .refine((s) => s.split(/\s+/).length === 5 && cron.validate(s), {
        message: 'must be a cron expression of five fields (minute hour day-of-month month weekday), such as "0 9 * * 1"',
      })
      .default(DEFAULT_DIGEST_SCHEDULE),
    /** A question (tag) asked at least this often in a week is flagged "fix the page, not the reply". */
    repeated_question_threshold: threshold.default(20),
    /** Per-tag thresholds, by tag id (a tag from the catalogue). */
    thresholds: z.record(slug, threshold).default({}),
    /** Tags whose cases are refunds, returns or exchanges: their other tags are the reasons (tags outside the catalogue match nothing). */
    return_tags: z.array(slug).max(20).default(['refund', 'return_request', 'exchange']),
    /** Tags that are logistics issues, grouped by destination country and carrier. */
    logistics_tags: z.array(slug).max(20).default(['shipping_delay', 'missing_item', 'damaged', 'wrong_item']),
    /** What a fix item can change: the target menu of the Create fix form. */
    fix_targets: z
      .array(z.object({ id: slug, label: z.string().trim().min(1).max(75) }).strict())
      .min(1, 'needs at least one target')
      .max(100, 'at most 100 targets fit in a Slack menu')
      .default(DEFAULT_FIX_TARGETS),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.fix_targets.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['fix_targets', i, 'id'], message: `duplicate target id "${t.id}"` });
      seen.add(t.id);
    });
  });

export type DigestConfig = z.output<typeof digestConfigSchema>;
