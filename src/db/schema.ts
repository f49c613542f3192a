import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
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

import type { KnownBlock } from '@slack/types';
import { CASE_KINDS, CASE_STATUSES } from '../domain/case';
import type { DigestModel } from '../domain/digest';
import type { Judgement } from '../domain/judgement/types';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface OrderItem {
  sku?: string;
  name: string;
  quantity: number;
  price?: string;
  /** The store platform's product id (Shopify product_id), when it sent one. */
  productId?: string;
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
    kind: text('kind', { enum: CASE_KINDS }).notNull(),
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
    /** The shipping carrier of the order (DHL, UPS, …), for the digest's logistics issues. */
    carrier: text('carrier'),
    orderItems: jsonb('order_items').$type<OrderItem[]>(),
    /** The store order the case was matched to (by order name, provider order id or e-mail), if any. */
    matchedOrderId: bigint('matched_order_id', { mode: 'number' }).references((): AnyPgColumn => orders.id, { onDelete: 'set null' }),
    status: text('status', { enum: CASE_STATUSES }).notNull().default('new'),
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
    /** When Trustloop received the case: every response clock starts here. */
    receivedAt: ts('received_at').notNull(),
    /**
     * When the customer wrote it (a review's written date, a dispute's opening, a ticket's own
     * time): the date reports and the digest count the case under, and quality clusters look at.
     */
    reportedAt: ts('reported_at').notNull(),
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
    // ---- SLA ----
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
    // ---- Metrics: business-time figures measured when they happen, with the SLA's clock ----
    /** Business ms from receipt to the first agent reply (the case's SLA hours, waiting on the customer excluded). */
    firstResponseBusinessMs: bigint('first_response_business_ms', { mode: 'number' }),
    /** Whether that first reply met the first-response target; null when the policy has none. */
    firstResponseWithinSla: boolean('first_response_within_sla'),
    /** Business ms from receipt to the current resolution (reopens included); null while open. */
    resolutionBusinessMs: bigint('resolution_business_ms', { mode: 'number' }),
    /** Wall ms from receipt to the first reply and to the current resolution: stored, so the percentiles sort plain numbers. */
    firstResponseMs: bigint('first_response_ms', { mode: 'number' }).generatedAlwaysAs(
      sql`(extract(epoch from first_response_at - received_at) * 1000)::bigint`,
    ),
    resolutionMs: bigint('resolution_ms', { mode: 'number' }).generatedAlwaysAs(
      sql`(extract(epoch from resolved_at - received_at) * 1000)::bigint`,
    ),
    /** Agent replies sent on the case (first contact resolution: exactly one, never reopened). */
    agentReplyCount: integer('agent_reply_count').notNull().default(0),
  },
  (t) => [
    // The vocabularies of src/domain/case.ts, held by the database too: a value outside them is refused.
    check('cases_kind_check', sql`${t.kind} in (${sql.raw(CASE_KINDS.map((k) => `'${k}'`).join(', '))})`),
    check('cases_status_check', sql`${t.status} in (${sql.raw(CASE_STATUSES.map((k) => `'${k}'`).join(', '))})`),
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
    index('cases_reported_idx').on(t.reportedAt),
    index('cases_product_keys_idx').using('gin', t.productKeys),
    // Reviews and disputes find the customer's other cases by order reference.
    index('cases_order_idx').on(t.orderId),
    // SLA sweep: only open cases whose next check is due are read per tick.
    index('cases_sla_check_idx')
      .on(t.slaCheckAt)
      .where(sql`${t.status} <> 'resolved'`),
    // /trustloop sla: open cases at risk, most at risk first.
    index('cases_sla_risk_idx')
      .on(t.slaRiskAt)
      .where(sql`${t.status} <> 'resolved'`),
    // Metrics: resolution figures are over cases whose (final) resolution falls in the period.
    index('cases_resolved_idx')
      .on(t.resolvedAt)
      .where(sql`${t.resolvedAt} is not null`),
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

// ---- Reviews, disputes, UGC and cluster alerts -------------------------------------

/**
 * Every webhook delivery from a review or dispute provider, by the provider's event id: a unique
 * (provider, event_id) makes a replayed delivery a no-op. Deliveries that were signed correctly
 * but could not be read are kept (status rejected, with the body) for someone to inspect.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    /** Null for rejected and ignored deliveries (nothing to deduplicate). */
    eventId: text('event_id'),
    eventType: text('event_type'),
    /** processed | ignored | rejected */
    status: text('status').notNull(),
    /** A few non-secret headers (content type, topic, delivery id); never signatures or tokens. */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    /** The raw body, kept for rejected deliveries only. */
    body: text('body'),
    error: jsonb('error').$type<{ message: string; issues?: { path: string; message: string }[] }>(),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'set null' }),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('webhook_inbox_event_uq').on(t.provider, t.eventId), index('webhook_inbox_received_idx').on(t.status, t.receivedAt)],
);

