import { z } from 'zod';
import { CLAIM_EVIDENCE, EMPTY_POLICY, REFUND_TO, RETURN_SHIPPING, type StorePolicy } from '../domain/policy';

// The `policy` section of the workspace config: the store's promises, written once. Replies are
// drafted from it and checked against it. Every part may be left out: a reply then promises
// nothing about that part, and the weekly digest lists the questions it could not answer.

const country = z
  .string()
  .regex(/^([A-Za-z]{2}|\*)$/, 'must be a two-letter country code such as DE, or * for everywhere else')
  .transform((c) => c.toUpperCase());

const dayRange = z
  .tuple([z.int().min(0).max(365), z.int().min(0).max(365)])
  .refine(([a, b]) => a <= b, 'must be [fewest, most] business days, the fewest first');

const deliveryRule = z
  .object({
    countries: z.array(country).min(1),
    method: z.string().trim().min(1).max(60).default('standard'),
    business_days: dayRange,
  })
  .strict();

export const policyConfigSchema = z
  .object({
    /** The official way to reach the team, as replies should name it. */
    contact: z.string().trim().min(1).max(300).nullable().default(null),
    home_country: country.nullable().default(null),
    delivery: z.array(deliveryRule).max(100).default([]),
    returns: z
      .object({
        window_days: z.int().min(0).max(365),
        return_shipping: z.enum(RETURN_SHIPPING),
        condition: z.string().trim().min(1).max(300).nullable().default(null),
      })
      .strict()
      .nullable()
      .default(null),
    refunds: z
      .object({ business_days: dayRange, to: z.enum(REFUND_TO).default('original_payment') })
      .strict()
      .nullable()
      .default(null),
    exchanges: z
      .object({ allowed: z.boolean().default(true), window_days: z.int().min(0).max(365).nullable().default(null) })
      .strict()
      .nullable()
      .default(null),
    damage_claims: z
      .object({
        requires: z.array(z.enum(CLAIM_EVIDENCE)).max(CLAIM_EVIDENCE.length).default([...EMPTY_POLICY.damage_claims.requires]),
        report_within_days: z.int().min(1).max(365).nullable().default(null),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type PolicyConfig = z.output<typeof policyConfigSchema>;
// The config's shape is the domain's: a change to either is a type error here.
const _sameShape: StorePolicy = {} as PolicyConfig;
void _sameShape;
