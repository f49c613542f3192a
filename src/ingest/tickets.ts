import { caseRef } from '../domain/case';
import { CaseNotFound } from '../domain/errors';
import type { Case } from '../db/schema';
import { appendMessage } from '../services/cases/messages';
import type { Deps } from '../services/deps';
import { findCase, findTicket } from '../services/lookup';
import { ingestTicket } from '../services/tickets';
import type { Route, RouteContext, RouteResult } from './http';
import { messageCreateSchema, ticketCreateSchema } from './schemas';

export function summary(c: Case, created: boolean) {
  return {
    id: c.id,
    ref: caseRef(c.id),
    created,
    kind: c.kind,
    status: c.status,
    priority: c.priority,
    owner: c.ownerId,
    tags: c.tags,
    slack: { channel: c.channelId, ts: c.slackTs },
  };
}

function parseId(raw: string): number {
  const id = Number(raw.replace(/^TL-/i, ''));
  if (!Number.isSafeInteger(id) || id <= 0) throw new CaseNotFound(raw);
  return id;
}

export function ticketRoutes(deps: Deps): Route[] {
  async function addMessage(ctx: RouteContext, c: Case | null, ref: string): Promise<RouteResult> {
    const input = ctx.json(messageCreateSchema);
    if (!c) throw new CaseNotFound(ref);
    ctx.log.caseId = c.id;
    const result = await appendMessage(deps, {
      caseId: c.id,
      message: {
        direction: input.direction,
        body: input.body,
        authorName: input.author?.name ?? null,
        externalId: input.external_id ?? null,
        ...(input.created_at ? { createdAt: new Date(input.created_at) } : {}),
        ...(input.waiting_on_customer ? { waitingOnCustomer: true } : {}),
      },
    });
    return { status: result.created ? 201 : 200, body: { case_id: c.id, message_id: result.messageId, created: result.created } };
  }

  return [
    {
      method: 'POST',
      path: '/api/v1/tickets',
      auth: 'ingest',
      ingest: 'api',
      json: true,
      async handler(ctx) {
        const input = ctx.json(ticketCreateSchema);
        const { case: c, created } = await ingestTicket(deps, input);
        ctx.log.caseId = c.id;
        return { status: created ? 201 : 200, body: summary(c, created) };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/tickets/:id',
      auth: 'ingest',
      async handler(ctx) {
        const id = parseId(ctx.params.id!);
        const c = await findCase(deps.db, id);
        if (!c) throw new CaseNotFound(caseRef(id));
        ctx.log.caseId = id;
        return { status: 200, body: summary(c, false) };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/tickets/:id/messages',
      auth: 'ingest',
      ingest: 'api',
      json: true,
      async handler(ctx) {
        const id = parseId(ctx.params.id!);
        return addMessage(ctx, await findCase(deps.db, id), caseRef(id));
      },
    },
    {
      method: 'POST',
      path: '/api/v1/tickets/:source/:externalId/messages',
      auth: 'ingest',
      ingest: 'api',
      json: true,
      async handler(ctx) {
        const { source, externalId } = ctx.params as { source: string; externalId: string };
        const c = await findTicket(deps.db, { source, externalId });
        return addMessage(ctx, c, `${source}/${externalId}`);
      },
    },
  ];
}
