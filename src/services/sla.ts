import { slaReminders } from '../metrics';
import { recipientHours } from '../domain/sla-policy';
import type { WorkspaceConfig } from '../config/workspace';
import { cardPermalink } from '../domain/case';
import { batchDms, type PendingDm } from '../domain/reminder-batch';
import type { DmItem } from '../domain/outbox';
import { formatTargetStatus, type ReminderDue, type TargetStanding, type TargetState } from '../domain/sla';
import type { TimelineFact } from '../domain/timeline';
import {
  type CaseLine,
  type CaseSlaEvaluation,
  evaluateCaseSla,
  MUST_ESCALATE,
  reminderPeople,
  riskLevel,
  type SlaReport,
  type SlaReportScope,
} from '../domain/sla-case';
import type { Db } from '../db/client';
import { enqueue, type Enqueue, threadPost } from '../db/queries/outbox';
import {
  claimDueSlaCases,
  countSlaRisk,
  enqueueCardUpdates,
  insertEvents,
  listSlaRisk,
  queueReminderDm,
  recordReminders,
  reminderKeyString,
  saveSlaChecks,
  type SlaCaseRow,
} from '../db/queries/sla';
import type { Logger } from '../logger';
import type { Deps } from './deps';
import { disputesChannel } from './disputes/events';
import { reviewsChannel } from './reviews/events';
import { breather } from './breather';

// The SLA sweep: every tick (one replica at a time, under the job's advisory lock) it reads the
// open cases whose next check is due, works out which reminder rungs they crossed, records each
// (case, target, cycle, level) in case_reminders (unique: sent once, across restarts and
// replicas), queues what to send through the outbox in the same transaction, re-renders the
// cards that crossed a threshold, and stores each case's next check. Nothing else is read.

export interface SweepDeps {
  config: WorkspaceConfig;
  logger: Logger;
}

export interface SweepOptions {
  /** Cases per batch (default 500). */
  batch?: number;
  /** A tick stops taking new batches after this long (default 2 s); the next tick goes on. */
  budgetMs?: number;
}

export interface SweepResult {
  examined: number;
  /** Reminder rungs recorded for the first time (sent or superseded). */
  recorded: number;
  /** Messages queued: thread posts, escalation posts and DMs (per person, not per case). */
  threadPosts: number;
  escalationPosts: number;
  dms: number;
  /** Cases whose clocks could not be worked out (logged; looked at again in an hour). */
  failed: number;
}

const RETRY_FAILED_MS = 60 * 60_000;

export async function sweepSla(tx: Db, deps: SweepDeps, now: Date, opts: SweepOptions = {}): Promise<SweepResult> {
  const batch = opts.batch ?? 500;
  const budget = opts.budgetMs ?? 2_000;
  const started = Date.now();
  const total: SweepResult = { examined: 0, recorded: 0, threadPosts: 0, escalationPosts: 0, dms: 0, failed: 0 };
  for (;;) {
    const due = await claimDueSlaCases(tx, { now, limit: batch });
    if (due.length === 0) break;
    const r = await sweepBatch(tx, deps, due, now);
    for (const k of Object.keys(total) as (keyof SweepResult)[]) total[k] += r[k];
    if (due.length < batch || Date.now() - started > budget) break;
  }
  return total;
}

interface Evaluated {
  c: SlaCaseRow;
  e: CaseSlaEvaluation;
}

