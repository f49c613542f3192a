import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

import type { Judgement } from '../domain/judgement/types';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface OrderItem {
  sku?: string;
  name: string;
  quantity: number;
  price?: string;
}

/** A span waiting on the customer (ISO instants); `to: null` while it lasts. */
export interface SlaPause {
  from: string;
  to: string | null;
}

/** A resolution (ISO instant) and the reopen that followed it, if any. */
export interface SlaResolution {
  resolvedAt: string;
  reopenedAt: string | null;
}

/** A ticket, review or dispute: the unit of work, one Slack card each. */
export const cases = pgTable(
  'cases',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    customerName: text('customer_name'),
    customerEmail: text('customer_email'),
    customerId: text('customer_id'),
    customerOrderCount: integer('customer_order_count'),
    customerTags: text('customer_tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    orderId: text('order_id'),
    orderAmount: numeric('order_amount'),
    orderCurrency: text('order_currency'),
    orderCountry: text('order_country'),
    orderItems: jsonb('order_items').$type<OrderItem[]>(),
    status: text('status').notNull().default('new'),
    priority: text('priority').notNull(),
    ownerId: text('owner_id'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    escalatedAt: ts('escalated_at'),
    escalationReason: text('escalation_reason'),
    channelId: text('channel_id').notNull(),
    slackTs: text('slack_ts'),
    receivedAt: ts('received_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    firstResponseAt: ts('first_response_at'),
    lastCustomerMessageAt: ts('last_customer_message_at'),
    lastAgentReplyAt: ts('last_agent_reply_at'),
    resolvedAt: ts('resolved_at'),
    reopenCount: integer('reopen_count').notNull().default(0),
    // Judgement (automatic): what the engine suggested, kept beside what staff finally chose, so
    // its accuracy can be measured on real traffic.
    suggestedTags: text('suggested_tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    tagsReviewedBy: text('tags_reviewed_by'),
    tagsReviewedAt: ts('tags_reviewed_at'),
    judgement: jsonb('judgement').$type<Judgement>(),
    sentiment: text('sentiment'),
    /** Set when Trustloop's rules say a person must handle the case (cleared if staff overrule it). */
    mustEscalateAt: ts('must_escalate_at'),
    automatable: boolean('automatable').notNull().default(false),
    /** SKUs (or product ids) the case is about: quality problems cluster on them. */
    productKeys: text('product_keys')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // ---- SLA (issue 4) ----
    /** Earliest customer message not yet answered by an agent reply (starts the next-response clock). */
    awaitingReplySince: ts('awaiting_reply_since'),
    /** Spans spent waiting on the customer (every SLA clock pauses); `to: null` while still waiting. */
    slaPauses: jsonb('sla_pauses').$type<SlaPause[]>().notNull().default([]),
    /** Each resolution and the reopen that followed it (a reopen restarts the resolution clock). */
    slaResolutions: jsonb('sla_resolutions').$type<SlaResolution[]>().notNull().default([]),
    /** When the SLA sweep looks at the case next (a threshold, or at once after a change); null: nothing ahead. */
    slaCheckAt: ts('sla_check_at').default(sql`'epoch'::timestamptz`),
    /** When the case is or was first at risk (a warning rung, or a must-escalate flag); for /trustloop sla. */
    slaRiskAt: ts('sla_risk_at'),
    // ---- end SLA ----
  },
  (t) => [
    uniqueIndex('cases_kind_source_external_uq').on(t.kind, t.source, t.externalId),
    index('cases_card_idx').on(t.channelId, t.slackTs),
    index('cases_open_idx')
      .on(t.status, t.receivedAt)
      .where(sql`${t.status} <> 'resolved'`),
    index('cases_owner_idx')
      .on(t.ownerId)
      .where(sql`${t.status} <> 'resolved'`),
    index('cases_customer_email_idx').on(sql`lower(${t.customerEmail})`),
    index('cases_received_idx').on(t.receivedAt),
    index('cases_product_keys_idx').using('gin', t.productKeys),
    // SLA sweep: only open cases whose next check is due are read per tick.
    index('cases_sla_check_idx')
      .on(t.slaCheckAt)
      .where(sql`${t.status} <> 'resolved'`),
    // /trustloop sla: open cases at risk, most at risk first.
    index('cases_sla_risk_idx')
      .on(t.slaRiskAt)
      .where(sql`${t.status} <> 'resolved'`),
  ],
);

/** Customer messages, agent replies (from the helpdesk) and internal notes (from the card thread). */
export const caseMessages = pgTable(
  'case_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: bigint('case_id', { mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    direction: text('direction').notNull(),
    authorName: text('author_name'),
    authorSlackId: text('author_slack_id'),
    body: text('body').notNull(),
    externalId: text('external_id'),
    slackTs: text('slack_ts'),
    createdAt: ts('created_at').notNull(),
    insertedAt: ts('inserted_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('case_messages_external_uq').on(t.caseId, t.externalId),
    uniqueIndex('case_messages_slack_uq').on(t.caseId, t.slackTs),
    index('case_messages_case_idx').on(t.caseId, t.createdAt),
  ],
);

/** The audit log: every action with who did it and when, including refused attempts. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'cascade' }),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.id)],
);

/**
 * Transactional outbox: written in the same transaction as the change it reports, delivered
 * to Slack by the dispatcher. Rows sharing an order_key are delivered in id order; channel
 * is the pacing key (Slack allows about one post per second per channel).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    orderKey: text('order_key').notNull(),
    priority: smallint('priority').notNull().default(0),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    // The last attempt may have reached Slack (crash, timeout, 5xx): look before posting again.
    ambiguous: boolean('ambiguous').notNull().default(false),
    notBefore: ts('not_before').notNull().defaultNow(),
    leaseUntil: ts('lease_until'),
    lastError: text('last_error'),
    resultTs: text('result_ts'),
    createdAt: ts('created_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
  },
  (t) => [
    index('outbox_unfinished_idx')
      .on(t.orderKey, t.id)
      .where(sql`${t.status} in ('pending', 'in_flight')`),
    index('outbox_channel_idx')
      .on(t.channel, t.priority.desc(), t.id)
      .where(sql`${t.status} in ('pending', 'in_flight')`),
    index('outbox_retry_idx')
      .on(t.notBefore)
      .where(sql`${t.status} = 'pending'`),
    uniqueIndex('outbox_card_update_pending_uq')
      .on(t.caseId)
      .where(sql`${t.kind} = 'card_update' and ${t.status} = 'pending'`),
  ],
);

/**
 * Reminders already sent: SLA warnings, breaches and escalations, and dispute deadline reminders.
 * The unique key (case, target, cycle, level) makes sending one twice impossible by construction,
 * across restarts and replicas (monzo/response's notification model).
 */
export const caseReminders = pgTable(
  'case_reminders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: bigint('case_id', { mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** first_response, next_response, resolution, must_escalate, dispute_response, … */
    target: text('target').notNull(),
    /** Which cycle of the target (a reopen or a new customer message starts another). */
    cycleKey: text('cycle_key').notNull(),
    /** warning, breach, escalation, or a deadline step such as 72h / 24h / 6h / due. */
    level: text('level').notNull(),
    dueAt: ts('due_at').notNull(),
    sentAt: ts('sent_at').notNull().defaultNow(),
    /** Recorded but not sent because a higher level of the same cycle was due at the same time. */
    superseded: boolean('superseded').notNull().default(false),
  },
  (t) => [uniqueIndex('case_reminders_once_uq').on(t.caseId, t.target, t.cycleKey, t.level)],
);

/** When each channel may next be posted to (pacing, and Retry-After after a 429). */
export const outboxChannels = pgTable('outbox_channels', {
  channel: text('channel').primaryKey(),
  nextAt: ts('next_at').notNull(),
});

/** Slack event ids already processed: Slack retries events it thinks were not acknowledged. */
export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

export type Case = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;
export type CaseMessage = typeof caseMessages.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
