import { createHash } from 'node:crypto';
import * as domain from '../../domain/case';
import { caseRef } from '../../domain/case';
import { disputePriority, isClosedState, mergeDispute, STAGE_LABELS } from '../../domain/disputes';
import { PROVIDER_LABELS } from '../../domain/reviews';
import type { Db } from '../../db/client';
import { getCase, insertCase, insertEvent, insertMessage, lockCase, updateCase } from '../../db/queries/cases';
import { insertDispute, lockDisputeByExternal, updateDispute } from '../../db/queries/disputes';
import { enqueue, enqueueCardUpdate, threadPost } from '../../db/queries/outbox';
import { orderCase, relatedCases } from '../../db/queries/related';
import type { Case, Dispute, Order } from '../../db/schema';
import type { DisputeEvent, DisputeMessage } from '../../domain/provider-events';
import type { TimelineFact } from '../../domain/timeline';
import { slaPatch, toState } from '../cases/state';
import { queueChargeLookup } from '../dispute-charges';
import type { Deps } from '../deps';
import { automaticEscalation, catalogueTags, escalatedPriority, judgeCase } from '../judgement';
import { findOrder, matchCase, matchedCaseFields } from '../orders';
import { isStale, storable } from '../provider-fields';

// Payment disputes as the providers report them: one case per dispute, always worked by a
// person; every provider update moves the same case; closure records won or lost.

export interface DisputeOutcome {
  disputeId: number;
  caseId: number | null;
  created: boolean;
  changed: boolean;
  /** Older than the newest update applied (providers deliver out of order): it changed nothing. */
  stale?: boolean;
}

export function disputesChannel(config: Deps['config']): string {
  return config.channels.disputes ?? config.channels.default;
}

/** PostgreSQL text cannot hold NUL: a provider's stray \u0000 becomes U+FFFD rather than a refused delivery. */
function storableDispute(e: DisputeEvent): DisputeEvent {
  return {
    ...e,
    externalId: storable(e.externalId),
    status: storable(e.status),
    reasonCode: storable(e.reasonCode),
    reasonText: storable(e.reasonText),
    ...(e.orderRef !== undefined ? { orderRef: storable(e.orderRef) } : {}),
    ...(e.chargeRef !== undefined ? { chargeRef: storable(e.chargeRef) } : {}),
    ...(e.customerEmail !== undefined ? { customerEmail: storable(e.customerEmail) } : {}),
    ...(e.customerName !== undefined ? { customerName: storable(e.customerName) } : {}),
    ...(e.orderExternalId !== undefined ? { orderExternalId: storable(e.orderExternalId) } : {}),
    ...(e.items ? { items: e.items.map((i) => ({ ...i, name: storable(i.name), ...(i.sku ? { sku: storable(i.sku) } : {}) })) } : {}),
    ...(e.messages ? { messages: e.messages.map((m) => ({ ...m, body: storable(m.body) })) } : {}),
  };
}

const MESSAGE_DIRECTION = { customer: 'customer', store: 'agent', provider: 'note' } as const;

/**
 * The buyer's (and the store's) messages inside the dispute go on the case's timeline, each once:
 * providers resend the whole list with every update, so each is keyed by what it says and when.
 */
async function recordDisputeMessages(
  tx: Db,
  c: Pick<Case, 'id' | 'channelId' | 'customerName'>,
  provider: string,
  messages: readonly DisputeMessage[],
  now: Date,
): Promise<number> {
  let added = 0;
  for (const m of messages.slice(-50)) {
    if (!m.body.trim()) continue;
    const key = createHash('sha256')
      .update(`${m.author}|${m.at?.toISOString() ?? ''}|${m.body}`)
      .digest('hex')
      .slice(0, 32);
    const label = PROVIDER_LABELS[provider] ?? provider;
    const stored = await insertMessage(tx, {
      caseId: c.id,
      direction: MESSAGE_DIRECTION[m.author],
      authorName: m.author === 'customer' ? c.customerName : m.author === 'store' ? `The store, through ${label}` : label,
      body: m.body,
      externalId: `${provider}-dispute-message:${key}`,
      createdAt: m.at && m.at < now ? m.at : now,
    });
    if (!stored) continue;
    added++;
    const entry: TimelineFact = {
      type: 'message',
      id: stored.id,
      caseId: c.id,
      direction: MESSAGE_DIRECTION[m.author],
      authorName: stored.authorName,
      body: stored.body,
      createdAt: stored.createdAt,
    };
    await enqueue(tx, [threadPost({ caseId: c.id, channel: c.channelId, entry })]);
  }
  return added;
}