async function sweepBatch(tx: Db, deps: SweepDeps, due: SlaCaseRow[], now: Date): Promise<SweepResult> {
  const { config, logger } = deps;
  const result: SweepResult = { examined: due.length, recorded: 0, threadPosts: 0, escalationPosts: 0, dms: 0, failed: 0 };
  const evaluated: Evaluated[] = [];
  const checks: { id: number; checkAt: Date | null; riskAt: Date | null }[] = [];
  const breathe = breather();
  for (const c of due) {
    await breathe();
    // One case whose clock cannot be worked out must not stop the sweep.
    try {
      const e = evaluateCaseSla(config.sla, c, now);
      evaluated.push({ c, e });
      checks.push({ id: c.id, checkAt: e.nextCheckAt, riskAt: e.riskAt });
    } catch (err) {
      result.failed++;
      logger.error({ err, caseId: c.id }, 'could not work out the SLA of a case; trying again in an hour');
      checks.push({ id: c.id, checkAt: new Date(now.getTime() + RETRY_FAILED_MS), riskAt: null });
    }
  }

  const keys = evaluated.flatMap(({ c, e }) =>
    e.due.map((r) => ({
      caseId: c.id,
      target: r.target,
      cycleKey: r.cycleKey,
      level: r.level,
      dueAt: r.crossedAt,
      superseded: r.superseded,
    })),
  );
  const fresh = await recordReminders(tx, keys);
  result.recorded = fresh.size;

  const rows: Enqueue[] = [];
  const events: Parameters<typeof insertEvents>[1][number][] = [];
  const cards: { caseId: number; channel: string }[] = [];
  const dms: PendingDm<DmItem>[] = [];
  for (const { c, e } of evaluated) {
    const sent = e.due.filter((r) => fresh.has(reminderKeyString({ caseId: c.id, ...r })));
    if (sent.length === 0) continue;
    // A threshold was crossed: the card shows it (due → breached, the warning sign).
    cards.push({ caseId: c.id, channel: c.channelId });
    for (const r of sent) {
      slaReminders.inc({ level: r.kind });
      events.push({
        caseId: c.id,
        actor: 'trustloop',
        action: `sla_${r.kind}`,
        data: { target: r.target, level: r.level, cycleKey: r.cycleKey, superseded: r.superseded },
        at: now,
      });
      // The sweep fell behind and a higher rung of the same cycle is due too: only that one is sent.
      if (r.superseded) continue;
      const planned = planReminder(config, c, e, r, now);
      rows.push(...planned.rows);
      dms.push(...planned.dms);
      result.threadPosts += planned.rows.filter((x) => x.kind === 'thread_post').length;
      result.escalationPosts += planned.rows.filter((x) => x.kind === 'sla_escalation').length;
    }
  }
  await enqueue(tx, rows);
  await insertEvents(tx, events);
  await enqueueCardUpdates(tx, cards);

  const windowMs = config.sla.reminders.batch_minutes * 60_000;
  for (const b of batchDms(dms, {
    now,
    maxItems: config.sla.reminders.max_items_per_dm,
    workingHours: (who) => recipientHours(config.sla, who),
  })) {
    // Outside their hours a DM waits for them; inside, it waits a few minutes for more reminders to join it.
    const notBefore = b.queued ? b.sendAt : new Date(now.getTime() + windowMs);
    await queueReminderDm(tx, { recipient: b.recipient, items: b.all, notBefore });
    result.dms++;
  }
  await saveSlaChecks(tx, checks);
  return result;
}

/** The part of a target's state its reminder tells. */
function standing(t: TargetState): TargetStanding {
  const { target, status, targetMs, dueAt, stoppedAt, paused, overdueMs, remainingBusinessMs } = t;
  return { target, status, targetMs, dueAt, stoppedAt, paused, overdueMs, remainingBusinessMs };
}

/** The messages one reminder sends: a thread message, and for a breach or an escalation DMs and the escalation post. */
export function planReminder(
  config: WorkspaceConfig,
  c: Pick<SlaCaseRow, 'id' | 'ownerId' | 'channelId'>,
  e: CaseSlaEvaluation,
  r: ReminderDue,
  now: Date,
): { rows: Enqueue[]; dms: PendingDm<DmItem>[] } {
  const people = reminderPeople(e.policy, c, config.team.managers);
  const state: TargetState | undefined = e.state.targets.find((t) => t.cycleKey === r.cycleKey);
  const percent = e.policy.ladder?.find((s) => s.level === r.level)?.percent;
  const item: DmItem = {
    caseId: c.id,
    target: r.target,
    cycleKey: r.cycleKey,
    level: r.level,
    kind: r.kind,
    crossedAt: r.crossedAt.toISOString(),
  };
  const escalates = r.kind === 'escalation' || r.target === MUST_ESCALATE;
  const dmTo = escalates ? people.managers : r.kind === 'breach' && people.dm ? [people.dm] : [];
  const mention = r.kind === 'warning' ? people.warn : r.kind === 'breach' ? people.breachMention : null;
  const note: TimelineFact = {
    type: 'sla_reminder',
    caseId: c.id,
    kind: r.kind,
    target: r.target,
    ...(state ? { state: standing(state) } : {}),
    ...(percent !== undefined ? { percent } : {}),
    mention,
    dmTo,
    escalationChannel: config.channels.escalation,
    at: now,
  };
  const rows: Enqueue[] = [threadPost({ caseId: c.id, channel: c.channelId, entry: note })];
  // A must-escalate case was announced in the escalation channel, with its reasons, when the
  // rules flagged it (the judgement's automatic escalation): here its manager is told at once.
  if (escalates && r.target !== MUST_ESCALATE) {
    rows.push({
      kind: 'sla_escalation',
      caseId: c.id,
      channel: config.channels.escalation,
      // Its own order: the escalation channel's post must not wait behind the card's thread.
      orderKey: `sla_escalation:${c.id}`,
      payload: { target: r.target, level: r.level, statusText: state ? formatTargetStatus(state, now) : null },
    });
  }
  return { rows, dms: dmTo.map((recipient) => ({ recipient, kind: r.kind, crossedAt: r.crossedAt, item })) };
}

