import type { KnownBlock } from '@slack/types';
import { caseRef, STATUS_LABELS } from '../src/domain/case';
import {
  countdown,
  type DisputeEvidenceHeld as Held,
  type EvidenceLine,
  evidenceReady,
  STAGE_LABELS,
  STATE_LABELS,
} from '../src/domain/disputes';
import { PROVIDER_LABELS } from '../src/domain/reviews';
import type { Tag } from '../src/domain/tag-catalogue';
import type { Case, Dispute, RelatedCase } from '../src/db/schema';
import { cardActionsBlockId, encodeContext, BLOCK, DISPUTE } from '../src/slack/ids';
import type { OrderContext } from '../src/domain/orders';
import { standingLine } from './order-context';
import { actionElements, button, field, orderLine, priorityLine, STATUS_ICON, statusDetail, tagLine } from './case-card';
import type { CaseMessage } from './message';
import { escalationNote } from './escalation';
import { caseLink } from './links';
import { LIMITS, formatMoney, mention, plain, safeText, slackDate, squash } from './text';

// The card of a payment dispute: amount, reason in plain words, stage, the respond-by countdown,
// the evidence checklist with what Trustloop already holds, and the outcome once closed.

export type DisputeEvidenceHeld = Held<RelatedCase>;

export interface DisputeCardModel {
  c: Case;
  dispute: Dispute;
  related: RelatedCase[];
  held: DisputeEvidenceHeld;
  lines: EvidenceLine[];
  lastExport: { requestedBy: string; completedAt: Date } | null;
  teamUrl: string | null;
}

export interface DisputeCardOptions {
  tags: readonly Tag[];
  now: Date;
  /** The store order the dispute was matched to, and its customer. */
  context?: OrderContext | null;
}

const MAX_RELATED = 5;

export function disputeHeading(d: Pick<Dispute, 'stage' | 'amount' | 'currency' | 'reasonText'>): string {
  return `${STAGE_LABELS[d.stage] ?? d.stage} · ${formatMoney(d.amount, d.currency)} · ${squash(d.reasonText)}`;
}

function deadlineLine(d: Dispute, now: Date): string {
  if (d.closedAt) return '_closed_';
  if (!d.respondBy) return '_no deadline given_';
  const left = countdown(d, now);
  const icon = d.respondedAt ? ':white_check_mark:' : d.respondBy.getTime() <= now.getTime() ? ':red_circle:' : ':alarm_clock:';
  const answered = d.respondedAt ? ` by ${d.respondedBy ? mention(d.respondedBy) : 'the provider update'}` : '';
  return `${slackDate(d.respondBy)}\n${icon} ${left}${answered}`;
}

function evidenceText(model: DisputeCardModel): string {
  const { lines, held, teamUrl } = model;
  const out = [`*Evidence* (${evidenceReady(lines)} of ${lines.length} ready)`];
  for (const l of lines) {
    let detail: string;
    if (l.id === 'order_record' && held.orderCase) {
      const o = held.orderCase;
      const amount = o.orderAmount ? ` · ${formatMoney(o.orderAmount, o.orderCurrency)}` : '';
      detail = `held: ${caseLink(teamUrl, o)} order #${safeText((o.orderId ?? '').replace(/^#/, ''), 60)}${amount}`;
    } else if (l.id === 'communication' && held.communication.length > 0) {
      const n = held.communication.reduce((s, x) => s + x.messages, 0);
      const links = held.communication.slice(0, 5).map((x) => caseLink(teamUrl, x));
      detail = `held: ${n} message${n === 1 ? '' : 's'} in ${links.join(', ')}`;
    } else if (l.id === 'policy' && Object.keys(held.policies).length > 0) {
      detail = `held: ${Object.keys(held.policies)
        .map((k) => k.replace(/[_-]/g, ' '))
        .join(', ')} page${Object.keys(held.policies).length === 1 ? '' : 's'}`;
    } else if (l.checked) {
      detail = `checked${l.by ? ` by ${mention(l.by)}` : ''}`;
    } else {
      detail = `_to collect: ${l.hint}_`;
    }
    const note = l.note ? ` · ${safeText(squash(l.note), 200)}` : '';
    const icon = l.auto ? ':white_check_mark:' : l.checked ? ':ballot_box_with_check:' : ':white_large_square:';
    out.push(`${icon} *${l.label}*: ${detail}${note}`);
  }
  if (model.lastExport) {
    out.push(
      `:page_facing_up: Evidence exported by ${mention(model.lastExport.requestedBy)} ${slackDate(model.lastExport.completedAt)} (in the thread)`,
    );
  }
  return out.join('\n');
}

function relatedText(model: DisputeCardModel): string | null {
  const { dispute: d, related, teamUrl } = model;
  if (!d.customerEmail && !d.orderRef) return null;
  if (related.length === 0) return ':bust_in_silhouette: No other cases from this customer or order.';
  const lines = related.slice(0, MAX_RELATED).map((x) => {
    const status = STATUS_LABELS[x.status];
    return `• ${caseLink(teamUrl, x)} ${safeText(x.kind, 20)} · ${safeText(status, 30)} · ${safeText(squash(x.subject), 80)}`;
  });
  return `*Customer's other cases*\n${lines.join('\n')}${related.length > MAX_RELATED ? `\n…and ${related.length - MAX_RELATED} more` : ''}`;
}

