import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { chargeLookupLineSchema } from './charge-lookup';
import { REPLY_EVENTS } from './reply/channels';
import { timelineFactSchema } from './timeline';

// Every kind of outbox row, with the payload it carries. A row is written in the same transaction
// as the change it reports and delivered later, possibly by a newer release: its payload is read
// back through these schemas, never trusted as written. The dispatcher's handlers are a map over
// exactly these kinds, so a kind without a handler does not compile.

const id = z.number().int();

/** A Slack block as stored by `blocks/`: only its type is checked here; Slack validates the rest. */
const block = z.custom<KnownBlock>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string',
  'a Slack block (an object with a type)',
);

/** A message rendered when it was queued (a timeline entry, a DM). */
const message = z.object({ text: z.string(), blocks: z.array(block).optional() });

/**
 * What the judgement after ingest needs that the stored case does not keep as it arrived: the
 * subject as sent (the stored one may be derived from the body), the customer's tags as sent, and
 * whether the helpdesk chose the tags or the priority itself (then Trustloop's suggestion does not
 * replace them). It rides on the card's outbox row: the card is not posted before the case is judged.
 */
export const pendingJudgementSchema = z.object({
  subject: z.string(),
  customerTags: z.array(z.string()),
  order: z.object({ amount: z.string().nullable(), currency: z.string().nullable(), itemCount: z.number() }).nullable(),
  tagsGiven: z.boolean(),
  priorityGiven: z.boolean(),
});
export type PendingJudgement = z.infer<typeof pendingJudgementSchema>;

/** What a reminder DM lists; rendered (and re-checked) when it is delivered. */
export const dmItemSchema = z.object({
  caseId: id,
  target: z.string(),
  cycleKey: z.string(),
  level: z.string(),
  kind: z.enum(['warning', 'breach', 'escalation']),
  crossedAt: z.string(),
});
export type DmItem = z.infer<typeof dmItemSchema>;

export const OUTBOX_PAYLOADS = {
  /** The case's card, rendered at delivery from the case's current state. */
  card_post: z.object({ judge: pendingJudgementSchema.optional() }),
  /** The card re-rendered (at most one pending per case, so a burst of changes is one chat.update). */
  card_update: z.object({}),
  /**
   * An entry in the card's thread: the fact, rendered when it is delivered; a row queued before
   * timeline entries were stored as facts carries its message already rendered.
   */
  thread_post: z.union([timelineFactSchema, message]),
  /** The escalation channel's post, rendered with a link to the card. */
  escalation_post: z.object({ actor: z.string(), reason: z.string() }),
  /** A fix's owner is told about it, from the fix as it stands when the DM goes out. */
  fix_dm: z.object({ fixId: id }),
  /** A ready message to a channel or a user (a DM); nothing queues one now, but rows an earlier release queued still go out. */
  post: message.extend({ thread_ts: z.string().optional() }),
  ugc_post: z.object({ reviewId: id }),
  ugc_update: z.object({ reviewId: id }),
  review_lead: z.object({ reviewId: id }),
  cluster_alert: z.object({ alertId: id }),
  cluster_followup: z.object({ alertId: id, caseIds: z.array(id) }),
  /** The dispute's evidence document, uploaded to the card's thread. */
  evidence_export: z.object({ exportId: id }),
  /** The escalation channel's post when an SLA target escalates. */
  sla_escalation: z.object({ target: z.string(), level: z.string().optional(), statusText: z.string().nullable() }),
  /** A person's reminder DM; items are merged into it while it waits for their working hours. */
  sla_dm: z.object({ items: z.array(dmItemSchema).default([]), overflow: z.number().int().default(0) }),
  digest_post: z.object({ digestId: id }),
  digest_chart: z.object({ digestId: id }),
  digest_thread: z.object({ digestId: id, index: z.number().int().nonnegative() }),
  /** A thread post about a reply draft, rendered from the stored draft. */
  reply_post: z.object({ draftId: id, event: z.enum(REPLY_EVENTS), actor: z.string() }),
  /** The reply itself, sent to the customer once. */
  reply_send: z.object({ draftId: id }),
  review_request_email: z.object({ requestId: id, step: z.number().int() }),
  /** A usage-rights request e-mailed to the reviewer. */
  ugc_consent_email: z.object({ requestId: id }),
  /**
   * Looks a charge up at Stripe after ingest has committed its case (never on the request): a
   * dispute's charge, or the payment a ticket's sender named (order.payment_id).
   */
  stripe_charge_lookup: z.union([z.object({ disputeId: id }), z.object({ caseId: id, ref: z.string().min(1).max(200) })]),
  /** The thread entry saying what the lookup found, rendered when it is posted. */
  stripe_charge_entry: z.object({ line: chargeLookupLineSchema, at: z.coerce.date() }),
} as const satisfies Record<string, z.ZodType<Record<string, unknown>>>;

export type OutboxKind = keyof typeof OUTBOX_PAYLOADS;
/** A payload as handlers read it (defaults applied). */
export type OutboxPayload<K extends OutboxKind> = z.output<(typeof OUTBOX_PAYLOADS)[K]>;
/** A payload as it is written. */
export type OutboxPayloadInput<K extends OutboxKind> = z.input<(typeof OUTBOX_PAYLOADS)[K]>;

export const OUTBOX_KINDS = Object.keys(OUTBOX_PAYLOADS) as OutboxKind[];

export function isOutboxKind(kind: string): kind is OutboxKind {
  return Object.hasOwn(OUTBOX_PAYLOADS, kind);
}

/**
 * Reads a stored row's payload. A row of a kind this release does not know, or whose payload does
 * not match its kind, comes back as an error that says what is wrong (the row is then marked failed).
 */
export function parseOutboxPayload(
  kind: string,
  payload: unknown,
): { ok: true; kind: OutboxKind; payload: OutboxPayload<OutboxKind> } | { ok: false; error: string } {
  if (!isOutboxKind(kind)) return { ok: false, error: `unknown outbox kind "${kind}"` };
  const parsed = OUTBOX_PAYLOADS[kind].safeParse(payload ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'payload'}: ${i.message}`);
    return { ok: false, error: `malformed ${kind} payload (${problems.join('; ')})` };
  }
  return { ok: true, kind, payload: parsed.data };
}
