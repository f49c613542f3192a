import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client';
import type { CaseKind, CaseStatus } from '../../domain/case';
import type { OrderItem, RelatedCase } from '../schema';

export type { RelatedCase };

/** "#1042", "1042" and " 1042 " are the same order reference. */
function orderRefVariants(ref: string | null | undefined): string[] {
  const bare = ref?.trim().replace(/^#/, '');
  return bare ? [bare, `#${bare}`] : [];
}

/**
 * The customer's other cases, matched by email (case-insensitive) or order reference, newest
 * first. Both lookups are index-backed (lower(customer_email), order_id).
 */
export async function relatedCases(
  db: Db,
  params: { excludeCaseId?: number | null; email?: string | null; orderRef?: string | null; limit?: number },
): Promise<RelatedCase[]> {
  const email = params.email?.trim().toLowerCase() || null;
  const refs = orderRefVariants(params.orderRef);
  if (!email && refs.length === 0) return [];
  const conditions = [];
  if (email) conditions.push(sql`lower(c.customer_email) = ${email}`);
  if (refs.length > 0)
    conditions.push(
      sql`c.order_id in (${sql.join(
        refs.map((r) => sql`${r}`),
        sql`, `,
      )})`,
    );
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
    select c.id, c.kind, c.source, c.status, c.subject, c.channel_id, c.slack_ts, c.customer_name, c.customer_email,
      c.order_id, c.order_amount::text as order_amount, c.order_currency, c.order_country, c.order_items, c.received_at,
      (select count(*) from case_messages m where m.case_id = c.id)::int as messages
    from cases c
    where (${sql.join(conditions, sql` or `)}) and c.id <> ${params.excludeCaseId ?? 0}
    order by c.received_at desc, c.id desc
    limit ${params.limit ?? 10}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    // The database holds both to the case vocabularies (a check constraint).
    kind: r.kind as CaseKind,
    source: String(r.source),
    status: r.status as CaseStatus,
    subject: String(r.subject),
    channelId: String(r.channel_id),
    slackTs: (r.slack_ts as string | null) ?? null,
    customerName: (r.customer_name as string | null) ?? null,
    customerEmail: (r.customer_email as string | null) ?? null,
    orderId: (r.order_id as string | null) ?? null,
    orderAmount: (r.order_amount as string | null) ?? null,
    orderCurrency: (r.order_currency as string | null) ?? null,
    orderCountry: (r.order_country as string | null) ?? null,
    orderItems: parseItems(r.order_items),
    receivedAt: r.received_at instanceof Date ? r.received_at : new Date(String(r.received_at)),
    messages: Number(r.messages),
  }));
}

function parseItems(v: unknown): OrderItem[] | null {
  if (v === null || v === undefined) return null;
  return (typeof v === 'string' ? JSON.parse(v) : v) as OrderItem[];
}

/** The newest related case that carries an order (id and amount), to show and to use as evidence. */
export function orderCase(related: readonly RelatedCase[]): RelatedCase | null {
  return related.find((r) => r.orderId && r.orderAmount) ?? related.find((r) => r.orderId) ?? null;
}
