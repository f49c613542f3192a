import type { ActionsBlockElement, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { PROVIDER_LABELS, stars } from '../src/domain/reviews';
import {
  CONSENT_SCOPE_LABELS,
  CONSENT_SCOPES,
  type ConsentScope,
  type ConsentState,
  consentState,
  GRANT_DURATIONS,
  reviewConsent,
  usableScopes,
} from '../src/domain/ugc-consent';
import type { Review, UgcConsentRequest } from '../src/db/schema';
import { encodeRefContext, UGC } from '../src/slack/ids';
import { button } from './case-card';
import type { CaseMessage } from './message';
import { photoBlocks, videoLinks } from './links';
import { mention, plain, quote, safeText, slackDate, squash } from './text';

// A positive review with photos or video, posted to the UGC channel. Its buttons follow the
// consent ladder; it is marked usable only once the customer's consent is granted.

const STATE_TEXT: Record<ConsentState, string> = {
  none: 'not requested',
  requested: 'requested, waiting for the customer',
  granted: ':white_check_mark: granted',
  declined: ':no_entry_sign: declined',
  revoked: ':no_entry_sign: withdrawn',
  expired: ':hourglass: expired',
};

const scopeText = (scope: readonly string[]) => scope.map((x) => CONSENT_SCOPE_LABELS[x as ConsentScope] ?? safeText(x, 30)).join(', ');
const duration = (months: number | null) => (months === null ? 'until withdrawn' : `${months} months from the answer`);

/** Where the request went: on its way, e-mailed, refused by the mail server, or handed to the team to send. */
function requestDelivery(q: UgcConsentRequest): string {
  const to = q.target ? safeText(q.target, 120) : 'the customer';
  switch (q.status) {
    case 'queued':
    case 'sending':
      return `e-mail to ${to} on its way`;
    case 'sent':
      return `e-mailed to ${to}`;
    case 'failed':
      return `:x: could not be e-mailed to ${to}: ${safeText(q.lastError ?? '', 200)}`;
    case 'copy':
      return `text with the links given to ${mention(q.requestedBy)} to send`;
    default:
      return '';
  }
}

function who(r: Review): string {
  if (r.ugcConsentVia === 'link' && r.ugcConsentAt) return ` (the customer’s link, ${slackDate(r.ugcConsentAt)})`;
  return r.ugcConsentBy && r.ugcConsentAt ? ` (${mention(r.ugcConsentBy)}, ${slackDate(r.ugcConsentAt)})` : '';
}

/** The post's state line: the consent as of `now`, where it allows use and until when, and whether the item is usable. */
export function ugcStateLine(r: Review, request: UgcConsentRequest | null = null, now: Date = new Date()): string {
  const consent = reviewConsent(r);
  const state = consentState(consent, now);
  let head = `*Usage rights:* ${STATE_TEXT[state]}`;
  if (state === 'requested' && request && request.status !== 'answered' && request.status !== 'superseded') {
    const delivery = requestDelivery(request);
    head += ` for ${scopeText(request.scope)}, ${duration(request.grantMonths)}${delivery ? ` · ${delivery}` : ''} (${mention(request.requestedBy)}, ${slackDate(request.requestedAt)})`;
  } else if (state === 'granted') {
    head += ` for ${scopeText(consent.scope)}${consent.expiresAt ? ` until ${slackDate(consent.expiresAt)}` : ', until withdrawn'}${who(r)}`;
  } else if (state === 'expired') {
    head += ` on ${slackDate(consent.expiresAt!)} (was for ${scopeText(consent.scope)})`;
  } else if (state !== 'none') {
    head += who(r);
  }
  const parts = [head];
  if (r.ugcScope.length > 0) {
    parts.push(`*Approved for:* ${scopeText(r.ugcScope)}${r.ugcApprovedBy ? ` by ${mention(r.ugcApprovedBy)}` : ''}`);
  }
  const usable = r.ugcStatus === 'skipped' ? [] : usableScopes(consent, now);
  if (r.ugcStatus === 'skipped') parts.push('*Skipped*');
  else if (usable.length > 0) parts.push(`:large_green_circle: *Usable* for ${scopeText(usable)}`);
  else parts.push(':red_circle: *Not usable*: nothing is used without the customer’s recorded grant');
  return parts.join(' · ');
}

function actions(r: Review, now: Date): ActionsBlockElement[] {
  const ctx = encodeRefContext({ r: r.id });
  if (r.ugcStatus === 'skipped') return [button(UGC.action.request, 'Request usage rights', ctx)];
  const state = consentState(reviewConsent(r), now);
  const out: ActionsBlockElement[] = [];
  if (state === 'requested') {
    out.push(button(UGC.action.granted, 'Customer said yes', ctx, 'primary'), button(UGC.action.declined, 'Customer said no', ctx));
  } else if (state === 'granted') {
    out.push(button(UGC.action.revoke, 'Consent revoked', ctx, 'danger'));
  } else {
    out.push(button(UGC.action.request, state === 'none' ? 'Request usage rights' : 'Request usage rights again', ctx, 'primary'));
  }
  if (r.ugcScope.length === 0) out.push(button(UGC.action.approve, 'Approve for ads / product page', ctx));
  if (state !== 'granted') out.push(button(UGC.action.skip, 'Skip', ctx));
  return out;
}

const DURATION_OPTIONS: { value: string; label: string }[] = GRANT_DURATIONS.map((m) => ({
  value: m === null ? 'none' : String(m),
  label: m === null ? 'Until the customer withdraws it' : `${m} months from their answer`,
}));

/** "Request usage rights": where the team wants to use it, for how long, and a line of their own to the customer. */
export function buildUsageRightsModal(m: { reviewId: number; reviewerName: string | null; reviewerEmail: string | null; byEmail: boolean; noteMax: number }): ModalView {
  const whom = m.reviewerName ? safeText(squash(m.reviewerName), 80) : 'the reviewer';
  const how =
    m.byEmail && m.reviewerEmail
      ? `Trustloop e-mails ${whom} at ${safeText(m.reviewerEmail, 120)} with a link to say yes and one to say no.`
      : `There is no e-mail to send this by${m.reviewerEmail ? ' (SMTP is not set up)' : ''}: you will get the text with the links to send ${whom} yourself.`;
  const opt = (value: string, label: string): PlainTextOption => ({ text: { type: 'plain_text', text: label }, value });
  const scopeOptions = CONSENT_SCOPES.map((s) => opt(s, CONSENT_SCOPE_LABELS[s].replace(/^./, (c) => c.toUpperCase())));
  const durations = DURATION_OPTIONS.map((d) => opt(d.value, d.label));
  return {
    type: 'modal',
    callback_id: UGC.view.request,
    private_metadata: encodeRefContext({ r: m.reviewId }),
    title: { type: 'plain_text', text: 'Request usage rights' },
    submit: { type: 'plain_text', text: 'Send request' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'context', block_id: UGC.block.requestFacts, elements: [{ type: 'mrkdwn', verbatim: true, text: `${how} Nothing is usable until they say yes, and only where they agreed.` }] },
      {
        type: 'input',
        block_id: UGC.block.requestScope,
        label: { type: 'plain_text', text: 'Where you want to use it' },
        element: { type: 'checkboxes', action_id: UGC.input, options: scopeOptions, initial_options: [scopeOptions[0]!] },
      },
      {
        type: 'input',
        block_id: UGC.block.requestDuration,
        label: { type: 'plain_text', text: 'For how long' },
        element: { type: 'static_select', action_id: UGC.input, options: durations, initial_option: durations[2]! },
      },
      {
        type: 'input',
        block_id: UGC.block.requestNote,
        optional: true,
        label: { type: 'plain_text', text: 'A line of your own to the customer' },
        hint: { type: 'plain_text', text: 'Sent as you write it. Offer nothing in return: a grant is only worth having if it is freely given.' },
        element: { type: 'plain_text_input', action_id: UGC.input, multiline: true, max_length: m.noteMax },
      },
    ],
  };
}

