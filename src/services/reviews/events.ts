import { caseRef } from '../../domain/case';
import type { Judgement } from '../../domain/judgement';
import { classifyReview, reviewSubject } from '../../domain/reviews';
import type { Db } from '../../db/client';
import { insertCase, insertEvent, lockCase, updateCase } from '../../db/queries/cases';
import { enqueue, enqueueCaseChange } from '../../db/queries/outbox';
import { orderCase, relatedCases } from '../../db/queries/related';
import { insertReview, lockReviewByExternal, updateReview } from '../../db/queries/reviews';
import type { Review } from '../../db/schema';
import type { ReviewEvent } from '../../domain/provider-events';
import { detectClusters } from '../clusters';
import type { Deps } from '../deps';
import { automaticEscalation, catalogueTags, escalatedPriority, judgeCase } from '../judgement';
import { matchCase, matchedCaseFields } from '../orders';
import { isStale, storable } from '../provider-fields';

// Reviews as the platforms report them: every review stored; negative ones become cases;
// positive ones with photos or video become UGC candidates. Runs in the webhook's transaction.

export interface ReviewOutcome {
  reviewId: number;
  caseId: number | null;
  reviewCreated: boolean;
  caseCreated: boolean;
  negative: boolean;
  ugcCandidate: boolean;
  /** Older than the newest version applied (providers deliver out of order): it changed nothing. */
  stale?: boolean;
  /** Not a problem, but its writer must reach a person (posted with the reason, no case card). */
  lead?: boolean;
}

export function reviewsChannel(config: Deps['config']): string {
  return config.channels.reviews ?? config.channels.default;
}

/** Stores (or updates) a review and makes a case or a UGC post of it. Runs in the caller's transaction. */
export async function applyReviewEvent(tx: Db, deps: Deps, e: ReviewEvent, now: Date): Promise<ReviewOutcome> {
  const { config } = deps;
  // Judged as tickets are (tags, mood, who must get a person), with the
  // recent damage/quality cases about the same product counted.
  // The store's memory: the reviewer's order (named by the platform, or their latest by e-mail).
  const match = await matchCase(tx, { refs: [e.orderRef], text: '', email: e.reviewer.email ?? null, at: e.createdAt });
  const known = match ? matchedCaseFields(match) : null;
  const judgement = await judgeCase(
    tx,
    deps,
    {
      subject: e.title,
      body: e.body,
      source: 'review',
      kind: 'review',
      customer: { orderCount: known?.customerOrderCount ?? null, tags: [] },
      ...(known?.orderAmount
        ? {
            order: {
              amount: known.orderAmount,
              currency: known.orderCurrency,
              itemCount: (known.orderItems ?? []).reduce((n, i) => n + i.quantity, 0),
            },
          }
        : {}),
      rating: e.rating,
      productKeys: reviewProductKeys(e.product),
    },
    now,
  );
  const cls = classifyReview(e, judgement, {
    negativeMaxRating: config.reviews.negative_max_rating,
    ugcMinRating: config.reviews.ugc_min_rating,
  });
  const fields = {
    rating: e.rating,
    title: storable(e.title),
    body: storable(e.body),
    productId: storable(e.product.id ?? null),
    productHandle: storable(e.product.handle ?? null),
    productTitle: storable(e.product.title ?? null),
    productSku: storable(e.product.sku ?? null),
    verified: e.verified,
    media: e.media.map((m) => ({ type: m.type, url: storable(m.url) })),
    reviewerName: storable(e.reviewer.name ?? null),
    reviewerEmail: storable(e.reviewer.email?.trim().toLowerCase() ?? null),
    orderRef: storable(e.orderRef ?? null),
    language: storable(e.language ?? null),
    published: e.published ?? null,
    writtenAt: e.createdAt,
    ...(e.occurredAt ? { providerUpdatedAt: e.occurredAt } : {}),
    updatedAt: now,
    negative: cls.negative,
    problemTags: cls.problemTags,
    sentiment: judgement.sentiment,
  };
  const externalId = storable(e.externalId);
  let review = await lockReviewByExternal(tx, { provider: e.provider, externalId });
  let reviewCreated = false;
  let previous: Review | null = null;
  if (!review) {
    review = await insertReview(tx, { ...fields, provider: e.provider, externalId, receivedAt: now });
    if (review) reviewCreated = true;
    // Inserted by a concurrent delivery of another event about the same review: update it instead.
    else review = await lockReviewByExternal(tx, { provider: e.provider, externalId });
  }
  if (!reviewCreated) {
    previous = review!;
    if (isStale(e.occurredAt, previous.providerUpdatedAt)) {
      deps.logger.info(
        { reviewId: previous.id, occurredAt: e.occurredAt, newest: previous.providerUpdatedAt },
        'stale review update ignored',
      );
      return {
        reviewId: previous.id,
        caseId: previous.caseId,
        reviewCreated: false,
        caseCreated: false,
        negative: previous.negative,
        ugcCandidate: false,
        stale: true,
      };
    }
    review = await updateReview(tx, { id: previous.id, patch: fields });
  }
  review = review!;

  let caseId = review.caseId;
  let caseCreated = false;
  if (cls.negative && caseId === null) {
    const c = await openReviewCase(tx, deps, review, judgement, now, e.createdAt, known);
    caseId = c.id;
    caseCreated = c.created;
    review = await updateReview(tx, { id: review.id, patch: { caseId } });
    if (caseCreated && (review.productTitle || review.productSku)) await detectClusters(tx, deps, now);
  } else if (caseId !== null && previous && reviewChanged(previous, review)) {
    await recordEdit(tx, deps, caseId, previous, review, now);
  }

  // A review that is no problem can still come from someone a person must hear from (a creator,
  // a bulk buyer, a long-time customer): it reaches the team with the reason, without a case card.
  const lead = !cls.negative && judgement.mustEscalate && review.leadReasons.length === 0;
  if (lead) {
    const leadReasons = judgement.reasons.map((r) => ({ code: r.code, label: r.label }));
    review = await updateReview(tx, { id: review.id, patch: { leadReasons } });
    await insertEvent(tx, {
      caseId: null,
      actor: e.provider,
      action: 'review_lead',
      data: { reviewId: review.id, reasons: leadReasons.map((r) => r.code) },
      at: now,
    });
  }

  let ugcCandidate = false;
  const ugcChannel = config.channels.ugc;
  if (cls.ugcCandidate && ugcChannel && review.ugcStatus === null) {
    review = await updateReview(tx, { id: review.id, patch: { ugcStatus: 'candidate', ugcChannel } });
    // A lead with photos is one post: the UGC post carries the reason.
    await enqueue(tx, [{ kind: 'ugc_post', channel: ugcChannel, orderKey: `ugc:${review.id}`, payload: { reviewId: review.id } }]);
    await insertEvent(tx, { caseId: null, actor: e.provider, action: 'ugc_candidate', data: { reviewId: review.id }, at: now });
    ugcCandidate = true;
  } else if (lead) {
    await enqueue(tx, [
      {
        kind: 'review_lead',
        channel: ugcChannel ?? reviewsChannel(config),
        orderKey: `lead:${review.id}`,
        payload: { reviewId: review.id },
      },
    ]);
  }
  return { reviewId: review.id, caseId, reviewCreated, caseCreated, negative: cls.negative, ugcCandidate, lead };
}

