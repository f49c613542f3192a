import type { KnownBlock } from '@slack/types';
import type { CaseMessage } from '../../blocks/message';
import { buildDisputeCard } from '../../blocks/dispute-card';
import { withoutImages } from '../../blocks/links';
import { buildReviewCard } from '../../blocks/review-card';
import type { WorkspaceConfig } from '../config/workspace';
import type { Db } from '../db/client';
import { getDisputeByCase, latestExport } from '../db/queries/disputes';
import { relatedCases } from '../db/queries/related';
import { getReviewByCase, latestResponse } from '../db/queries/reviews';
import type { Case } from '../db/schema';
import { loadDisputeEvidence } from '../services/disputes/held-evidence';
import type { OrderContext } from '../domain/orders';
import { slaStateOrNull } from '../domain/sla-case';

// Cards of review and dispute cases, rendered at delivery time from the current state of the
// case, its review or dispute, and the customer's other cases. Null for other kinds (and for a
// case whose review or dispute row is gone): the caller falls back to the ticket card.

export async function renderKindCard(
  db: Db,
  c: Case,
  config: WorkspaceConfig,
  now: Date,
  teamUrl: string | null,
  context: OrderContext | null = null,
): Promise<CaseMessage | null> {
  if (c.kind === 'review') {
    const review = await getReviewByCase(db, { caseId: c.id });
    if (!review) return null;
    const [related, response] = await Promise.all([
      relatedCases(db, { excludeCaseId: c.id, email: review.reviewerEmail, orderRef: review.orderRef }),
      latestResponse(db, { caseId: c.id }),
    ]);
    return buildReviewCard(
      { c, review, related, response, negativeMaxRating: config.reviews.negative_max_rating, teamUrl },
      { tags: config.tags, now, sla: slaStateOrNull(config.sla, c, now), context },
    );
  }
  // A dispute's clock is the provider's respond-by deadline, shown (and reminded) by its own card and job.
  if (c.kind === 'dispute') {
    const dispute = await getDisputeByCase(db, { caseId: c.id });
    if (!dispute) return null;
    const evidence = await loadDisputeEvidence(db, config, c, dispute);
    const last = await latestExport(db, { disputeId: dispute.id });
    return buildDisputeCard(
      {
        c,
        dispute,
        related: evidence.related,
        held: evidence.held,
        lines: evidence.lines,
        lastExport: last?.completedAt ? { requestedBy: last.requestedBy, completedAt: last.completedAt } : null,
        teamUrl,
      },
      { tags: config.tags, now, context },
    );
  }
  return null;
}

/**
 * Sends a message with image blocks; when Slack refuses it because it cannot fetch an image
 * (invalid_blocks, "downloading image failed"), sends it again without the images rather than
 * lose the card.
 */
export async function sendWithImageFallback<T>(blocks: KnownBlock[], send: (blocks: KnownBlock[]) => Promise<T>): Promise<T> {
  try {
    return await send(blocks);
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    const stripped = withoutImages(blocks);
    if ((code === 'invalid_blocks' || code === 'invalid_blocks_format') && stripped.length < blocks.length) return send(stripped);
    throw err;
  }
}