/** No e-mail to send it by: the exact message, links and all, for the team to send themselves. */
export function buildUsageRightsCopyModal(message: { subject: string; text: string }): ModalView {
  return {
    type: 'modal',
    callback_id: UGC.view.copy,
    title: { type: 'plain_text', text: 'Send this yourself' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      {
        type: 'context',
        block_id: UGC.block.requestFacts,
        elements: [
          {
            type: 'mrkdwn',
            text: 'The request is recorded. Send this where the customer will see it (a message through the review platform, a DM…); their answer through the links is recorded on the post.',
          },
        ],
      },
      {
        type: 'input',
        block_id: UGC.block.copyText,
        optional: true,
        label: { type: 'plain_text', text: plain(`Subject: ${message.subject}`, 2000) },
        // Shown in an input: plain text, selectable, exactly as it should be sent.
        element: { type: 'plain_text_input', action_id: UGC.input, multiline: true, initial_value: message.text.slice(0, 3000) },
      },
    ],
  };
}

/** "Reaches a person: KOL/creator: says 85,000 followers · Bulk purchase: …" (Trustloop's words, not the reviewer's). */
function leadBlock(r: Review): KnownBlock[] {
  if (r.leadReasons.length === 0) return [];
  const why = r.leadReasons.map((x) => safeText(x.label, 200)).join(' · ');
  return [{ type: 'section', block_id: UGC.block.lead, text: { type: 'mrkdwn', text: `:star2: *This reviewer must reach a person:* ${why}` } }];
}

