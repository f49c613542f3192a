import { z } from 'zod';

// The `retention` section of the workspace config: after how many days personal data is deleted
// by `trustloop purge`. Each is off until set: nothing a store has is deleted without its say.

const days = (what: string) =>
  z
    .int(`must be a whole number of days ${what}`)
    .min(30, 'must be at least 30 days (a shorter time would delete cases still being talked about)')
    .max(36_500, 'must be at most 36500 days (100 years); leave it out to keep everything')
    .optional();

export const retentionConfigSchema = z
  .object({
    /** Resolved cases (with their messages, timeline, drafts and ratings), closed disputes and reviews. */
    cases_days: days('after a case is resolved'),
    /** Orders, shipments, refunds, the store's customer records and finished review requests. */
    orders_days: days('after an order was placed'),
  })
  .strict();

export type RetentionConfig = z.infer<typeof retentionConfigSchema>;

const DAY_MS = 86_400_000;

/** The moments before which data goes, at `now`; null where the store keeps that data. */
export function retentionCutoffs(retention: RetentionConfig, now: Date): { casesBefore: Date | null; ordersBefore: Date | null; now: Date } {
  return {
    casesBefore: retention.cases_days ? new Date(now.getTime() - retention.cases_days * DAY_MS) : null,
    ordersBefore: retention.orders_days ? new Date(now.getTime() - retention.orders_days * DAY_MS) : null,
    now,
  };
}
