import { caseRef } from '../../domain/case';
import { CaseClosed, CaseNotFound, InvalidInput } from '../../domain/errors';
import { composeResponse, DEFAULT_OFFICIAL_CHANNEL, IMPROVEMENTS, RESPONSE_ACTIONS, suggestAcknowledgement } from '../../domain/reviews';
import { insertEvent, updateCase } from '../../db/queries/cases';
import { approveResponse, getResponse, getReviewByCase, insertResponseVersion, latestResponse } from '../../db/queries/reviews';
import type { Case, Review, ReviewResponse } from '../../db/schema';
import type { Deps } from '../deps';
import { type Notice, recordStaffChange, type StaffCommand, staffCase, staffCommand } from '../staff-command';
import { slaPatch } from '../cases/state';

// The response to a negative review: drafted in a modal, posted in the card's thread and
// approved by a second person on the team.

/** Before a review's form opens: the team check, the case and its review. */
export async function reviewCaseFor(deps: Deps, cmd: Omit<StaffCommand, 'kind'>): Promise<{ c: Case; review: Review }> {
  const c = await staffCase(deps, { ...cmd, kind: 'review' });
  const review = await getReviewByCase(deps.db, { caseId: c.id });
  if (!review) throw new CaseNotFound(caseRef(cmd.caseId));
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
  const { c, review } = await reviewCaseFor(deps, {
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
  const cmd = { caseId: params.caseId, actor: params.actor, attempted: 'draft_response', what: 'draft review responses', via: 'modal' };
  const actions = d.actions.filter((a) => (RESPONSE_ACTIONS as readonly string[]).includes(a));
  const improvements = d.improvements.filter((i) => (IMPROVEMENTS as readonly string[]).includes(i));
  const saved = await staffCommand(
    deps,
    {
      ...cmd,
      kind: 'review',
      // The form's answer is checked after the team check, before the case is locked.
      precheck: async () => {
        if (!deps.config.tags.some((t) => t.id === d.causeTag)) throw new InvalidInput(`Unknown cause "${d.causeTag}".`, ['causeTag']);
        return null;
      },
    },
    async (tx, c, now) => {
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
      const r = await insertResponseVersion(tx, {
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
      await recordStaffChange(tx, c, {
        actor: params.actor,
        action: 'response_drafted',
        data: { responseId: r.id, version: r.version, causeTag: d.causeTag, improvements, actions, via: 'modal' },
        at: now,
        entry: {
          type: 'review_draft',
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
        },
      });
      return { changed: true, response: r };
    },
  );
  deps.logger.info({ caseId: params.caseId, version: saved.response.version }, 'review response drafted');
  return saved.response;
}

/** A second person on the team approves a draft; the author cannot approve their own. */
export async function approveDraft(deps: Deps, params: { caseId: number; responseId: number; actor: string }): Promise<Notice> {
  const cmd = {
    caseId: params.caseId,
    actor: params.actor,
    attempted: 'approve_response',
    what: 'approve review responses',
    via: 'button',
  };
  return staffCommand(deps, cmd, async (tx, c, now): Promise<Notice> => {
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
    await recordStaffChange(tx, c, {
      actor: params.actor,
      action: 'response_approved',
      data: { responseId: r.id, version: r.version },
      at: now,
      entry: { type: 'response_approved', actor: params.actor, version: approved.version, draftedBy: approved.draftedBy, at: now },
    });
    return { changed: true };
  });
}