export interface StoredMedia {
  type: 'image' | 'video';
  url: string;
}

/** The internal review checklist from the brief, filled in from the review card. */
export interface ReviewChecklist {
  country?: string;
  shippingMethod?: string;
  deliveryPromise?: string;
  promiseKept?: 'kept' | 'missed' | 'unknown';
  /** slow_response | missing_permissions | robotic_script | inconsistent_promise */
  findings: string[];
  note?: string;
  by: string;
  at: string;
}

/** Every review from every provider: the digest and UGC work need all of them, not only bad ones. */
export const reviews = pgTable(
  'reviews',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    rating: smallint('rating').notNull(),
    title: text('title').notNull().default(''),
    body: text('body').notNull().default(''),
    productId: text('product_id'),
    productHandle: text('product_handle'),
    productTitle: text('product_title'),
    productSku: text('product_sku'),
    verified: boolean('verified').notNull().default(false),
    media: jsonb('media').$type<StoredMedia[]>().notNull().default([]),
    reviewerName: text('reviewer_name'),
    reviewerEmail: text('reviewer_email'),
    orderRef: text('order_ref'),
    language: text('language'),
    published: boolean('published'),
    writtenAt: ts('written_at').notNull(),
    /** The provider's time of the newest version applied: older deliveries are stale and ignored. */
    providerUpdatedAt: ts('provider_updated_at'),
    receivedAt: ts('received_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** At or below the threshold, or a higher rating whose text reports a problem. */
    negative: boolean('negative').notNull(),
    /** Problem tags the judgement engine found in the text (damaged, quality, …). */
    problemTags: text('problem_tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sentiment: text('sentiment'),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'set null' }),
    checklist: jsonb('checklist').$type<ReviewChecklist>(),
    /** null: not a UGC candidate · candidate: posted to the UGC channel · skipped */
    ugcStatus: text('ugc_status'),
    /** none | requested | granted | declined | revoked: nothing is usable without granted. */
    ugcConsent: text('ugc_consent').notNull().default('none'),
    ugcConsentAt: ts('ugc_consent_at'),
    ugcConsentBy: text('ugc_consent_by'),
    /** Uses the team approved (ads, product_page); usable only while consent is granted. */
    ugcScope: text('ugc_scope')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ugcApprovedBy: text('ugc_approved_by'),
    ugcApprovedAt: ts('ugc_approved_at'),
    /** Where the customer agreed the content may be used (product_page, social, ads), with their grant. */
    ugcConsentScope: text('ugc_consent_scope')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The grant ends here by itself (null: no end date); an expired grant makes nothing usable. */
    ugcConsentExpiresAt: ts('ugc_consent_expires_at'),
    ugcConsentRequestedAt: ts('ugc_consent_requested_at'),
    /** link (the customer's signed link) or staff, and how the customer answered when staff recorded it. */
    ugcConsentVia: text('ugc_consent_via'),
    ugcConsentNote: text('ugc_consent_note'),
    ugcChannel: text('ugc_channel'),
    ugcTs: text('ugc_ts'),
    /**
     * Why a review that is not a problem must still reach a person (a creator, a bulk buyer, a
     * long-time customer): the judgement's must-escalate reasons. Empty for most reviews.
     */
    leadReasons: jsonb('lead_reasons').$type<{ code: string; label: string }[]>().notNull().default([]),
    leadChannel: text('lead_channel'),
    leadTs: text('lead_ts'),
  },
  (t) => [
    uniqueIndex('reviews_provider_external_uq').on(t.provider, t.externalId),
    index('reviews_case_idx').on(t.caseId),
    index('reviews_received_idx').on(t.receivedAt),
    // Reports count a review in the period it was written, not when a batch delivered it.
    index('reviews_written_idx').on(t.writtenAt),
    index('reviews_ugc_usable_idx')
      .on(t.ugcApprovedAt)
      .where(sql`${t.ugcConsent} = 'granted'`),
  ],
);

/**
 * Asking a customer for the right to reuse their photo, video or words: where (scope), for how
 * long once granted, and the signed links in the message that carry their answer. A new request
 * supersedes the open one (its links stop working); the partial unique index keeps one open per
 * review, so two clicks or replicas cannot ask twice.
 */
export const ugcConsentRequests = pgTable(
  'ugc_consent_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewId: bigint('review_id', { mode: 'number' })
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    /** product_page | social | ads: what the customer is asked to allow. */
    scope: text('scope').array().notNull(),
    /** How long a grant lasts from the customer's answer; null: until they withdraw it. */
    grantMonths: integer('grant_months'),
    /** The team's own line to the customer, sent as written. */
    note: text('note'),
    /** email (sent by Trustloop) | copy (no address or SMTP: staff send the text themselves). */
    channel: text('channel').notNull(),
    target: text('target'),
    requestedBy: text('requested_by').notNull(),
    requestedAt: ts('requested_at').notNull(),
    /** The grant and decline links work until here (withdrawing a grant works after it too). */
    linkExpiresAt: ts('link_expires_at').notNull(),
    /** queued | sending (one try is handing it to the mail server) | sent | failed | copy | answered | superseded */
    status: text('status').notNull(),
    /** granted | declined | revoked: the customer's last answer through the links. */
    answer: text('answer'),
    answeredAt: ts('answered_at'),
    messageId: text('message_id'),
    lastError: text('last_error'),
  },
  (t) => [
    index('ugc_consent_requests_review_idx').on(t.reviewId, t.id),
    uniqueIndex('ugc_consent_requests_open_uq')
      .on(t.reviewId)
      .where(sql`${t.status} in ('queued', 'sent', 'failed', 'copy')`),
  ],
);

