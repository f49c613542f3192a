import type { AuditEvent } from '../domain/audit';
import { requestPolicy } from '../config/review-requests';
import type { WorkspaceConfig } from '../config/workspace';
import { SYSTEM_ACTOR } from '../domain/case';
import {
  customerZones,
  DAY_MS,
  type Decision,
  decide,
  type DeliveredProduct,
  firstDueAt,
  nextDueAfterSend,
  type RequestContext,
  type RequestStatus,
} from '../domain/review-requests';
import type { Db } from '../db/client';
import { insertEvent } from '../db/queries/cases';
import { getOrderByExternal } from '../db/queries/orders';
import { enqueue } from '../db/queries/outbox';
import {
  claimDueRequests,
  claimSend,
  releaseSend,
  getRequest,
  getSend,
  getSuppression,
  insertRequest,
  markSend,
  eraseRequests,
  recordSend,
  requestFacts,
  suppressEmail,
  updateRequest,
} from '../db/queries/review-requests';
import { buildRequestEmail, requestLanguage } from '../domain/review-request-email';
import type { ReviewRequest } from '../db/schema';
import type { Deps } from './deps';

// Review requests after delivery, as a flow: a delivered order schedules one request (exactly once
// per order, whichever replica hears of it), and the schedule job moves each request along when
// its time comes: hold, skip, wait for the customer's daytime, or queue the e-mail in the outbox.
// Services return facts; the e-mail is written at delivery time from the stored request.

/** The outbox kind that sends one e-mail of a request (its delivery re-checks unsubscribes first). */
/** The outbox pacing key for request e-mails (the SMTP server's pace, not a Slack channel's). */
export const REQUEST_EMAIL_CHANNEL = 'email:review_requests';

/** Held requests are looked at again this often, so a closed case releases them within minutes. */
const HOLD_RECHECK_MS = 15 * 60_000;

export interface DeliveredOrder {
  /** The store platform and its order id: one request per order. */
  provider: string;
  orderId: string;
  /** The order's name as the team and the customer's cases know it ("#1042"). */
  orderName?: string | null;
  customer: { email: string | null; name?: string | null; timezone?: string | null; language?: string | null };
  country: string | null;
  products: DeliveredProduct[];
  deliveredAt: Date;
}

export type DeliveredOutcome =
  | { scheduled: true; requestId: number; dueAt: Date; created: boolean }
  | { scheduled: false; reason: 'off' | 'no_email' | 'no_products' };

/** A delivered order: schedules its review request (once). Runs in the caller's transaction. */
export async function orderDelivered(tx: Db, deps: Pick<Deps, 'config' | 'logger'>, o: DeliveredOrder, now: Date): Promise<DeliveredOutcome> {
  const cfg = deps.config.review_requests;
  if (!cfg.enabled) return { scheduled: false, reason: 'off' };
  const email = o.customer.email?.trim().toLowerCase();
  if (!email) return { scheduled: false, reason: 'no_email' };
  if (o.products.length === 0) return { scheduled: false, reason: 'no_products' };
  const policy = requestPolicy(cfg, deps.config.store.timezone);
  const zones = zonesOf(deps.config, o.customer.timezone ?? null, o.country);
  const dueAt = firstDueAt(policy, { country: o.country, products: o.products, deliveredAt: o.deliveredAt }, zones);
  const row = await insertRequest(tx, {
    orderProvider: o.provider,
    orderExternalId: o.orderId,
    orderName: o.orderName ?? null,
    customerEmail: email,
    customerName: o.customer.name ?? null,
    country: o.country?.toUpperCase() ?? null,
    timezone: o.customer.timezone ?? null,
    language: o.customer.language ?? null,
    products: o.products.map((p) => ({ key: p.key, name: p.name, ...(p.productId ? { productId: p.productId } : {}) })),
    deliveredAt: o.deliveredAt,
    status: 'scheduled',
    dueAt,
    checkAt: dueAt,
    createdAt: now,
    updatedAt: now,
  });
  if (!row) {
    // The order's request exists already (a second fulfilment, a replayed webhook): nothing more.
    return { scheduled: true, requestId: -1, dueAt, created: false };
  }
  await insertEvent(tx, {
    caseId: null,
    actor: SYSTEM_ACTOR,
    action: 'review_request_scheduled',
    data: { requestId: row.id, order: o.orderName ?? o.orderId, dueAt: dueAt.toISOString() },
    at: now,
  });
  deps.logger.info({ requestId: row.id, dueAt }, 'review request scheduled');
  return { scheduled: true, requestId: row.id, dueAt, created: true };
}

