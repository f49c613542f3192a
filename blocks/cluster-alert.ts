import type { KnownBlock } from '@slack/types';
import { stars } from '../src/domain/reviews';
import type { Tag } from '../src/domain/tag-catalogue';
import type { ClusterAlert } from '../src/db/schema';
import { CLUSTER } from '../src/slack/ids';
import type { CaseMessage } from './message';
import { caseLink } from './links';
import { LIMITS, plain, safeText, slackDate, squash } from './text';

// The supply-chain alert: one per cluster of negative reviews and damaged/quality tickets about
// one product, with the evidence; later reports go to its thread.

export interface ClusterCase {
  id: number;
  kind: string;
  channelId: string;
  slackTs: string | null;
  reportedAt: Date;
  subject: string;
  rating: number | null;
  tags: string[];
}

const MAX_LISTED = 15;

function caseLine(x: ClusterCase, tags: readonly Tag[], teamUrl: string | null): string {
  const what =
    x.kind === 'review' && x.rating !== null
      ? `${stars(x.rating)} review`
      : `ticket (${x.tags
          .filter((t) => t === 'damaged' || t === 'quality')
          .map((t) => tags.find((c) => c.id === t)?.label ?? t)
          .join(', ')})`;
  return `• ${caseLink(teamUrl, x)} ${what} · ${slackDate(x.reportedAt, '{date_short}')} · ${safeText(squash(x.subject), 100)}`;
}

export function buildClusterAlert(input: {
  alert: ClusterAlert;
  cases: ClusterCase[];
  count: number;
  days: number;
  tags: readonly Tag[];
  teamUrl: string | null;
}): CaseMessage {
  const { alert, cases } = input;
  const reviews = cases.filter((c) => c.kind === 'review').length;
  const tickets = cases.length - reviews;
  const label = squash(alert.productLabel);
  const summary =
    `*${cases.length} problem reports about ${safeText(label, 200)}* between ${slackDate(alert.firstItemAt, '{date_short}')} and ` +
    `${slackDate(alert.lastItemAt, '{date_short}')}: ${reviews} negative review${reviews === 1 ? '' : 's'}, ${tickets} damaged or quality ticket${tickets === 1 ? '' : 's'} ` +
    `(alert at ${input.count} within ${input.days} days).\nCheck the batch with the supplier, hold or inspect inventory, and correct the product page now.`;
  const listed = cases.slice(0, MAX_LISTED).map((x) => caseLine(x, input.tags, input.teamUrl));
  if (cases.length > MAX_LISTED) listed.push(`…and ${cases.length - MAX_LISTED} more`);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: CLUSTER.block.header,
      text: { type: 'plain_text', text: plain(`Quality cluster: ${label}`, LIMITS.headerText) },
    },
    { type: 'section', block_id: CLUSTER.block.summary, text: { type: 'mrkdwn', verbatim: true, text: summary } },
    { type: 'section', block_id: CLUSTER.block.evidence, text: { type: 'mrkdwn', verbatim: true, text: listed.join('\n') } },
    {
      type: 'context',
      block_id: CLUSTER.block.footer,
      elements: [{ type: 'mrkdwn', text: 'One alert per cluster: further reports about this product are added in the thread.' }],
    },
  ];
  return { text: safeText(`Quality cluster: ${cases.length} problem reports about ${label} in ${input.days} days`, 300), blocks };
}

export function buildClusterFollowup(input: {
  label: string;
  cases: ClusterCase[];
  total: number;
  tags: readonly Tag[];
  teamUrl: string | null;
}): CaseMessage {
  const lines = input.cases.slice(0, MAX_LISTED).map((x) => caseLine(x, input.tags, input.teamUrl));
  const text = `:heavy_plus_sign: ${input.cases.length} more report${input.cases.length === 1 ? '' : 's'} (${input.total} in this cluster)\n${lines.join('\n')}`;
  return {
    text: safeText(`${input.cases.length} more report${input.cases.length === 1 ? '' : 's'} about ${input.label}`, 300),
    blocks: [{ type: 'section', block_id: CLUSTER.block.followup, text: { type: 'mrkdwn', verbatim: true, text } }],
  };
}
