import type { WorkspaceConfig } from '../../config/workspace';
import * as domain from '../../domain/case';
import { caseRef, type Transition } from '../../domain/case';
import { CaseClosed } from '../../domain/errors';
import type { Db } from '../../db/client';
import { changeCase, getCaseVersion } from '../../db/queries/cases';
import { enqueue, PRIORITY } from '../../db/queries/outbox';
import type { Case } from '../../db/schema';
import { stopWaiting, waitOnCustomer } from '../../domain/sla-case';
import type { Deps } from '../deps';
import { onLockedCase, staffCase, staffCommand } from '../staff-command';
import { toState, withTracking } from './state';

// Staff commands on a case (claim, assign, tag, escalate, resolve, wait…) and the same
// transitions when a connected system makes them (a helpdesk marking its ticket solved).

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
  const result = await staffCommand<ActResult>(
    deps,
    {
      caseId,
      actor,
      attempted: command.type,
      what: WHAT[command.type],
      via,
      ...(params.dedupeKey ? { dedupe: { key: params.dedupeKey, result: ALREADY_HANDLED } } : {}),
      precheck: async () =>
        command.type === 'assign' && !(await deps.team.isMember(command.assignee))
          ? {
              changed: false,
              notice: `<@${command.assignee}> is not on the support team, so they could not work the case. Pick someone on the team.`,
            }
          : null,
    },
    (tx, c, now) => transition(tx, deps, c, { actor, command, via, now }),
    // An escalation also queues its post in the escalation channel: it takes the locked path.
    command.type === 'escalate' ? undefined : () => transitionUnlocked(deps, { caseId, actor, command, via }),
  );
  deps.logger.info({ caseId, actor, action: command.type, changed: result.changed }, 'case action');
  return result;
}

const ALREADY_HANDLED: ActResult = { changed: false, notice: 'Already handled.', duplicate: true };

/**
 * A change a connected system made (a helpdesk marking its ticket solved): the same transition,
 * audit entry, card re-render and timeline line as a staff action, with the system as the actor.
 * Team membership is not asked: the system is trusted by its verified signature.
 */
export async function applyProviderCommand(
  deps: Deps,
  params: { caseId: number; actor: string; command: Extract<CaseCommand, { type: 'resolve' | 'reopen' }> },
): Promise<ActResult> {
  const { actor, command } = params;
  const result = await onLockedCase<ActResult>(deps, { caseId: params.caseId }, (tx, c, now) =>
    transition(tx, deps, c, { actor, command, via: actor, now }),
  );
  deps.logger.info({ caseId: params.caseId, actor, action: command.type, changed: result.changed }, 'provider case action');
  return result;
}

/** The pure transition on the locked case, and what it writes (writeTransition); an escalation also queues its post. */
async function transition(
  tx: Db,
  deps: Deps,
  current: Case,
  params: { actor: string; command: CaseCommand; via: string; now: Date },
): Promise<ActResult> {
  const { actor, command } = params;
  const { result } = (await writeTransition(tx, deps, current, null, params))!;
  if (result.changed && command.type === 'escalate') {
    await enqueue(tx, [
      {
        kind: 'escalation_post',
        caseId: current.id,
        channel: deps.config.channels.escalation,
        payload: { actor, reason: command.reason.trim() },
        priority: PRIORITY.interactive,
      },
    ]);
  }
  return result;
}

/**
 * The transition without the row lock: on the case as read with its version, written only if
 * nobody changed the case since, read again when someone did. The case a click was last read or
 * written at here is remembered with its version, so the next click on it is one round trip: a
 * remembered case that changed meanwhile costs one refused write and a read, and an answer that
 * nothing changes ("already yours") is never given from memory. Null (the locked path decides)
 * when the case is gone or keeps changing.
 */
async function transitionUnlocked(
  deps: Deps,
  params: { caseId: number; actor: string; command: CaseCommand; via: string },
): Promise<ActResult | null> {
  let read = remembered(deps.db, params.caseId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const fromMemory = read !== null;
    read ??= await getCaseVersion(deps.db, { id: params.caseId });
    if (!read) return null;
    const written = await writeTransition(deps.db, deps, read.case, read.version, { ...params, now: deps.clock() });
    if (written && (written.result.changed || !fromMemory)) {
      remember(deps.db, written.stored ?? read);
      return written.result;
    }
    forget(deps.db, params.caseId);
    read = null;
  }
  return null;
}

/** Cases as this process last read or wrote them, by database: a few thousand at most, oldest dropped first. */
const recent = new WeakMap<Db, Map<number, { case: Case; version: string }>>();
const RECENT_CASES = 2_000;

function remembered(db: Db, id: number): { case: Case; version: string } | null {
  return recent.get(db)?.get(id) ?? null;
}

function remember(db: Db, read: { case: Case; version: string }): void {
  let cases = recent.get(db);
  if (!cases) recent.set(db, (cases = new Map()));
  cases.delete(read.case.id);
  cases.set(read.case.id, read);
  if (cases.size > RECENT_CASES) cases.delete(cases.keys().next().value!);
}

function forget(db: Db, id: number): void {
  recent.get(db)?.delete(id);
}

/**
 * Applies the pure transition to the case as read and writes it in one statement: the change (with
 * the SLA and metrics tracking), the audit entry, the card re-render and the timeline entry. With a
 * version, null when the case changed since it was read; a change written answers with the case's
 * new version.
 */
async function writeTransition(
  db: Db,
  deps: Deps,
  current: Case,
  version: string | null,
  params: { actor: string; command: CaseCommand; via: string; now: Date },
): Promise<{ result: ActResult; stored?: { case: Case; version: string } } | null> {
  const { actor, command, via, now } = params;
  const t = applyCommand(current, actor, command, now, deps.config);
  if (!t.changed) return { result: { changed: false, notice: t.notice } };
  const data = { ...t.event.data, via };
  const updated = await changeCase(db, {
    id: current.id,
    version,
    // SLA: pauses, resolutions and reopens are kept for the clocks, and the sweep looks again;
    // metrics: a resolution's business time is measured now, with the SLA's clock.
    patch: withTracking(deps.config.sla, current, t.patch, now),
    now,
    event: { actor, action: t.event.action, data, at: now },
    entry: { type: 'event', caseId: current.id, action: t.event.action, actor: t.event.actor, data, at: now },
  });
  return updated ? { result: { changed: true, case: updated.case }, stored: updated } : null;
}

/** Before the escalation modal opens: the actor must be on the team and the case still open. */
export async function prepareEscalation(deps: Deps, params: { caseId: number; actor: string; via?: string }): Promise<Case> {
  const c = await staffCase(deps, {
    caseId: params.caseId,
    actor: params.actor,
    attempted: 'escalate',
    what: WHAT.escalate,
    via: params.via ?? 'button',
  });
  if (c.status === 'resolved') throw new CaseClosed(caseRef(c.id), 'escalate');
  return c;
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
