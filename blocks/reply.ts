import type { ActionsBlockElement, KnownBlock, ModalView, PlainTextInput } from '@slack/types';
import { caseRef } from '../src/domain/case';
import { CHANNEL_LABELS, CHANNEL_SETTINGS, COPY_ONLY_CHANNELS, type ReplyEvent, type SendChannel } from '../src/domain/reply/channels';
import type { PromiseRule } from '../src/domain/reply/promise-check';
import type { ReplyDraft } from '../src/domain/reply/types';
import type { ReplyDraftRow } from '../src/db/schema';
import { REPLY } from '../src/slack/ids';
import type { CaseMessage } from './message';
import { chunks, LIMITS, mention, plain, safeText, slackDate } from './text';

// Replies from the card: the composer (the five parts as fields), the draft in the thread with its
// promise check and the buttons that move it on, the events of its life, and the card's line.
// The text is shown exactly as it will be sent; only Slack's own markup is escaped, here and
// nowhere else: the stored text, which the customer gets, is never changed.

const B = REPLY.block;
const I = REPLY.input;

/** Button values ({ c: case, d: draft }), decoded by the listeners with decodeRefContext. */
const ref = (caseId: number, draftId?: number) => JSON.stringify(draftId ? { c: caseId, d: draftId } : { c: caseId });

export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  de: 'German',
  fr: 'French',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
};

export const RULE_LABELS: Record<PromiseRule, string> = {
  refund_faster_than_policy: 'Refund faster than the policy',
  delivery_outside_window: 'Delivery time outside the country’s window',
  free_return_not_offered: 'Free return the store does not offer',
  arrival_date_not_ours: 'Arrival day the carrier decides, not us',
  return_window_longer: 'Return window longer than the policy',
  exchange_not_offered: 'Exchange the store does not offer',
};

/** What each policy gap is about, in the store's words (the composer's note, the digest's section). */
export const GAP_LABELS: Record<string, string> = {
  delivery_window: 'delivery times',
  returns: 'returns',
  refunds: 'refund timing',
  exchanges: 'exchanges',
  contact: 'the contact path',
};

/** Where Send goes, or why there is nothing to send on. */
export interface ComposerRoute {
  channel: SendChannel;
  available: boolean;
}

export interface ComposerModel {
  caseId: number;
  subject: string;
  draft: Pick<ReplyDraft, 'language' | 'type' | 'greeting' | 'parts' | 'signoff' | 'gaps'>;
  route: ComposerRoute | null;
  /** Language names in the store's words (English by default) for the facts line. */
  mustEscalateReason: string | null;
  /** Who wrote the starting draft (the model, or the built-in composer after the model failed). */
  drafting?: { source: 'rules' | 'model'; model: string | null; failure: string | null; findings: { rule: string }[] };
}

const MODEL_FAILURES: Record<string, string> = {
  timeout: 'no answer in time',
  unreachable: 'it could not be reached',
  refused: 'it refused the request',
  invalid: 'its answer was not the five parts',
};

function draftingLines(d: ComposerModel['drafting']): string[] {
  if (!d) return [];
  const lines: string[] = [];
  const model = safeText(d.model ?? 'the model', 80);
  if (d.source === 'model') lines.push(`:robot_face: Drafted by ${model} from the case, its order and the store’s policy: check every fact before saving.`);
  else if (d.failure) lines.push(`:grey_question: ${model} could not draft this (${MODEL_FAILURES[d.failure] ?? d.failure}): this is the built-in draft.`);
  if (d.findings.length > 0) {
    const rules = [...new Set(d.findings.map((f) => RULE_LABELS[f.rule as PromiseRule] ?? f.rule))];
    lines.push(`:warning: The promise check already flags: ${rules.join('; ')}. Edit it, or the saved draft will need a second person.`);
  }
  return lines;
}

