import { caseRef } from '../domain/case';
import { CaseClosed, CaseNotFound, InvalidInput } from '../domain/errors';
import type { Judgement } from '../domain/judgement';
import {
  CHECKLIST_FINDINGS,
  classifyReview,
  composeResponse,
  DEFAULT_OFFICIAL_CHANNEL,
  IMPROVEMENTS,
  RESPONSE_ACTIONS,
  reviewSubject,
  suggestAcknowledgement,
  type UgcCommand,
  ugcTransition,
} from '../domain/reviews';
import type { Db } from '../db/client';
import { getCase, insertCase, insertEvent, lockCase, updateCase } from '../db/queries/cases';
import { enqueue, enqueueCaseChange, PRIORITY } from '../db/queries/outbox';
import { orderCase, relatedCases } from '../db/queries/related';
import {
  approveResponse,
  getResponse,
  getReviewByCase,
  insertResponseVersion,
  insertReview,
  latestResponse,
  lockReview,
  lockReviewByExternal,
  updateReview,
} from '../db/queries/reviews';
import type { Case, Review, ReviewChecklist, ReviewResponse } from '../db/schema';
import type { ReviewEvent } from '../domain/provider-events';
import { requireTeam, slaPatch } from './cases';
import { detectClusters } from './clusters';
import type { Deps } from './deps';
import { automaticEscalation, catalogueTags, escalatedPriority, judgeCase } from './judgement';
import { matchCase, matchedCaseFields } from './orders';
import { isStale, storable } from './provider-fields';

// Reviews: every review stored; negative ones become cases; positive ones with photos or video
// become UGC candidates. Staff draft responses (approved by a second person), fill in the
// internal checklist and move UGC through the consent ladder. Each change is one transaction
// writing state, audit and outbox; nothing here calls Slack.

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

export type Notice = { changed: true } | { changed: false; notice: string };

export { isStale, storable } from './provider-fields';

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

// ---- Draft response ------------------------------------------------------------------------

async function openReviewCaseFor(deps: Deps, params: { caseId: number; actor: string; attempted: string; what: string; via: string }) {
  await requireTeam(deps, { caseId: params.caseId, actor: params.actor, attempted: params.attempted, what: params.what, via: params.via });
  const c = await getCase(deps.db, { id: params.caseId });
  if (!c || c.kind !== 'review') throw new CaseNotFound(caseRef(params.caseId));
  const review = await getReviewByCase(deps.db, { caseId: c.id });
  if (!review) throw new CaseNotFound(caseRef(params.caseId));
  return { c, review };
}

export interface DraftForm {
  c: Case;
  review: Review;
  previous: ReviewResponse | null;
  suggestedAcknowledgement: string;
  suggestedCause: string;
  officialChannel: string;
}

/** The language to answer in: what the platform says the review is written in, else what Trustloop read. */
function reviewLanguage(review: Pick<Review, 'language'>, c: Pick<Case, 'judgement'>): string | null {
  return review.language ?? c.judgement?.language ?? null;
}

/** Before the Draft response modal opens: the team check, and what to prefill. */
export async function prepareDraft(deps: Deps, params: { caseId: number; actor: string; via?: string }): Promise<DraftForm> {
  const { c, review } = await openReviewCaseFor(deps, {
    ...params,
    attempted: 'draft_response',
    what: 'draft review responses',
    via: params.via ?? 'button',
  });
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'draft a response to');
  const previous = await latestResponse(deps.db, { caseId: c.id });
  const catalogue = deps.config.tags.map((t) => t.id);
  const suggestedCause =
    review.problemTags.find((t) => catalogue.includes(t)) ?? c.tags.find((t) => catalogue.includes(t)) ?? catalogue[0]!;
  return {
    c,
    review,
    previous,
    suggestedAcknowledgement: suggestAcknowledgement({
      reviewerName: review.reviewerName,
      productTitle: review.productTitle,
      problemTags: review.problemTags,
      title: review.title,
      body: review.body,
      language: reviewLanguage(review, c),
    }),
    suggestedCause,
    officialChannel: deps.config.reviews.official_channel ?? DEFAULT_OFFICIAL_CHANNEL,
  };
}

export interface DraftInput {
  acknowledge: string;
  actions: string[];
  actionDetail?: string | null;
  officialChannel: string;
  causeTag: string;
  improvements: string[];
  improvementNote?: string | null;
}

/**
 * Stores a new version of the response, tags the case with the captured cause, and posts the
 * draft in the card's thread for a second person to approve.
 */
