import { isDeepStrictEqual } from 'node:util';
import { caseRef } from '../../domain/case';
import { CaseNotFound, InvalidInput } from '../../domain/errors';
import { EVIDENCE_ITEMS, type EvidenceLine } from '../../domain/disputes';
import type { Db } from '../../db/client';
import { insertEvent, updateCase } from '../../db/queries/cases';
import { getDisputeByCase, insertExport, lockDisputeByCase, pendingExport, updateDispute } from '../../db/queries/disputes';
import { enqueue, PRIORITY } from '../../db/queries/outbox';
import type { Case, Dispute, EvidenceMark } from '../../db/schema';
import { slaPatch } from '../cases/state';
import { loadDisputeEvidence } from './held-evidence';
import type { Deps } from '../deps';
import { type Notice, recordStaffChange, staffCase, staffCommand } from '../staff-command';

// Staff work on a dispute's evidence: they keep the checklist, mark the evidence submitted (which
// stops the reminders) and export the evidence document.

/** Staff work disputes: who may, and how the audit log names the attempt. */
const WORK = { what: 'work disputes', kind: 'dispute' } as const;

/** Before a dispute's form or export: the team check, the case and its dispute. */
async function disputeCaseFor(deps: Deps, cmd: { caseId: number; actor: string; attempted: string }): Promise<{ c: Case; d: Dispute }> {
  const c = await staffCase(deps, { ...cmd, ...WORK, via: 'button' });
  const d = await getDisputeByCase(deps.db, { caseId: c.id });
  if (!d) throw new CaseNotFound(caseRef(cmd.caseId));
  return { c, d };
}

/** The dispute of a locked case, locked too. */
async function lockedDispute(tx: Db, c: Case): Promise<Dispute> {
  const d = await lockDisputeByCase(tx, { caseId: c.id });
  if (!d) throw new CaseNotFound(caseRef(c.id));
  return d;
}

export async function prepareEvidence(
  deps: Deps,
  params: { caseId: number; actor: string },
): Promise<{ caseId: number; lines: EvidenceLine[] }> {
  const { c, d } = await disputeCaseFor(deps, { ...params, attempted: 'dispute_evidence' });
  const evidence = await loadDisputeEvidence(deps.db, deps.config, c, d);
  return { caseId: c.id, lines: evidence.lines };
}

/** Saves the ticks and notes of the evidence checklist. */
export async function saveEvidence(
  deps: Deps,
  params: { caseId: number; actor: string; checked: string[]; notes: Record<string, string | null | undefined> },
): Promise<Notice> {
  const cmd = { caseId: params.caseId, actor: params.actor, attempted: 'dispute_evidence', via: 'modal', ...WORK };
  return staffCommand(deps, cmd, async (tx, c, now): Promise<Notice> => {
    const d = await lockedDispute(tx, c);
    const next: Record<string, EvidenceMark> = {};
    const added: string[] = [];
    const removed: string[] = [];
    for (const item of EVIDENCE_ITEMS) {
      const before = d.evidence[item.id];
      const checked = params.checked.includes(item.id);
      const note = params.notes[item.id]?.trim() || undefined;
      if (checked && !before?.checked) added.push(item.label);
      if (!checked && before?.checked) removed.push(item.label);
      const same = (before?.checked ?? false) === checked && before?.note === note;
      if (!checked && !note) continue;
      next[item.id] = same && before ? before : { checked, ...(note ? { note } : {}), by: params.actor, at: now.toISOString() };
    }
    // Compared as values: jsonb keeps keys in its own order, so the stored JSON text differs from ours.
    if (isDeepStrictEqual(next, d.evidence)) return { changed: false, notice: 'The evidence checklist is unchanged.' };
    await updateDispute(tx, { id: d.id, patch: { evidence: next, updatedAt: now } });
    await updateCase(tx, { id: c.id, patch: {}, now });
    await recordStaffChange(tx, c, {
      actor: params.actor,
      action: 'evidence_updated',
      data: { added, removed, via: 'modal' },
      at: now,
      entry: { type: 'evidence_updated', actor: params.actor, added, removed, at: now },
    });
    return { changed: true };
  });
}

/** Evidence was submitted to the provider (or the dispute answered): the reminders stop. */
export async function markEvidenceSubmitted(deps: Deps, params: { caseId: number; actor: string }): Promise<Notice> {
  const cmd = { caseId: params.caseId, actor: params.actor, attempted: 'evidence_submitted', via: 'button', ...WORK };
  return staffCommand(deps, cmd, async (tx, c, now): Promise<Notice> => {
    const d = await lockedDispute(tx, c);
    if (d.closedAt) return { changed: false, notice: `The dispute on ${caseRef(c.id)} is closed.` };
    if (d.respondedAt) return { changed: false, notice: `The dispute on ${caseRef(c.id)} was already answered.` };
    await updateDispute(tx, { id: d.id, patch: { respondedAt: now, respondedBy: params.actor, updatedAt: now } });
    await updateCase(tx, { id: c.id, patch: slaPatch(deps.config.sla, c, { agentResponseAt: now }, now), now });
    await recordStaffChange(tx, c, {
      actor: params.actor,
      action: 'evidence_submitted',
      data: { disputeId: d.id },
      at: now,
      entry: { type: 'evidence_submitted', actor: params.actor, at: now },
    });
    return { changed: true };
  });
}

/**
 * Queues the evidence document; the delivery builds it from current data and uploads it to the
 * card's thread. It locks the dispute, not the case: an export changes nothing on the case.
 */
export async function requestEvidenceExport(deps: Deps, params: { caseId: number; actor: string }): Promise<{ exportId: number }> {
  const { c } = await disputeCaseFor(deps, { ...params, attempted: 'evidence_export' });
  const now = deps.clock();
  if (!c.slackTs) throw new InvalidInput('The card is still being posted; try again in a moment.');
  const result = await deps.db.transaction(async (tx) => {
    // Under the dispute's row lock: a second click while one export is on its way asks for nothing more.
    const d = await lockDisputeByCase(tx, { caseId: c.id });
    if (!d) throw new CaseNotFound(caseRef(c.id));
    const pending = await pendingExport(tx, { disputeId: d.id });
    if (pending) return { exportId: pending.id, created: false };
    const id = await insertExport(tx, { disputeId: d.id, requestedBy: params.actor, requestedAt: now });
    await insertEvent(tx, { caseId: c.id, actor: params.actor, action: 'evidence_export', data: { exportId: id }, at: now });
    await enqueue(tx, [
      { kind: 'evidence_export', caseId: c.id, channel: c.channelId, payload: { exportId: id }, priority: PRIORITY.interactive },
    ]);
    return { exportId: id, created: true };
  });
  if (result.created) deps.notify();
  return { exportId: result.exportId };
}