function subjectOf(d: Pick<Dispute, 'stage' | 'reasonText' | 'amount' | 'currency'>): string {
  return `${STAGE_LABELS[d.stage] ?? d.stage}: ${d.reasonText} (${d.amount} ${d.currency})`;
}

function bodyOf(d: Dispute): string {
  const lines = [
    `${PROVIDER_LABELS[d.provider] ?? d.provider} ${STAGE_LABELS[d.stage]?.toLowerCase() ?? d.stage} ${d.externalId}: ${d.reasonText} (${d.reasonCode}).`,
    `Disputed amount: ${d.amount} ${d.currency}.`,
    d.respondBy ? `Respond by ${d.respondBy.toISOString()}.` : 'No respond-by deadline given.',
  ];
  if (d.chargeRef) lines.push(`Payment: ${d.chargeRef}.`);
  return lines.join('\n');
}

/** Creates or moves the dispute's case. Runs in the caller's transaction. */
export async function applyDisputeEvent(tx: Db, deps: Deps, raw: DisputeEvent, now: Date): Promise<DisputeOutcome> {
  const e = storableDispute(raw);
  const current = await lockDisputeByExternal(tx, { provider: e.provider, externalId: e.externalId });
  if (!current) return openDispute(tx, deps, e, now);
  const unchanged = { disputeId: current.id, caseId: current.caseId, created: false, changed: false };
  if (isStale(e.occurredAt, current.providerUpdatedAt)) {
    deps.logger.info(
      { disputeId: current.id, eventId: e.eventId, occurredAt: e.occurredAt, newest: current.providerUpdatedAt },
      'stale dispute update ignored',
    );
    return { ...unchanged, stale: true };
  }
  const c0 = current.caseId === null ? null : await getCase(tx, { id: current.caseId });
  const added = c0 && e.messages ? await recordDisputeMessages(tx, c0, e.provider, e.messages, now) : 0;
  const newest = e.occurredAt ? { providerUpdatedAt: e.occurredAt } : {};
  const merge = mergeDispute(
    {
      stage: current.stage,
      status: current.status,
      state: current.state,
      reasonCode: current.reasonCode,
      reasonText: current.reasonText,
      amount: current.amount,
      currency: current.currency,
      respondBy: current.respondBy,
      respondedAt: current.respondedAt,
      closedAt: current.closedAt,
      outcome: current.outcome,
    },
    e,
    now,
  );
  if (merge.stale || Object.keys(merge.patch).length === 0) {
    deps.logger.info({ disputeId: current.id, stale: merge.stale }, 'dispute update changes nothing');
    // Still the newest word from the provider: an older update arriving next must not move the dispute.
    if (e.occurredAt) await updateDispute(tx, { id: current.id, patch: newest });
    if (merge.stale) return { ...unchanged, stale: true };
    return added > 0 ? { ...unchanged, changed: true } : unchanged;
  }
  // A new deadline, a new need to respond or a reopen: the deadline job looks at it on its next tick.
  const p = merge.patch;
  const remind = p.respondBy !== undefined || p.respondedAt !== undefined || p.closedAt !== undefined ? { remindAt: now } : {};
  const d = await updateDispute(tx, { id: current.id, patch: { ...merge.patch, ...newest, ...remind, updatedAt: now } });
  if (d.caseId === null) return { disputeId: d.id, caseId: null, created: false, changed: true };
  const c = await lockCase(tx, { id: d.caseId });
  if (!c) return { disputeId: d.id, caseId: null, created: false, changed: true };
  let patch: Partial<Case> = { subject: subjectOf(d), body: bodyOf(d) };
  let reopenedStage: string | null = null;
  if (merge.closed) {
    const resolved = domain.resolve(toState(c), e.provider, now);
    if (resolved.changed) patch = { ...patch, ...resolved.patch };
    await insertEvent(tx, {
      caseId: c.id,
      actor: e.provider,
      action: 'dispute_closed',
      data: { outcome: d.outcome, state: d.state },
      at: now,
    });
  } else if (merge.reopened) {
    const reopened = domain.reopen(toState(c), e.provider, { stage: d.stage });
    if (reopened.changed) patch = { ...patch, ...reopened.patch };
    reopenedStage = d.stage;
  }
  // SLA: a close or reopen is kept for the clocks; the provider saying the dispute was
  // answered (under review) is the team's response.
  const answered = merge.patch.respondedAt && !merge.closed ? now : undefined;
  patch = { ...patch, ...slaPatch(deps.config.sla, c, { status: patch.status, agentResponseAt: answered }, now) };
  await updateCase(tx, { id: c.id, patch, now });
  await insertEvent(tx, {
    caseId: c.id,
    actor: e.provider,
    action: 'dispute_updated',
    data: { disputeId: d.id, changes: merge.changes.map((ch) => ({ ...ch })), status: d.status },
    at: now,
  });
  if (merge.changes.length > 0 || merge.closed || reopenedStage !== null) {
    const closed = merge.closed ? { outcome: d.outcome, state: d.state } : null;
    const entry: TimelineFact = { type: 'dispute_updated', caseId: c.id, changes: merge.changes, closed, reopenedStage, at: now };
    await enqueue(tx, [threadPost({ caseId: c.id, channel: c.channelId, entry })]);
  }
  await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
  return { disputeId: d.id, caseId: c.id, created: false, changed: true };
}

