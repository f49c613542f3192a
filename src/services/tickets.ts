import type { AuditEvent } from '../domain/audit';
import { caseRef } from '../domain/case';
import { automaticEscalation, catalogueTags, escalatedPriority, judgeCase, productKeysOf } from './judgement';
import { InvalidInput } from '../domain/errors';
import { insertCaseGathered, insertEvent, type JudgedCase, lockUnjudged, stillUnjudged, unjudgedCaseIds, writeJudgements } from '../db/queries/cases';
import { type Enqueue, enqueue } from '../db/queries/outbox';
import type { Case } from '../db/schema';
import type { PendingJudgement } from '../domain/outbox';
import type { TicketCreate } from '../ingest/schemas';
import type { Deps } from './deps';
import { isStripePaymentRef } from './charge-lookup';
import { queueCaseChargeLookup } from './dispute-charges';
import { matchCase, matchedCaseFields } from './orders';
import { breather } from './breather';
import { nextSlaCheck } from '../domain/sla-case';

/** How long a new ticket's card waits for the judging worker before its delivery judges the case itself. */
const JUDGE_HOLD_MS = 5_000;

/** The Slack channel a ticket from this source is posted to. */
export function routeTicket(config: Deps['config'], source: string): string {
  return config.channels.sources[source as keyof typeof config.channels.sources] ?? config.channels.default;
}

const catalogues = new WeakMap<Deps['config'], ReadonlySet<string>>();

/** The tag ids the store's config knows, made once per config rather than on every ticket. */
function tagCatalogue(config: Deps['config']): ReadonlySet<string> {
  let ids = catalogues.get(config);
  if (!ids) catalogues.set(config, (ids = new Set(config.tags.map((t) => t.id))));
  return ids;
}

/** A subject for channels that have none (chat, DMs, comments): the first words of the message. */
export function deriveSubject(subject: string, body: string): string {
  const given = subject.trim();
  if (given) return given;
  const firstLine = body.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
}

/**
 * Creates a ticket case (and the outbox row that posts its card) in one atomic statement, and
 * answers once it is committed. The judgement (tags, sentiment, must-escalate rules, the quality
 * cluster count) runs right after the commit, off the request (judgeTicket): a busy helpdesk gets
 * its answer at the speed of one insert. The same source and external id again returns the
 * existing case and writes nothing.
 */
