import * as domain from '../../domain/case';
import { type CaseState, caseRef, type MessageDirection } from '../../domain/case';
import { CaseNotFound, InvalidInput } from '../../domain/errors';
import type { Db } from '../../db/client';
import { getCase, getCaseByCard, getMessage } from '../../db/queries/cases';
import type { Case } from '../../db/schema';
import type { SlaConfig } from '../../config/sla';
import { trackMetrics } from '../../domain/metrics';
import { nextSlaCheck, trackSla } from '../../domain/sla-case';
import type { Deps } from '../deps';

// A case's state as the domain reads it, the SLA and metrics side of a change made outside the
// helpdesk, and the case read whole (by id, by its card, a message behind Full message).

export function toState(c: Case): CaseState {
  return {
    id: c.id,
    status: c.status,
    ownerId: c.ownerId,
    tags: c.tags,
    tagsReviewedAt: c.tagsReviewedAt,
    mustEscalateAt: c.mustEscalateAt,
    priority: c.priority,
    escalatedAt: c.escalatedAt,
    escalationReason: c.escalationReason,
    resolvedAt: c.resolvedAt,
    reopenCount: c.reopenCount,
    firstResponseAt: c.firstResponseAt,
    lastCustomerMessageAt: c.lastCustomerMessageAt,
    lastAgentReplyAt: c.lastAgentReplyAt,
  };
}

/**
 * A change to a case with its SLA and metrics sides, as one patch: the clocks kept for the
 * change (a status, a message: pauses, resolutions, the reply awaited), then the figures
 * measured on the case as it will be (first reply and resolution business time).
 */
export function withTracking(
  cfg: SlaConfig,
  c: Case,
  change: Partial<Case>,
  now: Date,
  message?: { direction: MessageDirection; at: Date },
): Partial<Case> {
  const sla = trackSla(c, { ...(change.status !== undefined ? { status: change.status } : {}), ...(message ? { message } : {}) }, now);
  const metrics = trackMetrics(cfg, c, { ...c, ...change, ...sla });
  return withSlaCheck(cfg, c, { ...change, ...sla, ...metrics }, now);
}

/**
 * A patch with the SLA sweep's next look at the case as the change leaves it (nextSlaCheck);
 * `alongside` is what the caller writes with the patch (a status).
 */
function withSlaCheck(cfg: SlaConfig, c: Case, patch: Partial<Case>, now: Date, alongside: { status?: string } = {}): Partial<Case> {
  return { ...patch, ...nextSlaCheck(cfg, { ...c, ...alongside, ...patch }, now) };
}

/**
 * The SLA side of a change made outside the helpdesk: a status change (a provider closing or
 * reopening a dispute) and a staff response that is not a helpdesk message (a review response
 * approved, dispute evidence submitted), which stops the first- and next-response clocks as an
 * agent reply does.
 */
export function slaPatch(
  cfg: SlaConfig,
  c: Case,
  change: { status?: string | undefined; agentResponseAt?: Date | undefined },
  now: Date,
): Partial<Case> {
  const at = change.agentResponseAt;
  const reply = at ? domain.recordMessage(toState(c), 'agent', at) : {};
  // The callers' status patches come from domain.resolve / domain.reopen, which resolve at `now`.
  const status = change.status ? { status: change.status, resolvedAt: change.status === 'resolved' ? now : null } : {};
  const sla = trackSla(c, { status: change.status, ...(at ? { message: { direction: 'agent' as const, at } } : {}) }, now);
  // Metrics: the same figures as a helpdesk reply or a resolution from Slack.
  const metrics = trackMetrics(cfg, c, { ...c, ...reply, ...status, ...sla });
  return withSlaCheck(cfg, c, { ...reply, ...sla, ...metrics, ...(at ? { agentReplyCount: c.agentReplyCount + 1 } : {}) }, now, status);
}

export async function requireCase(db: Db, id: number): Promise<Case> {
  const c = await getCase(db, { id });
  if (!c) throw new CaseNotFound(caseRef(id));
  return c;
}

/** The case a Slack message is the card of, if any. */
export function caseForCard(deps: Deps, params: { channelId: string; ts: string }): Promise<Case | null> {
  return getCaseByCard(deps.db, params);
}

/** The whole text behind a Full message button: the case's first message, or one from its thread. */
export async function fullMessage(deps: Deps, params: { caseId: number; messageId?: number }): Promise<{ caseId: number; body: string }> {
  if (params.messageId === undefined) {
    const c = await requireCase(deps.db, params.caseId);
    return { caseId: c.id, body: c.body };
  }
  const m = await getMessage(deps.db, { id: params.messageId });
  if (!m || m.caseId !== params.caseId) throw new InvalidInput('That message no longer exists.');
  return { caseId: m.caseId, body: m.body };
}
