import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { type WebhookInboxRow, webhookInbox } from '../schema';

export interface InboxEntry {
  provider: string;
  eventId?: string | null;
  eventType?: string | null;
  status: 'processed' | 'ignored' | 'rejected';
  headers?: Record<string, string>;
  body?: string | null;
  error?: { message: string; issues?: { path: string; message: string }[] } | null;
  caseId?: number | null;
  receivedAt?: Date;
}

/**
 * Records a delivery. With an event id, true only for the first delivery of that event: a
 * replay (or a concurrent second delivery, which waits on the unique index) gets false.
 */
export async function recordInbox(db: Db, e: InboxEntry): Promise<boolean> {
  const rows = await db
    .insert(webhookInbox)
    .values({
      provider: e.provider,
      eventId: e.eventId ?? null,
      eventType: e.eventType ?? null,
      status: e.status,
      headers: e.headers ?? {},
      // PostgreSQL text cannot hold NUL; the rest of the body is kept as received.
      body: e.body === undefined || e.body === null ? null : e.body.replace(/\u0000/g, '\uFFFD'),
      error: e.error ?? null,
      caseId: e.caseId ?? null,
      ...(e.receivedAt ? { receivedAt: e.receivedAt } : {}),
    })
    .onConflictDoNothing()
    .returning({ id: webhookInbox.id });
  return rows.length > 0;
}

export async function setInboxCase(db: Db, params: { provider: string; eventId: string; caseId: number }): Promise<void> {
  await db
    .update(webhookInbox)
    .set({ caseId: params.caseId })
    .where(and(eq(webhookInbox.provider, params.provider), eq(webhookInbox.eventId, params.eventId)));
}

export async function listInbox(db: Db, params: { provider?: string } = {}): Promise<WebhookInboxRow[]> {
  const q = db.select().from(webhookInbox);
  return (params.provider ? q.where(eq(webhookInbox.provider, params.provider)) : q).orderBy(webhookInbox.id);
}

/** Whether a delivery with this event id was already processed (or is being, in another transaction that committed). */
export async function inboxHas(db: Db, params: { provider: string; eventId: string }): Promise<boolean> {
  const rows = await db
    .select({ id: webhookInbox.id })
    .from(webhookInbox)
    .where(and(eq(webhookInbox.provider, params.provider), eq(webhookInbox.eventId, params.eventId)))
    .limit(1);
  return rows.length > 0;
}