// ---- /trustloop sla ------------------------------------------------------------------------

/** Managers see every channel: the workspace's managers and the SLA policies' managers. */
export function isSlaManager(config: WorkspaceConfig, userId: string): boolean {
  if (config.team.managers.includes(userId)) return true;
  const sla = config.sla;
  return sla.defaults.manager === userId || Object.values(sla.policies).some((p) => p?.manager === userId);
}

const REPORT_CANDIDATES = 500;
const REPORT_LINES = 40;

/**
 * Open cases at risk of missing, or past, a response target: in the channel the command was
 * run in and those the caller owns, or in every channel for a manager. Each is worked out
 * again at `now`, so the list is exact even between sweeps.
 */
export async function slaReport(deps: Deps, params: { userId: string; channelId: string; teamUrl: string | null }): Promise<SlaReport> {
  const now = deps.clock();
  const all = isSlaManager(deps.config, params.userId);
  const scope = all ? null : { channelId: params.channelId, ownerId: params.userId };
  const rows = await listSlaRisk(deps.db, { now, scope, limit: REPORT_CANDIDATES });
  // More than can be checked one by one: say how many there are, list the longest at risk.
  const moreThanChecked = rows.length === REPORT_CANDIDATES ? await countSlaRisk(deps.db, { now, scope }) : undefined;
  const breached: (CaseLine & { rank: number })[] = [];
  const atRisk: (CaseLine & { rank: number })[] = [];
  for (const c of rows) {
    let e: CaseSlaEvaluation;
    try {
      e = evaluateCaseSla(deps.config.sla, c, now);
    } catch {
      continue;
    }
    const level = riskLevel(e, now);
    if (level === 'ok') continue;
    const active = e.state.targets.filter((t) => t.stoppedAt === null);
    const worst = active.find((t) => t.status === 'breached') ?? [...active].sort((a, b) => (a.remainingMs ?? 0) - (b.remainingMs ?? 0))[0];
    const line: CaseLine & { rank: number } = {
      caseId: c.id,
      subject: c.subject,
      cardUrl: cardPermalink(params.teamUrl, c.channelId, c.slackTs),
      kind: level === 'breached' ? 'breach' : 'warning',
      statusText: worst ? formatTargetStatus(worst, now) : 'no target running',
      ownerId: c.ownerId,
      channelId: c.channelId,
      mustEscalate: e.mustEscalate,
      rank: level === 'breached' ? -(worst?.overdueMs ?? Number.MAX_SAFE_INTEGER) : (worst?.remainingMs ?? 0),
    };
    (level === 'breached' ? breached : atRisk).push(line);
  }
  breached.sort((a, b) => a.rank - b.rank);
  atRisk.sort((a, b) => a.rank - b.rank);
  const { channels } = deps.config;
  // Every channel cards are posted to: tickets by source, and the reviews and disputes channels.
  const caseChannels = new Set([
    channels.default,
    ...Object.values(channels.sources),
    reviewsChannel(deps.config),
    disputesChannel(deps.config),
  ]);
  const where: SlaReportScope = all
    ? { kind: 'every_channel' }
    : caseChannels.has(params.channelId)
      ? { kind: 'channel_and_own', channelId: params.channelId }
      : { kind: 'own' };
  return {
    scope: where,
    breached,
    atRisk,
    max: REPORT_LINES,
    ...(moreThanChecked !== undefined && moreThanChecked > rows.length ? { moreThanChecked } : {}),
  };
}
