import { z } from 'zod';

// The `reviews` and `disputes` sections of the workspace config. Every key has a
// default, so leaving both sections out gives the behaviour the brief asks for. Channels live
// under `channels` (reviews, disputes, ugc, supply_chain) with the other channels.

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, - or _ (at most 64)');

export const reviewsConfigSchema = z
  .object({
    /** Reviews rated at or below this become cases (a higher rating does when its text reports a problem). */
    negative_max_rating: z.int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').default(3),
    /** Reviews rated at least this, with photos or video and no problem, are UGC candidates. */
    ugc_min_rating: z.int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').default(4),
    /** The official support channel named in drafted responses, e.g. "support@linenloom.com". */
    official_channel: z.string().trim().min(1).max(300).optional(),
    /** Negative reviews plus damaged/quality tickets about one product that make a cluster alert. */
    cluster: z
      .object({
        count: z.int().min(2).max(1000).default(3),
        days: z.int().min(1).max(90).default(7),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    // Only between two valid ratings: an out-of-range one already has its own message.
    const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= 5;
    if (valid(r.negative_max_rating) && valid(r.ugc_min_rating) && r.ugc_min_rating <= r.negative_max_rating) {
      ctx.addIssue({
        code: 'custom',
        path: ['ugc_min_rating'],
        message: `must be above negative_max_rating (${r.negative_max_rating}): a negative review is never a UGC candidate`,
      });
    }
  });

export const disputesConfigSchema = z
  .object({
    /**
     * Policy pages a customer accepted at checkout, by name (refund, shipping, terms…): the evidence
     * checklist counts policy evidence as held when at least one is listed, and the export links them.
     */
    policy_urls: z
      .record(slug, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of the policy page' }))
      .default({})
      .refine((r) => Object.keys(r).length <= 10, 'lists more than 10 pages'),
  })
  .strict();

export type ReviewsConfig = z.output<typeof reviewsConfigSchema>;
export type DisputesConfig = z.output<typeof disputesConfigSchema>;