export function outcomeText(d: Pick<Dispute, 'closedAt' | 'outcome' | 'state'>): string | null {
  if (!d.closedAt) return null;
  if (d.outcome === 'won') return `:trophy: *Closed: won* ${slackDate(d.closedAt)}. The money stays with the store.`;
  if (d.outcome === 'lost') return `:x: *Closed: lost* ${slackDate(d.closedAt)}. The customer keeps the money.`;
  return `:lock: *Closed* ${slackDate(d.closedAt)} (${safeText(STATE_LABELS[d.state] ?? d.state, 40)}, neither won nor lost).`;
}

function disputeCustomer(c: Case, d: Dispute, context?: OrderContext | null): string {
  const name = d.customerName ?? c.customerName;
  const email = d.customerEmail ?? c.customerEmail;
  const standing = context?.customer ? standingLine(context.customer) : null;
  const lines = [name ? safeText(squash(name), 80) : null, email ? safeText(email, 120) : null, standing].filter(
    (x): x is string => x !== null,
  );
  return lines.length > 0 ? lines.join('\n') : '_unknown_';
}

/** The order under the name the team knows; the platform's own id only until that order is seen. */
function disputeOrder(c: Case, d: Dispute, context?: OrderContext | null): string {
  if (context || c.orderId || c.orderAmount) return orderLine(c, context);
  if (d.orderExternalId) {
    const provider = PROVIDER_LABELS[d.provider] ?? d.provider;
    return `_${safeText(provider, 40)} order id ${safeText(d.orderExternalId, 40)}: not yet matched to an order_`;
  }
  return '_none_';
}

export function buildDisputeCard(model: DisputeCardModel, opts: DisputeCardOptions): CaseMessage {
  const { c, dispute: d } = model;
  const ref = caseRef(c.id);
  const status = c.status;
  const provider = PROVIDER_LABELS[d.provider] ?? d.provider;
  const owner = c.ownerId ? statusDetail(c) : ' · :warning: *needs an owner*';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: BLOCK.header,
      text: { type: 'plain_text', text: plain(`${ref} · ${disputeHeading(d)}`, LIMITS.headerText), emoji: true },
    },
    {
      type: 'section',
      block_id: BLOCK.fields,
      fields: [
        field('Amount', formatMoney(d.amount, d.currency)),
        field('Reason', `${safeText(d.reasonText, 300)}\n\`${safeText(d.reasonCode, 80)}\``),
        field('Stage', `${STAGE_LABELS[d.stage] ?? safeText(d.stage, 40)} · ${STATE_LABELS[d.state] ?? safeText(d.state, 40)}`),
        field('Respond by', deadlineLine(d, opts.now)),
        field('Customer', disputeCustomer(c, d, opts.context)),
        field('Order', disputeOrder(c, d, opts.context)),
        field(
          'Status',
          `${STATUS_ICON[status] ?? ''} ${STATUS_LABELS[status] ?? safeText(c.status, 50)}${c.status === 'resolved' ? statusDetail(c) : owner}`,
        ),
        field('Priority', priorityLine(c.priority)),
        field('Provider', `${safeText(provider, 40)} · \`${safeText(d.status, 60)}\`\n${safeText(d.externalId, 120)}`),
        field('Tags', tagLine(c.tags, opts.tags)),
      ],
    },
  ];
  const outcome = outcomeText(d);
  if (outcome) {
    blocks.push({ type: 'section', block_id: DISPUTE.block.outcome, text: { type: 'mrkdwn', text: outcome } });
  } else if (d.stage === 'inquiry') {
    blocks.push({
      type: 'section',
      block_id: DISPUTE.block.inquiry,
      text: {
        type: 'mrkdwn',
        text: ':warning: *Inquiry: resolve it before it becomes a chargeback.* Refund, or answer with the order record and shipping proof now, while it costs no fee.',
      },
    });
  }
  blocks.push({ type: 'section', block_id: DISPUTE.block.evidence, text: { type: 'mrkdwn', verbatim: true, text: evidenceText(model) } });
  const related = relatedText(model);
  if (related) blocks.push({ type: 'section', block_id: DISPUTE.block.related, text: { type: 'mrkdwn', verbatim: true, text: related } });
  const escalation = escalationNote(c);
  if (escalation) blocks.push(escalation);
  blocks.push({ type: 'actions', block_id: cardActionsBlockId(c.id), elements: actionElements(c, opts.tags) });
  const ctx = encodeContext({ c: c.id });
  const disputeButtons = [
    button(DISPUTE.action.evidence, 'Evidence checklist', ctx),
    button(DISPUTE.action.export, 'Export evidence', ctx),
  ];
  if (!d.closedAt && !d.respondedAt) disputeButtons.push(button(DISPUTE.action.submitted, 'Evidence submitted', ctx, 'primary'));
  blocks.push({ type: 'actions', block_id: `${DISPUTE.block.actions}.${c.id}`, elements: disputeButtons });
  blocks.push({
    type: 'context',
    block_id: BLOCK.meta,
    elements: [{ type: 'mrkdwn', text: `:bank: ${ref} · dispute · updated ${slackDate(c.updatedAt)}` }],
  });
  const text = safeText(
    `${ref} (${provider} dispute, ${STAGE_LABELS[d.stage] ?? d.stage}, ${STATUS_LABELS[status] ?? c.status}): ${formatMoney(d.amount, d.currency)} · ${d.reasonText}`,
    300,
  );
  return { text, blocks };
}
