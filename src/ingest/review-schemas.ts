import { z } from 'zod';
import { caseSummarySchema } from './schemas';

// Answers of POST /api/v1/reviews and /api/v1/disputes, for the OpenAPI document.

export const reviewResultSchema = z
  .object({
    review_id: z.int().nullable(),
    created: z.boolean().meta({ description: 'false when this review (or this delivery) had been received before.' }),
    duplicate: z.boolean().meta({ description: 'true when the same event_id (or the same body) was sent before: nothing changed.' }),
    negative: z.boolean().meta({ description: 'At or below the configured rating, or a higher rating whose text reports a problem.' }),
    ugc_candidate: z.boolean().meta({ description: 'Posted to the UGC channel for a permission request.' }),
    lead_reasons: z
      .array(z.object({ code: z.string(), label: z.string() }))
      .meta({ description: 'Why a review that is not a case must still reach a person (a creator, a bulk buyer, a long-time customer); empty otherwise.' }),
    case: caseSummarySchema.nullable().meta({ description: 'The case of a negative review; null for other reviews.' }),
  })
  .meta({ id: 'ReviewResult' });

export const disputeResultSchema = z
  .object({
    dispute_id: z.int().nullable(),
    created: z.boolean(),
    duplicate: z.boolean(),
    stage: z.string().nullable(),
    state: z.string().nullable(),
    outcome: z.enum(['won', 'lost']).nullable(),
    case: caseSummarySchema.nullable(),
  })
  .meta({ id: 'DisputeResult' });
