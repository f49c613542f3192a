import type { KnownBlock, SectionBlock } from '@slack/types';
import { caseRef, STATUS_LABELS } from '../src/domain/case';
import {
  CHECKLIST_FINDING_LABELS,
  PROMISE_KEPT_LABELS,
  PROVIDER_LABELS,
  RESPONSE_ACTION_LABELS,
  reviewSubject,
  stars,
} from '../src/domain/reviews';
import type { Tag } from '../src/domain/tag-catalogue';
import type { Case, RelatedCase, Review, ReviewResponse } from '../src/db/schema';
import { cardActionsBlockId, encodeContext, ACTION, BLOCK, REVIEW } from '../src/slack/ids';
import {
  actionElements,
  button,
  customerLines,
  field,
  judgementLine,
  orderLine,
  priorityLine,
  STATUS_ICON,
  statusDetail,
  tagLine,
} from './case-card';
import type { CaseMessage } from './message';
import { escalationNote } from './escalation';
import { caseLink, photoBlocks, videoLinks } from './links';
import { buildSlaSection } from './sla';
import type { OrderContext } from '../src/domain/orders';
import type { SlaState } from '../src/domain/sla';
import { LIMITS, isTruncated, mention, plain, safeText, slackDate, squash } from './text';

// The card of a negative review: stars, product, verified badge, excerpt, photos, the customer's
// other cases, the drafted response and the internal checklist. Re-rendered whole on every change.

export interface ReviewCardModel {
  c: Case;
  review: Review;
  related: RelatedCase[];
  response: ReviewResponse | null;
  negativeMaxRating: number;
  teamUrl: string | null;
}

export interface ReviewCardOptions {
  tags: readonly Tag[];
  now: Date;
  /** SLA clocks at `now` (reviews count under the `review` SLA channel); absent: no SLA line. */
  sla?: SlaState | null;
  /** The store order the review was matched to, and its customer. */
  context?: OrderContext | null;
}

export const REVIEW_EXCERPT_CHARS = 600;
export const MAX_PHOTOS = 3;
export const MAX_RELATED = 5;

export function tagLabel(tags: readonly Tag[], id: string): string {
  return tags.find((t) => t.id === id)?.label ?? id;
}

function excerpt(c: Case, r: Review): SectionBlock {
  const words = squash(r.body);
  const truncated = isTruncated(words, REVIEW_EXCERPT_CHARS) || words.length !== r.body.trim().length;
  return {
    type: 'section',
    block_id: BLOCK.excerpt,
    text: { type: 'mrkdwn', verbatim: true, text: words ? `>${safeText(words, REVIEW_EXCERPT_CHARS)}` : '_(rating only, no text)_' },
    ...(truncated && words
      ? {
          accessory: button(ACTION.fullText, 'Full review', encodeContext({ c: c.id })),
        }
      : {}),
  };
}

function productLine(r: Review): string {
  const name = r.productTitle ? safeText(squash(r.productTitle), 120) : r.productHandle ? safeText(r.productHandle, 120) : null;
  const sku = r.productSku ? `SKU ${safeText(r.productSku, 60)}` : null;
  if (!name && !sku) return r.provider === 'trustpilot' ? '_the store (service review)_' : '_not given_';
  return [name, sku].filter(Boolean).join('\n');
}

function reviewerLine(c: Case, r: Review, context?: OrderContext | null): string {
  const badge = r.verified ? ':white_check_mark: Verified buyer' : '_Not verified_';
  return `${customerLines(c, context)}\n${badge}`;
}

function ratingLine(r: Review): string {
  const provider = PROVIDER_LABELS[r.provider] ?? r.provider;
  const hidden = r.published === false ? ' · _unpublished_' : '';
  return `${stars(r.rating)} ${r.rating}/5\n${safeText(provider, 40)} · written ${slackDate(r.writtenAt)}${hidden}`;
}

export function whyLine(r: Review, tags: readonly Tag[], negativeMaxRating: number): string {
  const problems = r.problemTags.map((t) => safeText(tagLabel(tags, t), 60)).join(', ');
  if (r.rating <= negativeMaxRating) {
    return `:warning: Negative review: ${r.rating}★ is at or below ${negativeMaxRating}★${problems ? ` · reports: ${problems}` : ''}`;
  }
  if (r.negative) return `:mag: ${r.rating}★, but the text reports a problem${problems ? `: ${problems}` : ''}`;
  return `:information_source: Now ${r.rating}★ and no problem in the text (the review was edited)`;
}

function relatedLines(model: ReviewCardModel): string | null {
  const { review: r, related, teamUrl } = model;
  if (!r.reviewerEmail && !r.orderRef) return null;
  if (related.length === 0) return ':bust_in_silhouette: No other cases from this customer or order.';
  const lines = related.slice(0, MAX_RELATED).map((x) => {
    const status = STATUS_LABELS[x.status];
    return `• ${caseLink(teamUrl, x)} ${safeText(x.kind, 20)} · ${safeText(status, 30)} · ${safeText(squash(x.subject), 80)}`;
  });
  const more = related.length > MAX_RELATED ? `\n…and ${related.length - MAX_RELATED} more` : '';
  return `*Customer's other cases*\n${lines.join('\n')}${more}`;
}

