import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { csatResponses } from '../schema';

/** Stores a rating; one per case, so a later rating replaces the earlier one. `created` is false on a replacement. */
export async function upsertCsat(
  db: Db,
  params: { caseId: number; rating: number; comment: string | null; via: 'api' | 'link'; respondedAt: Date },
): Promise<{ created: boolean }> {
  const [row] = await db
    .insert(csatResponses)
    .values(params)
    .onConflictDoUpdate({
      target: csatResponses.caseId,
      // A new rating without a comment keeps the comment given before.
      set: {
        rating: params.rating,
        comment: sql`coalesce(excluded.comment, ${csatResponses.comment})`,
        via: params.via,
        respondedAt: params.respondedAt,
        receivedAt: sql`now()`,
      },
    })
    .returning({ created: sql<boolean>`xmax = 0` });
  return { created: row!.created };
}