export type UgcConsentRequest = typeof ugcConsentRequests.$inferSelect;

/** Drafted public responses to a negative review; each redraft is a new version awaiting a second person. */
export const reviewResponses = pgTable(
  'review_responses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: bigint('case_id', { mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    reviewId: bigint('review_id', { mode: 'number' })
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    acknowledge: text('acknowledge').notNull(),
    /** contact | replacement | refund | batch_check | page_update */
    actions: text('actions').array().notNull(),
    actionDetail: text('action_detail'),
    officialChannel: text('official_channel').notNull(),
    /** The cause for the weekly review: a tag id from the catalogue. */
    causeTag: text('cause_tag').notNull(),
    /** page | product | supplier: what should change. */
    improvements: text('improvements')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    improvementNote: text('improvement_note'),
    /** The public response, composed from the parts above. */
    body: text('body').notNull(),
    draftedBy: text('drafted_by').notNull(),
    draftedAt: ts('drafted_at').notNull(),
    /** pending | approved | superseded */
    status: text('status').notNull().default('pending'),
    approvedBy: text('approved_by'),
    approvedAt: ts('approved_at'),
  },
  (t) => [uniqueIndex('review_responses_version_uq').on(t.caseId, t.version)],
);

/** One evidence item's manual state on a dispute. */
export interface EvidenceMark {
  checked: boolean;
  note?: string;
  by?: string;
  at?: string;
}

/**
 * The store's orders, from the store platform's webhooks (Shopify orders/create, updated,
 * cancelled): who bought what, under the name the team knows ("#1042"). Personal data: kept as
 * long as the store keeps its cases.
 */