async function openDispute(tx: Db, deps: Deps, e: DisputeEvent, now: Date): Promise<DisputeOutcome> {
  const { config } = deps;
  const closing = isClosedState(e.state) || e.action === 'closed';
  const state = closing && !isClosedState(e.state) ? 'closed' : e.state;
  // A dispute that names only the platform's order id (Shopify) is shown with the order's name.
  const stored: Order | null =
    !e.orderRef && e.orderExternalId ? await findOrder(tx, { provider: e.provider, externalId: e.orderExternalId }) : null;
  const inserted = await insertDispute(tx, {
    provider: e.provider,
    externalId: e.externalId,
    stage: e.stage,
    status: e.status,
    state,
    reasonCode: e.reasonCode,
    reasonText: e.reasonText,
    amount: e.amount,
    currency: e.currency,
    respondBy: e.respondBy,
    respondBySetAt: e.respondBy ? now : null,
    respondedAt: state === 'needs_response' ? null : now,
    orderRef: e.orderRef ?? stored?.name ?? null,
    orderExternalId: e.orderExternalId ?? null,
    chargeRef: e.chargeRef ?? null,
    customerEmail: e.customerEmail?.trim().toLowerCase() ?? stored?.email ?? null,
    customerName: e.customerName?.trim() || stored?.customerName || null,
    openedAt: e.createdAt,
    providerUpdatedAt: e.occurredAt ?? null,
    closedAt: closing ? now : null,
    outcome: state === 'won' || state === 'lost' ? state : null,
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) {
    // A concurrent delivery of another event about this dispute created it first: apply this one on top.
    return applyDisputeEvent(tx, deps, e, now);
  }
  const d = inserted;
  // The store's memory: the order the dispute is about (by its name or the platform's id, else the buyer's latest).
  const match = await matchCase(tx, {
    refs: [d.orderRef, d.orderExternalId],
    text: '',
    email: d.customerEmail,
    at: d.openedAt,
  });
  const known = match ? matchedCaseFields(match) : null;
  const related = await relatedCases(tx, { email: d.customerEmail, orderRef: d.orderRef });
  const order = orderCase(related);
  // The clocks start now, when Trustloop hears of it (a first connection can deliver old disputes);
  // reports count it when it was opened.
  const reportedAt = e.createdAt > now ? now : e.createdAt;
  // Judged as tickets are: a dispute is a chargeback, which its rules send to a person
  // (judgement.rules.chargeback), so it arrives escalated unless that rule is switched off.
  const j = await judgeCase(
    tx,
    deps,
    {
      // Judged on the provider's facts (a chargeback, its amount), never on text Trustloop wrote:
      // a dispute is reported by its reason code, not as a customer's question.
      subject: '',
      body: '',
      source: 'dispute',
      kind: 'dispute',
      customer: { orderCount: known?.customerOrderCount ?? null, tags: [] },
      order: {
        amount: d.amount,
        currency: d.currency,
        itemCount: known?.orderItems ? known.orderItems.reduce((n, i) => n + i.quantity, 0) : null,
      },
      productKeys: [],
    },
    now,
  );
  const tags = catalogueTags(j, config).filter((t) => t === 'chargeback');
  const auto = closing ? null : automaticEscalation(j, config, now);
  const escalation = auto?.escalation ?? null;
  const { id, created } = await insertCase(tx, {
    kind: 'dispute',
    source: e.provider,
    externalId: e.externalId,
    subject: subjectOf(d),
    body: bodyOf(d),
    customerName: d.customerName ?? order?.customerName ?? null,
    customerEmail: d.customerEmail ?? order?.customerEmail?.toLowerCase() ?? null,
    orderId: d.orderRef ?? known?.orderId ?? order?.orderId ?? null,
    orderAmount: stored?.amount ?? known?.orderAmount ?? order?.orderAmount ?? null,
    orderCurrency: stored ? stored.currency : known ? known.orderCurrency : order?.orderAmount ? order.orderCurrency : null,
    orderCountry: stored?.country ?? known?.orderCountry ?? order?.orderCountry ?? null,
    orderItems: stored?.items.length ? stored.items : (known?.orderItems ?? order?.orderItems ?? (e.items?.length ? e.items : null)),
    customerOrderCount: known?.customerOrderCount ?? null,
    carrier: known?.carrier ?? null,
    matchedOrderId: known?.matchedOrderId ?? null,
    priority: escalation ? escalatedPriority(config) : disputePriority(config.priorities.levels),
    tags,
    suggestedTags: tags,
    judgement: j,
    sentiment: j.sentiment,
    automatable: false,
    escalation,
    channelId: disputesChannel(config),
    receivedAt: now,
    reportedAt,
    actor: e.provider,
    eventData: { disputeId: d.id, stage: d.stage, amount: d.amount, currency: d.currency, reasonCode: d.reasonCode },
    ...auto?.with,
  });
  await updateDispute(tx, { id: d.id, patch: { caseId: id } });
  // Who paid and for which order, from the store's Stripe account: after this commits, off the webhook's request.
  if (created) await queueChargeLookup(tx, deps, { id: d.id, caseId: id, chargeRef: d.chargeRef }, now);
  if (created && e.messages) {
    await recordDisputeMessages(tx, { id, channelId: disputesChannel(config), customerName: d.customerName }, e.provider, e.messages, now);
  }
  if (created && closing) {
    const c = await lockCase(tx, { id });
    const resolved = domain.resolve(toState(c!), e.provider, now);
    if (resolved.changed) {
      const patch = resolved.patch;
      await updateCase(tx, { id, patch: { ...patch, ...slaPatch(deps.config.sla, c!, { status: patch.status }, now) }, now });
    }
    await insertEvent(tx, { caseId: id, actor: e.provider, action: 'dispute_closed', data: { outcome: d.outcome, state }, at: now });
  }
  if (created) deps.logger.info({ caseId: id, ref: caseRef(id), provider: e.provider, stage: d.stage }, 'dispute case created');
  return { disputeId: d.id, caseId: id, created, changed: true };
}