/**
 * A shipment the platform reports delivered: its order's request is scheduled from the delivery
 * time, for the items of that shipment. An order Trustloop has not seen (connected after it was
 * placed) has no customer to ask, and schedules nothing.
 */
export async function fulfillmentDelivered(
  tx: Db,
  deps: Pick<Deps, 'config' | 'logger'>,
  f: { provider: string; orderExternalId: string; items: { name: string; sku?: string | null | undefined; productId?: string | null }[]; deliveredAt: Date },
  now: Date,
): Promise<DeliveredOutcome | null> {
  if (!deps.config.review_requests.enabled) return null;
  const order = await getOrderByExternal(tx, { provider: f.provider, externalId: f.orderExternalId });
  if (!order) return null;
  const items: { name: string; sku?: string | null; productId?: string | null }[] = f.items.length > 0 ? f.items : order.items;
  const seen = new Set<string>();
  const keyOf = (i: { name: string; sku?: string | null }) => i.sku?.trim() || `name:${i.name.trim().toLowerCase()}`;
  // A fulfilment may not carry the product id: the order's line of the same SKU or name does.
  const orderIds = new Map(order.items.filter((i) => i.productId).map((i) => [keyOf(i), i.productId!]));
  const products = items
    .map((i) => {
      const key = keyOf(i);
      const productId = i.productId ?? orderIds.get(key);
      return { key, name: i.name, ...(productId ? { productId } : {}) };
    })
    .filter((p) => !seen.has(p.key) && seen.add(p.key));
  return orderDelivered(
    tx,
    deps,
    {
      provider: f.provider,
      orderId: f.orderExternalId,
      orderName: order.name,
      customer: { email: order.email, name: order.customerName },
      country: order.country,
      products,
      deliveredAt: f.deliveredAt,
    },
    now,
  );
}

function zonesOf(config: WorkspaceConfig, timezone: string | null, country: string | null): string[] {
  return customerZones({ timezone, country, storeTimezone: config.store.timezone });
}

