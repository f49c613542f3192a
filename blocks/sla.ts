import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { caseRef } from '../src/domain/case';
import type { CaseLine, SlaReport, SlaReportScope } from '../src/domain/sla-case';
import {
  formatDuration,
  formatTargetStatus,
  mostUrgentTarget,
  type ReminderKind,
  type SlaState,
  type TargetStanding,
  type TargetState,
  TARGET_LABELS,
} from '../src/domain/sla';
import { encodeContext, SLA_ACTION, SLA_BLOCK } from '../src/slack/ids';
import type { CaseMessage } from './message';
import { LIMITS, escapeMrkdwn, safeText, slackDate, squash } from './text';

// Everything the SLA shows in Slack: the line on the card (with the waiting-on-customer
// toggle), the reminder messages in the card's thread, the escalation channel post, the
// batched DM and the /trustloop sla report. Pure: state and `now` come in.

/** A user (U…/W…) or user group (S…) as a mention; anything else is shown escaped. */
export function mentionAny(id: string): string {
  if (/^[UW][A-Z0-9]+$/.test(id)) return `<@${id}>`;
  if (/^S[A-Z0-9]+$/.test(id)) return `<!subteam^${id}>`;
  return escapeMrkdwn(id);
}

export function channelLink(id: string): string {
  return /^[CG][A-Z0-9]+$/.test(id) ? `<#${id}>` : escapeMrkdwn(id);
}

const targetLabel = (target: string) => TARGET_LABELS[target] ?? target.replace(/_/g, ' ');
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function warned(t: TargetState, now: Date): boolean {
  return t.thresholds.some((r) => r.kind === 'warning' && r.at !== null && r.at.getTime() <= now.getTime());
}

/**
 * One target as the card shows it: "first reply due in 1h 20m (by Today 11:00)", "first reply
 * breached 35m ago (due Today 09:45)". The absolute time keeps the line true between re-renders.
 */
export function describeTarget(t: TargetState, now: Date): string {
  const text = formatTargetStatus(t, now);
  if (t.stoppedAt !== null || t.dueAt === null) return text;
  if (t.status === 'running' && !t.paused) return `${text} (by ${slackDate(t.dueAt)})`;
  return t.status === 'breached' ? `${text} (due ${slackDate(t.dueAt)})` : text;
}

export function slaIcon(state: SlaState, now: Date): string {
  const urgent = mostUrgentTarget(state, now);
  if (!urgent) return state.targets.every((t) => t.status === 'met') ? ':white_check_mark:' : ':x:';
  if (urgent.status === 'breached') return ':red_circle:';
  if (urgent.paused) return ':double_vertical_bar:';
  return warned(urgent, now) ? ':warning:' : ':stopwatch:';
}

/**
 * The card's SLA line, re-rendered whenever the card is (the sweep re-renders it when a rung
 * or a due time is crossed, not every minute; the "by" time stays right in between). Open
 * cards carry the waiting-on-customer toggle, which pauses every clock.
 */
export function buildSlaSection(c: { id: number; status: string }, state: SlaState, now: Date): SectionBlock {
  const urgent = mostUrgentTarget(state, now);
  const ordered = urgent ? [urgent, ...state.targets.filter((t) => t !== urgent)] : state.targets;
  let text =
    ordered.length === 0
      ? '_No response targets for this channel._'
      : `${slaIcon(state, now)} ${ordered.map((t, i) => (i === 0 ? capitalise(describeTarget(t, now)) : describeTarget(t, now))).join(' · ')}`;
  if (c.status === 'waiting') text += '\n:double_vertical_bar: Waiting on the customer: the clocks are paused until they write.';
  const block: SectionBlock = {
    type: 'section',
    block_id: SLA_BLOCK.card,
    text: { type: 'mrkdwn', text: text.slice(0, LIMITS.sectionText) },
  };
  if (c.status !== 'resolved') {
    const waiting = c.status === 'waiting';
    const button: Button = {
      type: 'button',
      action_id: waiting ? SLA_ACTION.resume : SLA_ACTION.wait,
      text: { type: 'plain_text', text: waiting ? 'Stop waiting' : 'Waiting on customer' },
      value: encodeContext({ c: c.id }),
    };
    block.accessory = button;
  }
  return block;
}

// ---- reminders in the card's thread --------------------------------------------------------

export interface ReminderNote {
  caseId: number;
  kind: ReminderKind;
  /** Target name, or 'must_escalate'. */
  target: string;
  /** The target's state when the rung was crossed (absent for must-escalate). */
  state?: TargetStanding;
  /** Rung percent of the target (warning 75, escalation 150…). */
  percent?: number;
  /** Mentioned (warning; breach when nobody can be DMed). */
  mention: string | null;
  /** Who was sent a DM. */
  dmTo: string[];
  escalationChannel: string;
}