export const orders = pgTable(
  'orders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    /** The platform's own id (Shopify's numeric order id). */
    externalId: text('external_id').notNull(),
    /** "#1042": what the customer and the team call it. */
    name: text('name').notNull(),
    email: text('email'),
    customerName: text('customer_name'),
    customerExternalId: text('customer_external_id'),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    country: text('country'),
    items: jsonb('items').$type<OrderItem[]>().notNull().default([]),
    financialStatus: text('financial_status'),
    fulfillmentStatus: text('fulfillment_status'),
    placedAt: ts('placed_at').notNull(),
    cancelledAt: ts('cancelled_at'),
    /** The platform's time of the newest version applied: older deliveries are stale and ignored. */
    providerUpdatedAt: ts('provider_updated_at'),
    receivedAt: ts('received_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('orders_provider_external_uq').on(t.provider, t.externalId),
    index('orders_name_idx').on(t.name),
    index('orders_email_idx').on(sql`lower(${t.email})`),
    index('orders_customer_idx').on(t.provider, t.customerExternalId),
  ],
);

/**
 * Shipments of the store's orders (Shopify fulfillments): carrier, tracking and where the parcel
 * is. Kept by their own id, so a fulfillment that arrives before its order is not lost.
 */
export const orderFulfillments = pgTable(
  'order_fulfillments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    orderExternalId: text('order_external_id').notNull(),
    /** pending | open | success | cancelled | error | failure */
    status: text('status').notNull(),
    /** label_printed | in_transit | out_for_delivery | delivered | failure | … (null: not yet scanned) */
    shipmentStatus: text('shipment_status'),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    trackingUrl: text('tracking_url'),
    items: jsonb('items').$type<OrderItem[]>().notNull().default([]),
    fulfilledAt: ts('fulfilled_at').notNull(),
    /** First seen delivered (the platform's update time of that version). */
    deliveredAt: ts('delivered_at'),
    providerUpdatedAt: ts('provider_updated_at'),
    receivedAt: ts('received_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('order_fulfillments_provider_external_uq').on(t.provider, t.externalId),
    index('order_fulfillments_order_idx').on(t.provider, t.orderExternalId),
  ],
);

/** Money given back on the store's orders (Shopify refunds). */
export const orderRefunds = pgTable(
  'order_refunds',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    orderExternalId: text('order_external_id').notNull(),
    amount: numeric('amount').notNull(),
    currency: text('currency'),
    note: text('note'),
    items: jsonb('items').$type<OrderItem[]>().notNull().default([]),
    refundedAt: ts('refunded_at').notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('order_refunds_provider_external_uq').on(t.provider, t.externalId),
    index('order_refunds_order_idx').on(t.provider, t.orderExternalId),
  ],
);

/**
 * The store platform's customers: its own count of orders and lifetime spend, which include
 * orders placed before Trustloop was connected. Personal data, like orders.
 */
export const customers = pgTable(
  'customers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    email: text('email'),
    name: text('name'),
    country: text('country'),
    ordersCount: integer('orders_count'),
    totalSpent: numeric('total_spent'),
    currency: text('currency'),
    providerUpdatedAt: ts('provider_updated_at'),
    receivedAt: ts('received_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('customers_provider_external_uq').on(t.provider, t.externalId),
    index('customers_email_idx').on(sql`lower(${t.email})`),
  ],
);

/**
 * An import of the store's order history (Shopify's Admin API): where it has got to, so an
 * interrupted run continues from the page after the last one stored. One row per shop; a new
 * run once the last one finished starts it over.
 */
export const storeBackfills = pgTable(
  'store_backfills',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    shop: text('shop').notNull(),
    /** Orders created from this time on are imported. */
    since: ts('since').notNull(),
    /** The page cursor after the last page stored; null: from the start. */
    cursor: text('cursor'),
    done: integer('done').notNull().default(0),
    /** The platform's count of orders to import, when it gave one. */
    estimated: integer('estimated'),
    /** running | finished */
    status: text('status').notNull(),
    startedAt: ts('started_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    finishedAt: ts('finished_at'),
  },
  (t) => [uniqueIndex('store_backfills_provider_shop_uq').on(t.provider, t.shop)],
);

/** A payment dispute (Stripe, PayPal, Shopify, generic): one case each, moved by every update. */
export const disputes = pgTable(
  'disputes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'set null' }),
    /** inquiry | chargeback | pre_arbitration | arbitration */
    stage: text('stage').notNull(),
    /** The provider's own status word. */
    status: text('status').notNull(),
    /** needs_response | under_review | won | lost | closed */
    state: text('state').notNull(),
    reasonCode: text('reason_code').notNull(),
    reasonText: text('reason_text').notNull(),
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    respondBy: ts('respond_by'),
    /** When the current respond-by deadline became known: starts its reminder cycle. */
    respondBySetAt: ts('respond_by_set_at'),
    /** Evidence submitted or the dispute answered: stops the reminders. */
    respondedAt: ts('responded_at'),
    /** When the deadline job must look at the dispute next (its next reminder rung); null: nothing ahead. */
    remindAt: ts('remind_at').default(sql`'epoch'::timestamptz`),
    respondedBy: text('responded_by'),
    /** The order as the team knows it ("#1042"). */
    orderRef: text('order_ref'),
    /** The store platform's id of the order, when that is all the provider sent (Shopify disputes). */
    orderExternalId: text('order_external_id'),
    chargeRef: text('charge_ref'),
    customerEmail: text('customer_email'),
    customerName: text('customer_name'),
    openedAt: ts('opened_at').notNull(),
    closedAt: ts('closed_at'),
    /** won | lost, for the metrics; null while open or when settled otherwise. */
    outcome: text('outcome'),
    evidence: jsonb('evidence').$type<Record<string, EvidenceMark>>().notNull().default({}),
    /** The provider's time of the newest update applied: older deliveries are stale and ignored. */
    providerUpdatedAt: ts('provider_updated_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('disputes_provider_external_uq').on(t.provider, t.externalId),
    index('disputes_case_idx').on(t.caseId),
    index('disputes_deadline_idx')
      .on(t.remindAt)
      .where(sql`${t.respondedAt} is null and ${t.closedAt} is null`),
    // The weekly digest: disputes opened and closed in a week, and those still open at its end.
    index('disputes_opened_idx').on(t.openedAt),
    index('disputes_closed_idx').on(t.closedAt),
    index('disputes_open_idx')
      .on(t.openedAt)
      .where(sql`${t.closedAt} is null`),
  ],
);

