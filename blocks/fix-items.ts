import type { KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { FixItem } from '../src/db/schema';
import { FIX_LIST_MAX, humanize } from '../src/domain/digest';
import type { Tag } from '../src/domain/tag-catalogue';
import { encodeFixRef, encodeFixRequest, type FixRequest, DIGEST } from '../src/slack/ids';
import { targetPhrase } from './digest';
import { escapeMrkdwn, LIMITS, mention, plain, safeText } from './text';

// Fix items in Slack: the Create fix form opened from a digest, the owner's DM, and the list of
// open fixes (/trustloop fixes). Pure.

type Labels = { tagLabel: (tag: string) => string; targets: { id: string; label: string }[] };

/** How fixes name their tag and target: the workspace's labels, else the tag's id in words. */
export function fixLabels(config: { tags: readonly Tag[]; digest: { fix_targets: { id: string; label: string }[] } }): Labels {
  const tags = new Map(config.tags.map((t) => [t.id, t.label]));
  return { tagLabel: (tag: string) => tags.get(tag) ?? humanize(tag), targets: config.digest.fix_targets };
}

export function fixDoneNotice(item: FixItem, changed: boolean, labels: Labels): string {
  const what = fixSubject(labels.tagLabel(item.tag), item.productLabel);
  return changed
    ? `Marked done: ${what}. The next weekly digests show whether the questions fell.`
    : `Already done: ${what} (since ${item.doneAt?.toISOString().slice(0, 10)}).`;
}

export function fixSubject(tagLabel: string, productLabel: string | null): string {
  return `${escapeMrkdwn(tagLabel)} questions${productLabel ? ` on ${safeText(productLabel, 150)}` : ''}`;
}

export function buildCreateFixModal(params: {
  request: FixRequest;
  tagLabel: string;
  targets: { id: string; label: string }[];
  defaultDue: string;
}): ModalView {
  const { request } = params;
  const options = params.targets.map((t) => ({
    text: { type: 'plain_text' as const, text: plain(t.label, LIMITS.optionText) },
    value: t.id,
  }));
  return {
    type: 'modal',
    callback_id: DIGEST.view.createFix,
    private_metadata: encodeFixRequest(request),
    title: { type: 'plain_text', text: 'Create fix' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: DIGEST.block.fixSummary,
        text: {
          type: 'mrkdwn',
          text: `*${fixSubject(params.tagLabel, request.l ?? null)}*: ${request.n} in the week of ${request.w}. Fix the page, not the reply: who changes what, by when?`,
        },
      },
      {
        type: 'input',
        block_id: DIGEST.block.fixOwner,
        label: { type: 'plain_text', text: 'Owner' },
        element: { type: 'users_select', action_id: DIGEST.input, placeholder: { type: 'plain_text', text: 'Who makes the change' } },
      },
      {
        type: 'input',
        block_id: DIGEST.block.fixTarget,
        label: { type: 'plain_text', text: 'What changes' },
        element: { type: 'static_select', action_id: DIGEST.input, options: options.slice(0, LIMITS.options) },
      },
      {
        type: 'input',
        block_id: DIGEST.block.fixDue,
        label: { type: 'plain_text', text: 'Due' },
        element: { type: 'datepicker', action_id: DIGEST.input, initial_date: params.defaultDue },
      },
      {
        type: 'input',
        block_id: DIGEST.block.fixNote,
        optional: true,
        label: { type: 'plain_text', text: 'Note' },
        element: { type: 'plain_text_input', action_id: DIGEST.input, multiline: true, max_length: 1000 },
      },
    ],
  };
}

function fixLine(item: FixItem, labels: Labels): string {
  return `*${fixSubject(labels.tagLabel(item.tag), item.productLabel)}* → the ${escapeMrkdwn(targetPhrase(item.target, labels.targets))}, due ${item.dueOn} · ${mention(item.ownerId)}`;
}

const doneButton = (item: FixItem): SectionBlock['accessory'] => ({
  type: 'button',
  action_id: DIGEST.action.fixDone,
  text: { type: 'plain_text', text: 'Mark done' },
  style: 'primary',
  value: encodeFixRef(item.id),
});

/** The owner's DM: what to change, why, by when, and the button that closes the loop. */
export function buildFixDm(item: FixItem, labels: Labels): { text: string; blocks: KnownBlock[] } {
  const why = item.weekCount !== null && item.weekStart ? `It came up ${item.weekCount} times in the week of ${item.weekStart}. ` : '';
  const note = item.note ? `\n>${safeText(item.note, 1000).replace(/\n/g, '\n>')}` : '';
  return {
    text: `${mention(item.createdBy)} asked you to fix the source of repeated questions, due ${item.dueOn}`,
    blocks: [
      {
        type: 'section',
        block_id: DIGEST.block.fixSummary,
        text: {
          type: 'mrkdwn',
          text: `:hammer_and_wrench: ${mention(item.createdBy)} asked you to change the ${escapeMrkdwn(targetPhrase(item.target, labels.targets))} behind *${fixSubject(labels.tagLabel(item.tag), item.productLabel)}*, due ${item.dueOn}.\n${why}Mark it done when the change is live: the weekly digest then shows whether the questions fell.${note}`,
        },
        accessory: doneButton(item),
      },
    ],
  };
}

export function buildFixList(items: FixItem[], total: number, labels: Labels): { text: string; blocks: KnownBlock[] } {
  if (total === 0) {
    return {
      text: 'No open fixes.',
      blocks: [
        {
          type: 'section',
          block_id: DIGEST.block.fixListHeader,
          text: { type: 'mrkdwn', text: 'No open fixes. Create one from a repeated question in the weekly digest.' },
        },
      ],
    };
  }
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: DIGEST.block.fixListHeader,
      text: {
        type: 'mrkdwn',
        text: `*Open fixes* (${total}), soonest due first${total > items.length ? `; the first ${items.length} shown` : ''}`,
      },
    },
  ];
  for (const item of items.slice(0, FIX_LIST_MAX)) {
    blocks.push({
      type: 'section',
      block_id: `${DIGEST.block.fixItemPrefix}${item.id}`,
      text: { type: 'mrkdwn', text: fixLine(item, labels) },
      accessory: doneButton(item),
    });
  }
  return { text: `${total} open fixes`, blocks };
}
