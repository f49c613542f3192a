import type { AuditEvent } from '../domain/audit';
import type { Db } from '../db/client';
import { insertEvent, listEvents, lockCase, updateCase } from '../db/queries/cases';
import { getDispute, lockDisputeByCase, updateDispute } from '../db/queries/disputes';
import { enqueue, enqueueCardUpdate } from '../db/queries/outbox';
import type { Case } from '../db/schema';
import { CHARGE_LOOKUP_CHANNEL, CHARGE_LOOKUP_SETTING, type ChargeFacts, ChargeLookupError, isStripePaymentRef } from './charge-lookup';
import type { ChargeLookupLine } from '../domain/charge-lookup';
import type { Deps } from './deps';
import { matchCase, matchedCaseFields } from './orders';
import { storable } from './provider-fields';

// A dispute names only the charge; with a restricted Stripe key the charge says who paid, for
// which order and where the receipt is. The lookup runs from the outbox after the dispute's case
// is committed: the webhook is answered without waiting for Stripe, a Stripe outage is retried
// with the outbox's backoff, and a missing key or a refused one leaves a note on the case. A ticket
// whose sender named the Stripe payment (order.payment_id) but matched no stored order is looked
// up the same way.

const LOOKED_UP: AuditEvent = 'charge_looked_up';

/** Queues the lookup of a new dispute's charge, or notes why there is none. Runs in the dispute's transaction. */
export async function queueChargeLookup(
  tx: Db,
  deps: Pick<Deps, 'charges' | 'logger'>,
  d: { id: number; caseId: number; chargeRef: string | null },
  now: Date,
): Promise<void> {
  if (!isStripePaymentRef(d.chargeRef)) return;
  if (!deps.charges) {
    await insertEvent(tx, {
      caseId: d.caseId,
      actor: 'stripe',
      action: 'charge_lookup_skipped',
      data: { chargeRef: d.chargeRef, reason: `${CHARGE_LOOKUP_SETTING} is not set` },
      at: now,
    });
    return;
  }
  await enqueue(tx, [
    {
      kind: 'stripe_charge_lookup',
      caseId: d.caseId,
      channel: CHARGE_LOOKUP_CHANNEL,
      orderKey: `stripe_charge:${d.id}`,
      payload: { disputeId: d.id },
    },
  ]);
}

/** Queues the lookup of the payment a ticket's sender named, or notes why there is none. */
export async function queueCaseChargeLookup(
  db: Db,
  deps: Pick<Deps, 'charges' | 'logger'>,
  params: { caseId: number; ref: string },
  now: Date,
): Promise<void> {
  if (!deps.charges) {
    await insertEvent(db, {
      caseId: params.caseId,
      actor: 'stripe',
      action: 'charge_lookup_skipped',
      data: { chargeRef: params.ref, reason: `${CHARGE_LOOKUP_SETTING} is not set` },
      at: now,
    });
    return;
  }
  await enqueue(db, [
    {
      kind: 'stripe_charge_lookup',
      caseId: params.caseId,
      channel: CHARGE_LOOKUP_CHANNEL,
      orderKey: `stripe_charge:case:${params.caseId}`,
      payload: { caseId: params.caseId, ref: params.ref },
    },
  ]);
}

export type ChargeLookupOutcome =
  { status: 'applied'; caseId: number; matchedOrderId: number | null } | { status: 'skipped'; reason: string };

/** Asks Stripe; a refusal (a key, a permission, an unknown charge) is noted on the case, a retry only thrown. */
async function factsOf(deps: Pick<Deps, 'db' | 'charges' | 'clock'>, caseId: number, ref: string): Promise<ChargeFacts> {
  try {
    return await deps.charges!.lookUp(ref);
  } catch (err) {
    const e = err instanceof ChargeLookupError ? err : new ChargeLookupError((err as Error).message ?? String(err), true, 'unavailable');
    if (!e.retry) {
      await insertEvent(deps.db, {
        caseId,
        actor: 'stripe',
        action: 'charge_lookup_failed',
        data: { chargeRef: ref, code: e.code, message: e.message },
        at: deps.clock(),
      });
    }
    throw e;
  }
}

async function alreadyLookedUp(db: Db, caseId: number): Promise<boolean> {
  return (await listEvents(db, { caseId })).some((e) => e.action === LOOKED_UP);
}

/** Looks the dispute's charge up and fills in the case. Throws ChargeLookupError when Stripe did not give the facts. */
export async function lookUpDisputeCharge(
  deps: Pick<Deps, 'db' | 'charges' | 'clock' | 'logger'>,
  params: { disputeId: number },
): Promise<ChargeLookupOutcome> {
  const d = await getDispute(deps.db, { id: params.disputeId });
  if (!d || d.caseId === null) return { status: 'skipped', reason: 'the dispute or its case is gone' };
  if (!isStripePaymentRef(d.chargeRef)) return { status: 'skipped', reason: 'the dispute names no Stripe charge' };
  if (!deps.charges) return { status: 'skipped', reason: `${CHARGE_LOOKUP_SETTING} is not set` };
  if (await alreadyLookedUp(deps.db, d.caseId)) return { status: 'skipped', reason: 'already looked up' };
  const facts = await factsOf(deps, d.caseId, d.chargeRef);
  const now = deps.clock();
  const caseId = d.caseId;
  return deps.db.transaction(async (tx): Promise<ChargeLookupOutcome> => {
    const c = await lockCase(tx, { id: caseId });
    const dispute = await lockDisputeByCase(tx, { caseId });
    if (!c || !dispute) return { status: 'skipped', reason: 'the dispute or its case is gone' };
    const email = dispute.customerEmail ?? (facts.email ? storable(facts.email) : null);
    const name = dispute.customerName ?? (facts.name ? storable(facts.name) : null);
    const orderRef = dispute.orderRef ?? (facts.orderRef ? storable(facts.orderRef) : null);
    await updateDispute(tx, { id: dispute.id, patch: { customerEmail: email, customerName: name, orderRef, updatedAt: now } });
    const outcome = await applyFacts(
      tx,
      c,
      facts,
      { email, name, orderRef, orderExternalId: dispute.orderExternalId, at: dispute.openedAt },
      now,
    );
    deps.logger.info({ caseId, disputeId: dispute.id, matched: outcome.matchedOrderId !== null }, 'dispute charge looked up');
    return outcome;
  });
}

