import type { ActionsBlockElement, KnownBlock } from '@slack/types';
import { PROVIDER_LABELS, stars, UGC_SCOPE_LABELS, ugcUsable } from '../src/domain/reviews';
import type { Review } from '../src/db/schema';
import { encodeRefContext, UGC } from '../src/slack/ids';
import { button } from './case-card';
import type { CaseMessage } from './message';
import { photoBlocks, videoLinks } from './links';
import { mention, quote, safeText, slackDate, squash } from './text';

// A positive review with photos or video, posted to the UGC channel. Its buttons follow the
// consent ladder; it is marked usable only once the customer's consent is granted.

const CONSENT_TEXT: Record<string, string> = {
  none: 'not requested',
  requested: 'requested, waiting for the customer',
  granted: ':white_check_mark: granted',
  declined: ':no_entry_sign: declined',
  revoked: ':no_entry_sign: revoked',
};

export function ugcStateLine(r: Review): string {
  const consentBy = r.ugcConsentBy && r.ugcConsentAt ? ` (${mention(r.ugcConsentBy)}, ${slackDate(r.ugcConsentAt)})` : '';
  const parts = [`*Consent:* ${CONSENT_TEXT[r.ugcConsent] ?? safeText(r.ugcConsent, 30)}${consentBy}`];
  if (r.ugcScope.length > 0) {
    const scope = r.ugcScope.map((s) => UGC_SCOPE_LABELS[s] ?? s).join(', ');
    parts.push(`*Approved for:* ${scope}${r.ugcApprovedBy ? ` by ${mention(r.ugcApprovedBy)}` : ''}`);
  }
  if (r.ugcStatus === 'skipped') parts.push('*Skipped*');
  else if (ugcUsable({ consent: r.ugcConsent as never, scope: r.ugcScope, status: r.ugcStatus }))
    parts.push(':large_green_circle: *Usable*');
  else parts.push(':red_circle: *Not usable*: nothing is used without the customer’s consent');
  return parts.join(' · ');
}

function actions(r: Review): ActionsBlockElement[] {
  const ctx = encodeRefContext({ r: r.id });
  if (r.ugcStatus === 'skipped') return [button(UGC.action.request, 'Request permission', ctx)];
  const out: ActionsBlockElement[] = [];
  if (r.ugcConsent === 'requested') {
    out.push(button(UGC.action.granted, 'Customer said yes', ctx, 'primary'), button(UGC.action.declined, 'Customer said no', ctx));
  } else if (r.ugcConsent === 'granted') {
    out.push(button(UGC.action.revoke, 'Consent revoked', ctx, 'danger'));
  } else {
    out.push(button(UGC.action.request, r.ugcConsent === 'none' ? 'Request permission' : 'Request permission again', ctx, 'primary'));
  }
  if (r.ugcScope.length === 0) out.push(button(UGC.action.approve, 'Approve for ads / product page', ctx));
  if (r.ugcConsent !== 'granted') out.push(button(UGC.action.skip, 'Skip', ctx));
  return out;
}

/** "Reaches a person: KOL/creator: says 85,000 followers · Bulk purchase: …" (Trustloop's words, not the reviewer's). */
function leadBlock(r: Review): KnownBlock[] {
  if (r.leadReasons.length === 0) return [];
  const why = r.leadReasons.map((x) => safeText(x.label, 200)).join(' · ');
  return [{ type: 'section', block_id: UGC.block.lead, text: { type: 'mrkdwn', text: `:star2: *This reviewer must reach a person:* ${why}` } }];
}

export function buildUgcPost(r: Review): CaseMessage {
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
  blocks.push({ type: 'context', block_id: UGC.block.state, elements: [{ type: 'mrkdwn', verbatim: true, text: ugcStateLine(r) }] });
  blocks.push({ type: 'actions', block_id: `${UGC.block.actions}.${r.id}`, elements: actions(r) });
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
