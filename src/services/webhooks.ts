import { recordInbox, setInboxCase } from '../db/queries/inbox';
import type { ProviderEvent } from '../domain/provider-events';
import type { Deps } from './deps';
import { applyDisputeEvent, type DisputeOutcome } from './disputes/events';
import { applyStoreEvent, type OrderOutcome } from './orders';
import { applyReviewEvent, type ReviewOutcome } from './reviews/events';

// Provider deliveries, one transaction per event: the inbox row (unique provider + event id)
// and everything the event changes commit together, so a replay finds the inbox row and
// changes nothing, and a crash half-way leaves nothing to skip on the provider's retry.

export type EventResult =
  | { eventId: string; duplicate: true }
  | { eventId: string; duplicate: false; review?: ReviewOutcome; dispute?: DisputeOutcome; order?: OrderOutcome };

/** Non-secret headers worth keeping with a delivery: never signatures, tokens or cookies. */
const KEPT_HEADERS = [
  'content-type',
  'user-agent',
  'x-shopify-topic',
  'x-shopify-webhook-id',
  'x-shopify-shop-domain',
  'x-shopify-triggered-at',
  'svix-id',
  'svix-timestamp',
  'webhook-id',
  'paypal-transmission-id',
  'paypal-transmission-time',
  'x-zendesk-webhook-invocation-id',
  'x-helpscout-event',
];

export function keptHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const v = headers[name];
    const value = Array.isArray(v) ? v[0] : v;
    if (value) out[name] = value.slice(0, 500);
  }
  return out;
}

export async function receiveEvents(
  deps: Deps,
  params: { provider: string; events: ProviderEvent[]; headers: Record<string, string> },
): Promise<EventResult[]> {
  const results: EventResult[] = [];
  let changed = false;
  for (const e of params.events) {
    const now = deps.clock();
    // The generic API takes reviews and disputes with ids the caller chooses: keep them apart.
    const provider = params.provider === 'generic' ? `generic.${e.kind}` : params.provider;
    const result = await deps.db.transaction(async (tx): Promise<EventResult> => {
      const first = await recordInbox(tx, {
        provider,
        eventId: e.eventId,
        eventType: `${e.kind}.${e.action}`,
        status: 'processed',
        headers: params.headers,
        receivedAt: now,
      });
      if (!first) return { eventId: e.eventId, duplicate: true };
      if (e.kind === 'review') {
        const review = await applyReviewEvent(tx, deps, e, now);
        if (review.caseId) await setInboxCase(tx, { provider, eventId: e.eventId, caseId: review.caseId });
        return { eventId: e.eventId, duplicate: false, review };
      }
      if (e.kind === 'dispute') {
        const dispute = await applyDisputeEvent(tx, deps, e, now);
        if (dispute.caseId) await setInboxCase(tx, { provider, eventId: e.eventId, caseId: dispute.caseId });
        return { eventId: e.eventId, duplicate: false, dispute };
      }
      return { eventId: e.eventId, duplicate: false, order: await applyStoreEvent(tx, deps, e, now) };
    });
    if (!result.duplicate) changed = true;
    deps.logger.info({ provider: params.provider, kind: e.kind, action: e.action, duplicate: result.duplicate }, 'provider event');
    results.push(result);
  }
  if (changed) deps.notify();
  return results;
}

/** A delivery that was authentic but unreadable: kept with its body for someone to inspect. */
export async function recordRejected(
  deps: Deps,
  params: {
    provider: string;
    body: Buffer;
    headers: Record<string, string>;
    error: { message: string; issues?: { path: string; message: string }[] };
  },
): Promise<void> {
  try {
    await recordInbox(deps.db, {
      provider: params.provider,
      status: 'rejected',
      headers: params.headers,
      body: params.body.toString('utf8'),
      error: params.error,
      receivedAt: deps.clock(),
    });
  } catch (err) {
    // Keeping the body is a courtesy; the 400 goes out whatever happens here.
    deps.logger.warn({ err, provider: params.provider }, 'could not keep the rejected delivery');
  }
  deps.logger.warn({ provider: params.provider, issues: params.error.issues?.map((i) => i.path) }, 'provider delivery rejected');
}

/** An event type Trustloop does not handle: answered 2xx (providers disable endpoints that keep failing), logged. */
export async function recordIgnored(
  deps: Deps,
  params: { provider: string; type: string; headers: Record<string, string> },
): Promise<void> {
  await recordInbox(deps.db, {
    provider: params.provider,
    eventType: params.type.slice(0, 200),
    status: 'ignored',
    headers: params.headers,
    receivedAt: deps.clock(),
  });
  deps.logger.info({ provider: params.provider, type: params.type }, 'provider event type ignored');
}