export async function saveDraft(deps: Deps, params: { caseId: number; actor: string; draft: DraftInput }): Promise<ReviewResponse> {
  const d = params.draft;
  await requireTeam(deps, {
    caseId: params.caseId,
    actor: params.actor,
    attempted: 'draft_response',
    what: 'draft review responses',
    via: 'modal',
  });
  const actions = d.actions.filter((a) => (RESPONSE_ACTIONS as readonly string[]).includes(a));
  const improvements = d.improvements.filter((i) => (IMPROVEMENTS as readonly string[]).includes(i));
  if (!deps.config.tags.some((t) => t.id === d.causeTag)) throw new InvalidInput(`Unknown cause "${d.causeTag}".`, ['causeTag']);
  const now = deps.clock();
  const saved = await deps.db.transaction(async (tx) => {
    const c = await lockCase(tx, { id: params.caseId });
    if (!c || c.kind !== 'review') throw new CaseNotFound(caseRef(params.caseId));
    if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'draft a response to');
    const review = await getReviewByCase(tx, { caseId: c.id });
    if (!review) throw new CaseNotFound(caseRef(params.caseId));
    const body = composeResponse({
      acknowledge: d.acknowledge,
      actions,
      actionDetail: d.actionDetail,
      officialChannel: d.officialChannel,
      language: reviewLanguage(review, c),
    });
    const response = await insertResponseVersion(tx, {
      caseId: c.id,
      reviewId: review.id,
      acknowledge: d.acknowledge.trim(),
      actions,
      actionDetail: d.actionDetail?.trim() || null,
      officialChannel: d.officialChannel.trim(),
      causeTag: d.causeTag,
      improvements,
      improvementNote: d.improvementNote?.trim() || null,
      body,
      draftedBy: params.actor,
      draftedAt: now,
    });
    const tags = c.tags.includes(d.causeTag) ? c.tags : [...c.tags, d.causeTag].sort();
    await updateCase(tx, { id: c.id, patch: { tags }, now });
    await insertEvent(tx, {
      caseId: c.id,
      actor: params.actor,
      action: 'response_drafted',
      data: { responseId: response.id, version: response.version, causeTag: d.causeTag, improvements, actions, via: 'modal' },
      at: now,
    });
    const r = response;
    const entry = {
      type: 'review_draft' as const,
      response: {
        id: r.id,
        caseId: r.caseId,
        version: r.version,
        body: r.body,
        causeTag: r.causeTag,
        actions: r.actions,
        improvements: r.improvements,
        improvementNote: r.improvementNote,
        draftedBy: r.draftedBy,
        draftedAt: r.draftedAt,
      },
    };
    await enqueueCaseChange(tx, { caseId: c.id, channel: c.channelId, entry, priority: PRIORITY.interactive });
    return response;
  });
  deps.notify();
  deps.logger.info({ caseId: params.caseId, version: saved.version }, 'review response drafted');
  return saved;
}

/** A second person on the team approves a draft; the author cannot approve their own. */
export async function approveDraft(deps: Deps, params: { caseId: number; responseId: number; actor: string }): Promise<Notice> {
  await requireTeam(deps, {
    caseId: params.caseId,
    actor: params.actor,
    attempted: 'approve_response',
    what: 'approve review responses',
    via: 'button',
  });
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx): Promise<Notice> => {
    const c = await lockCase(tx, { id: params.caseId });
    if (!c) throw new CaseNotFound(caseRef(params.caseId));
    const r = await getResponse(tx, { id: params.responseId });
    if (!r || r.caseId !== c.id) throw new InvalidInput('That draft no longer exists.');
    if (r.status === 'superseded') {
      const latest = await latestResponse(tx, { caseId: c.id });
      return { changed: false, notice: `Draft v${r.version} was replaced by v${latest?.version ?? r.version + 1}; approve the newer one.` };
    }
    if (r.status === 'approved') return { changed: false, notice: `Draft v${r.version} was already approved by <@${r.approvedBy}>.` };
    if (r.draftedBy === params.actor) {
      await insertEvent(tx, {
        caseId: c.id,
        actor: params.actor,
        action: 'denied',
        data: { attempted: 'approve_own_response', via: 'button' },
        at: now,
      });
      return { changed: false, notice: 'A second person must approve a response: ask someone else on the team.' };
    }
    const approved = await approveResponse(tx, { id: r.id, by: params.actor, at: now });
    // The approved response is the team's answer to the review: the response clocks stop.
    await updateCase(tx, { id: c.id, patch: slaPatch(deps.config.sla, c, { agentResponseAt: now }, now), now });
    await insertEvent(tx, {
      caseId: c.id,
      actor: params.actor,
      action: 'response_approved',
      data: { responseId: r.id, version: r.version },
      at: now,
    });
    const entry = {
      type: 'response_approved' as const,
      actor: params.actor,
      version: approved.version,
      draftedBy: approved.draftedBy,
      at: now,
    };
    await enqueueCaseChange(tx, { caseId: c.id, channel: c.channelId, entry, priority: PRIORITY.interactive });
    return { changed: true };
  });
  if (result.changed) deps.notify();
  return result;
}

// ---- Internal checklist --------------------------------------------------------------------