/** Evidence documents requested from a dispute card; the file id makes a retried upload visible. */
export const evidenceExports = pgTable('evidence_exports', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  disputeId: bigint('dispute_id', { mode: 'number' })
    .notNull()
    .references(() => disputes.id, { onDelete: 'cascade' }),
  requestedBy: text('requested_by').notNull(),
  requestedAt: ts('requested_at').notNull(),
  fileId: text('file_id'),
  bytes: integer('bytes'),
  completedAt: ts('completed_at'),
});

/**
 * Supply-chain alerts: negative reviews and damaged/quality tickets about one product reaching
 * the configured count within the window. Later reports extend the same cluster (a reply in the
 * alert's thread) rather than raising a new alert, until the product is quiet for a window.
 */
export const clusterAlerts = pgTable(
  'cluster_alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    productKey: text('product_key').notNull(),
    productLabel: text('product_label').notNull(),
    caseIds: jsonb('case_ids').$type<number[]>().notNull(),
    firstItemAt: ts('first_item_at').notNull(),
    lastItemAt: ts('last_item_at').notNull(),
    channel: text('channel').notNull(),
    slackTs: text('slack_ts'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('cluster_alerts_product_idx').on(t.productKey, t.lastItemAt)],
);

// ---- Weekly voice-of-customer digest and fix items -------------------------------

/** What a published digest said, kept whole so it can be shown again exactly as it was. */
export interface StoredDigest {
  /** The digest's figures (domain model), for the chart and for anything shown again. */
  model: DigestModel;
  main: { text: string; blocks: KnownBlock[] };
  thread: { text: string; blocks: KnownBlock[] }[];
}

/**
 * One row per published week: the unique week makes a second publication impossible by
 * construction, whichever replica, restart or manager tries.
 */
export const digests = pgTable(
  'digests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The Monday (store time) the week starts, as a date. */
    weekStart: text('week_start').notNull(),
    periodStart: ts('period_start').notNull(),
    periodEnd: ts('period_end').notNull(),
    channel: text('channel').notNull(),
    content: jsonb('content').$type<StoredDigest>().notNull(),
    /** schedule, or the user id of the manager who published it. */
    publishedBy: text('published_by').notNull(),
    createdAt: ts('created_at').notNull(),
    slackTs: text('slack_ts'),
    chartFileId: text('chart_file_id'),
  },
  (t) => [uniqueIndex('digests_week_uq').on(t.weekStart)],
);

/**
 * "Fix the page, not the reply": a change to make at the source of a repeated question, with an
 * owner and a due date. Done fixes are followed in later digests (the tag's volume before and since).
 */
