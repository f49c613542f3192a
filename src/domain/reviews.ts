import type { AuditEvent } from './audit';
import { replyParts } from './review-reply';
import type { Judgement } from './judgement/types';
import { InvalidInput } from './errors';

// Review operations from the brief, pure: which reviews become cases, which are UGC candidates,
// the four-part negative-review response, the internal checklist and UGC consent.

export const PROVIDER_LABELS: Record<string, string> = {
  judgeme: 'Judge.me',
  trustpilot: 'Trustpilot',
  yotpo: 'Yotpo',
  okendo: 'Okendo',
  generic: 'API',
  stripe: 'Stripe',
  paypal: 'PayPal',
  shopify: 'Shopify',
  zendesk: 'Zendesk',
  helpscout: 'Help Scout',
  gorgias: 'Gorgias',
  postmark: 'Postmark',
  mailgun: 'Mailgun',
};

/** Tags that mean the text reports something went wrong (a 4★ "love it but the zip broke"). */
const REVIEW_PROBLEM_TAGS = [
  'damaged',
  'quality',
  'missing_item',
  'wrong_item',
  'shipping_delay',
  'complaint',
  'refund',
  'return_request',
  'chargeback',
] as const;

export interface ReviewClassification {
  negative: boolean;
  /** rating: at or below the threshold; text: a higher rating whose text reports a problem. */
  why: 'rating' | 'text' | null;
  problemTags: string[];
  ugcCandidate: boolean;
}

export function classifyReview(
  r: { rating: number; media: readonly { type: string }[]; published?: boolean | null },
  judgement: Pick<Judgement, 'suggestedTags' | 'sentiment'>,
  opts: { negativeMaxRating: number; ugcMinRating: number },
): ReviewClassification {
  const problemTags = judgement.suggestedTags.filter((t) => (REVIEW_PROBLEM_TAGS as readonly string[]).includes(t));
  const byRating = r.rating <= opts.negativeMaxRating;
  // The text reports a problem when it names one, or reads negative overall.
  const byText = !byRating && (problemTags.length > 0 || judgement.sentiment === 'negative');
  const negative = byRating || byText;
  const ugcCandidate = !negative && r.rating >= opts.ugcMinRating && r.media.length > 0 && r.published !== false;
  return { negative, why: byRating ? 'rating' : byText ? 'text' : null, problemTags, ugcCandidate };
}

export function stars(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}

// ---- the negative-review response (brief: acknowledge, action, channel, improvement) ------

export const RESPONSE_ACTIONS = ['contact', 'replacement', 'refund', 'batch_check', 'page_update'] as const;
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

export const RESPONSE_ACTION_LABELS: Record<ResponseAction, string> = {
  contact: 'Contact the customer',
  replacement: 'Replacement',
  refund: 'Refund',
  batch_check: 'Batch check',
  page_update: 'Page update',
};

export const IMPROVEMENTS = ['page', 'product', 'supplier'] as const;
export type Improvement = (typeof IMPROVEMENTS)[number];
export const IMPROVEMENT_LABELS: Record<Improvement, string> = {
  page: 'Change the page',
  product: 'Change the product',
  supplier: 'Change the supplier',
};

export const DEFAULT_OFFICIAL_CHANNEL = 'our customer support team';

export interface ResponseParts {
  acknowledge: string;
  actions: string[];
  actionDetail?: string | null;
  officialChannel: string;
  /** The reviewer's language (ISO 639-1): the reply is written in it; English when it is not one Trustloop writes. */
  language?: string | null;
}

/** The public response: acknowledgement, the action, then the official channel. The improvement stays internal. */
export function composeResponse(p: ResponseParts): string {
  const acknowledge = p.acknowledge.trim();
  if (!acknowledge) throw new InvalidInput('Acknowledge the specific issue the customer had.', ['acknowledge']);
  const actions = p.actions.filter((a): a is ResponseAction => (RESPONSE_ACTIONS as readonly string[]).includes(a));
  if (actions.length === 0) throw new InvalidInput('Choose at least one action.', ['actions']);
  const channel = p.officialChannel.trim();
  if (!channel) throw new InvalidInput('Name the official support channel.', ['officialChannel']);
  const detail = p.actionDetail?.trim();
  const parts = replyParts(p.language);
  const action = detail || actions.map((a) => parts.actions[a]).join(' ');
  return `${acknowledge}\n\n${action}\n\n${parts.channel(channel)}`;
}

