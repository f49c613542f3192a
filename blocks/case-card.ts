import type { ActionsBlockElement, Button, KnownBlock, PlainTextOption, SectionBlock } from '@slack/types';
import type { Tag } from '../src/domain/tag-catalogue';
import { type CaseStatus, caseRef, SOURCE_LABELS, STATUS_LABELS } from '../src/domain/case';
import type { Case } from '../src/db/schema';
import { cardActionsBlockId, encodeContext, ACTION, BLOCK, REPLY } from '../src/slack/ids';
import { LIMITS, formatMoney, isTruncated, mention, plain, safeText, slackDate, squash } from './text';
import type { SlaState } from '../src/domain/sla';
import { buildSlaSection } from './sla';
import type { OrderContext } from '../src/domain/orders';
import { orderContextLines, standingLine } from './order-context';
import type { CaseMessage } from './message';
import { escalationNote } from './escalation';

// The case card: one message per case, re-rendered whole from current state on every change.

export interface CardOptions {
  tags: readonly Tag[];
  now: Date;
  /** SLA clocks at `now`; absent: no SLA line. */
  sla?: SlaState | null;
  /** The store order the case was matched to, and its customer; absent: what the sender gave. */
  context?: OrderContext | null;
}

export const EXCERPT_CHARS = 600;

export const STATUS_ICON: Record<CaseStatus, string> = {
  new: ':new:',
  open: ':large_green_circle:',
  waiting: ':hourglass_flowing_sand:',
  resolved: ':white_check_mark:',
};

const KIND_ICON: Record<string, string> = { ticket: ':ticket:', review: ':star:', dispute: ':bank:' };

export function buildCaseCard(c: Case, opts: CardOptions): CaseMessage {
  const ref = caseRef(c.id);
  const status = c.status;
  const source = SOURCE_LABELS[c.source] ?? c.source;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: BLOCK.header,
      text: { type: 'plain_text', text: plain(`${ref} · ${squash(c.subject) || '(no subject)'}`, LIMITS.headerText), emoji: true },
    },
    excerptBlock(c),
    {
      type: 'section',
      block_id: BLOCK.fields,
      fields: [
        field('Customer', customerLines(c, opts.context)),
        field('Order', orderLine(c, opts.context)),
        field('Source', `${safeText(source, 100)} · received ${slackDate(c.receivedAt)}`),
        field('Status', `${STATUS_ICON[status] ?? ''} ${STATUS_LABELS[status] ?? safeText(c.status, 50)}${statusDetail(c)}`),
        field('Priority', priorityLine(c.priority)),
        field('Tags', tagLine(c.tags, opts.tags)),
      ],
    },
  ];
  const judgement = judgementLine(c, opts.tags);
  if (judgement) {
    blocks.push({ type: 'context', block_id: BLOCK.judgement, elements: [{ type: 'mrkdwn', verbatim: true, text: judgement }] });
  }
  if (opts.sla) blocks.push(buildSlaSection(c, opts.sla, opts.now));
  const escalation = escalationNote(c);
  if (escalation) blocks.push(escalation);
  blocks.push({ type: 'actions', block_id: cardActionsBlockId(c.id), elements: actionElements(c, opts.tags) });
  blocks.push({
    type: 'context',
    block_id: BLOCK.meta,
    elements: [{ type: 'mrkdwn', text: `${KIND_ICON[c.kind] ?? ''} ${ref} · updated ${slackDate(c.updatedAt)}` }],
  });
  const text = safeText(`${ref} (${source}, ${STATUS_LABELS[status] ?? c.status}): ${squash(c.subject)}`, 300);
  return { text, blocks };
}

function excerptBlock(c: Case): SectionBlock {
  const words = squash(c.body);
  const truncated = isTruncated(words, EXCERPT_CHARS) || words.length !== c.body.trim().length;
  const body = words.length > 0 ? safeText(words, EXCERPT_CHARS) : '_(empty message)_';
  return {
    type: 'section',
    block_id: BLOCK.excerpt,
    // verbatim: customer text is shown as written, never auto-linked or mention-parsed.
    text: { type: 'mrkdwn', verbatim: true, text: `>${body}` },
    ...(truncated && words.length > 0
      ? {
          accessory: {
            type: 'button',
            action_id: ACTION.fullText,
            text: { type: 'plain_text', text: 'Full message' },
            value: encodeContext({ c: c.id }),
          },
        }
      : {}),
  };
}

/** Each value is bounded where it is built (names 80, emails 120, tags 500…), far below the 2,000 a field allows. */
export function field(label: string, value: string) {
  return { type: 'mrkdwn' as const, verbatim: true, text: `*${label}*\n${value}` };
}

export function customerLines(c: Case, context?: OrderContext | null): string {
  const name = c.customerName ? safeText(squash(c.customerName), 80) : '_unknown_';
  const lines = [name];
  if (c.customerEmail) lines.push(safeText(c.customerEmail, 120));
  const facts: string[] = [];
  if (context?.customer) facts.push(standingLine(context.customer));
  else if (c.customerOrderCount != null) facts.push(`${c.customerOrderCount} order${c.customerOrderCount === 1 ? '' : 's'}`);
  if (c.customerTags.length > 0) facts.push(safeText(c.customerTags.slice(0, 5).join(', '), 120));
  if (facts.length > 0) lines.push(facts.join(' · '));
  return lines.join('\n');
}

