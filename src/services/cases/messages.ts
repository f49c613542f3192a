import * as domain from '../../domain/case';
import { caseRef } from '../../domain/case';
import { CaseNotFound } from '../../domain/errors';
import type { Db } from '../../db/client';
import {
  claimSlackEvent,
  findMessageByExternal,
  getCaseByCard,
  insertEvent,
  insertMessage,
  lockCase,
  updateCase,
} from '../../db/queries/cases';
import { type Enqueue, enqueue, enqueueCardUpdate, threadPost } from '../../db/queries/outbox';
import type { Case } from '../../db/schema';
import type { TimelineFact } from '../../domain/timeline';
import type { Deps } from '../deps';
import { catalogueTags, escalatedPriority, escalationText, judgeCase } from '../judgement';
import { toState, withTracking } from './state';

// The conversation on a case: customer messages, helpdesk replies and notes, and staff replies
// in the card's thread stored as internal notes.

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
    const escalation = m.direction === 'customer' ? await judgeFollowUp(tx, deps, current, m.body, now) : null;
    // SLA: a customer message starts the next-response clock, an agent reply stops it;
    // a reply that asks the customer for something pauses every clock.
    const waits = m.direction === 'agent' && m.waitingOnCustomer === true && current.status !== 'resolved' && current.status !== 'waiting';
    const change: Partial<Case> = {
      ...domain.recordMessage(toState(current), m.direction, counted),
      ...escalation?.patch,
      ...(waits ? { status: 'waiting' } : {}),
    };
    // Metrics: the first reply's business time, a reopen, and the reply count (first contact
    // resolution). A note moves no clock and no figure.
    const patch: Partial<Case> = {
      ...(m.direction === 'note' ? change : withTracking(deps.config.sla, current, change, now, { direction: m.direction, at: counted })),
      ...(m.direction === 'agent' ? { agentReplyCount: current.agentReplyCount + 1 } : {}),
    };
    const updated = Object.keys(patch).length > 0 ? await updateCase(tx, { id: current.id, patch, now }) : current;
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
      kind: c.kind,
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
