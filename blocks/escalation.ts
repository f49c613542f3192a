import type { ContextBlock, KnownBlock } from '@slack/types';
import { caseRef, SYSTEM_ACTOR } from '../src/domain/case';
import type { Case } from '../src/db/schema';
import { BLOCK } from '../src/slack/ids';
import type { CaseMessage } from './message';
import { formatMoney, mention, safeText, slackDate, squash } from './text';

// The post in the escalation channel: who escalated what and why, with a link to the card; and
// the line every card (ticket, review, dispute) shows while its case is escalated.

/** The card's escalation line: when and why, as long as the case stays escalated. */
export function escalationNote(c: Pick<Case, 'escalatedAt' | 'escalationReason'>): ContextBlock | null {
  if (!c.escalatedAt) return null;
  return {
    type: 'context',
    block_id: BLOCK.escalation,
    elements: [
      {
        type: 'mrkdwn',
        verbatim: true,
        text: `:rotating_light: Escalated ${slackDate(c.escalatedAt)}: ${safeText(c.escalationReason ?? '', 1500)}`,
      },
    ],
  };
}

export interface EscalationInput {
  c: Case;
  actor: string;
  reason: string;
  cardUrl: string | null;
}

export function buildEscalationPost({ c, actor, reason, cardUrl }: EscalationInput): CaseMessage {
  const ref = caseRef(c.id);
  const subject = safeText(squash(c.subject) || '(no subject)', 200);
  const title = cardUrl ? `<${cardUrl}|${ref} · ${subject}>` : `${ref} · ${subject}`;
  const facts = [`priority *${safeText(c.priority, 40)}*`];
  if (c.customerName) facts.push(safeText(squash(c.customerName), 80));
  if (c.orderAmount) facts.push(formatMoney(c.orderAmount, c.orderCurrency));
  if (c.orderCountry) facts.push(safeText(c.orderCountry, 40));
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: BLOCK.escalationSummary,
      text: {
        type: 'mrkdwn',
        verbatim: true,
        text: `:rotating_light: ${actor === SYSTEM_ACTOR ? 'Trustloop' : mention(actor)} escalated ${title}\n*Reason:* ${safeText(reason, 2000)}`,
      },
    },
    { type: 'context', block_id: BLOCK.escalationFacts, elements: [{ type: 'mrkdwn', verbatim: true, text: facts.join(' · ') }] },
  ];
  return { text: safeText(`${ref} escalated: ${reason}`, 300), blocks };
}