export function buildUgcPost(r: Review, opts: { request?: UgcConsentRequest | null; now?: Date } = {}): CaseMessage {
  const now = opts.now ?? new Date();
  const product = r.productTitle ? ` · *${safeText(squash(r.productTitle), 150)}*` : '';
  const words = squash(`${r.title ? `${r.title}. ` : ''}${r.body}`);
  const text = `:camera_with_flash: *UGC candidate* · ${stars(r.rating)}${product}\n${words ? quote(words, 600).text : '_(no text)_'}`;
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: UGC.block.summary, text: { type: 'mrkdwn', verbatim: true, text } },
    ...leadBlock(r),
  ];
  const alt = `Customer photo${r.productTitle ? ` of ${r.productTitle}` : ''}`;
  blocks.push(...photoBlocks(r.media, { blockPrefix: UGC.block.photos, alt, max: 4 }).blocks);
  const videos = videoLinks(r.media);
  const who = [
    r.reviewerName ? safeText(squash(r.reviewerName), 80) : 'Anonymous',
    r.verified ? 'verified buyer' : 'not verified',
    safeText(PROVIDER_LABELS[r.provider] ?? r.provider, 40),
    r.reviewerEmail ? `ask at ${safeText(r.reviewerEmail, 120)}` : 'no email: ask through the review platform',
  ];
  blocks.push({
    type: 'context',
    block_id: UGC.block.videos,
    elements: [{ type: 'mrkdwn', verbatim: true, text: [...videos, ...who].join(' · ') }],
  });
  blocks.push({ type: 'context', block_id: UGC.block.state, elements: [{ type: 'mrkdwn', verbatim: true, text: ugcStateLine(r, opts.request ?? null, now) }] });
  blocks.push({ type: 'actions', block_id: `${UGC.block.actions}.${r.id}`, elements: actions(r, now) });
  const media = r.media.length === 1 ? '1 photo or video' : `${r.media.length} photos or videos`;
  return {
    text: safeText(`UGC candidate: ${r.rating}★ review${r.productTitle ? ` of ${r.productTitle}` : ''} with ${media}`, 300),
    blocks,
  };
}

/**
 * A review that is no problem but whose writer must reach a person (a creator, a bulk buyer, a
 * long-time customer): posted where the team works, with the reason, and no case card.
 */
export function buildReviewLead(r: Review): CaseMessage {
  const product = r.productTitle ? ` · *${safeText(squash(r.productTitle), 150)}*` : '';
  const words = squash(`${r.title ? `${r.title}. ` : ''}${r.body}`);
  const head = `:star2: *Review lead* · ${stars(r.rating)}${product}\n${words ? quote(words, 600).text : '_(no text)_'}`;
  const who = [
    r.reviewerName ? safeText(squash(r.reviewerName), 80) : 'Anonymous',
    r.verified ? 'verified buyer' : 'not verified',
    safeText(PROVIDER_LABELS[r.provider] ?? r.provider, 40),
    `written ${slackDate(r.writtenAt)}`,
    r.reviewerEmail ? safeText(r.reviewerEmail, 120) : 'no email: reach them through the review platform',
  ];
  return {
    text: safeText(`Review lead: ${r.rating}★ review${r.productTitle ? ` of ${r.productTitle}` : ''}: ${r.leadReasons.map((x) => x.label).join('; ')}`, 300),
    blocks: [
      { type: 'section', block_id: UGC.block.summary, text: { type: 'mrkdwn', verbatim: true, text: head } },
      ...leadBlock(r),
      { type: 'context', block_id: UGC.block.leadFacts, elements: [{ type: 'mrkdwn', verbatim: true, text: who.join(' · ') }] },
    ],
  };
}
