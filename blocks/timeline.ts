import type { KnownBlock } from '@slack/types';
import { type CaseAction, caseRef, type MessageDirection, SYSTEM_ACTOR } from '../src/domain/case';
import type { Tag } from '../src/domain/tag-catalogue';
import { encodeContext, ACTION, BLOCK } from '../src/slack/ids';
import type { CaseMessage } from './message';
import { LIMITS, mention, quote, safeText, slackDate } from './text';

// Thread messages under a card: the case's timeline, one message per fact.

export interface TimelineEvent {
  caseId: number;
  action: CaseAction;
  actor: string;
  data: Record<string, unknown>;
  at: Date;
}

const ICON: Partial<Record<CaseAction, string>> = {
  claimed: ':raising_hand:',
  tags_confirmed: ':label:',
  deescalated: ':arrow_down:',
  assigned: ':bust_in_silhouette:',
  tagged: ':label:',
  escalated: ':rotating_light:',
  resolved: ':white_check_mark:',
  reopened: ':arrows_counterclockwise:',
  waiting: ':double_vertical_bar:',
  resumed: ':arrow_forward:',
};

export function describeEvent(e: TimelineEvent, tags: readonly Tag[]): string {
  const who = e.actor === 'customer' ? 'The customer' : e.actor === SYSTEM_ACTOR ? 'Trustloop' : mention(e.actor);
  const ref = caseRef(e.caseId);
  const label = (id: unknown) => safeText(tags.find((t) => t.id === id)?.label ?? String(id), 75);
  switch (e.action) {
    case 'claimed':
      return `${who} claimed ${ref}${e.data.previousOwner ? ` (was ${mention(String(e.data.previousOwner))})` : ''}`;
    case 'assigned':
      return `${who} assigned ${ref} to ${mention(String(e.data.assignee))}`;
    case 'tagged': {
      const added = (e.data.added as unknown[] | undefined) ?? [];
      const removed = (e.data.removed as unknown[] | undefined) ?? [];
      const parts = [...added.map((t) => `+${label(t)}`), ...removed.map((t) => `−${label(t)}`)];
      return `${who} changed tags: ${parts.join(', ')}`;
    }
    case 'escalated':
      return `${who} escalated ${ref} (priority ${safeText(String(e.data.priority), 40)}): ${safeText(String(e.data.reason ?? ''), 1500)}`;
    case 'resolved':
      return `${who} resolved ${ref}`;
    case 'tags_confirmed':
      return `${who} confirmed the tags: ${((e.data.tags as unknown[]) ?? []).map(label).join(', ') || 'none'}`;
    case 'deescalated':
      return `${who} de-escalated ${ref} (priority back to the default)`;
    case 'reopened':
      return e.actor === 'customer' ? `The customer wrote again, so ${ref} is open again` : `${who} reopened ${ref}`;
    case 'waiting':
      return e.actor === 'api'
        ? `The helpdesk reply asks the customer for something, so ${ref} waits on them: the response clocks are paused`
        : `${who} marked ${ref} as waiting on the customer: the response clocks are paused`;
    case 'resumed':
      return `${who} stopped waiting on the customer for ${ref}: the response clocks run again`;
    default:
      return `${who}: ${safeText(e.action, 50)}`;
  }
}

export function buildEventEntry(e: TimelineEvent, tags: readonly Tag[]): CaseMessage {
  const line = `${ICON[e.action] ?? ':memo:'} ${describeEvent(e, tags)}`;
  return {
    // Every part of the line is bounded where it is built (describeEvent), so nothing is cut here.
    text: line,
    blocks: [
      { type: 'context', block_id: BLOCK.timeline, elements: [{ type: 'mrkdwn', verbatim: true, text: `${line} · ${slackDate(e.at)}` }] },
    ],
  };
}

/** A one-line entry in a card's thread, dated as the event entries are. */
export function timelineEntry(line: string, at: Date, fallback?: string): CaseMessage {
  return {
    text: fallback ?? line,
    blocks: [
      { type: 'context', block_id: BLOCK.timeline, elements: [{ type: 'mrkdwn', verbatim: true, text: `${line} · ${slackDate(at)}` }] },
    ],
  };
}

export interface TimelineMessage {
  id: number;
  caseId: number;
  direction: MessageDirection;
  authorName: string | null;
  body: string;
  createdAt: Date;
}

export const MESSAGE_CHARS = 2800;

const DIRECTION_LABEL: Record<MessageDirection, string> = {
  customer: ':speech_balloon: *Customer*',
  agent: ':outbox_tray: *Agent reply* (sent from the helpdesk)',
  note: ':memo: *Internal note*',
};

export function buildMessageEntry(m: TimelineMessage): CaseMessage {
  const author = m.authorName ? ` · ${safeText(m.authorName, 80)}` : '';
  const heading = `${DIRECTION_LABEL[m.direction]}${author} · ${slackDate(m.createdAt)}`;
  // The quote gets what the section has left after the heading, cut as a whole (quote marks included).
  const body =
    m.body.trim().length > 0
      ? quote(m.body, Math.min(MESSAGE_CHARS, LIMITS.sectionText - heading.length - 1))
      : { text: '_(empty message)_', truncated: false };
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: BLOCK.timeline, text: { type: 'mrkdwn', verbatim: true, text: `${heading}\n${body.text}` } },
  ];
  if (body.truncated) {
    blocks.push({
      type: 'actions',
      block_id: BLOCK.timelineActions,
      elements: [
        {
          type: 'button',
          action_id: ACTION.messageFullText,
          text: { type: 'plain_text', text: 'Full message' },
          value: encodeContext({ c: m.caseId, m: m.id }),
        },
      ],
    });
  }
  const who = m.direction === 'customer' ? 'Customer' : m.direction === 'agent' ? 'Agent reply' : 'Note';
  return { text: safeText(`${who} on ${caseRef(m.caseId)}: ${m.body}`, 300), blocks };
}
