import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { caseRef } from '../src/domain/case';
import {
  CHECKLIST_FINDINGS,
  CHECKLIST_FINDING_LABELS,
  IMPROVEMENT_LABELS,
  IMPROVEMENTS,
  PROMISE_KEPT_LABELS,
  RESPONSE_ACTION_LABELS,
  RESPONSE_ACTIONS,
  stars,
} from '../src/domain/reviews';
import type { Tag } from '../src/domain/tag-catalogue';
import type { TimelineFactOf } from '../src/domain/timeline';
import type { Review, ReviewChecklist, ReviewResponse } from '../src/db/schema';
import { encodeContext, encodeRefContext, REVIEW } from '../src/slack/ids';
import { button } from './case-card';
import type { CaseMessage } from './message';
import { timelineEntry } from './timeline';
import { LIMITS, mention, plain, quote, safeText, slackDate, squash } from './text';

// The Draft response modal (the brief's negative-review structure), the draft as posted in the
// card's thread for a second person to approve, and the internal checklist modal.

export const opt = (value: string, label: string): PlainTextOption => ({
  text: { type: 'plain_text', text: plain(label, LIMITS.optionText) },
  value,
});

export function textInput(
  blockId: string,
  label: string,
  opts: { initial?: string | null; multiline?: boolean; optional?: boolean; hint?: string; max?: number; placeholder?: string },
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: { type: 'plain_text', text: opts.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: REVIEW.input,
      multiline: opts.multiline ?? false,
      max_length: opts.max ?? 3000,
      ...(opts.initial ? { initial_value: opts.initial.slice(0, opts.max ?? 3000) } : {}),
      ...(opts.placeholder ? { placeholder: { type: 'plain_text', text: plain(opts.placeholder, 150) } } : {}),
    },
  } as KnownBlock;
}

export function checkboxes(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  initial: string[],
  optional: boolean,
  hint?: string,
): KnownBlock {
  const chosen = options.filter((o) => initial.includes(o.value!));
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    optional,
    ...(hint ? { hint: { type: 'plain_text', text: hint } } : {}),
    element: { type: 'checkboxes', action_id: REVIEW.input, options, ...(chosen.length > 0 ? { initial_options: chosen } : {}) },
  } as KnownBlock;
}

export interface DraftModalInput {
  caseId: number;
  review: Pick<Review, 'rating' | 'title' | 'body' | 'productTitle'>;
  tags: readonly Tag[];
  /** The previous draft, to edit; otherwise the suggestions below. */
  previous: ReviewResponse | null;
  suggestedAcknowledgement: string;
  suggestedCause: string;
  officialChannel: string;
}

export function buildDraftModal(input: DraftModalInput): ModalView {
  const p = input.previous;
  const causeOptions = input.tags.slice(0, LIMITS.options).map((t) => opt(t.id, t.label));
  const causeInitial = causeOptions.find((o) => o.value === (p?.causeTag ?? input.suggestedCause));
  const r = input.review;
  const reviewText = `${stars(r.rating)} *${safeText(squash(r.title) || '(no title)', 150)}*\n${quote(squash(r.body) || '(no text)', 600).text}`;
  return {
    type: 'modal',
    callback_id: REVIEW.view.draft,
    private_metadata: encodeContext({ c: input.caseId }),
    title: { type: 'plain_text', text: plain(`Response ${caseRef(input.caseId)}`, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Save draft' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', block_id: REVIEW.block.draftReview, text: { type: 'mrkdwn', verbatim: true, text: reviewText } },
      textInput(REVIEW.block.acknowledge, '1. Acknowledge the specific issue', {
        initial: p?.acknowledge ?? input.suggestedAcknowledgement,
        multiline: true,
        max: 1500,
        hint: 'Respond to what this customer experienced before explaining anything. No template-only replies.',
      }),
      checkboxes(
        REVIEW.block.responseActions,
        '2. State the action',
        RESPONSE_ACTIONS.map((a) => opt(a, RESPONSE_ACTION_LABELS[a])),
        p?.actions ?? ['contact'],
        false,
      ),
      textInput(REVIEW.block.actionDetail, 'The action in your words (optional)', {
        initial: p?.actionDetail,
        multiline: true,
        optional: true,
        max: 1000,
        hint: 'What exactly happens and when. Leave empty to use a plain sentence for each action.',
      }),
      textInput(REVIEW.block.officialChannel, '3. Official support channel', {
        initial: p?.officialChannel ?? input.officialChannel,
        max: 300,
        hint: 'Move the resolution to support instead of arguing in public.',
      }),
      {
        type: 'input',
        block_id: REVIEW.block.cause,
        label: { type: 'plain_text', text: '4. Cause, for the weekly review' },
        element: {
          type: 'static_select',
          action_id: REVIEW.input,
          placeholder: { type: 'plain_text', text: 'Pick the cause' },
          options: causeOptions,
          ...(causeInitial ? { initial_option: causeInitial } : {}),
        },
      },
      checkboxes(
        REVIEW.block.improvements,
        'Change page, product or supplier?',
        IMPROVEMENTS.map((i) => opt(i, IMPROVEMENT_LABELS[i])),
        p?.improvements ?? [],
        true,
        'Internal: goes to the weekly voice-of-customer review, not to the customer.',
      ),
      textInput(REVIEW.block.improvementNote, 'What should change (optional)', {
        initial: p?.improvementNote,
        multiline: true,
        optional: true,
        max: 1000,
      }),
    ],
  };
}