const stripHash = (s: string) => s.trim().replace(/^#/, '');

async function contextOf(tx: Db, config: WorkspaceConfig, r: ReviewRequest, now: Date): Promise<RequestContext> {
  const policy = requestPolicy(config.review_requests, config.store.timezone);
  const facts = await requestFacts(tx, {
    requestId: r.id,
    email: r.customerEmail,
    since: r.firstSentAt ?? r.deliveredAt,
    capSince: new Date(now.getTime() - policy.customerCapDays * DAY_MS),
    repeatSince: new Date(now.getTime() - policy.productRepeatDays * DAY_MS),
  });
  const orderRefs = new Set([r.orderExternalId, r.orderName].filter((x): x is string => Boolean(x)).map(stripHash));
  return {
    unsubscribed: facts.suppressed === 'unsubscribed',
    erased: facts.suppressed === 'erased',
    hasEmail: !r.customerEmail.startsWith('erased:'),
    cases: facts.cases.map((c) => ({ open: c.open, tags: c.tags, aboutThisOrder: c.orderId !== null && orderRefs.has(stripHash(c.orderId)) })),
    openDispute: facts.openDispute,
    otherRequestsSentAt: facts.otherFirstSends,
    productsRecentlyRequested: new Set(facts.recentProducts),
    reviewed: facts.reviewedSince,
  };
}

export interface SweepResult {
  sent: number;
  held: number;
  skipped: number;
  completed: number;
  waiting: number;
}

/** Moves every request whose time has come. Runs in the job's transaction; one bad request does not stop the rest. */
export async function sweepReviewRequests(tx: Db, deps: Pick<Deps, 'config' | 'logger' | 'notify'>, now: Date): Promise<SweepResult> {
  const result: SweepResult = { sent: 0, held: 0, skipped: 0, completed: 0, waiting: 0 };
  const rows = await claimDueRequests(tx, { now, limit: 500 });
  for (const r of rows) {
    try {
      const d = await tx.transaction(async (sp) => advance(sp, deps.config, r, now));
      if (d.action === 'send') result.sent++;
      else if (d.action === 'hold') result.held++;
      else if (d.action === 'skip') result.skipped++;
      else if (d.action === 'complete') result.completed++;
      else result.waiting++;
    } catch (err) {
      deps.logger.error({ err, requestId: r.id }, 'review request could not be advanced');
    }
  }
  if (result.sent > 0) deps.notify();
  return result;
}

async function advance(tx: Db, config: WorkspaceConfig, r: ReviewRequest, now: Date): Promise<Decision> {
  const policy = requestPolicy(config.review_requests, config.store.timezone);
  const zones = zonesOf(config, r.timezone, r.country);
  const ctx = await contextOf(tx, config, r, now);
  const d = decide(
    policy,
    { status: r.status as RequestStatus, dueAt: r.dueAt, sends: r.sends, products: r.products, heldSince: r.heldSince },
    ctx,
    zones,
    now,
  );
  switch (d.action) {
    case 'wait':
      await updateRequest(tx, { id: r.id, patch: { checkAt: d.until, updatedAt: now } });
      break;
    case 'hold':
      await updateRequest(tx, {
        id: r.id,
        patch: { status: 'held', holdReasons: d.reasons, heldSince: r.heldSince ?? now, everHeld: true, checkAt: new Date(now.getTime() + HOLD_RECHECK_MS), updatedAt: now },
      });
      if (r.status !== 'held') await audit(tx, r, 'review_request_held', { reasons: d.reasons }, now);
      break;
    case 'skip':
      if (d.reason === 'unsubscribed' || d.reason === 'erased') await suppressEmail(tx, { email: r.customerEmail, reason: d.reason, at: now });
      await updateRequest(tx, { id: r.id, patch: { status: 'skipped', skipReason: d.reason, holdReasons: [], checkAt: null, updatedAt: now } });
      await audit(tx, r, 'review_request_skipped', { reason: d.reason }, now);
      break;
    case 'complete':
      await updateRequest(tx, {
        id: r.id,
        patch: {
          status: d.reason === 'reviewed' ? 'reviewed' : 'completed',
          checkAt: null,
          holdReasons: [],
          ...(d.reason === 'reviewed' && r.firstSentAt && !r.reviewedAt ? { reviewedAt: now } : {}),
          updatedAt: now,
        },
      });
      break;
    case 'send': {
      if (await recordSend(tx, { requestId: r.id, step: d.step, at: now })) {
        await enqueue(tx, [
          { kind: 'review_request_email', channel: REQUEST_EMAIL_CHANNEL, orderKey: `review_request:${r.id}`, payload: { requestId: r.id, step: d.step } },
        ]);
      }
      // Judge.me sends its own reminders: a request handed to it is complete once handed over.
      const next = config.review_requests.send_via === 'judgeme' ? null : nextDueAfterSend(policy, d.step, now, zones);
      await updateRequest(tx, {
        id: r.id,
        patch: {
          status: next ? 'sent' : 'completed',
          products: d.products,
          sends: d.step + 1,
          dueAt: next ?? r.dueAt,
          checkAt: next,
          holdReasons: [],
          heldSince: null,
          ...(d.step === 0 ? { firstSentAt: now } : {}),
          lastSentAt: now,
          updatedAt: now,
        },
      });
      if (r.status === 'held') await audit(tx, r, 'review_request_released', {}, now);
      break;
    }
  }
  return d;
}

function audit(tx: Db, r: ReviewRequest, action: AuditEvent, data: Record<string, unknown>, now: Date): Promise<void> {
  return insertEvent(tx, { caseId: null, actor: SYSTEM_ACTOR, action, data: { requestId: r.id, order: r.orderName ?? r.orderExternalId, ...data }, at: now });
}

// ---- sending and unsubscribing ---------------------------------------------------------------

/** The links an e-mail carries, made by the caller that knows the public address and the secret. */
export interface RequestLinks {
  /** The one-click unsubscribe address for this request (List-Unsubscribe and the footer). */
  unsubscribe(requestId: number): string;
}

export type RequestEmail =
  | {
      send: true;
      to: string;
      subject: string;
      text: string;
      messageId: string;
      headers: Record<string, string>;
    }
  | { send: false; reason: 'gone' | 'already_sent' | 'suppressed' };

/**
 * The e-mail for one step of a request, written at delivery time: an unsubscribe or erasure that
 * came after it was queued is honoured here, so a queued e-mail never goes out after either.
 */
/**
 * The request one queued step is for, if it may still go: an unsubscribe or erasure that came after
 * it was queued is honoured here, whoever sends it.
 */
async function sendableRequest(db: Db, p: { requestId: number; step: number }): Promise<{ r: ReviewRequest } | { send: false; reason: 'gone' | 'already_sent' | 'suppressed' }> {
  const r = await getRequest(db, { id: p.requestId });
  const send = await getSend(db, p);
  if (!r || !send) return { send: false, reason: 'gone' };
  if (send.status === 'sent') return { send: false, reason: 'already_sent' };
  if (send.status !== 'queued' || (await getSuppression(db, { email: r.customerEmail })) || r.customerEmail.startsWith('erased:')) {
    await markSend(db, { ...p, status: 'suppressed', at: new Date() });
    return { send: false, reason: 'suppressed' };
  }
  return { r };
}

export type RequestHandoff =
  | { send: true; name: string | null; email: string; productIds: string[]; deliveredAt: Date }
  | { send: false; reason: 'gone' | 'already_sent' | 'suppressed' };

/** What Judge.me is handed for a request: who, which products (by the platform's id) and when they arrived. */
export async function requestHandoff(db: Db, p: { requestId: number; step: number }): Promise<RequestHandoff> {
  const found = await sendableRequest(db, p);
  if (!('r' in found)) return found;
  const { r } = found;
  return { send: true, name: r.customerName, email: r.customerEmail, productIds: r.products.flatMap((x) => (x.productId ? [x.productId] : [])), deliveredAt: r.deliveredAt };
}

export async function requestEmail(db: Db, config: WorkspaceConfig, p: { requestId: number; step: number }, links: RequestLinks): Promise<RequestEmail> {
  const found = await sendableRequest(db, p);
  if (!('r' in found)) return found;
  const { r } = found;
  const cfg = config.review_requests;
  const language = requestLanguage(r.language, r.country, cfg.languages, cfg.default_language);
  const url = (key: string) => (cfg.review_url ?? '').replace('{product}', encodeURIComponent(key));
  const media = r.products.map((x) => cfg.ask_for_media.products[x.key] ?? cfg.ask_for_media.default);
  const unsubscribe = links.unsubscribe(r.id);
  const mail = buildRequestEmail({
    language,
    storeName: config.store.name,
    customerName: r.customerName,
    products: r.products.map((x) => ({ name: x.name, url: url(x.key) })),
    step: p.step,
    // Video when any product asks for it, else a photo when any does.
    media: media.includes('video') ? 'video' : media.includes('photo') ? 'photo' : 'none',
    unsubscribeUrl: unsubscribe,
  });
  return {
    send: true,
    to: r.customerEmail,
    subject: mail.subject,
    text: mail.text,
    messageId: `<review-request-${r.id}-${p.step}@trustloop>`,
    // RFC 8058: mail clients show their own Unsubscribe button and POST to the address at once.
    headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** Records how the delivery of one e-mail ended. */
export function recordRequestEmail(db: Db, p: { requestId: number; step: number; status: 'sent' | 'failed'; at: Date; messageId?: string }): Promise<void> {
  return markSend(db, p);
}

export type UnsubscribeOutcome = { found: false } | { found: true; stopped: number; alreadyUnsubscribed: boolean };

/** The customer's one-click unsubscribe: no more review requests to their address, queued ones included. */
export async function unsubscribeRequest(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, requestId: number): Promise<UnsubscribeOutcome> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const r = await getRequest(tx, { id: requestId });
    if (!r || r.customerEmail.startsWith('erased:')) return { found: false } as const;
    const before = await getSuppression(tx, { email: r.customerEmail });
    const stopped = await suppressEmail(tx, { email: r.customerEmail, reason: 'unsubscribed', at: now });
    if (!before) await audit(tx, r, 'review_request_unsubscribed', { stopped }, now);
    deps.logger.info({ requestId, stopped }, 'review requests unsubscribed');
    return { found: true, stopped, alreadyUnsubscribed: before !== null } as const;
  });
}

/** Erase-by-e-mail: no request is ever sent to the address again, and its requests stop naming the customer. */
export async function eraseCustomerRequests(deps: Pick<Deps, 'db' | 'clock'>, email: string): Promise<{ stopped: number; erased: number }> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const stopped = await suppressEmail(tx, { email, reason: 'erased', at: now });
    const erased = await eraseRequests(tx, { email, at: now });
    return { stopped, erased };
  });
}

/** Claims a queued e-mail for one try (see claimSend); false: another try has it, or it is no longer queued. */
export function claimRequestEmail(db: Db, p: { requestId: number; step: number }): Promise<boolean> {
  return claimSend(db, p);
}

/** Gives a claim back after a failure worth retrying. */
export function releaseRequestEmail(db: Db, p: { requestId: number; step: number }): Promise<void> {
  return releaseSend(db, p);
}