const ICON: Record<ReminderKind, string> = { warning: ':hourglass_flowing_sand:', breach: ':red_circle:', escalation: ':rotating_light:' };

export function reminderLine(n: ReminderNote, now: Date): string {
  const ref = caseRef(n.caseId);
  const who = n.mention ? `${mentionAny(n.mention)} ` : '';
  if (n.target === 'must_escalate') {
    return `${ICON.escalation} ${ref} must be handled by a person (a must-escalate rule flagged it).${
      n.dmTo.length ? ` The manager${n.dmTo.length > 1 ? 's get' : ' gets'} a DM.` : ''
    }`;
  }
  const s = n.state;
  const status = s ? formatTargetStatus(s, now) : `${targetLabel(n.target)} overdue`;
  const of = s ? ` of the ${formatDuration(s.targetMs)} target` : ' of the target';
  // Whoever gets a DM is not mentioned here too: one notification per reminder is enough.
  const many = n.dmTo.length > 1;
  switch (n.kind) {
    case 'warning':
      return `${ICON.warning} ${who}${ref}: ${status}${s?.dueAt ? `, by ${slackDate(s.dueAt)}` : ''} (${n.percent ?? 75}%${of} used).`;
    case 'breach':
      return `${ICON.breach} ${who}${ref}: ${status}${s?.dueAt ? ` (due ${slackDate(s.dueAt)})` : ''}.${n.dmTo.length ? ' The owner gets a DM.' : ''}`;
    case 'escalation':
      return `${ICON.escalation} ${ref}: ${status} (${n.percent ?? 150}%${of}): escalated to ${channelLink(n.escalationChannel)}.${
        n.dmTo.length ? ` The manager${many ? 's get' : ' gets'} a DM.` : ''
      }`;
  }
}

export function buildReminderThreadMessage(n: ReminderNote, now: Date): CaseMessage {
  const line = reminderLine(n, now);
  return {
    text: line,
    blocks: [{ type: 'section', block_id: SLA_BLOCK.reminder, text: { type: 'mrkdwn', text: line } }],
  };
}

// ---- the escalation channel post -----------------------------------------------------------

export interface SlaEscalationInput {
  c: { id: number; subject: string; priority: string; ownerId: string | null; channelId: string };
  target: string;
  /** "first reply breached 45m ago", or null for a must-escalate flag. */
  statusText: string | null;
  cardUrl: string | null;
}

export function buildSlaEscalationPost({ c, target, statusText, cardUrl }: SlaEscalationInput): CaseMessage {
  const ref = caseRef(c.id);
  const subject = safeText(squash(c.subject) || '(no subject)', 200);
  const title = cardUrl ? `<${cardUrl}|${ref} · ${subject}>` : `${ref} · ${subject}`;
  const why =
    target === 'must_escalate'
      ? 'must be handled by a person: a must-escalate rule flagged it'
      : `is escalated: ${escapeMrkdwn(statusText ?? `${targetLabel(target)} overdue`)}`;
  const facts = [
    c.ownerId ? `owner ${mentionAny(c.ownerId)}` : 'unowned',
    `priority *${safeText(c.priority, 40)}*`,
    `in ${channelLink(c.channelId)}`,
  ];
  return {
    text: safeText(`${ref} ${target === 'must_escalate' ? 'must be handled by a person' : `escalated: ${statusText ?? target}`}`, 300),
    blocks: [
      { type: 'section', block_id: SLA_BLOCK.escalation, text: { type: 'mrkdwn', text: `:rotating_light: ${title} ${why}` } },
      { type: 'context', block_id: SLA_BLOCK.escalationFacts, elements: [{ type: 'mrkdwn', text: facts.join(' · ') }] },
    ],
  };
}

// ---- DMs and the report --------------------------------------------------------------------

export type { CaseLine };

/** The marker of a case a must-escalate rule flagged, beside its SLA standing. */
export const MUST_ESCALATE_MARK = ':rotating_light: must be handled by a person';

const SEVERITY: Record<ReminderKind, number> = { escalation: 0, breach: 1, warning: 2 };

export function caseLine(l: CaseLine, opts: { owner?: boolean; channel?: boolean } = {}): string {
  const ref = caseRef(l.caseId);
  const subject = safeText(squash(l.subject) || '(no subject)', 80);
  const title = l.cardUrl ? `<${l.cardUrl}|${ref} · ${subject}>` : `${ref} · ${subject}`;
  const extra: string[] = [];
  if (opts.owner) extra.push(l.ownerId ? mentionAny(l.ownerId) : 'unowned');
  if (opts.channel && l.channelId) extra.push(channelLink(l.channelId));
  if (l.mustEscalate) extra.push(MUST_ESCALATE_MARK);
  const what = l.kind === 'escalation' ? `escalated: ${l.statusText}` : l.statusText;
  return `• ${ICON[l.kind]} ${title}: ${escapeMrkdwn(what)}${extra.length ? ` · ${extra.join(' · ')}` : ''}`;
}