export const fixItems = pgTable(
  'fix_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tag: text('tag').notNull(),
    /** A product key (sku:… / name:…) when the question is about one product, else null. */
    productKey: text('product_key'),
    productLabel: text('product_label'),
    /** A target id from the digest config (product_page, faq, …). */
    target: text('target').notNull(),
    ownerId: text('owner_id').notNull(),
    dueOn: text('due_on').notNull(),
    note: text('note'),
    /** open | done */
    state: text('state').notNull().default('open'),
    /** The digest week the fix came from, and the tag's volume that week. */
    weekStart: text('week_start'),
    weekCount: integer('week_count'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    doneAt: ts('done_at'),
    doneBy: text('done_by'),
  },
  (t) => [
    index('fix_items_open_idx')
      .on(t.dueOn)
      .where(sql`${t.state} = 'open'`),
    index('fix_items_done_idx')
      .on(t.doneAt)
      .where(sql`${t.state} = 'done'`),
    // One open fix per repeated question (tag and product) and digest week: a form submitted
    // twice, or by two people, makes one fix.
    uniqueIndex('fix_items_open_question_uq')
      .on(t.tag, sql`coalesce(${t.productKey}, '')`, t.weekStart)
      .where(sql`${t.state} = 'open'`),
  ],
);

export type Digest = typeof digests.$inferSelect;
export type FixItem = typeof fixItems.$inferSelect;
// ---- Metrics ----------------------------------------------------------------------

/**
 * Customer satisfaction ratings (1–5), one per case: from the ingest API or the one-click
 * rating link. A later rating of the same case replaces the earlier one (the customer changed
 * their mind), so a case counts once.
 */
export const csatResponses = pgTable(
  'csat_responses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: bigint('case_id', { mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
    comment: text('comment'),
    /** api | link */
    via: text('via').notNull(),
    respondedAt: ts('responded_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('csat_responses_case_uq').on(t.caseId), index('csat_responses_responded_idx').on(t.respondedAt)],
);

export type CsatResponse = typeof csatResponses.$inferSelect;

// ---- Review requests after delivery ----------------------------------------------------

export interface RequestedProduct {
  key: string;
  name: string;
  /** The store platform's product id, when known (handing the request to Judge.me needs it). */
  productId?: string;
}

/**
 * One review request per delivered order: the unique order makes a replayed or repeated delivery
 * event schedule nothing more, on any replica. The schedule job looks at a request when its
 * check_at comes (the due time, a reminder, or the next look at a hold).
 */
export const reviewRequests = pgTable(
  'review_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderProvider: text('order_provider').notNull(),
    orderExternalId: text('order_external_id').notNull(),
    /** The order as the team and the customer's cases name it ("#1042"). */
    orderName: text('order_name'),
    /** Lower-cased: unsubscribes, caps and erasure match on it. */
    customerEmail: text('customer_email').notNull(),
    customerName: text('customer_name'),
    country: text('country'),
    timezone: text('timezone'),
    language: text('language'),
    products: jsonb('products').$type<RequestedProduct[]>().notNull(),
    deliveredAt: ts('delivered_at').notNull(),
    /** scheduled | held | sent | reviewed | skipped | completed (domain REQUEST_STATUSES). */
    status: text('status').notNull(),
    dueAt: ts('due_at').notNull(),
    checkAt: ts('check_at'),
    sends: integer('sends').notNull().default(0),
    holdReasons: text('hold_reasons')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    heldSince: ts('held_since'),
    /** Ever held back because of an open case, refund or dispute (for the figures). */
    everHeld: boolean('ever_held').notNull().default(false),
    skipReason: text('skip_reason'),
    firstSentAt: ts('first_sent_at'),
    lastSentAt: ts('last_sent_at'),
    /** When a review by the customer arrived after the request was sent. */
    reviewedAt: ts('reviewed_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('review_requests_order_uq').on(t.orderProvider, t.orderExternalId),
    index('review_requests_check_idx')
      .on(t.checkAt)
      .where(sql`${t.checkAt} is not null`),
    index('review_requests_email_idx').on(t.customerEmail, t.firstSentAt),
    index('review_requests_first_sent_idx').on(t.firstSentAt),
  ],
);

/**
 * Each e-mail of a request (0: the request, 1 and 2: reminders), keyed (request, step): a send is
 * recorded, and its outbox row written, at most once however many replicas or restarts try.
 */
export const reviewRequestSends = pgTable(
  'review_request_sends',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: bigint('request_id', { mode: 'number' })
      .notNull()
      .references(() => reviewRequests.id, { onDelete: 'cascade' }),
    step: smallint('step').notNull(),
    queuedAt: ts('queued_at').notNull(),
    /** queued | sending (one try is handing it over) | sent | suppressed (unsubscribed or erased before it left) | failed */
    status: text('status').notNull().default('queued'),
    sentAt: ts('sent_at'),
    messageId: text('message_id'),
  },
  (t) => [uniqueIndex('review_request_sends_once_uq').on(t.requestId, t.step)],
);

