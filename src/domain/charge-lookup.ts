import { z } from 'zod';

// A Stripe charge lookup's result, as a dispute's timeline tells it.

/** What the case's thread is told about a lookup (blocks/charge-lookup renders it). */
export const chargeLookupLineSchema = z.object({
  chargeId: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  orderRef: z.string().nullable(),
  /** The stored order the case is now matched to ("#1042"), when the lookup found one. */
  matchedOrder: z.string().nullable(),
  receiptUrl: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  unreadable: z.array(z.string()),
});
export type ChargeLookupLine = z.infer<typeof chargeLookupLineSchema>;
