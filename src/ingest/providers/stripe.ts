import { z } from 'zod';
import { stripeExponent, minorToDecimal } from './money';
import { cardReasonText } from './reasons';
import {
  type DisputeEvent,
  type DisputeStage,
  type DisputeState,
  type Headers,
  type ParseResult,
  type ProviderAdapter,
  type Secrets,
  SignatureError,
} from './types';
import { header, own, parseJson, secretList, unixSeconds, validate } from './util';
import { stripeLibrary } from '../../services/stripe';

// Stripe disputes: charge.dispute.* events, signed with Stripe-Signature
// (t=<unix>,v1=<hex HMAC-SHA256 of `${t}.${raw}`>[,v1=…]). Verification is Stripe's own
// library code; we only pass our clock so the 5-minute tolerance is testable.
// Idempotency: the event id (evt_…); Stripe delivers at least once and out of order.

export const PROVIDER = 'stripe';
export const SIGNATURE_HEADER = 'stripe-signature';
/** Seconds a signed timestamp stays valid (Stripe's default and recommendation). */
export const TOLERANCE_SECONDS = 300;

const ACTIONS: Record<string, DisputeEvent['action']> = {
  'charge.dispute.created': 'created',
  'charge.dispute.updated': 'updated',
  'charge.dispute.funds_withdrawn': 'updated',
  'charge.dispute.funds_reinstated': 'updated',
  'charge.dispute.closed': 'closed',
};

/**
 * Throws SignatureError unless one `v1` signature matches one of the secrets (several `v1`
 * are sent while Stripe rotates an endpoint secret; several secrets may be configured while
 * we rotate ours) and the timestamp is within 300 s of `now`, either way.
 */
export function verify(headers: Headers, rawBody: Buffer, secrets: Secrets, now: Date): void {
  const signature = header(headers, SIGNATURE_HEADER);
  if (!signature) throw new SignatureError(PROVIDER, 'missing_header', 'The Stripe-Signature header is missing.');
  const Stripe = stripeLibrary();
  const signer = Stripe.webhooks.signature;
  if (!signer) throw new SignatureError(PROVIDER, 'not_configured', 'Stripe signature verification is unavailable.');
  let failure: 'mismatch' | 'stale' | 'malformed_header' = 'mismatch';
  for (const secret of secretList(PROVIDER, secrets)) {
    try {
      signer.verifyHeader(rawBody, signature, secret, TOLERANCE_SECONDS, undefined, now.getTime());
      // Stripe's library only refuses old timestamps; one dated ahead of our clock by more than
      // the tolerance is refused too, so a signed delivery cannot be held back and replayed later.
      if (signedAt(signature) * 1000 - now.getTime() > TOLERANCE_SECONDS * 1000) {
        failure = 'stale';
        continue;
      }
      return;
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) throw err;
      // The signature matched this secret but is too old: a replay, whatever the other secrets say.
      if (/tolerance/i.test(err.message)) failure = 'stale';
      else if (failure === 'mismatch' && /extract|expected scheme/i.test(err.message)) failure = 'malformed_header';
    }
  }
  const messages = {
    stale: `The Stripe-Signature timestamp is more than ${TOLERANCE_SECONDS} seconds from now.`,
    malformed_header: 'The Stripe-Signature header has no timestamp or no v1 signature.',
    mismatch: 'No Stripe-Signature v1 signature matches the configured secret.',
  };
  throw new SignatureError(PROVIDER, failure, messages[failure]);
}

/** The `t=` timestamp of a Stripe-Signature header (verifyHeader has already checked it is there). */
function signedAt(signature: string): number {
  const t = signature
    .split(',')
    .map((part) => part.trim().split('='))
    .find(([k]) => k === 't')?.[1];
  return Number(t);
}

const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
});

export const stripeDisputeSchema = z.object({
  id: z.string().regex(/^dp_|^du_/, 'must be a dispute id (du_… or dp_…)'),
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
  charge: z.string().nullish(),
  payment_intent: z.string().nullish(),
  reason: z.string().min(1),
  status: z.string().min(1),
  created: unixSeconds,
  evidence_details: z
    .object({
      due_by: z.number().int().nonnegative().nullish(),
      has_evidence: z.boolean().optional(),
      past_due: z.boolean().optional(),
      submission_count: z.number().int().optional(),
    })
    .optional(),
  evidence: z.object({ customer_email_address: z.string().nullish() }).nullish(),
  payment_method_details: z
    .object({
      type: z.string().optional(),
      card: z
        .object({
          brand: z.string().nullish(),
          case_type: z.string().nullish(),
          network_reason_code: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export const stripeDisputeEventSchema = z.object({
  id: z.string().regex(/^evt_/, 'must be an event id (evt_…)'),
  type: z.string(),
  created: unixSeconds,
  livemode: z.boolean().optional(),
  data: z.object({ object: stripeDisputeSchema }),
});

type StripeDispute = z.output<typeof stripeDisputeSchema>;

function stageOf(d: StripeDispute): DisputeStage {
  // Inquiries ("retrieval requests") carry warning_* statuses; they become chargebacks if unanswered.
  if (d.status.startsWith('warning_')) return 'inquiry';
  return d.payment_method_details?.card?.case_type === 'inquiry' ? 'inquiry' : 'chargeback';
}

function stateOf(status: string, action: DisputeEvent['action']): DisputeState {
  switch (status) {
    case 'warning_needs_response':
    case 'needs_response':
      return 'needs_response';
    case 'warning_under_review':
    case 'under_review':
      return 'under_review';
    case 'won':
      return 'won';
    case 'lost':
      return 'lost';
    case 'warning_closed':
    case 'prevented':
      return 'closed';
    default:
      // A status Stripe adds later: ask a human rather than assume it is settled.
      return action === 'closed' ? 'closed' : 'needs_response';
  }
}

export function parse(rawBody: Buffer, _headers: Headers = {}): ParseResult<DisputeEvent> {
  const json = parseJson(PROVIDER, rawBody);
  const envelope = validate(PROVIDER, envelopeSchema, json);
  const action = own(ACTIONS, envelope.type);
  if (!action) return { events: [], ignored: { type: envelope.type } };
  const event = validate(PROVIDER, stripeDisputeEventSchema, json);
  const d = event.data.object;
  const currency = d.currency.toUpperCase();
  const dueBy = d.evidence_details?.due_by;
  const orderRef = d.metadata?.order_id ?? d.metadata?.order_number ?? d.metadata?.order;
  const email = d.evidence?.customer_email_address;
  return {
    events: [
      {
        kind: 'dispute',
        provider: PROVIDER,
        eventId: event.id,
        action,
        externalId: d.id,
        stage: stageOf(d),
        status: d.status,
        state: stateOf(d.status, action),
        reasonCode: d.reason,
        reasonText: cardReasonText(d.reason),
        amount: minorToDecimal(d.amount, stripeExponent(currency)),
        currency,
        // Stripe sends 0 or null when there is nothing to answer (e.g. a closed inquiry).
        respondBy: dueBy ? new Date(dueBy * 1000) : null,
        ...(orderRef ? { orderRef } : {}),
        ...(d.charge ? { chargeRef: d.charge } : d.payment_intent ? { chargeRef: d.payment_intent } : {}),
        ...(email ? { customerEmail: email } : {}),
        occurredAt: event.created,
        createdAt: d.created,
        raw: json,
      },
    ],
  };
}

export const adapter: ProviderAdapter<Secrets, DisputeEvent> = { provider: PROVIDER, kind: 'dispute', verify, parse };