export { suggestAcknowledgement } from './review-reply';

// ---- the internal checklist (brief: "Internally review country, shipping method, and delivery
// promise. Review whether response was slow, permissions were insufficient, scripts were robotic,
// or promises were inconsistent.") ---------------------------------------------------------------

export const CHECKLIST_FINDINGS = ['slow_response', 'missing_permissions', 'robotic_script', 'inconsistent_promise'] as const;
export const CHECKLIST_FINDING_LABELS: Record<(typeof CHECKLIST_FINDINGS)[number], string> = {
  slow_response: 'Response was slow',
  missing_permissions: 'Support lacked permissions',
  robotic_script: 'Script was robotic',
  inconsistent_promise: 'Promises were inconsistent',
};
export const PROMISE_KEPT_LABELS = { kept: 'Delivery promise kept', missed: 'Delivery promise missed', unknown: 'Not known yet' } as const;

// ---- UGC consent --------------------------------------------------------------------------

const UGC_CONSENT = ['none', 'requested', 'granted', 'declined', 'revoked'] as const;
export type UgcConsent = (typeof UGC_CONSENT)[number];
export const UGC_SCOPES = ['ads', 'product_page'] as const;
export const UGC_SCOPE_LABELS: Record<string, string> = { ads: 'ads', product_page: 'product page' };

export type UgcCommand = 'request' | 'granted' | 'declined' | 'revoke' | 'approve' | 'skip';

export interface UgcState {
  status: string | null;
  consent: UgcConsent;
  scope: string[];
}

export type UgcTransition = { changed: true; patch: Partial<UgcState>; action: AuditEvent; note: string } | { changed: false; notice: string };

/**
 * The consent ladder: requested → granted | declined; granted → revoked; declined or revoked →
 * requested again. Approval records what the team wants to use the content for; it is usable only
 * while the customer's consent is granted.
 */
export function ugcTransition(s: UgcState, command: UgcCommand): UgcTransition {
  const same = (notice: string): UgcTransition => ({ changed: false, notice });
  if (s.status === 'skipped' && command !== 'request') return same('This UGC candidate was skipped.');
  switch (command) {
    case 'request':
      if (s.consent === 'requested') return same('Permission was already requested.');
      if (s.consent === 'granted') return same('The customer has already granted permission.');
      return {
        changed: true,
        patch: { consent: 'requested', status: 'candidate' },
        action: 'ugc_consent_requested',
        note: 'requested permission',
      };
    case 'granted':
      if (s.consent !== 'requested') return same('Request usage rights first; consent is recorded as the customer’s answer.');
      return { changed: true, patch: { consent: 'granted' }, action: 'ugc_consent_granted', note: 'recorded consent: granted' };
    case 'declined':
      if (s.consent !== 'requested') return same('Request usage rights first; consent is recorded as the customer’s answer.');
      return { changed: true, patch: { consent: 'declined' }, action: 'ugc_consent_declined', note: 'recorded consent: declined' };
    case 'revoke':
      if (s.consent !== 'granted') return same('There is no granted consent to revoke.');
      return { changed: true, patch: { consent: 'revoked' }, action: 'ugc_consent_revoked', note: 'recorded consent: revoked' };
    case 'approve':
      if (UGC_SCOPES.every((x) => s.scope.includes(x))) return same('Already approved for ads and the product page.');
      return { changed: true, patch: { scope: [...UGC_SCOPES] }, action: 'ugc_approved', note: 'approved it for ads and the product page' };
    case 'skip':
      return { changed: true, patch: { status: 'skipped' }, action: 'ugc_skipped', note: 'skipped it' };
  }
}

/** Usable in ads or on a product page: approved for it and the customer's consent is granted. */
export function ugcUsable(s: Pick<UgcState, 'consent' | 'scope' | 'status'>): boolean {
  return s.status !== 'skipped' && s.consent === 'granted' && s.scope.length > 0;
}

/** The case subject of a review: its stars and title (or its first words). */
export function reviewSubject(r: { rating: number; title: string; body: string }): string {
  const words = (s: string) => s.replace(/\s+/g, ' ').trim();
  const body = words(r.body);
  const title = words(r.title) || (body.length > 80 ? `${body.slice(0, 79)}…` : body) || '(no text)';
  return `${stars(r.rating)} ${title}`;
}
