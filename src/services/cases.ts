import type { WorkspaceConfig } from '../config/workspace';
import * as domain from '../domain/case';
import { type CaseState, caseRef, type Transition } from '../domain/case';
import { CaseClosed, CaseNotFound, InvalidInput } from '../domain/errors';
import type { Db } from '../db/client';
import {
  claimSlackEvent,
  findMessageByExternal,
  getCase,
  getCaseByCard,
  getMessage,
  insertEvent,
  insertMessage,
  lockCase,
  recordCaseChange,
  updateCase,
} from '../db/queries/cases';
import { type Enqueue, enqueue, enqueueCardUpdate, PRIORITY, threadPost } from '../db/queries/outbox';
import type { Case } from '../db/schema';
import type { SlaConfig } from '../config/sla';
import { trackMetrics } from '../domain/metrics';
import { stopWaiting, trackSla, waitOnCustomer } from '../domain/sla-case';
import type { TimelineFact } from '../domain/timeline';
import type { Deps } from './deps';
import { catalogueTags, escalatedPriority, escalationText, judgeCase } from './judgement';

export type CaseCommand =
  | { type: 'claim'; expectedOwner?: string | null }
  | { type: 'assign'; assignee: string }
  | { type: 'tags'; tags: string[] }
  | { type: 'escalate'; reason: string }
  | { type: 'resolve' }
  | { type: 'reopen' }
  | { type: 'confirm_tags' }
  | { type: 'deescalate' }
  // SLA: waiting on the customer pauses every clock.
  | { type: 'wait' }
  | { type: 'resume' };

export type ActResult = { changed: true; case: Case } | { changed: false; notice: string; duplicate?: boolean };

const WHAT: Record<CaseCommand['type'], string> = {
  claim: 'claim cases',
  assign: 'assign cases',
  tags: 'tag cases',
  escalate: 'escalate cases',
  resolve: 'resolve cases',
  reopen: 'reopen cases',
  confirm_tags: 'confirm tags',
  deescalate: 'de-escalate cases',
  wait: 'mark cases as waiting on the customer',
  resume: 'resume cases',
};

/**
 * Lets only the support team through; a refusal is written to the audit log (with what was
 * attempted and how) before the error goes back to the person, privately.
 */
export async function requireTeam(
  deps: Deps,
  params: { caseId: number | null; actor: string; attempted: string; what: string; via: string },
): Promise<void> {
  try {
    await deps.team.requireMember(params.actor, params.what);
  } catch (err) {
    try {
      await insertEvent(deps.db, {
        caseId: params.caseId,
        actor: params.actor,
        action: 'denied',
        data: { attempted: params.attempted, via: params.via },
      });
    } catch (auditErr) {
      deps.logger.error({ err: auditErr, caseId: params.caseId }, 'could not write the refusal to the audit log');
    }
    throw err;
  }
}

/**
 * Applies a staff action to a case: checks the actor is on the team, applies the pure
 * transition under a row lock, and writes the change, the audit entry, the card re-render,
 * the timeline entry (and for escalation the escalation post) in one transaction.
 * `dedupeKey` (a Slack event id) makes a retried event a no-op.
 */
export async function actOnCase(
  deps: Deps,
  params: { caseId: number; actor: string; command: CaseCommand; via?: string; dedupeKey?: string },
): Promise<ActResult> {
  const { caseId, actor, command } = params;
  const via = params.via ?? 'button';
  await requireTeam(deps, { caseId, actor, attempted: command.type, what: WHAT[command.type], via });
  if (command.type === 'assign' && !(await deps.team.isMember(command.assignee))) {
    return {
      changed: false,
      notice: `<@${command.assignee}> is not on the support team, so they could not work the case. Pick someone on the team.`,
    };
  }
  const result = await applyCaseCommand(deps, {
    caseId,
    actor,
    command,
    via,
    ...(params.dedupeKey ? { dedupeKey: params.dedupeKey } : {}),
  });
  deps.logger.info({ caseId, actor, action: command.type, changed: result.changed }, 'case action');
  return result;
}

/**
 * A change a connected system made (a helpdesk marking its ticket solved): the same transition,
 * audit entry, card re-render and timeline line as a staff action, with the system as the actor.
 * Team membership is not asked: the system is trusted by its verified signature.
 */
export async function applyProviderCommand(
  deps: Deps,
  params: { caseId: number; actor: string; command: Extract<CaseCommand, { type: 'resolve' | 'reopen' }> },
): Promise<ActResult> {
  const result = await applyCaseCommand(deps, { ...params, via: params.actor });
  deps.logger.info(
    { caseId: params.caseId, actor: params.actor, action: params.command.type, changed: result.changed },
    'provider case action',
  );
  return result;
}

