import { findTicketByExternal, getCase } from '../db/queries/cases';
import { inboxHas, recordInbox } from '../db/queries/inbox';
import type { Case } from '../db/schema';
import type { ConversationEvent, ConversationMessage } from '../ingest/providers/types';
import { appendMessage } from './cases/messages';
import { applyProviderCommand } from './cases/commands';
import type { Deps } from './deps';
import { ingestTicket } from './tickets';

// Helpdesk tickets (Zendesk, Help Scout, Gorgias) and inbound e-mail threads, applied as the
// ingest API applies them: the ticket opens a case, customer messages and agent replies go on
// its timeline (the first agent reply is its first response), and a solved ticket resolves it.
// Each step is idempotent on its own (the case by its external id, each message by its id), and
// the delivery is recorded last: a crash half-way is finished by the provider's retry, and a
// replay of a recorded delivery changes nothing.

export interface ConversationOutcome {
  eventId: string;
  duplicate: boolean;
  caseId?: number;
  caseCreated?: boolean;
  messagesAdded?: number;
  resolved?: boolean;
}

/** The case's external id: the provider's ticket id, prefixed so two helpdesks never collide. */
export function conversationExternalId(provider: string, ticketId: string): string {
  return `${provider}:${ticketId}`;
}

const squashed = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The message the case was opened with, delivered again as the ticket's first comment. */
function isOpeningMessage(c: Case, m: ConversationMessage): boolean {
  return (
    m.direction === 'customer' && squashed(m.body) === squashed(c.body) && Math.abs(m.at.getTime() - c.receivedAt.getTime()) < 3_600_000
  );
}

async function findCase(deps: Deps, e: ConversationEvent): Promise<Case | null> {
  const ns = e.namespace ?? e.provider;
  const byThread = await findTicketByExternal(deps.db, {
    externalIds: [e.ticketId, ...(e.threadRefs ?? [])].map((r) => conversationExternalId(ns, r).slice(0, 200)),
  });
  if (byThread) return byThread;
  // "Re: [TL-1042] …": the customer answered a message that named the case.
  if (e.caseRef) {
    const named = await getCase(deps.db, { id: e.caseRef });
    if (named?.kind === 'ticket') return named;
  }
  return null;
}

async function openCase(deps: Deps, e: ConversationEvent): Promise<{ case: Case; created: boolean }> {
  const first = e.messages.find((m) => m.direction === 'customer');
  const body = e.description ?? first?.body ?? '';
  const at = first?.at ?? e.occurredAt;
  return ingestTicket(deps, {
    source: e.source,
    external_id: conversationExternalId(e.namespace ?? e.provider, e.ticketId).slice(0, 200),
    subject: e.subject.slice(0, 1000),
    body: body.slice(0, 200_000),
    customer: {
      ...(e.customer.name ? { name: e.customer.name.slice(0, 500) } : {}),
      ...(e.customer.email ? { email: e.customer.email } : {}),
      ...(e.customer.id ? { id: e.customer.id.slice(0, 200) } : {}),
      tags: [],
    },
    created_at: (at > deps.clock() ? deps.clock() : at).toISOString(),
  });
}

export async function receiveConversations(
  deps: Deps,
  params: { provider: string; conversations: ConversationEvent[]; headers: Record<string, string> },
): Promise<ConversationOutcome[]> {
  const out: ConversationOutcome[] = [];
  for (const e of params.conversations) {
    if (await inboxHas(deps.db, { provider: params.provider, eventId: e.eventId })) {
      out.push({ eventId: e.eventId, duplicate: true });
      continue;
    }
    const found = await findCase(deps, e);
    const opened = found ? { case: found, created: false } : await openCase(deps, e);
    let c = opened.case;
    let added = 0;
    for (const m of e.messages) {
      if (isOpeningMessage(c, m)) continue;
      const r = await appendMessage(deps, {
        caseId: c.id,
        actor: e.provider,
        message: { direction: m.direction, body: m.body, authorName: m.authorName ?? null, externalId: m.id, createdAt: m.at },
      });
      if (r.created) added += 1;
      c = r.case;
    }
    let resolved = false;
    // A solved ticket resolves the case, unless the customer wrote after the helpdesk's version.
    const newer = c.lastCustomerMessageAt !== null && c.lastCustomerMessageAt > e.occurredAt;
    if (e.solved && c.status !== 'resolved' && !newer) {
      const r = await applyProviderCommand(deps, { caseId: c.id, actor: e.provider, command: { type: 'resolve' } });
      resolved = r.changed;
    }
    await recordInbox(deps.db, {
      provider: params.provider,
      eventId: e.eventId,
      eventType: e.action.slice(0, 200),
      status: 'processed',
      headers: params.headers,
      caseId: c.id,
      receivedAt: deps.clock(),
    });
    deps.logger.info(
      { provider: e.provider, action: e.action, caseId: c.id, created: opened.created, added, resolved },
      'conversation event',
    );
    out.push({ eventId: e.eventId, duplicate: false, caseId: c.id, caseCreated: opened.created, messagesAdded: added, resolved });
  }
  return out;
}

/** The case a conversation delivery landed in, for the route's answer. */
export function caseOf(deps: Deps, id: number): Promise<Case | null> {
  return getCase(deps.db, { id });
}
