import type { Db } from '../db/client';
import { insertEvent, listEvents, lockCase, updateCase } from '../db/queries/cases';
import { getDispute, lockDisputeByCase, updateDispute } from '../db/queries/disputes';
import { enqueue, enqueueCardUpdate } from '../db/queries/outbox';
import type { Case } from '../db/schema';
import {
  CHARGE_LOOKUP_CHANNEL,
  CHARGE_LOOKUP_SETTING,
  type ChargeFacts,
  ChargeLookupError,
  isStripePaymentRef,
} from './charge-lookup';
import type { ChargeLookupLine } from '../domain/charge-lookup';
import type { Deps } from './deps';
import { matchCase, matchedCaseFields } from './orders';
import { storable } from './provider-fields';

// A dispute names only the charge; with a restricted Stripe key the charge says who paid, for
// which order and where the receipt is. The lookup runs from the outbox after the dispute's case
// is committed: the webhook is answered without waiting for Stripe, a Stripe outage is retried
// with the outbox's backoff, and a missing key or a refused one leaves a note on the case.

const LOOKED_UP = 'charge_looked_up';

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

export type ChargeLookupOutcome =
  { status: 'applied'; caseId: number; matchedOrderId: number | null } | { status: 'skipped'; reason: string };

/** Looks the dispute's charge up and fills in the case. Throws ChargeLookupError when Stripe did not give the facts. */
export async function lookUpDisputeCharge(
  deps: Pick<Deps, 'db' | 'charges' | 'clock' | 'logger'>,
  params: { disputeId: number },
): Promise<ChargeLookupOutcome> {
  const d = await getDispute(deps.db, { id: params.disputeId });
  if (!d || d.caseId === null) return { status: 'skipped', reason: 'the dispute or its case is gone' };
  if (!isStripePaymentRef(d.chargeRef)) return { status: 'skipped', reason: 'the dispute names no Stripe charge' };
  if (!deps.charges) return { status: 'skipped', reason: `${CHARGE_LOOKUP_SETTING} is not set` };
  if ((await listEvents(deps.db, { caseId: d.caseId })).some((e) => e.action === LOOKED_UP))
    return { status: 'skipped', reason: 'already looked up' };
  let facts: ChargeFacts;
  try {
    facts = await deps.charges.lookUp(d.chargeRef);
  } catch (err) {
    const e = err instanceof ChargeLookupError ? err : new ChargeLookupError((err as Error).message ?? String(err), true, 'unavailable');
    // A refusal needs a person (a key, a permission): it is noted on the case; a retry is only logged.
    if (!e.retry) {
      await insertEvent(deps.db, {
        caseId: d.caseId,
        actor: 'stripe',
        action: 'charge_lookup_failed',
        data: { chargeRef: d.chargeRef, code: e.code, message: e.message },
        at: deps.clock(),
      });
    }
    throw e;
  }
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
    // The order the charge paid for: by the order its metadata names, else the payer's latest order.
    const match =
      c.matchedOrderId === null
        ? await matchCase(tx, { refs: [orderRef, dispute.orderExternalId], text: '', email, at: dispute.openedAt })
        : null;
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
    deps.logger.info({ caseId, disputeId: dispute.id, matched: Boolean(known) }, 'dispute charge looked up');
    return { status: 'applied', caseId, matchedOrderId: known?.matchedOrderId ?? null };
  });
}