export async function prepareChecklist(
  deps: Deps,
  params: { caseId: number; actor: string },
): Promise<{ c: Case; current: ReviewChecklist | null; suggestedCountry: string | null }> {
  const { c, review } = await openReviewCaseFor(deps, {
    ...params,
    attempted: 'review_checklist',
    what: 'fill in the review checklist',
    via: 'button',
  });
  let country = c.orderCountry;
  if (!country)
    country =
      orderCase(await relatedCases(deps.db, { excludeCaseId: c.id, email: review.reviewerEmail, orderRef: review.orderRef }))
        ?.orderCountry ?? null;
  return { c, current: review.checklist, suggestedCountry: country };
}

export async function saveChecklist(
  deps: Deps,
  params: { caseId: number; actor: string; checklist: Omit<ReviewChecklist, 'by' | 'at'> },
): Promise<void> {
  await requireTeam(deps, {
    caseId: params.caseId,
    actor: params.actor,
    attempted: 'review_checklist',
    what: 'fill in the review checklist',
    via: 'modal',
  });
  const now = deps.clock();
  const k = params.checklist;
  const findings = k.findings.filter((f) => (CHECKLIST_FINDINGS as readonly string[]).includes(f));
  const checklist: ReviewChecklist = {
    ...(k.country?.trim() ? { country: k.country.trim() } : {}),
    ...(k.shippingMethod?.trim() ? { shippingMethod: k.shippingMethod.trim() } : {}),
    ...(k.deliveryPromise?.trim() ? { deliveryPromise: k.deliveryPromise.trim() } : {}),
    ...(k.promiseKept ? { promiseKept: k.promiseKept } : {}),
    findings,
    ...(k.note?.trim() ? { note: k.note.trim() } : {}),
    by: params.actor,
    at: now.toISOString(),
  };
  await deps.db.transaction(async (tx) => {
    const c = await lockCase(tx, { id: params.caseId });
    if (!c || c.kind !== 'review') throw new CaseNotFound(caseRef(params.caseId));
    const review = await getReviewByCase(tx, { caseId: c.id });
    if (!review) throw new CaseNotFound(caseRef(params.caseId));
    await updateReview(tx, { id: review.id, patch: { checklist } });
    await updateCase(tx, { id: c.id, patch: {}, now });
    await insertEvent(tx, {
      caseId: c.id,
      actor: params.actor,
      action: 'review_checklist',
      data: { findings, promiseKept: k.promiseKept ?? null },
      at: now,
    });
    const entry = { type: 'review_checklist' as const, actor: params.actor, findings, at: now };
    await enqueueCaseChange(tx, { caseId: c.id, channel: c.channelId, entry, priority: PRIORITY.interactive });
  });
  deps.notify();
}

// ---- UGC -------------------------------------------------------------------------------------

const UGC_WHAT: Record<UgcCommand, string> = {
  request: 'request UGC permission',
  granted: 'record UGC consent',
  declined: 'record UGC consent',
  revoke: 'record UGC consent',
  approve: 'approve UGC for use',
  skip: 'skip UGC candidates',
};

/** Moves a UGC candidate along the consent ladder and re-renders its post. */
export async function actOnUgc(deps: Deps, params: { reviewId: number; actor: string; command: UgcCommand }): Promise<Notice> {
  await requireTeam(deps, {
    caseId: null,
    actor: params.actor,
    attempted: `ugc_${params.command}`,
    what: UGC_WHAT[params.command],
    via: 'button',
  });
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx): Promise<Notice> => {
    const r = await lockReview(tx, { id: params.reviewId });
    if (!r || r.ugcStatus === null) throw new InvalidInput('That UGC candidate no longer exists.');
    const t = ugcTransition({ status: r.ugcStatus, consent: r.ugcConsent as never, scope: r.ugcScope }, params.command);
    if (!t.changed) return t;
    const patch: Partial<Review> = {};
    if (t.patch.status !== undefined) patch.ugcStatus = t.patch.status;
    if (t.patch.consent !== undefined) Object.assign(patch, { ugcConsent: t.patch.consent, ugcConsentAt: now, ugcConsentBy: params.actor });
    if (t.patch.scope !== undefined) Object.assign(patch, { ugcScope: t.patch.scope, ugcApprovedBy: params.actor, ugcApprovedAt: now });
    const updated = await updateReview(tx, { id: r.id, patch });
    await insertEvent(tx, {
      caseId: r.caseId,
      actor: params.actor,
      action: t.action,
      data: { reviewId: r.id, consent: updated.ugcConsent, scope: updated.ugcScope },
      at: now,
    });
    if (updated.ugcChannel) {
      await enqueue(tx, [
        {
          kind: 'ugc_update',
          channel: updated.ugcChannel,
          orderKey: `ugc:${r.id}`,
          payload: { reviewId: r.id },
          priority: PRIORITY.interactive,
        },
      ]);
    }
    return { changed: true };
  });
  if (result.changed) deps.notify();
  deps.logger.info({ reviewId: params.reviewId, command: params.command, changed: result.changed }, 'ugc action');
  return result;
}
