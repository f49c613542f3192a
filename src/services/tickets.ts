import { caseRef } from '../domain/case';
import { automaticEscalation, catalogueTags, escalatedPriority, judgeCase, productKeysOf } from './judgement';
import { InvalidInput } from '../domain/errors';
import { insertCase } from '../db/queries/cases';
import type { Case } from '../db/schema';
import type { TicketCreate } from '../ingest/schemas';
import type { Deps } from './deps';
import { matchCase, matchedCaseFields } from './orders';

/** The Slack channel a ticket from this source is posted to. */
export function routeTicket(config: Deps['config'], source: string): string {
  return config.channels.sources[source as keyof typeof config.channels.sources] ?? config.channels.default;
}

/** A subject for channels that have none (chat, DMs, comments): the first words of the message. */
export function deriveSubject(subject: string, body: string): string {
  const given = subject.trim();
  if (given) return given;
  const firstLine = body.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
}

/**
 * Creates a ticket case (and the outbox row that posts its card) in one atomic statement.
 * The same source and external id again returns the existing case and writes nothing.
 */
export async function ingestTicket(deps: Deps, input: TicketCreate): Promise<{ case: Case; created: boolean }> {
  const { config } = deps;
  const catalogue = new Set(config.tags.map((t) => t.id));
  (input.tags ?? []).forEach((tag, i) => {
    if (!catalogue.has(tag)) throw new InvalidInput(`unknown tag "${tag}"; known tags: ${[...catalogue].join(', ')}`, ['tags', i]);
  });
  const priority = config.priorities.default;
  if (input.priority !== undefined && !config.priorities.levels.includes(input.priority)) {
    throw new InvalidInput(`unknown priority "${input.priority}"; use one of ${config.priorities.levels.join(', ')}`, ['priority']);
  }
  const receivedAt = input.created_at ? new Date(input.created_at) : deps.clock();
  // The store's memory: the order the customer means (named, written in the text, or their latest).
  const match = await matchCase(deps.db, {
    refs: [input.order?.id],
    text: `${input.subject}\n${input.body}`,
    email: input.customer.email ?? null,
    at: receivedAt,
  });
  const known = match ? matchedCaseFields(match) : null;
  const given = input.order;
  const items = given?.items.length ? given.items : (known?.orderItems ?? []);
  const productKeys = productKeysOf(items);
  const orderCount = input.customer.order_count ?? known?.customerOrderCount ?? null;
  const amount = given?.amount ?? known?.orderAmount ?? null;
  const currency = given?.amount ? (given.currency ?? null) : (known?.orderCurrency ?? given?.currency ?? null);
  const j = await judgeCase(
    deps.db,
    deps,
    {
      subject: input.subject,
      body: input.body,
      source: input.source,
      kind: 'ticket',
      customer: { orderCount, tags: input.customer.tags },
      order:
        given || known
          ? {
              amount,
              currency,
              itemCount: items.reduce((n, i) => n + i.quantity, 0),
            }
          : null,
      productKeys,
    },
    deps.clock(),
  );
  const suggested = catalogueTags(j, config);
  // Trustloop's rules say a person must handle it: it arrives escalated, with its reasons.
  const auto = automaticEscalation(j, config, deps.clock());
  const escalation = auto?.escalation ?? null;
  const {
    id,
    created,
    case: c,
  } = await insertCase(deps.db, {
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
    priority: input.priority ?? (escalation ? escalatedPriority(config) : priority),
    // Tags the helpdesk sent win; otherwise the card starts with Trustloop's suggestion for staff to confirm or change.
    tags: [...new Set(input.tags ?? suggested)].sort(),
    suggestedTags: suggested,
    judgement: j,
    sentiment: j.sentiment,
    automatable: j.automatable,
    productKeys,
    escalation,
    channelId: routeTicket(config, input.source),
    receivedAt,
    actor: 'api',
    firstMessage: { authorName: input.customer.name ?? null, body: input.body, createdAt: receivedAt },
    ...auto?.with,
  });
  if (created) deps.notify();
  deps.logger.debug({ caseId: id, ref: caseRef(id), source: input.source, created }, 'ticket ingested');
  return { case: c, created };
}