/** The draft in the card's thread, with Approve for a second person. */
export function buildDraftEntry(input: { response: TimelineFactOf<'review_draft'>['response']; tags: readonly Tag[] }): CaseMessage {
  const r = input.response;
  const heading = `:memo: *Draft response v${r.version}* by ${mention(r.draftedBy)} · ${slackDate(r.draftedAt)} · needs a second person to approve`;
  const body = quote(r.body, LIMITS.sectionText - 10);
  const cause = input.tags.find((t) => t.id === r.causeTag)?.label ?? r.causeTag;
  const actions = r.actions.map((a) => RESPONSE_ACTION_LABELS[a as keyof typeof RESPONSE_ACTION_LABELS] ?? a).join(', ');
  const improvements = r.improvements.map((i) => IMPROVEMENT_LABELS[i as keyof typeof IMPROVEMENT_LABELS] ?? i);
  const facts = [`Action: ${safeText(actions, 200)}`, `Cause: ${safeText(cause, 75)}`];
  facts.push(improvements.length > 0 ? `To change: ${improvements.join(', ')}` : 'To change: nothing decided');
  if (r.improvementNote) facts.push(safeText(squash(r.improvementNote), 500));
  return {
    text: safeText(`Draft response v${r.version} on ${caseRef(r.caseId)}: ${r.body}`, 300),
    blocks: [
      { type: 'section', block_id: REVIEW.block.draftHeading, text: { type: 'mrkdwn', text: heading } },
      { type: 'section', block_id: REVIEW.block.draftBody, text: { type: 'mrkdwn', verbatim: true, text: body.text } },
      { type: 'context', block_id: REVIEW.block.draftFacts, elements: [{ type: 'mrkdwn', verbatim: true, text: facts.join(' · ') }] },
      {
        type: 'actions',
        block_id: REVIEW.block.draftActions,
        elements: [button(REVIEW.action.approve, 'Approve', encodeRefContext({ c: r.caseId, d: r.id }), 'primary')],
      },
    ],
  };
}

/** The review's own lines in the card's thread: an edit, an approval, the internal checklist. */
export function reviewTimelineEntry(fact: TimelineFactOf<'review_edited' | 'response_approved' | 'review_checklist'>): CaseMessage {
  switch (fact.type) {
    case 'review_edited': {
      const rating = fact.ratingBefore !== fact.ratingAfter ? ` from ${stars(fact.ratingBefore)} to ${stars(fact.ratingAfter)}` : '';
      return timelineEntry(`:pencil2: The reviewer edited the review${rating}`, fact.at);
    }
    case 'response_approved':
      return timelineEntry(`:white_check_mark: <@${fact.actor}> approved draft response v${fact.version} by <@${fact.draftedBy}>`, fact.at);
    case 'review_checklist': {
      const found =
        fact.findings.length > 0 ? `: ${fact.findings.map((f) => f.replace(/_/g, ' ')).join(', ')}` : ': no support failures found';
      return timelineEntry(`:clipboard: <@${fact.actor}> filled in the internal checklist${found}`, fact.at);
    }
  }
}

export interface ChecklistModalInput {
  caseId: number;
  current: ReviewChecklist | null;
  /** From the order Trustloop matched, when there is no checklist yet. */
  suggestedCountry: string | null;
}

export function buildChecklistModal(input: ChecklistModalInput): ModalView {
  const k = input.current;
  const kept = (['kept', 'missed', 'unknown'] as const).map((v) => opt(v, PROMISE_KEPT_LABELS[v]));
  const keptInitial = kept.find((o) => o.value === (k?.promiseKept ?? 'unknown'));
  return {
    type: 'modal',
    callback_id: REVIEW.view.checklist,
    private_metadata: encodeContext({ c: input.caseId }),
    title: { type: 'plain_text', text: plain(`Checklist ${caseRef(input.caseId)}`, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      textInput(REVIEW.block.country, 'Country', { initial: k?.country ?? input.suggestedCountry, optional: true, max: 80 }),
      textInput(REVIEW.block.shippingMethod, 'Shipping method', {
        initial: k?.shippingMethod,
        optional: true,
        max: 120,
        placeholder: 'e.g. DHL Paket, standard',
      }),
      textInput(REVIEW.block.deliveryPromise, 'Delivery promise shown to the customer', {
        initial: k?.deliveryPromise,
        optional: true,
        max: 200,
        placeholder: 'e.g. 3–5 business days',
        hint: 'What the product page, ads and policy page promised for this country and method.',
      }),
      {
        type: 'input',
        block_id: REVIEW.block.promiseKept,
        label: { type: 'plain_text', text: 'Was the promise kept?' },
        element: { type: 'radio_buttons', action_id: REVIEW.input, options: kept, ...(keptInitial ? { initial_option: keptInitial } : {}) },
      } as KnownBlock,
      checkboxes(
        REVIEW.block.findings,
        'What went wrong on our side?',
        CHECKLIST_FINDINGS.map((f) => opt(f, CHECKLIST_FINDING_LABELS[f])),
        k?.findings ?? [],
        true,
        'Leave all unticked when support did nothing wrong.',
      ),
      textInput(REVIEW.block.note, 'Notes (optional)', { initial: k?.note, multiline: true, optional: true, max: 1000 }),
    ],
  };
}