export function responseLine(resp: ReviewResponse | null, tags: readonly Tag[]): string {
  if (!resp) return ':memo: *Response:* no draft yet. Use *Draft response* (acknowledge, action, official channel, improvement).';
  const cause = `cause: ${safeText(tagLabel(tags, resp.causeTag), 60)}`;
  const actions = resp.actions.map((a) => RESPONSE_ACTION_LABELS[a as keyof typeof RESPONSE_ACTION_LABELS] ?? a).join(', ');
  if (resp.status === 'approved' && resp.approvedBy) {
    return `:white_check_mark: *Response v${resp.version}* by ${mention(resp.draftedBy)} approved by ${mention(resp.approvedBy)} · ${safeText(actions, 200)} · ${cause}`;
  }
  return `:hourglass_flowing_sand: *Response v${resp.version}* by ${mention(resp.draftedBy)} awaits a second person's approval (in the thread) · ${safeText(actions, 200)} · ${cause}`;
}

export function checklistLine(r: Review): string {
  const k = r.checklist;
  if (!k)
    return ':clipboard: *Internal checklist:* not done yet (country, shipping method and delivery promise; slow response, permissions, script, promises).';
  const facts = [k.country, k.shippingMethod, k.deliveryPromise ? `promised ${k.deliveryPromise}` : undefined]
    .filter((x): x is string => Boolean(x))
    .map((x) => safeText(x, 80));
  if (k.promiseKept) facts.push(PROMISE_KEPT_LABELS[k.promiseKept]);
  const findings = k.findings.map((f) => CHECKLIST_FINDING_LABELS[f as keyof typeof CHECKLIST_FINDING_LABELS] ?? f);
  const found = findings.length > 0 ? `findings: ${findings.join(', ')}` : 'no support failures found';
  return `:clipboard: *Internal checklist* by ${mention(k.by)}: ${[...facts, found].join(' · ')}`;
}

export function buildReviewCard(model: ReviewCardModel, opts: ReviewCardOptions): CaseMessage {
  const { c, review: r } = model;
  const ref = caseRef(c.id);
  const status = c.status;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: BLOCK.header,
      text: { type: 'plain_text', text: plain(`${ref} · ${reviewSubject(r)}`, LIMITS.headerText), emoji: true },
    },
    excerpt(c, r),
    {
      type: 'section',
      block_id: BLOCK.fields,
      fields: [
        field('Product', productLine(r)),
        field('Reviewer', reviewerLine(c, r, opts.context)),
        field('Rating', ratingLine(r)),
        field('Order', orderLine(c, opts.context)),
        field('Status', `${STATUS_ICON[status] ?? ''} ${STATUS_LABELS[status] ?? safeText(c.status, 50)}${statusDetail(c)}`),
        field('Priority', priorityLine(c.priority)),
        field('Tags', tagLine(c.tags, opts.tags)),
      ],
    },
    {
      type: 'context',
      block_id: REVIEW.block.why,
      elements: [{ type: 'mrkdwn', verbatim: true, text: whyLine(r, opts.tags, model.negativeMaxRating) }],
    },
  ];
  if (opts.sla) blocks.push(buildSlaSection(c, opts.sla, opts.now));
  // What the judgement engine decided: suggested tags to confirm, mood, threats.
  const judged = judgementLine(c, opts.tags);
  if (judged) blocks.push({ type: 'context', block_id: BLOCK.judgement, elements: [{ type: 'mrkdwn', verbatim: true, text: judged }] });
  const alt = `Photo from the ${r.rating}-star review${r.productTitle ? ` of ${r.productTitle}` : ''}`;
  const photos = photoBlocks(r.media, { blockPrefix: REVIEW.block.photos, alt, max: MAX_PHOTOS });
  blocks.push(...photos.blocks);
  const videos = videoLinks(r.media);
  const extraPhotos = r.media.filter((m) => m.type === 'image').length - photos.shown;
  if (videos.length > 0 || extraPhotos > 0) {
    const parts = [...videos];
    if (extraPhotos > 0)
      parts.push(`${extraPhotos} more photo${extraPhotos === 1 ? '' : 's'} at ${safeText(PROVIDER_LABELS[r.provider] ?? r.provider, 40)}`);
    blocks.push({
      type: 'context',
      block_id: REVIEW.block.videos,
      elements: [{ type: 'mrkdwn', verbatim: true, text: parts.join(' · ') }],
    });
  }
  const related = relatedLines(model);
  if (related) {
    blocks.push({ type: 'section', block_id: REVIEW.block.related, text: { type: 'mrkdwn', verbatim: true, text: related } });
  }
  blocks.push({
    type: 'context',
    block_id: REVIEW.block.response,
    elements: [{ type: 'mrkdwn', verbatim: true, text: responseLine(model.response, opts.tags) }],
  });
  blocks.push({
    type: 'context',
    block_id: REVIEW.block.checklist,
    elements: [{ type: 'mrkdwn', verbatim: true, text: checklistLine(r) }],
  });
  const escalation = escalationNote(c);
  if (escalation) blocks.push(escalation);
  blocks.push({ type: 'actions', block_id: cardActionsBlockId(c.id), elements: actionElements(c, opts.tags) });
  if (c.status !== 'resolved') {
    const ctx = encodeContext({ c: c.id });
    blocks.push({
      type: 'actions',
      block_id: `${REVIEW.block.actions}.${c.id}`,
      elements: [
        button(REVIEW.action.draft, model.response ? 'Redraft response' : 'Draft response', ctx, model.response ? undefined : 'primary'),
        button(REVIEW.action.checklist, 'Internal checklist', ctx),
      ],
    });
  }
  blocks.push({
    type: 'context',
    block_id: BLOCK.meta,
    elements: [{ type: 'mrkdwn', text: `:star: ${ref} · review · updated ${slackDate(c.updatedAt)}` }],
  });
  const provider = PROVIDER_LABELS[r.provider] ?? r.provider;
  const text = safeText(
    `${ref} (${provider} review, ${r.rating}★, ${STATUS_LABELS[status] ?? c.status}): ${squash(r.title) || squash(r.body)}`,
    300,
  );
  return { text, blocks };
}