/** The products a review is about, in the form tickets use (sku:… or name:…), for quality clusters. */
function reviewProductKeys(p: { sku?: string | null; title?: string | null }): string[] {
  if (p.sku?.trim()) return [`sku:${p.sku.trim().toLowerCase()}`];
  if (p.title?.trim()) return [`name:${p.title.trim().toLowerCase()}`];
  return [];
}

async function openReviewCase(
  tx: Db,
  deps: Deps,
  review: Review,
  judgement: Judgement,
  now: Date,
  writtenAt: Date,
  known: ReturnType<typeof matchedCaseFields> | null,
): Promise<{ id: number; created: boolean }> {
  const { config } = deps;
  const related = await relatedCases(tx, { email: review.reviewerEmail, orderRef: review.orderRef });
  const order = orderCase(related);
  const suggested = catalogueTags(judgement, config).filter((t) => t !== 'praise');
  // Trustloop's rules say a person must handle it (e.g. 1–2★): it arrives escalated, as a ticket would.
  const auto = automaticEscalation(judgement, config, now);
  const escalation = auto?.escalation ?? null;
  const priority = escalation ? escalatedPriority(config) : config.priorities.default;
  // The clocks start now, when Trustloop receives it: a late or back-filled review (a first
  // connection, a platform's batch) must not arrive already breached. Reports count it when written.
  const reportedAt = writtenAt > now ? now : writtenAt;
  const { id, created } = await insertCase(tx, {
    kind: 'review',
    source: review.provider,
    externalId: review.externalId,
    subject: reviewSubject(review),
    body: review.body,
    customerName: review.reviewerName ?? known?.customerName ?? order?.customerName ?? null,
    customerEmail: review.reviewerEmail ?? known?.customerEmail ?? order?.customerEmail?.toLowerCase() ?? null,
    customerOrderCount: known?.customerOrderCount ?? null,
    orderId: known?.orderId ?? review.orderRef ?? order?.orderId ?? null,
    orderAmount: known?.orderAmount ?? order?.orderAmount ?? null,
    orderCurrency: known ? known.orderCurrency : order?.orderAmount ? order.orderCurrency : null,
    orderCountry: known?.orderCountry ?? order?.orderCountry ?? null,
    orderItems: known?.orderItems ?? order?.orderItems ?? null,
    carrier: known?.carrier ?? null,
    matchedOrderId: known?.matchedOrderId ?? null,
    priority,
    tags: suggested,
    suggestedTags: suggested,
    judgement,
    sentiment: judgement.sentiment,
    automatable: false,
    productKeys: reviewProductKeys({ sku: review.productSku, title: review.productTitle }),
    escalation,
    channelId: reviewsChannel(config),
    receivedAt: now,
    reportedAt,
    actor: review.provider,
    eventData: { reviewId: review.id, rating: review.rating, reasons: judgement.reasons.map((r) => r.code) },
    firstMessage: { authorName: review.reviewerName, body: review.body || `(${review.rating}★, no text)`, createdAt: reportedAt },
    ...auto?.with,
  });
  if (created) deps.logger.info({ caseId: id, ref: caseRef(id), provider: review.provider, rating: review.rating }, 'review case created');
  return { id, created };
}

function reviewChanged(a: Review, b: Review): boolean {
  return a.rating !== b.rating || a.title !== b.title || a.body !== b.body || JSON.stringify(a.media) !== JSON.stringify(b.media);
}

async function recordEdit(tx: Db, deps: Deps, caseId: number, before: Review, after: Review, now: Date): Promise<void> {
  const c = await lockCase(tx, { id: caseId });
  if (!c) return;
  await updateCase(tx, { id: caseId, patch: { subject: reviewSubject(after), body: after.body }, now });
  await insertEvent(tx, {
    caseId,
    actor: after.provider,
    action: 'review_edited',
    data: { reviewId: after.id, ratingBefore: before.rating, ratingAfter: after.rating },
    at: now,
  });
  await enqueueCaseChange(tx, {
    caseId,
    channel: c.channelId,
    entry: { type: 'review_edited', ratingBefore: before.rating, ratingAfter: after.rating, at: now },
  });
}