export function orderLine(c: Case, context?: OrderContext | null): string {
  if (context) return orderContextLines(context);
  if (!c.orderId && !c.orderAmount) return '_none_';
  const parts: string[] = [];
  if (c.orderId) parts.push(`#${safeText(c.orderId.replace(/^#/, ''), 60)}`);
  if (c.orderAmount) parts.push(formatMoney(c.orderAmount, c.orderCurrency));
  if (c.orderCountry) parts.push(safeText(c.orderCountry, 40));
  const items = c.orderItems ?? [];
  if (items.length > 0) {
    const count = items.reduce((n, i) => n + (Number.isFinite(i.quantity) ? i.quantity : 1), 0);
    const names = items.slice(0, 3).map((i) => safeText(squash(i.name), 40));
    const more = items.length > 3 ? ` +${items.length - 3} more` : '';
    return `${parts.join(' · ')}\n${count} item${count === 1 ? '' : 's'}: ${names.join(', ')}${more}`;
  }
  return parts.join(' · ');
}

export function statusDetail(c: Case): string {
  if (c.status === 'resolved' && c.resolvedAt) return ` ${slackDate(c.resolvedAt)}`;
  if (c.ownerId) return ` · ${mention(c.ownerId)}`;
  return ' · unowned';
}

export function priorityLine(priority: string): string {
  const icon = priority === 'urgent' ? ':red_circle: ' : priority === 'high' ? ':large_orange_circle: ' : '';
  return `${icon}${safeText(priority.charAt(0).toUpperCase() + priority.slice(1), 40)}`;
}

export function tagLine(tags: string[], catalogue: readonly Tag[]): string {
  if (tags.length === 0) return '_none_';
  const labels = tags.map((t) => catalogue.find((x) => x.id === t)?.label ?? t);
  return safeText(labels.join(', '), 500);
}

const SENTIMENT_ICON: Record<string, string> = {
  negative: ':slightly_frowning_face:',
  neutral: ':neutral_face:',
  positive: ':slightly_smiling_face:',
};

const THREAT_LABEL: Record<string, string> = {
  negative_review: 'a bad review',
  public_post: 'a public post',
  chargeback: 'a chargeback',
  legal: 'legal action',
};

/**
 * What Trustloop decided on its own, visible and correctable: the tags it suggested (until a
 * person confirms or changes them), the customer's mood and threats, the language, and whether
 * self-service could have answered. Only our own words: nothing from the customer.
 */
export function judgementLine(c: Case, catalogue: readonly Tag[]): string | null {
  const j = c.judgement;
  if (!j) return null;
  const parts: string[] = [];
  if (!c.tagsReviewedAt && c.suggestedTags.length > 0) {
    const labels = c.suggestedTags.map((t) => catalogue.find((x) => x.id === t)?.label ?? t);
    parts.push(`:robot_face: Suggested tags: ${safeText(labels.join(', '), 300)} (confirm or change them)`);
  }
  const mood = j.intensity !== 'calm' ? ` (${j.intensity})` : '';
  parts.push(`${SENTIMENT_ICON[j.sentiment] ?? ''} ${j.sentiment}${mood}`);
  if (j.threats.length > 0) parts.push(`threatens ${j.threats.map((t) => THREAT_LABEL[t] ?? t).join(', ')}`);
  if (j.language !== 'und' && j.language !== 'en') parts.push(`language: ${safeText(j.language, 10)}`);
  if (c.automatable && j.automatableTopic) parts.push(`:zap: self-service could answer this (${j.automatableTopic.replace(/_/g, ' ')})`);
  return parts.join(' · ');
}

function tagOption(tag: Tag): PlainTextOption {
  return { text: { type: 'plain_text', text: plain(tag.label, LIMITS.optionText) }, value: tag.id.slice(0, LIMITS.optionValue) };
}

export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value, ...(style ? { style } : {}) };
}

export function actionElements(c: Case, catalogue: readonly Tag[]): ActionsBlockElement[] {
  const options = catalogue.slice(0, LIMITS.options).map(tagOption);
  const initial = options.filter((o) => c.tags.includes(o.value!));
  const tagsMenu: ActionsBlockElement = {
    type: 'multi_static_select',
    action_id: ACTION.tags,
    placeholder: { type: 'plain_text', text: 'Tags' },
    options,
    ...(initial.length > 0 ? { initial_options: initial } : {}),
  };
  const ctx = encodeContext({ c: c.id });
  // Reply: the composer, on every kind of case; a resolved case can still be answered.
  const reply = button(REPLY.action.open, 'Reply', ctx);
  if (c.status === 'resolved') {
    return [button(ACTION.reopen, 'Reopen', ctx), reply, tagsMenu];
  }
  return [
    // Claim carries the owner this card shows: a click on a stale card cannot silently take over.
    button(ACTION.claim, 'Claim', encodeContext({ c: c.id, o: c.ownerId }), c.ownerId ? undefined : 'primary'),
    {
      type: 'users_select',
      action_id: ACTION.assign,
      placeholder: { type: 'plain_text', text: 'Assign' },
      ...(c.ownerId ? { initial_user: c.ownerId } : {}),
    },
    tagsMenu,
    reply,
    ...(!c.tagsReviewedAt && c.suggestedTags.length > 0 ? [button(ACTION.confirmTags, 'Tags OK', ctx)] : []),
    button(ACTION.escalate, c.escalatedAt ? 'Escalate again' : 'Escalate', ctx, 'danger'),
    // Any escalation can be overruled; Trustloop's automatic ones most often need it.
    ...(c.escalatedAt || c.mustEscalateAt ? [button(ACTION.deescalate, 'De-escalate', ctx)] : []),
    button(ACTION.resolve, 'Resolve', ctx),
  ];
}