/** Shown at once while the model drafts (Slack's trigger lasts three seconds; a model may take longer). */
export function buildComposerLoading(caseId: number, model: string): ModalView {
  return {
    type: 'modal',
    callback_id: REPLY.view.composerLoading,
    title: { type: 'plain_text', text: plain(`Reply ${caseRef(caseId)}`, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [{ type: 'section', block_id: B.composerFacts, text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: ${safeText(model, 80)} is drafting from the case, its order and the store’s policy…` } }],
  };
}

function field(blockId: string, label: string, initial: string | null, max: number, opts: { optional?: boolean; hint?: string; multiline?: boolean } = {}): KnownBlock {
  const element: PlainTextInput = {
    type: 'plain_text_input',
    action_id: I,
    multiline: opts.multiline ?? true,
    max_length: max,
    ...(initial ? { initial_value: initial.slice(0, max) } : {}),
  };
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    ...(opts.hint ? { hint: { type: 'plain_text', text: plain(opts.hint, 2000) } } : {}),
    ...(opts.optional ? { optional: true } : {}),
    element,
  };
}

export function routeLine(route: ComposerRoute | null): string {
  if (!route) return 'No address or ticket to send it to: you will get the text to copy.';
  const copyOnly = COPY_ONLY_CHANNELS[route.channel];
  if (copyOnly) return `${copyOnly}; you will get the text to copy.`;
  if (!route.available) return `Sent on ${CHANNEL_LABELS[route.channel]} once ${CHANNEL_SETTINGS[route.channel]} are set; until then you will get the text to copy.`;
  return `Send delivers it by ${CHANNEL_LABELS[route.channel]}.`;
}

/** The composer: the draft's five parts, plus greeting and sign-off, each a field to edit. */
export function buildComposerModal(m: ComposerModel, max: Record<'greeting' | 'confirmation' | 'status' | 'next' | 'needs' | 'contact' | 'signoff', number>): ModalView {
  const d = m.draft;
  const facts = [
    `*${caseRef(m.caseId)}* · reply in ${LANGUAGE_NAMES[d.language] ?? d.language} · ${d.type.replace(/_/g, ' ')}`,
    routeLine(m.route),
    ...draftingLines(m.drafting),
    ...(d.gaps.length > 0 ? [`:grey_question: The store’s policy says nothing about ${d.gaps.map((g) => GAP_LABELS[g] ?? g).join(', ')}: the draft promises nothing there.`] : []),
    ...(m.mustEscalateReason !== null ? [`:rotating_light: A person must handle this case (${safeText(m.mustEscalateReason, 300)}): Send asks you to confirm.`] : []),
  ];
  return {
    type: 'modal',
    callback_id: REPLY.view.composer,
    private_metadata: JSON.stringify({ c: m.caseId, l: d.language, t: d.type, g: d.gaps }),
    title: { type: 'plain_text', text: plain(`Reply ${caseRef(m.caseId)}`, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Save draft' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'context', block_id: B.composerFacts, elements: [{ type: 'mrkdwn', text: facts.join('\n') }] },
      field(B.greeting, 'Greeting', d.greeting, max.greeting, { multiline: false }),
      field(B.confirmation, '1. Their issue, in their words', d.parts.confirmation, max.confirmation),
      field(B.status, '2. Where things stand, and why', d.parts.status, max.status),
      field(B.next, '3. What happens next, by when, and who does it', d.parts.next, max.next),
      field(B.needs, '4. What we need from them, and why', d.parts.needs, max.needs, { optional: true, hint: 'Leave empty when nothing is needed.' }),
      field(B.contact, '5. How to reach us', d.parts.contact, max.contact),
      field(B.signoff, 'Sign-off', d.signoff, max.signoff),
    ],
  };
}

export interface DraftPostModel {
  draft: ReplyDraftRow;
  /** The Send channel is set up now (it may have been set up since the draft was saved). */
  mustEscalate: boolean;
}

function findingsText(d: ReplyDraftRow): string {
  if (d.findings.length === 0) return ':white_check_mark: Promise check: nothing here goes beyond the store’s policy.';
  const cleared = d.approvedBy
    ? `approved by ${mention(d.approvedBy)}`
    : d.overrideBy
      ? `sent on ${mention(d.overrideBy)}’s word: ${safeText(d.overrideReason ?? '', 300)}`
      : 'needs a second person’s *Approve*, or *Send anyway* with your reason';
  const lines = d.findings.slice(0, 8).map((f) => {
    const label = RULE_LABELS[f.rule as PromiseRule] ?? f.rule;
    return `• *${label}*: “${safeText(f.excerpt, 250)}” (policy: ${safeText(f.policy, 150)})`;
  });
  const more = d.findings.length > 8 ? `\n…and ${d.findings.length - 8} more` : '';
  return `:warning: *Promise check: ${d.findings.length} problem${d.findings.length === 1 ? '' : 's'}* (${cleared})\n${lines.join('\n')}${more}`;
}

/** The draft in the case's thread: who wrote it, the exact text, the promise check, and its buttons. */
export function buildDraftPost(m: DraftPostModel): CaseMessage {
  const d = m.draft;
  const where = d.channel ? `goes by ${CHANNEL_LABELS[d.channel as SendChannel] ?? d.channel}${d.channel === 'email' && d.target ? ` to ${safeText(d.target, 120)}` : ''}` : 'no channel set up: copy the text';
  const heading = `:pencil: *Reply draft v${d.version}* on ${caseRef(d.caseId)} by ${mention(d.draftedBy)} · ${LANGUAGE_NAMES[d.language] ?? d.language} · ${where}`;
  const blocks: KnownBlock[] = [{ type: 'section', block_id: B.postHeading, text: { type: 'mrkdwn', text: heading } }];
  // The text as the customer reads it, split into sections Slack accepts; a quote bar marks it off.
  chunks(d.body, LIMITS.sectionText - 200)
    .slice(0, 6)
    .forEach((part, i) => {
      blocks.push({ type: 'section', block_id: `${B.postTextPrefix}${i}`, text: { type: 'mrkdwn', verbatim: true, text: `>${part.replace(/\n/g, '\n>')}` } });
    });
  blocks.push({ type: 'section', block_id: B.postFindings, text: { type: 'mrkdwn', verbatim: true, text: findingsText(d).slice(0, LIMITS.sectionText) } });
  const elements: ActionsBlockElement[] = [];
  const flagged = d.findings.length > 0 && !d.approvedBy && !d.overrideBy;
  if (d.status === 'draft' || d.status === 'failed') {
    elements.push(button(REPLY.action.send, d.channel ? (d.status === 'failed' ? 'Try again' : 'Send') : 'Copy text', ref(d.caseId, d.id), flagged ? undefined : 'primary'));
    if (flagged) {
      elements.push(button(REPLY.action.approve, 'Approve', ref(d.caseId, d.id), 'primary'));
      elements.push(button(REPLY.action.override, 'Send anyway…', ref(d.caseId, d.id), 'danger'));
    }
    elements.push(button(REPLY.action.open, 'Edit', ref(d.caseId)));
  }
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: B.postActions, elements });
  return { text: plain(`Reply draft v${d.version} on ${caseRef(d.caseId)}`, 300), blocks };
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): ActionsBlockElement {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value, ...(style ? { style } : {}) };
}

const EVENT_ICON: Record<ReplyEvent, string> = {
  drafted: ':pencil:',
  approved: ':ballot_box_with_check:',
  override: ':warning:',
  sent: ':outbox_tray:',
  failed: ':x:',
  copied: ':clipboard:',
};

/** One line in the thread for a step in the reply's life (the draft itself is buildDraftPost). */
export function buildReplyEvent(d: ReplyDraftRow, event: ReplyEvent, actor: string, at: Date): CaseMessage {
  const who = mention(actor);
  const via = d.channel ? (CHANNEL_LABELS[d.channel as SendChannel] ?? d.channel) : 'hand';
  let line: string;
  switch (event) {
    case 'approved':
      line = `${who} approved reply v${d.version}: it may be sent as it is`;
      break;
    case 'override':
      line = `${who} sends reply v${d.version} despite the promise check: ${safeText(d.overrideReason ?? '', 500)}`;
      break;
    case 'sent':
      line = `Reply v${d.version} sent by ${via}${d.sentBy ? ` (${mention(d.sentBy)} clicked Send)` : ''}: the customer has exactly the text above`;
      break;
    case 'copied':
      line = `${who} sent reply v${d.version} themselves, outside Trustloop (copied text)`;
      break;
    case 'failed':
      line = `Reply v${d.version} could not be sent by ${via}: ${safeText(d.lastError ?? 'unknown error', 500)}. Fix it, then click *Try again* on the draft`;
      break;
    default:
      line = `${who} drafted reply v${d.version}`;
  }
  const text = `${EVENT_ICON[event]} ${line}`;
  return { text: plain(text.replace(/[*]/g, ''), 300), blocks: [{ type: 'context', block_id: B.event, elements: [{ type: 'mrkdwn', verbatim: true, text: `${text} · ${slackDate(at)}` }] }] };
}

/** The card's line about its newest reply. */
export function replyStatusBlock(d: ReplyDraftRow): KnownBlock {
  const via = d.channel ? (CHANNEL_LABELS[d.channel as SendChannel] ?? d.channel) : null;
  let text: string;
  switch (d.status) {
    case 'sent':
      text = `:outbox_tray: Reply v${d.version} sent${via ? ` by ${via}` : ''}${d.sentAt ? ` ${slackDate(d.sentAt)}` : ''}${d.sentBy ? ` (${mention(d.sentBy)})` : ''}`;
      break;
    case 'sending':
      text = `:hourglass_flowing_sand: Reply v${d.version} is being sent${via ? ` by ${via}` : ''}${d.lastError ? `; the last try failed (${safeText(d.lastError, 300)}), trying again` : ''}`;
      break;
    case 'failed':
      text = `:x: Reply v${d.version} could not be sent: ${safeText(d.lastError ?? 'unknown error', 400)} (Try again on the draft in the thread)`;
      break;
    default: {
      const flagged = d.findings.length > 0 && !d.approvedBy && !d.overrideBy;
      text = `:pencil: Reply v${d.version} drafted by ${mention(d.draftedBy)}, not sent yet${flagged ? ` · :warning: ${d.findings.length} promise problem${d.findings.length === 1 ? '' : 's'}: needs a second person` : ''}`;
    }
  }
  return { type: 'context', block_id: B.cardStatus, elements: [{ type: 'mrkdwn', verbatim: true, text }] };
}

/** Puts the reply line on a card (ticket, review or dispute) just above its buttons. */
export function withReplyStatus(card: CaseMessage, d: ReplyDraftRow | null, actionsBlockId: string): CaseMessage {
  if (!d) return card;
  const at = card.blocks.findIndex((b) => b.block_id === actionsBlockId);
  const blocks = [...card.blocks];
  blocks.splice(at < 0 ? blocks.length : at, 0, replyStatusBlock(d));
  return { ...card, blocks: blocks.slice(0, 50) };
}

/** Send anyway: the sender's reason for sending a flagged draft, kept in the audit log. */
export function buildOverrideModal(d: ReplyDraftRow, minLength: number): ModalView {
  return {
    type: 'modal',
    callback_id: REPLY.view.override,
    private_metadata: ref(d.caseId, d.id),
    title: { type: 'plain_text', text: 'Send anyway' },
    submit: { type: 'plain_text', text: d.channel ? 'Send' : 'Record' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', block_id: B.confirmFacts, text: { type: 'mrkdwn', verbatim: true, text: findingsText(d).slice(0, LIMITS.sectionText) } },
      {
        type: 'input',
        block_id: B.reason,
        label: { type: 'plain_text', text: 'Why may it go as it is?' },
        hint: { type: 'plain_text', text: 'Kept in the case’s audit log with your name, and shown in the thread.' },
        element: { type: 'plain_text_input', action_id: I, multiline: true, min_length: minLength, max_length: 500 },
      },
    ],
  };
}

/** A case a person must handle: the reply goes only once that person confirms it here. */
export function buildConfirmModal(d: ReplyDraftRow, reason: string | null): ModalView {
  return {
    type: 'modal',
    callback_id: REPLY.view.confirm,
    private_metadata: ref(d.caseId, d.id),
    title: { type: 'plain_text', text: 'Confirm the reply' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: B.confirmFacts,
        text: {
          type: 'mrkdwn',
          verbatim: true,
          text: `:rotating_light: ${caseRef(d.caseId)} must be handled by a person${reason ? `: ${safeText(reason, 1500)}` : ''}.\nSend reply v${d.version} to the customer as shown in the thread?`,
        },
      },
    ],
  };
}

/** The text to copy by hand where Trustloop cannot send (plain text: nothing to unescape). */
export function buildCopyModal(d: ReplyDraftRow, missing: SendChannel | null): ModalView {
  return {
    type: 'modal',
    callback_id: REPLY.view.copy,
    private_metadata: ref(d.caseId, d.id),
    title: { type: 'plain_text', text: plain(`Copy reply v${d.version}`, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'I sent it' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      {
        type: 'context',
        block_id: B.copyNote,
        elements: [
          {
            type: 'mrkdwn',
            text: missing && COPY_ONLY_CHANNELS[missing]
              ? `${COPY_ONLY_CHANNELS[missing]}. Copy it, then click *I sent it* so the case records the reply.`
              : missing
              ? `Trustloop can send this by ${CHANNEL_LABELS[missing]} once ${CHANNEL_SETTINGS[missing]} are set. Until then, copy it, send it to the customer yourself, then click *I sent it* so the case records the reply.`
              : 'There is no address or ticket to send this to. Copy it, send it yourself, then click *I sent it* so the case records the reply.',
          },
        ],
      },
      {
        type: 'input',
        block_id: B.copyText,
        optional: true,
        label: { type: 'plain_text', text: 'Reply text' },
        // Shown in an input: plain text, selectable, exactly as stored.
        element: { type: 'plain_text_input', action_id: I, multiline: true, initial_value: d.body.slice(0, 3000) },
      },
    ],
  };
}