/** Addresses that must get no more review requests: unsubscribed (one click) or erased. */
export const emailSuppressions = pgTable('email_suppressions', {
  /** Lower-cased address. */
  email: text('email').primaryKey(),
  /** unsubscribed | erased */
  reason: text('reason').notNull(),
  createdAt: ts('created_at').notNull(),
});

export type ReviewRequest = typeof reviewRequests.$inferSelect;
export type ReviewRequestSend = typeof reviewRequestSends.$inferSelect;

// ---- Replies to customers -----------------------------------------------------------

/** A promise-check finding as stored with a draft (the rule it breaks, the words, what the policy says). */
export interface StoredFinding {
  rule: string;
  excerpt: string;
  policy: string;
}

/**
 * A reply drafted from a case card: the five parts as the agent left them, the exact text they
 * make, what the promise check found, and how far it got towards the customer. Each save is a new
 * version; only the newest can be sent, and the unique (case, version) makes two saves distinct.
 */
export const replyDrafts = pgTable(
  'reply_drafts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: bigint('case_id', { mode: 'number' })
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    language: text('language').notNull(),
    /** The reply type the composer drafted for (delay, damage, refund, …). */
    type: text('type').notNull(),
    greeting: text('greeting').notNull(),
    parts: jsonb('parts').$type<{ confirmation: string; status: string; next: string; needs: string | null; contact: string }>().notNull(),
    signoff: text('signoff').notNull(),
    /** The whole text exactly as the customer will read it: what is shown in Slack and what is sent. */
    body: text('body').notNull(),
    findings: jsonb('findings').$type<StoredFinding[]>().notNull().default([]),
    /** Questions the store's policy could not answer while drafting (delivery_window, refunds, …). */
    gaps: text('gaps')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Where Send delivers it (email, zendesk, judgeme, …); null: no channel is set up, staff copy the text. */
    channel: text('channel'),
    /** The address, ticket or review id the reply goes to on that channel. */
    target: text('target'),
    draftedBy: text('drafted_by').notNull(),
    draftedAt: ts('drafted_at').notNull(),
    /** draft | sending | sent | failed | superseded */
    status: text('status').notNull().default('draft'),
    approvedBy: text('approved_by'),
    approvedAt: ts('approved_at'),
    /** The sender sent a flagged draft on their own word: who, why, when (also in the audit log). */
    overrideBy: text('override_by'),
    overrideReason: text('override_reason'),
    overrideAt: ts('override_at'),
    /** A must-escalate case: the person who confirmed the reply may go. */
    escalationConfirmedBy: text('escalation_confirmed_by'),
    sentBy: text('sent_by'),
    sendRequestedAt: ts('send_requested_at'),
    /**
     * When a delivery started handing the reply to its channel (database time); null between tries.
     * A second delivery that finds it set does not send: the first may have reached the customer.
     */
    sendingSince: ts('sending_since'),
    sentAt: ts('sent_at'),
    /** The provider's id of what was sent (a Message-ID, a comment id). */
    externalId: text('external_id'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('reply_drafts_version_uq').on(t.caseId, t.version), index('reply_drafts_case_idx').on(t.caseId, t.id)],
);

export type ReplyDraftRow = typeof replyDrafts.$inferSelect;

export type WebhookInboxRow = typeof webhookInbox.$inferSelect;
export type Review = typeof reviews.$inferSelect;
export type ReviewResponse = typeof reviewResponses.$inferSelect;
export type Dispute = typeof disputes.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type OrderFulfillment = typeof orderFulfillments.$inferSelect;
export type OrderRefund = typeof orderRefunds.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type ClusterAlert = typeof clusterAlerts.$inferSelect;

export type Case = typeof cases.$inferSelect;
/** One of the customer's other cases, as the cards list them: its own columns and how many messages it has. */
export type RelatedCase = Pick<
  Case,
  | 'id'
  | 'kind'
  | 'source'
  | 'status'
  | 'subject'
  | 'channelId'
  | 'slackTs'
  | 'customerName'
  | 'customerEmail'
  | 'orderId'
  | 'orderAmount'
  | 'orderCurrency'
  | 'orderCountry'
  | 'orderItems'
  | 'receivedAt'
> & { messages: number };
export type NewCase = typeof cases.$inferInsert;
export type CaseMessage = typeof caseMessages.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type StoreBackfill = typeof storeBackfills.$inferSelect;