export async function ingestTicket(deps: Deps, input: TicketCreate): Promise<{ case: Case; created: boolean }> {
  const { config } = deps;
  const catalogue = tagCatalogue(config);
  (input.tags ?? []).forEach((tag, i) => {
    if (!catalogue.has(tag)) throw new InvalidInput(`unknown tag "${tag}"; known tags: ${[...catalogue].join(', ')}`, ['tags', i]);
  });
  if (input.priority !== undefined && !config.priorities.levels.includes(input.priority)) {
    throw new InvalidInput(`unknown priority "${input.priority}"; use one of ${config.priorities.levels.join(', ')}`, ['priority']);
  }
  const receivedAt = input.created_at ? new Date(input.created_at) : deps.clock();
  // The store's memory: the order the customer means (named, written in the text, or their latest).
  // Tickets arriving together look their orders up in one statement.
  const match = await matchCase(
    deps.db,
    { refs: [input.order?.id], text: `${input.subject}\n${input.body}`, email: input.customer.email ?? null, at: receivedAt },
    { gathered: true },
  );
  const known = match ? matchedCaseFields(match) : null;
  const given = input.order;
  const items = given?.items.length ? given.items : (known?.orderItems ?? []);
  const orderCount = input.customer.order_count ?? known?.customerOrderCount ?? null;
  const amount = given?.amount ?? known?.orderAmount ?? null;
  const currency = given?.amount ? (given.currency ?? null) : (known?.orderCurrency ?? given?.currency ?? null);
  const pending: PendingJudgement = {
    subject: input.subject,
    customerTags: input.customer.tags,
    order: given || known ? { amount, currency, itemCount: items.reduce((n, i) => n + i.quantity, 0) } : null,
    tagsGiven: input.tags !== undefined,
    priorityGiven: input.priority !== undefined,
  };
  const {
    id,
    created,
    case: c,
  } = await insertCaseGathered(deps.db, {
    kind: 'ticket',
    source: input.source,
    externalId: input.external_id,
    subject: deriveSubject(input.subject, input.body),
    body: input.body,
    customerName: input.customer.name ?? known?.customerName ?? null,
    customerEmail: input.customer.email?.toLowerCase() ?? known?.customerEmail ?? null,
    customerId: input.customer.id ?? known?.customerId ?? null,
    customerOrderCount: orderCount,
    customerTags: input.customer.tags.map((t) => t.toLowerCase()),
    orderId: known?.orderId ?? given?.id ?? null,
    orderAmount: amount,
    orderCurrency: currency,
    orderCountry: given?.country ?? known?.orderCountry ?? null,
    carrier: given?.carrier ?? known?.carrier ?? null,
    orderItems: items.length > 0 ? items : null,
    matchedOrderId: known?.matchedOrderId ?? null,
    priority: input.priority ?? config.priorities.default,
    tags: [...new Set(input.tags ?? [])].sort(),
    productKeys: productKeysOf(items),
    channelId: routeTicket(config, input.source),
    receivedAt,
    actor: 'api',
    firstMessage: { authorName: input.customer.name ?? null, body: input.body, createdAt: receivedAt },
    cardPayload: { judge: pending },
    // The worker judges it within moments and releases the card; past the hold (the worker fell
    // behind, or stopped) the card's delivery judges it.
    ...(deps.judgeSoon ? { cardHoldMs: JUDGE_HOLD_MS } : {}),
    // When the SLA sweep first looks, worked out now: the judgement rewrites it only when it moves
    // the thresholds (a new priority), so for most tickets its write leaves the indexed columns
    // as they are and PostgreSQL updates the row in place.
    ...newTicketSla(config, { source: input.source, priority: input.priority ?? config.priorities.default, receivedAt }, deps.clock()),
  });
  // The sender named the Stripe payment but no stored order matched: Stripe says who paid and for which order.
  if (created && !known && isStripePaymentRef(given?.payment_id))
    await queueCaseChargeLookup(deps.db, deps, { caseId: id, ref: given.payment_id }, deps.clock());
  if (created) {
    // The judging worker wakes the dispatcher once the judgement is committed (the card shows it).
    if (deps.judgeSoon) deps.judgeSoon(id);
    else deps.notify();
  }
  deps.logger.debug({ caseId: id, ref: caseRef(id), source: input.source, created }, 'ticket ingested');
  return { case: c, created };
}

/**
 * Judges a ticket stored by ingestTicket: tags (unless the helpdesk sent its own), sentiment,
 * priority and, when Trustloop's rules say a person must handle it, the escalation with its audit
 * entry and the post in the escalation channel, all in one transaction under the case's row lock.
 * Runs once per case whoever gets there first (the worker right after ingest, or the card's
 * delivery, which never posts an unjudged card); null when there was nothing to do.
 */
export async function judgeTicket(
  deps: Pick<Deps, 'db' | 'config' | 'clock' | 'judgement'>,
  params: { caseId: number },
): Promise<{ escalated: boolean } | null> {
  const r = await judgeTickets(deps, { caseIds: [params.caseId], skipLocked: false });
  return r.judged === 0 ? null : { escalated: r.escalated > 0 };
}

/**
 * Judges many stored tickets in one transaction: one statement locks them and reads what each
 * needs, one writes every judgement back. A burst of tickets costs the database a few round trips
 * per batch instead of several per case. With `skipLocked`, a case whose card delivery is judging
 * it right now is left to that delivery, and an unjudged case someone else holds is named in `busy`
 * for the caller to try again.
 */