async function applyCaseCommand(
  deps: Deps,
  params: { caseId: number; actor: string; command: CaseCommand; via: string; dedupeKey?: string },
): Promise<ActResult> {
  const { caseId, actor, command, via } = params;
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx): Promise<ActResult> => {
    if (params.dedupeKey && !(await claimSlackEvent(tx, params.dedupeKey))) {
      return { changed: false, notice: 'Already handled.', duplicate: true };
    }
    const current = await lockCase(tx, { id: caseId });
    if (!current) throw new CaseNotFound(caseRef(caseId));
    const transition = applyCommand(current, actor, command, now, deps.config);
    if (!transition.changed) return { changed: false, notice: transition.notice };
    // SLA: pauses, resolutions and reopens are kept for the clocks, and the sweep looks again.
    const sla = trackSla(current, { status: transition.patch.status }, now);
    // Metrics: a resolution's business time is measured now, with the SLA's clock.
    const metrics = trackMetrics(deps.config.sla, current, { ...current, ...transition.patch, ...sla } as Case);
    const updated = await updateCase(tx, { id: caseId, patch: { ...transition.patch, ...sla, ...metrics } as Partial<Case>, now });
    const event = { ...transition.event, data: { ...transition.event.data, via } };
    // The audit entry, the card re-render and the timeline entry in one statement: a click's
    // transaction is a handful of round trips, not one per row.
    await recordCaseChange(tx, {
      caseId,
      channel: updated.channelId,
      event: { actor, action: event.action, data: event.data, at: now },
      entry: { type: 'event', caseId, action: event.action, actor: event.actor, data: event.data, at: now },
    });
    if (command.type === 'escalate') {
      await enqueue(tx, [
        {
          kind: 'escalation_post',
          caseId,
          channel: deps.config.channels.escalation,
          payload: { actor, reason: command.reason.trim() },
          priority: PRIORITY.interactive,
        },
      ]);
    }
    return { changed: true, case: updated };
  });
  if (result.changed) deps.notify();
  return result;
}

/** Before the escalation modal opens: the actor must be on the team and the case still open. */
export async function prepareEscalation(deps: Deps, params: { caseId: number; actor: string; via?: string }): Promise<Case> {
  await requireTeam(deps, {
    caseId: params.caseId,
    actor: params.actor,
    attempted: 'escalate',
    what: WHAT.escalate,
    via: params.via ?? 'button',
  });
  const c = await requireCase(deps.db, params.caseId);
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'escalate');
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

function applyCommand(c: Case, actor: string, command: CaseCommand, now: Date, config: WorkspaceConfig): Transition {
  const state = toState(c);
  switch (command.type) {
    case 'claim':
      return domain.claim(state, actor, command.expectedOwner ?? null);
    case 'assign':
      return domain.assign(state, actor, command.assignee);
    case 'tags':
      return domain.setTags(
        state,
        actor,
        command.tags,
        config.tags.map((t) => t.id),
        now,
      );
    case 'confirm_tags':
      return domain.confirmTags(state, actor, now);
    case 'deescalate':
      return domain.deescalate(state, actor, config.priorities.default);
    case 'escalate':
      return domain.escalate(state, actor, command.reason, now, config.priorities);
    case 'resolve':
      return domain.resolve(state, actor, now);
    case 'reopen':
      return domain.reopen(state, actor);
    case 'wait':
      return waitOnCustomer(state, actor);
    case 'resume':
      return stopWaiting(state, actor);
  }
}

