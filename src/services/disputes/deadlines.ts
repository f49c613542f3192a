import * as domain from '../../domain/case';
import { DISPUTE_TARGET } from '../../domain/disputes';
import { deadlineTargetState, dueReminders, nextThresholdAt } from '../../domain/sla';
import type { TimelineFact } from '../../domain/timeline';
import type { Db } from '../../db/client';
import { insertEvent, lockCase, updateCase } from '../../db/queries/cases';
import { getDispute, listDeadlineCandidates, updateDispute } from '../../db/queries/disputes';
import { enqueue, enqueueCardUpdate, threadPost } from '../../db/queries/outbox';
import { recordReminder } from '../../db/queries/reminders';
import type { Case, Dispute } from '../../db/schema';
import { toState } from '../cases/state';
import type { Deps } from '../deps';

// Dispute respond-by reminders: 72 h, 24 h and 6 h before the provider's deadline, in the card's
// thread (naming the owner, or the managers while nobody owns it), and an escalation when the
// deadline passes unanswered. Each rung is recorded in case_reminders under the unique key
// (case, 'dispute_response', cycle, level) in the transaction that queues it: sent exactly once
// across ticks, restarts and replicas. A new deadline (a new stage) starts a new cycle. Each
// dispute stores when its next rung is due (remind_at): a tick reads only the disputes due now.

export async function sendDisputeReminders(tx: Db, deps: Pick<Deps, 'config' | 'logger'>, now: Date): Promise<number> {
  const candidates = await listDeadlineCandidates(tx, { now });
  let sent = 0;
  for (const { disputeId, caseId } of candidates) {
    try {
      // A savepoint per dispute: one that fails is rolled back alone and the sweep goes on.
      sent += await tx.transaction(async (sp) => remindOne(sp, deps, disputeId, caseId, now));
    } catch (err) {
      deps.logger.error({ err, disputeId, caseId }, 'dispute reminder failed');
    }
  }
  return sent;
}

async function remindOne(tx: Db, deps: Pick<Deps, 'config' | 'logger'>, disputeId: number, caseId: number, now: Date): Promise<number> {
  const c = await lockCase(tx, { id: caseId });
  const d = await getDispute(tx, { id: disputeId });
  if (!c || !d || !d.respondBy || d.respondedAt || d.closedAt || c.status === 'resolved') return 0;
  const state = deadlineTargetState(
    { target: DISPUTE_TARGET, startedAt: d.respondBySetAt ?? d.createdAt, dueAt: d.respondBy, completedAt: d.respondedAt },
    now,
  );
  let sent = 0;
  const sla = { computedAt: now, targets: [state], mustEscalate: null };
  await updateDispute(tx, { id: d.id, patch: { remindAt: nextThresholdAt(sla, now) } });
  for (const r of dueReminders(sla, now)) {
    const first = await recordReminder(tx, {
      caseId,
      target: r.target,
      cycleKey: r.cycleKey,
      level: r.level,
      dueAt: r.crossedAt,
      superseded: r.superseded,
    });
    if (!first || r.superseded) continue;
    if (r.kind === 'escalation') await escalate(tx, deps, c, d, now);
    else await warn(tx, deps, c, d, now);
    sent++;
  }
  return sent;
}

/** Who a reminder is put to: the owner, or while nobody owns the case the managers. */
function audience(c: Case, deps: Pick<Deps, 'config'>, now: Date) {
  return { caseId: c.id, ownerId: c.ownerId, managers: deps.config.team.managers, at: now };
}

async function warn(tx: Db, deps: Pick<Deps, 'config'>, c: Case, d: Dispute, now: Date): Promise<void> {
  await insertEvent(tx, {
    caseId: c.id,
    actor: 'trustloop',
    action: 'dispute_reminder',
    data: { respondBy: d.respondBy!.toISOString() },
    at: now,
  });
  const entry: TimelineFact = { type: 'dispute_reminder', respondBy: d.respondBy!, ...audience(c, deps, now) };
  await enqueue(tx, [threadPost({ caseId: c.id, channel: c.channelId, entry })]);
  // The card's countdown is re-drawn with each reminder.
  await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
}

async function escalate(tx: Db, deps: Pick<Deps, 'config'>, c: Case, d: Dispute, now: Date): Promise<void> {
  const reason = `The dispute's respond-by deadline (${d.respondBy!.toISOString().slice(0, 16).replace('T', ' ')} UTC) passed without a response`;
  const t = domain.escalate(toState(c), 'trustloop', reason, now, deps.config.priorities);
  if (t.changed) await updateCase(tx, { id: c.id, patch: t.patch, now });
  await insertEvent(tx, { caseId: c.id, actor: 'trustloop', action: 'escalated', data: { reason, via: 'dispute_deadline' }, at: now });
  await enqueue(tx, [
    threadPost({ caseId: c.id, channel: c.channelId, entry: { type: 'dispute_deadline_passed', ...audience(c, deps, now) } }),
    { kind: 'escalation_post', caseId: c.id, channel: deps.config.channels.escalation, payload: { actor: 'trustloop', reason } },
  ]);
  await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
}