/** Lines packed into sections of at most Slack's section length, each with its own block id. */
function packed(lines: string[], blockId: string): SectionBlock[] {
  const out: SectionBlock[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > LIMITS.sectionText) {
      out.push({ type: 'section', block_id: `${blockId}.${out.length}`, text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push({ type: 'section', block_id: `${blockId}.${out.length}`, text: { type: 'mrkdwn', text: current } });
  return out;
}

/**
 * One DM listing every case a person is reminded of (most severe first), capped at `max`
 * lines with "and N more" (`more`: reminders only counted, not listed): five breaching cases
 * make one message, not five.
 */
export function buildReminderDm(items: readonly CaseLine[], opts: { max: number; more?: number }): CaseMessage {
  const sorted = [...items].sort((a, b) => SEVERITY[a.kind] - SEVERITY[b.kind]);
  const shown = sorted.slice(0, opts.max);
  const hidden = sorted.length - shown.length + (opts.more ?? 0);
  const escalations = sorted.filter((i) => i.kind === 'escalation').length;
  const n = sorted.length + (opts.more ?? 0);
  const header =
    escalations === n
      ? `:rotating_light: *${n} case${n === 1 ? ' was' : 's were'} escalated to you*`
      : `:bell: *${n} case${n === 1 ? ' needs' : 's need'} you: response targets are close or missed*`;
  const lines = shown.map((l) => caseLine(l));
  if (hidden > 0) lines.push(`and ${hidden} more`);
  const first = sorted[0]!;
  return {
    text: safeText(`${caseRef(first.caseId)}: ${first.statusText}${n > 1 ? `, and ${n - 1} more` : ''}`, 300),
    blocks: [
      { type: 'section', block_id: SLA_BLOCK.dmHeader, text: { type: 'mrkdwn', text: header } },
      ...packed(lines, SLA_BLOCK.dmItems),
      {
        type: 'context',
        block_id: SLA_BLOCK.dmNote,
        elements: [{ type: 'mrkdwn', text: 'Trustloop lists several cases in one message and waits for your working hours.' }],
      },
    ],
  };
}

export interface SlaReportInput extends Omit<SlaReport, 'scope'> {
  /** "in <#C…> and cases you own", or "in every channel". */
  scope: string;
}

/** The report a service worked out, as `/trustloop sla` answers it. */
export function renderSlaReport(report: SlaReport): CaseMessage {
  return buildSlaReport({ ...report, scope: slaScopeText(report.scope) });
}

/** Where a report looks, as its header says it. */
export function slaScopeText(scope: SlaReportScope): string {
  switch (scope.kind) {
    case 'every_channel':
      return 'in every channel';
    case 'channel_and_own':
      return `in ${channelLink(scope.channelId)} and on cases you own`;
    case 'own':
      return 'on cases you own (run it in a support channel to see that channel too)';
  }
}

/** `/trustloop sla`: breached cases (longest overdue first), then cases at risk (soonest due first). */
export function buildSlaReport(r: SlaReportInput): CaseMessage {
  const total = r.breached.length + r.atRisk.length;
  if (total === 0) {
    const text = `:white_check_mark: No open case ${r.scope} is at risk of missing its response targets.`;
    return { text, blocks: [{ type: 'section', block_id: SLA_BLOCK.reportHeader, text: { type: 'mrkdwn', text } }] };
  }
  const header =
    r.moreThanChecked !== undefined
      ? `*Response targets ${r.scope}:* ${r.moreThanChecked.toLocaleString('en')} open cases breached or at risk; the ${total.toLocaleString('en')} longest at risk are sorted below`
      : `*Response targets ${r.scope}:* ${r.breached.length} breached, ${r.atRisk.length} at risk`;
  const blocks: KnownBlock[] = [{ type: 'section', block_id: SLA_BLOCK.reportHeader, text: { type: 'mrkdwn', text: header } }];
  let room = r.max;
  for (const [title, list, id] of [
    [':red_circle: *Breached*', r.breached, SLA_BLOCK.reportBreached],
    [':warning: *At risk*', r.atRisk, SLA_BLOCK.reportAtRisk],
  ] as const) {
    if (list.length === 0) continue;
    const shown = list.slice(0, Math.max(0, room));
    room -= shown.length;
    const lines = [title, ...shown.map((l) => caseLine(l, { owner: true, channel: true }))];
    if (shown.length < list.length) lines.push(`and ${list.length - shown.length} more`);
    blocks.push(...packed(lines, id));
  }
  // The header is ours (counts, and a channel link that must stay a link): not escaped.
  return { text: header.replace(/\*/g, '').slice(0, 300), blocks };
}