export function toState(c: Case): CaseState {
  return {
    id: c.id,
    status: c.status as CaseState['status'],
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
  const reply = at ? (domain.recordMessage(toState(c), 'agent', at) as Partial<Case>) : {};
  // The callers' status patches come from domain.resolve / domain.reopen, which resolve at `now`.
  const status = change.status ? { status: change.status, resolvedAt: change.status === 'resolved' ? now : null } : {};
  const sla = trackSla(c, { status: change.status, ...(at ? { message: { direction: 'agent' as const, at } } : {}) }, now);
  // Metrics: the same figures as a helpdesk reply or a resolution from Slack.
  const metrics = trackMetrics(cfg, c, { ...c, ...reply, ...status, ...sla } as Case);
  return { ...reply, ...sla, ...metrics, ...(at ? { agentReplyCount: c.agentReplyCount + 1 } : {}) };
}

export interface MessageInput {
  direction: domain.MessageDirection;
  body: string;
  authorName?: string | null;
  externalId?: string | null;
  createdAt?: Date;
  /** An agent reply that asks the customer for something: the case waits on them (SLA clocks pause). */
  waitingOnCustomer?: boolean;
}

/**
 * Adds a customer message, an agent reply sent from the helpdesk, or an internal note. The
 * message's external id makes a repeated delivery a no-op. A customer writing on a resolved
 * case reopens it; the first agent reply sets the first response time.
 */
export async function appendMessage(
  deps: Deps,
  params: { caseId: number; message: MessageInput; actor?: string },
): Promise<{ created: boolean; messageId: number; case: Case }> {
  const now = deps.clock();
  const m = params.message;
  const at = m.createdAt ?? now;
  const result = await deps.db.transaction(async (tx) => {
    const current = await lockCase(tx, { id: params.caseId });
    if (!current) throw new CaseNotFound(caseRef(params.caseId));
    const stored = await insertMessage(tx, {
      caseId: current.id,
      direction: m.direction,
      authorName: m.authorName ?? null,
      body: m.body,
      externalId: m.externalId ?? null,
      createdAt: at,
    });
    if (!stored) {
      const existing = await findMessageByExternal(tx, { caseId: current.id, externalId: m.externalId! });
      return { created: false, messageId: existing?.id ?? 0, case: current };
    }
    // A reply dated before the case was received (a helpdesk clock ahead of ours, an imported
    // thread) answered it at once: the clocks count from receipt, never below zero.
    const counted = m.direction === 'agent' && at < current.receivedAt ? current.receivedAt : at;
    const patch: Partial<Case> = domain.recordMessage(toState(current), m.direction, counted) as Partial<Case>;
    const escalation = m.direction === 'customer' ? await judgeFollowUp(tx, deps, current, m.body, now) : null;
    if (escalation) Object.assign(patch, escalation.patch);
    // SLA: a customer message starts the next-response clock, an agent reply stops it;
    // a reply that asks the customer for something pauses every clock.
    const waits = m.direction === 'agent' && m.waitingOnCustomer === true && current.status !== 'resolved' && current.status !== 'waiting';
    if (waits) patch.status = 'waiting';
    const sla =
      m.direction === 'note' ? {} : trackSla(current, { status: patch.status, message: { direction: m.direction, at: counted } }, now);
    // Metrics: the first reply's business time, a reopen, and the reply count (first contact resolution).
    if (m.direction !== 'note') Object.assign(patch, trackMetrics(deps.config.sla, current, { ...current, ...patch, ...sla } as Case));
    if (m.direction === 'agent') patch.agentReplyCount = current.agentReplyCount + 1;
    const updated = Object.keys(patch).length > 0 ? await updateCase(tx, { id: current.id, patch: { ...patch, ...sla }, now }) : current;
    const action = m.direction === 'customer' ? 'customer_message' : m.direction === 'agent' ? 'agent_reply' : 'note';
    const actor = params.actor ?? (m.direction === 'customer' ? 'customer' : 'api');
    await insertEvent(tx, { caseId: current.id, actor, action, data: { messageId: stored.id }, at: now });
    const thread = (entry: TimelineFact) => threadPost({ caseId: current.id, channel: current.channelId, entry });
    const rows: Enqueue[] = [
      thread({
        type: 'message',
        id: stored.id,
        caseId: current.id,
        direction: m.direction,
        authorName: stored.authorName,
        body: stored.body,
        createdAt: stored.createdAt,
      }),
    ];
    if (current.status === 'resolved' && updated.status !== 'resolved') {
      await insertEvent(tx, { caseId: current.id, actor: 'customer', action: 'reopened', data: { messageId: stored.id }, at: now });
      rows.push(thread({ type: 'event', caseId: current.id, action: 'reopened', actor: 'customer', data: {}, at: now }));
    }
    if (escalation?.patch.escalatedAt) {
      const reason = escalation.patch.escalationReason!;
      const data = { reason, reasons: escalation.reasons, automatic: true, messageId: stored.id };
      await insertEvent(tx, { caseId: current.id, actor: domain.SYSTEM_ACTOR, action: 'escalated', data, at: now });
      rows.push(
        thread({
          type: 'event',
          caseId: current.id,
          action: 'escalated',
          actor: domain.SYSTEM_ACTOR,
          data: { reason, priority: updated.priority },
          at: now,
        }),
      );
      rows.push({
        kind: 'escalation_post',
        caseId: current.id,
        channel: deps.config.channels.escalation,
        payload: { actor: domain.SYSTEM_ACTOR, reason },
      });
    }
    if (waits) {
      await insertEvent(tx, { caseId: current.id, actor, action: 'waiting', data: { messageId: stored.id }, at: now });
      rows.push(thread({ type: 'event', caseId: current.id, action: 'waiting', actor, data: {}, at: now }));
    }
    await enqueue(tx, rows);
    if (updated !== current) await enqueueCardUpdate(tx, { caseId: current.id, channel: current.channelId });
    return { created: true, messageId: stored.id, case: updated };
  });
  if (result.created) deps.notify();
  deps.logger.info({ caseId: params.caseId, direction: m.direction, created: result.created }, 'case message');
  return result;
}

/**
 * Judges a customer's follow-up message. A follow-up can change what the case needs: a customer
 * who now threatens a chargeback or a public post must reach a person even if the first message
 * did not. New suggested tags are added to the suggestion (and to the tags while no one has
 * reviewed them). A case staff already escalated, or de-escalated, is left to them.
 */
async function judgeFollowUp(
  tx: Db,
  deps: Deps,
  c: Case,
  body: string,
  now: Date,
): Promise<{ patch: Partial<Case>; reasons: string[] } | null> {
  const items = c.orderItems ?? [];
  const j = await judgeCase(
    tx,
    deps,
    {
      subject: c.subject,
      body,
      source: c.source,
      kind: c.kind as 'ticket' | 'review' | 'dispute',
      customer: { orderCount: c.customerOrderCount, tags: c.customerTags },
      order: c.orderAmount
        ? { amount: c.orderAmount, currency: c.orderCurrency, itemCount: items.reduce((n, i) => n + (i.quantity ?? 1), 0) }
        : null,
      productKeys: c.productKeys,
    },
    now,
    c.id,
  );
  const patch: Partial<Case> = {};
  const fresh = catalogueTags(j, deps.config).filter((t) => t !== 'other' && !c.suggestedTags.includes(t));
  if (fresh.length > 0) {
    patch.suggestedTags = [...c.suggestedTags, ...fresh].sort();
    if (!c.tagsReviewedAt) patch.tags = [...new Set([...c.tags.filter((t) => t !== 'other'), ...fresh])].sort();
  }
  const alreadyHandled = c.escalatedAt !== null || c.mustEscalateAt !== null || c.status === 'resolved';
  const deescalatedBefore = c.judgement?.mustEscalate === true && c.mustEscalateAt === null;
  if (j.mustEscalate && !alreadyHandled && !deescalatedBefore) {
    const target = escalatedPriority(deps.config);
    const levels = deps.config.priorities.levels;
    Object.assign(patch, {
      escalatedAt: now,
      escalationReason: escalationText(j),
      mustEscalateAt: now,
      priority: levels.indexOf(target) > levels.indexOf(c.priority) ? target : c.priority,
    });
  }
  return Object.keys(patch).length > 0 ? { patch, reasons: j.reasons.map((r) => r.code) } : null;
}

/**
 * A staff member's reply in a card's thread, stored as an internal note. Replies from people
 * outside the team, and replies in threads that are not case cards, are ignored.
 */
export async function recordThreadNote(
  deps: Deps,
  params: { channelId: string; threadTs: string; ts: string; userId: string; text: string; eventId?: string },
): Promise<{ stored: boolean; caseId?: number }> {
  const c = await getCaseByCard(deps.db, { channelId: params.channelId, ts: params.threadTs });
  if (!c) return { stored: false };
  if (!(await deps.team.isMember(params.userId))) {
    // Not an internal note: people outside the team may talk in the thread, but it is not the case's record.
    await insertEvent(deps.db, { caseId: c.id, actor: params.userId, action: 'denied', data: { attempted: 'note', via: 'thread_reply' } });
    deps.logger.info({ caseId: c.id }, 'thread reply from outside the team not stored');
    return { stored: false, caseId: c.id };
  }
  const at = new Date(Number(params.ts.split('.')[0]) * 1000);
  const stored = await deps.db.transaction(async (tx) => {
    if (params.eventId && !(await claimSlackEvent(tx, params.eventId))) return false;
    const message = await insertMessage(tx, {
      caseId: c.id,
      direction: 'note',
      authorSlackId: params.userId,
      body: params.text,
      slackTs: params.ts,
      createdAt: at,
    });
    if (!message) return false;
    await insertEvent(tx, { caseId: c.id, actor: params.userId, action: 'note', data: { messageId: message.id }, at: deps.clock() });
    return true;
  });
  deps.logger.info({ caseId: c.id, stored }, 'thread note');
  return { stored, caseId: c.id };
}

export async function requireCase(db: Db, id: number): Promise<Case> {
  const c = await getCase(db, { id });
  if (!c) throw new CaseNotFound(caseRef(id));
  return c;
}
