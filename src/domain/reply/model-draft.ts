import { z } from 'zod';
import { deliveryWindow } from '../policy';
import { PART_MAX, type ReplyDraft, type ReplyFacts } from './types';

// Optional AI drafting: what the composer asks an OpenAI-compatible model for, and how its answer
// becomes a draft. The model gets only the facts the built-in composer uses (the case, its order,
// the store's policy) and that composer's draft as a reference, and must answer with the five
// parts as JSON. Its answer is a starting point for the agent like the built-in one: it goes
// through the same promise check, and nothing is sent without a person. Pure.

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', es: 'Spanish', de: 'German', fr: 'French', it: 'Italian', nl: 'Dutch', pt: 'Portuguese' };

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const PART_KEYS = ['greeting', 'confirmation', 'status', 'next', 'needs', 'contact', 'signoff'] as const;

/** The structured output asked for (OpenAI's response_format json_schema, strict). */
export const MODEL_DRAFT_SCHEMA = {
  name: 'reply_draft',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...PART_KEYS],
    properties: {
      greeting: { type: 'string', description: 'Greeting with the customer’s first name when known.' },
      confirmation: { type: 'string', description: '1. The customer’s specific issue, in their own words where possible.' },
      status: { type: 'string', description: '2. Current status and the reason, in plain language.' },
      next: { type: 'string', description: '3. Next action, expected timing and who does it.' },
      needs: { type: ['string', 'null'], description: '4. What the customer must provide and why; null when nothing is needed.' },
      contact: { type: 'string', description: '5. How to reach the store.' },
      signoff: { type: 'string', description: 'Sign-off with the agent’s first name when known.' },
    },
  },
} as const;

const part = (max: number) => z.string().trim().min(1).max(max);

/** The model's answer, checked: every part present, none longer than the composer allows. */
export const modelAnswerSchema = z
  .object({
    greeting: part(PART_MAX.greeting),
    confirmation: part(PART_MAX.confirmation),
    status: part(PART_MAX.status),
    next: part(PART_MAX.next),
    needs: z
      .string()
      .trim()
      .max(PART_MAX.needs)
      .nullable()
      .transform((v) => (v ? v : null)),
    contact: part(PART_MAX.contact),
    signoff: part(PART_MAX.signoff),
  })
  .strict();

export type ModelAnswer = z.output<typeof modelAnswerSchema>;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** The facts the model may use, as JSON: nothing else about the case leaves Trustloop. */
export function modelFacts(f: ReplyFacts, base: ReplyDraft) {
  const o = f.order;
  const window = deliveryWindow(f.policy, o?.country ?? null, o?.method);
  const p = f.policy;
  return {
    reply_language: LANGUAGE_NAMES[base.language] ?? base.language,
    reply_type: base.type,
    today: day(f.now),
    customer_first_name: f.customerName?.trim().split(/\s+/)[0] ?? null,
    customer_subject: f.subject,
    customer_message: f.body,
    order: o
      ? { name: o.name, destination_country: o.country, carrier: o.carrier, tracking_number: o.tracking, state: o.state, ordered_on: day(o.orderedAt), shipped_on: day(o.shippedAt), delivered_on: day(o.deliveredAt) }
      : null,
    policy: {
      delivery_business_days_to_this_country: window ? window.business_days : null,
      refund_business_days: p.refunds?.business_days ?? null,
      refund_goes_to: p.refunds?.to ?? null,
      return_window_days: p.returns?.window_days ?? null,
      return_shipping_paid_by: p.returns?.return_shipping ?? null,
      exchanges: p.exchanges ? { allowed: p.exchanges.allowed, window_days: p.exchanges.window_days } : null,
      damage_claim_needs: p.damage_claims.requires,
      official_contact: p.contact,
    },
    agent_first_name: f.owner,
    next_update_promised_by: day(base.nextUpdateBy),
    reference_draft: { greeting: base.greeting, ...base.parts, signoff: base.signoff },
  };
}

/** The chat messages asking for a draft in the customer's language, grounded in the facts only. */
export function modelMessages(f: ReplyFacts, base: ReplyDraft): ChatMessage[] {
  const language = LANGUAGE_NAMES[base.language] ?? base.language;
  const system = [
    `You draft a customer-service reply for an online store, in ${language}. A person on the support team reads and edits it before anything is sent.`,
    'Answer with JSON only, with exactly these keys: greeting, confirmation, status, next, needs, contact, signoff.',
    'confirmation: the customer’s specific issue, quoting their own words where that helps. status: where things stand and why, in plain language. next: what happens next, by when, and who does it. needs: what the customer must send and why, or null when nothing is needed. contact: how to reach the store, using official_contact.',
    'Use only the facts given. Never promise a delivery or arrival day (the carrier decides it), a refund faster than refund_business_days, a free return when the customer pays return shipping, a longer return window, or an exchange the policy does not offer. The only date you may promise is next_update_promised_by, for the store’s next update.',
    'When the policy says nothing (null), promise nothing about it. Plain text only: no markdown, no links other than the ones in the facts. The reference_draft states the facts correctly; write it better, do not add facts.',
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: JSON.stringify(modelFacts(f, base)) },
  ];
}

/** The model's parts in the built-in draft's frame (language, type, what the policy did not answer). */
export function draftFromModel(answer: ModelAnswer, base: ReplyDraft): ReplyDraft {
  return {
    ...base,
    greeting: answer.greeting,
    parts: { confirmation: answer.confirmation, status: answer.status, next: answer.next, needs: answer.needs, contact: answer.contact },
    signoff: answer.signoff,
  };
}