/** Looks up the payment a ticket's sender named and fills in the case where nothing matched it yet. */
export async function lookUpCaseCharge(
  deps: Pick<Deps, 'db' | 'charges' | 'clock' | 'logger'>,
  params: { caseId: number; ref: string },
): Promise<ChargeLookupOutcome> {
  if (!isStripePaymentRef(params.ref)) return { status: 'skipped', reason: 'not a Stripe payment id' };
  if (!deps.charges) return { status: 'skipped', reason: `${CHARGE_LOOKUP_SETTING} is not set` };
  if (await alreadyLookedUp(deps.db, params.caseId)) return { status: 'skipped', reason: 'already looked up' };
  const facts = await factsOf(deps, params.caseId, params.ref);
  const now = deps.clock();
  return deps.db.transaction(async (tx): Promise<ChargeLookupOutcome> => {
    const c = await lockCase(tx, { id: params.caseId });
    if (!c) return { status: 'skipped', reason: 'the case is gone' };
    const email = c.customerEmail ?? (facts.email ? storable(facts.email) : null);
    const name = c.customerName ?? (facts.name ? storable(facts.name) : null);
    const orderRef = facts.orderRef ? storable(facts.orderRef) : null;
    const outcome = await applyFacts(tx, c, facts, { email, name, orderRef, orderExternalId: null, at: c.receivedAt }, now);
    deps.logger.info({ caseId: c.id, matched: outcome.matchedOrderId !== null }, 'ticket payment looked up');
    return outcome;
  });
}

/** Fills in the case from what Stripe said: the customer, and the order where none is matched yet. */
async function applyFacts(
  tx: Db,
  c: Case,
  facts: ChargeFacts,
  seen: { email: string | null; name: string | null; orderRef: string | null; orderExternalId: string | null; at: Date },
  now: Date,
): Promise<{ status: 'applied'; caseId: number; matchedOrderId: number | null }> {
  const { email, name, orderRef } = seen;
  const caseId = c.id;
  // The order the charge paid for: by the order its metadata names, else the payer's latest order.
  const match =
    c.matchedOrderId === null ? await matchCase(tx, { refs: [orderRef, seen.orderExternalId], text: '', email, at: seen.at }) : null;
  const known = match ? matchedCaseFields(match) : null;
  const patch: Partial<Case> = {
    customerEmail: c.customerEmail ?? email,
    customerName: c.customerName ?? name ?? known?.customerName ?? null,
  };
  if (known) {
    Object.assign(patch, {
      matchedOrderId: known.matchedOrderId,
      orderId: known.orderId,
      orderAmount: c.orderAmount ?? known.orderAmount,
      orderCurrency: c.orderAmount ? c.orderCurrency : known.orderCurrency,
      orderCountry: c.orderCountry ?? known.orderCountry,
      orderItems: c.orderItems ?? known.orderItems,
      carrier: c.carrier ?? known.carrier,
      customerId: c.customerId ?? known.customerId,
      customerOrderCount: c.customerOrderCount ?? known.customerOrderCount,
      customerEmail: patch.customerEmail ?? known.customerEmail,
    });
  } else if (!c.orderId && orderRef) patch.orderId = orderRef;
  await updateCase(tx, { id: caseId, patch, now });
  await insertEvent(tx, {
    caseId,
    actor: 'stripe',
    action: LOOKED_UP,
    data: {
      chargeId: facts.chargeId,
      paymentIntentId: facts.paymentIntentId,
      customerId: facts.customerId,
      orderRef: facts.orderRef,
      matchedOrderId: known?.matchedOrderId ?? null,
      receiptUrl: facts.receiptUrl,
      unreadable: facts.unreadable,
    },
    at: now,
  });
  // The thread hears what Stripe told; blocks/ writes the line when it is posted.
  const line: ChargeLookupLine = {
    chargeId: facts.chargeId,
    email: facts.email,
    name: facts.name,
    orderRef: facts.orderRef,
    matchedOrder: known?.orderId ?? null,
    receiptUrl: facts.receiptUrl,
    receiptNumber: facts.receiptNumber,
    unreadable: facts.unreadable,
  };
  await enqueue(tx, [{ kind: 'stripe_charge_entry', caseId, channel: c.channelId, payload: { line, at: now.toISOString() } }]);
  await enqueueCardUpdate(tx, { caseId, channel: c.channelId });
  return { status: 'applied', caseId, matchedOrderId: known?.matchedOrderId ?? null };
}
