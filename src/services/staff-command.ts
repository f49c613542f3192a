import type { AuditEvent } from '../domain/audit';
import { caseRef } from '../domain/case';
import { CaseNotFound } from '../domain/errors';
import type { TimelineFact } from '../domain/timeline';
import type { Db } from '../db/client';
import { claimSlackEvent, getCase, insertEvent, lockCase } from '../db/queries/cases';
import { enqueueCaseChange, PRIORITY } from '../db/queries/outbox';
import type { Case } from '../db/schema';
import { requireTeam } from './access';
import type { Deps } from './deps';

// A staff member's command on a case, written once: the team check (a refusal is audited), then
// in one transaction the case's row lock and the command's own work (its row, the update, the
// audit entry and what goes out), and the dispatcher woken once something changed. A change a
// connected system makes takes the same path without the team check (onLockedCase).

/** What a command says back: changed, or why not (privately to the person). */
export type Notice = { changed: true } | { changed: false; notice: string };

export interface StaffCommand {
  caseId: number;
  actor: string;
  /** The audit log's name for what was attempted ("dispute_evidence"), and how (button, modal, command). */
  attempted: string;
  via: string;
  /** What the refusal says the person may not do ("work disputes"). */
  what: string;
  /** Only cases of this kind (a review's, a dispute's) take the command; another is not found. */
  kind?: Case['kind'];
}

export interface LockedCase<R> {
  caseId: number;
  kind?: Case['kind'];
  /** A Slack event's id, and what a retried delivery of the same event answers: it changes nothing. */
  dedupe?: { key: string; result: R };
}

/** The case locked for the rest of the transaction, and the work done on it. */
export async function onLockedCase<R extends { changed: boolean }>(
  deps: Deps,
  target: LockedCase<R>,
  work: (tx: Db, c: Case, now: Date) => Promise<R>,
): Promise<R> {
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx): Promise<R> => {
    if (target.dedupe && !(await claimSlackEvent(tx, target.dedupe.key))) return target.dedupe.result;
    const c = await lockCase(tx, { id: target.caseId });
    if (!c || (target.kind !== undefined && c.kind !== target.kind)) throw new CaseNotFound(caseRef(target.caseId));
    return work(tx, c, now);
  });
  if (result.changed) deps.notify();
  return result;
}

/**
 * Runs a staff command: the team check, then the work on the locked case. `precheck` may refuse
 * after the team check and before anything is locked or claimed.
 */
export async function staffCommand<R extends { changed: boolean }>(
  deps: Deps,
  cmd: StaffCommand & Pick<LockedCase<R>, 'dedupe'> & { precheck?: () => Promise<R | null> },
  work: (tx: Db, c: Case, now: Date) => Promise<R>,
  /**
   * The same work without the row lock, for commands whose whole write is one statement that
   * applies only to the version of the case it read; null sends the command down the locked path.
   */
  unlocked?: () => Promise<R | null>,
): Promise<R> {
  await requireTeam(deps, { caseId: cmd.caseId, actor: cmd.actor, attempted: cmd.attempted, what: cmd.what, via: cmd.via });
  const refused = cmd.precheck ? await cmd.precheck() : null;
  if (refused) return refused;
  const done = unlocked && !cmd.dedupe ? await unlocked() : null;
  if (done) {
    if (done.changed) deps.notify();
    return done;
  }
  return onLockedCase(deps, cmd, work);
}

/** Before a staff member's form opens: the team check, and the case as it is (nothing locked). */
export async function staffCase(deps: Deps, cmd: StaffCommand): Promise<Case> {
  await requireTeam(deps, { caseId: cmd.caseId, actor: cmd.actor, attempted: cmd.attempted, what: cmd.what, via: cmd.via });
  const c = await getCase(deps.db, { id: cmd.caseId });
  if (!c || (cmd.kind !== undefined && c.kind !== cmd.kind)) throw new CaseNotFound(caseRef(cmd.caseId));
  return c;
}

/** What a command did: the audit entry, then its entry in the card's thread and the card re-rendered. */
export async function recordStaffChange(
  tx: Db,
  c: Pick<Case, 'id' | 'channelId'>,
  change: { actor: string; action: AuditEvent; data: Record<string, unknown>; at: Date; entry: TimelineFact },
): Promise<void> {
  await insertEvent(tx, { caseId: c.id, actor: change.actor, action: change.action, data: change.data, at: change.at });
  await enqueueCaseChange(tx, { caseId: c.id, channel: c.channelId, entry: change.entry, priority: PRIORITY.interactive });
}
