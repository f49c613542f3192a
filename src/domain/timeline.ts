import { z } from 'zod';
import type { CaseAction } from './case';

// What a case's timeline (the card's thread) records, as facts. A service queues one as a
// thread_post's payload; the delivery renders it through blocks/ when it goes out, so no Slack
// text is written before then. Dates travel as JSON strings and are read back as dates here.

const date = z.coerce.date();
const ids = z.array(z.string());

/** A case event as the audit log has it: claimed, escalated, waiting… */
const eventFact = z.object({
  type: z.literal('event'),
  caseId: z.number(),
  // Any action the audit log knows: an action without a line of its own is shown by its name.
  action: z.custom<CaseAction>((v) => typeof v === 'string'),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()),
  at: date,
});

/** A message on the case (the customer's, a helpdesk reply, a note). */
const messageFact = z.object({
  type: z.literal('message'),
  id: z.number(),
  caseId: z.number(),
  direction: z.enum(['customer', 'agent', 'note']),
  authorName: z.string().nullable(),
  body: z.string(),
  createdAt: date,
});

/** A version of a review response, for a second person to approve. */
const reviewDraftFact = z.object({
  type: z.literal('review_draft'),
  response: z.object({
    id: z.number(),
    caseId: z.number(),
    version: z.number(),
    body: z.string(),
    causeTag: z.string(),
    actions: ids,
    improvements: ids,
    improvementNote: z.string().nullable(),
    draftedBy: z.string(),
    draftedAt: date,
  }),
});

const reviewEditedFact = z.object({ type: z.literal('review_edited'), ratingBefore: z.number(), ratingAfter: z.number(), at: date });

const responseApprovedFact = z.object({
  type: z.literal('response_approved'),
  actor: z.string(),
  version: z.number(),
  draftedBy: z.string(),
  at: date,
});

const reviewChecklistFact = z.object({ type: z.literal('review_checklist'), actor: z.string(), findings: ids, at: date });

/** What a provider's update changed on a dispute; a close or a reopen is said last. */
const disputeUpdatedFact = z.object({
  type: z.literal('dispute_updated'),
  caseId: z.number(),
  changes: z.array(
    z.object({
      field: z.enum(['stage', 'state', 'respond_by', 'amount', 'reason']),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
  ),
  closed: z.object({ outcome: z.string().nullable(), state: z.string() }).nullable(),
  reopenedStage: z.string().nullable(),
  at: date,
});

/** Evidence checklist items (by label) ticked and unticked. */
const evidenceUpdatedFact = z.object({ type: z.literal('evidence_updated'), actor: z.string(), added: ids, removed: ids, at: date });

const evidenceSubmittedFact = z.object({ type: z.literal('evidence_submitted'), actor: z.string(), at: date });

/** Who a dispute deadline is put to: the owner, or while nobody owns the case the managers. */
const deadlineAudience = { caseId: z.number(), ownerId: z.string().nullable(), managers: ids, at: date };

const disputeReminderFact = z.object({ type: z.literal('dispute_reminder'), respondBy: date, ...deadlineAudience });

const disputeDeadlinePassedFact = z.object({ type: z.literal('dispute_deadline_passed'), ...deadlineAudience });

/** An SLA rung crossed: the target's standing when it was, who is mentioned and who gets a DM. */
const slaReminderFact = z.object({
  type: z.literal('sla_reminder'),
  caseId: z.number(),
  kind: z.enum(['warning', 'breach', 'escalation']),
  /** Target name, or 'must_escalate'. */
  target: z.string(),
  state: z
    .object({
      target: z.string(),
      status: z.enum(['running', 'paused', 'met', 'breached']),
      targetMs: z.number(),
      dueAt: date.nullable(),
      stoppedAt: date.nullable(),
      paused: z.boolean(),
      overdueMs: z.number().nullable(),
      remainingBusinessMs: z.number(),
    })
    .optional(),
  percent: z.number().optional(),
  mention: z.string().nullable(),
  dmTo: ids,
  escalationChannel: z.string(),
  at: date,
});

export const timelineFactSchema = z.discriminatedUnion('type', [
  eventFact,
  messageFact,
  reviewDraftFact,
  reviewEditedFact,
  responseApprovedFact,
  reviewChecklistFact,
  disputeUpdatedFact,
  evidenceUpdatedFact,
  evidenceSubmittedFact,
  disputeReminderFact,
  disputeDeadlinePassedFact,
  slaReminderFact,
]);

export type TimelineFact = z.infer<typeof timelineFactSchema>;
export type TimelineFactOf<T extends TimelineFact['type']> = Extract<TimelineFact, { type: T }>;
