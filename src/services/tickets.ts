import { caseRef } from '../domain/case';
import { InvalidInput } from '../domain/errors';
import { insertCase } from '../db/queries/cases';
import type { Case } from '../db/schema';
import type { TicketCreate } from '../ingest/schemas';
import type { Deps } from './deps';

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
  const priority = input.priority ?? config.priorities.default;
  if (!config.priorities.levels.includes(priority)) {
    throw new InvalidInput(`unknown priority "${priority}"; use one of ${config.priorities.levels.join(', ')}`, ['priority']);
  }
  const receivedAt = input.created_at ? new Date(input.created_at) : deps.clock();
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
    customerName: input.customer.name ?? null,
    customerEmail: input.customer.email?.toLowerCase() ?? null,
    customerId: input.customer.id ?? null,
    customerOrderCount: input.customer.order_count ?? null,
    customerTags: input.customer.tags.map((t) => t.toLowerCase()),
    orderId: input.order?.id ?? null,
    orderAmount: input.order?.amount ?? null,
    orderCurrency: input.order?.currency ?? null,
    orderCountry: input.order?.country ?? null,
    orderItems: input.order?.items.length ? input.order.items : null,
    priority,
    tags: [...new Set(input.tags ?? [])].sort(),
    channelId: routeTicket(config, input.source),
    receivedAt,
    actor: 'api',
    firstMessage: { authorName: input.customer.name ?? null, body: input.body, createdAt: receivedAt },
  });
  if (created) deps.notify();
  deps.logger.debug({ caseId: id, ref: caseRef(id), source: input.source, created }, 'ticket ingested');
  return { case: c, created };
}