export async function judgeTickets(
  deps: Pick<Deps, 'db' | 'config' | 'clock' | 'judgement' | 'judgementThread'> & Partial<Pick<Deps, 'logger'>>,
  params: { caseIds: readonly number[]; skipLocked: boolean },
): Promise<{ judged: number; escalated: number; busy: number[] }> {
  const { config } = deps;
  if (params.caseIds.length === 0) return { judged: 0, escalated: 0, busy: [] };
  return deps.db.transaction(async (tx) => {
    const locked = await lockUnjudged(tx, { ids: params.caseIds, skipLocked: params.skipLocked });
    // Unjudged cases someone else held (an SLA sweep, a card's delivery) were skipped: say which.
    const lockedIds = new Set(locked.map((l) => l.case.id));
    const busy =
      params.skipLocked && locked.length < params.caseIds.length
        ? (await stillUnjudged(tx, { ids: params.caseIds.filter((id) => !lockedIds.has(id)) }))
        : [];
    const now = deps.clock();
    const judged: JudgedCase[] = [];
    const events: { caseId: number; actor: string; action: AuditEvent; data: Record<string, unknown> }[] = [];
    const posts: Enqueue[] = [];
    const facts = locked.map(({ case: c, pending }) => ({
      subject: pending.subject,
      body: c.body,
      source: c.source,
      kind: 'ticket' as const,
      customer: { orderCount: c.customerOrderCount, tags: pending.customerTags },
      order: pending.order,
      productKeys: c.productKeys,
    }));
    // The messages are read on the judging thread, all at once; when it cannot, here.
    const already = deps.judgementThread
      ? await deps.judgementThread
          .judge(
            facts.map(({ productKeys: _, ...input }) => input),
            config.judgement,
          )
          .catch((err: Error) => {
            deps.logger?.warn({ err }, 'the judging thread failed; judging on the main thread');
            return null;
          })
      : null;
    // Requests that arrived meanwhile go first: a batch's reading is milliseconds of CPU in all.
    const breathe = breather();
    for (const [i, { case: c, pending }] of locked.entries()) {
      await breathe();
      const j = await judgeCase(tx, deps, facts[i]!, now, c.id, already?.[i]);
      const suggested = catalogueTags(j, config);
      // Trustloop's rules say a person must handle it: it is escalated, with its reasons.
      const auto = automaticEscalation(j, config, now);
      const priority = auto && !pending.priorityGiven ? escalatedPriority(config) : undefined;
      const sla = nextSlaCheck(config.sla, { ...c, ...(priority ? { priority } : {}), ...(auto ? { mustEscalateAt: auto.escalation.at } : {}) }, now);
      judged.push({
        id: c.id,
        judgement: j,
        suggestedTags: suggested,
        sentiment: j.sentiment,
        automatable: j.automatable,
        // Tags the helpdesk sent win; otherwise the card starts with Trustloop's suggestion for staff to confirm or change.
        ...(pending.tagsGiven ? {} : { tags: [...new Set(suggested)].sort() }),
        ...(priority ? { priority } : {}),
        ...(auto ? { escalation: { at: auto.escalation.at, reason: auto.escalation.reason, mustEscalateAt: auto.escalation.at } } : {}),
        sla,
      });
      if (auto) {
        for (const e of auto.with.events ?? []) events.push({ caseId: c.id, actor: e.actor, action: e.action, data: e.data });
        for (const o of auto.with.outbox ?? []) posts.push({ ...o, caseId: c.id });
      }
    }
    await writeJudgements(tx, { cases: judged, now });
    for (const e of events) await insertEvent(tx, { ...e, at: now });
    await enqueue(tx, posts);
    return { judged: judged.length, escalated: judged.filter((c) => c.escalation).length, busy };
  });
}

/** The SLA clocks of a ticket as it is stored, before anyone has answered it. */
function newTicketSla(config: Deps['config'], t: { source: string; priority: string; receivedAt: Date }, now: Date) {
  return nextSlaCheck(
    config.sla,
    {
      id: 0,
      kind: 'ticket',
      source: t.source,
      priority: t.priority,
      status: 'new',
      ownerId: null,
      receivedAt: t.receivedAt,
      firstResponseAt: null,
      lastAgentReplyAt: null,
      resolvedAt: null,
      awaitingReplySince: null,
      mustEscalateAt: null,
      slaPauses: [],
      slaResolutions: [],
    },
    now,
  );
}

/** Tickets stored but not judged yet (a process stopped between the two), oldest first. */
export function unjudgedTickets(deps: Pick<Deps, 'db'>, params: { limit: number }): Promise<number[]> {
  return unjudgedCaseIds(deps.db, params);
}
