import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../src/db/client';

/**
 * One customer spread over every table that can hold a customer's data: store memory (customer,
 * order, shipment, refund), a ticket with its thread, a review with its case, UGC consent and
 * drafted response, a dispute, a CSAT comment, a reply draft, a review request and an unsubscribe,
 * a rejected webhook body, unsent outbox rows, a published digest and a fix note.
 */
export interface SeededCustomer {
  email: string;
  name: string;
  /** Words only the customer wrote. */
  words: string;
  ticketId: number;
}

export async function seedCustomer(db: Db, p: { email: string; name: string; words: string; suffix: string }): Promise<SeededCustomer> {
  const { email, name, words, suffix: s } = p;
  const first = name.split(' ')[0];
  const upper = email.toUpperCase();
  const one = async <T>(q: ReturnType<typeof sql>) => (await queryRows<T>(db, q))[0]!;
  await db.execute(sql`insert into customers (provider, external_id, email, name, country, orders_count, received_at, updated_at)
    values ('shopify', ${`c-${s}`}, ${email}, ${name}, 'SE', 4, now(), now())`);
  const order = await one<{ id: number }>(sql`insert into orders (provider, external_id, name, email, customer_name, customer_external_id,
      amount, currency, country, items, placed_at, received_at, updated_at)
    values ('shopify', ${`o-${s}`}, ${`#10${s}`}, ${upper}, ${name}, ${`c-${s}`}, '89.00', 'EUR', 'SE',
      '[{"name":"Linen Shirt","quantity":1,"sku":"LS-1"}]'::jsonb, now(), now(), now()) returning id`);
  await db.execute(sql`insert into order_fulfillments (provider, external_id, order_external_id, status, carrier, tracking_number, tracking_url,
      fulfilled_at, received_at, updated_at)
    values ('shopify', ${`f-${s}`}, ${`o-${s}`}, 'success', 'DHL', ${`TRK${s}`}, ${`https://track.example/?to=${email}`}, now(), now(), now())`);
  await db.execute(sql`insert into order_refunds (provider, external_id, order_external_id, amount, currency, note, refunded_at, received_at)
    values ('shopify', ${`r-${s}`}, ${`o-${s}`}, '10.00', 'EUR', ${`Goodwill for ${name}`}, now(), now())`);
  const ticket = await one<{ id: number }>(sql`insert into cases (kind, source, external_id, subject, body, customer_name, customer_email,
      customer_id, customer_tags, order_id, order_amount, order_currency, order_country, matched_order_id, priority, channel_id, slack_ts,
      received_at, reported_at, escalation_reason)
    values ('ticket', 'email', ${`t-${s}`}, ${`Torn shirt (${name})`}, ${words}, ${name}, ${email}, ${`c-${s}`}, '{vip}', ${`#10${s}`},
      '89.00', 'EUR', 'SE', ${order.id}, 'high', 'C0SUPPORT1', ${`1700000000.${s}`}, now(), now(), ${`${name} will post a review`}) returning id`);
  await db.execute(sql`insert into case_messages (case_id, direction, author_name, body, created_at)
    values (${ticket.id}, 'customer', ${name}, ${words}, now()),
           (${ticket.id}, 'agent', 'Agent Ann', ${`Hi ${first}, sorry about the seam. We will write to ${email}.`}, now())`);
  await db.execute(sql`insert into case_events (case_id, actor, action, data)
    values (${ticket.id}, 'U0AGENT001', 'note', ${JSON.stringify({ text: `Called ${name} about ${email}`, quote: words })}::jsonb)`);
  const parts = { confirmation: `Thank you, ${first}`, status: 'A new shirt is on its way', next: 'Tracking follows', needs: null, contact: email };
  await db.execute(sql`insert into reply_drafts (case_id, version, language, type, greeting, parts, signoff, body, channel, target,
      drafted_by, drafted_at, status, last_error, override_reason)
    values (${ticket.id}, 1, 'en', 'damage', ${`Hi ${first},`}, ${JSON.stringify(parts)}::jsonb, 'Linen & Loom',
      ${`Hi ${first}, a new shirt is on its way to ${name}.`}, 'email', ${email}, 'U0AGENT001', now(), 'failed',
      ${`550 ${email}: mailbox full`}, ${`${name} asked for it`})`);
  await db.execute(sql`insert into csat_responses (case_id, rating, comment, via, responded_at)
    values (${ticket.id}, 2, ${`${words} Still waiting.`}, 'link', now())`);
  const reviewCase = await one<{ id: number }>(sql`insert into cases (kind, source, external_id, subject, body, customer_name, customer_email,
      priority, channel_id, received_at, reported_at)
    values ('review', 'judgeme', ${`rv-${s}`}, 'Torn seam', ${words}, ${name}, ${email}, 'normal', 'C0REVIEWS1', now(), now()) returning id`);
  const review = await one<{ id: number }>(sql`insert into reviews (provider, external_id, rating, title, body, reviewer_name, reviewer_email,
      media, written_at, received_at, updated_at, negative, case_id, ugc_consent, ugc_consent_note, ugc_consent_scope, checklist)
    values ('judgeme', ${`rv-${s}`}, 2, 'Torn seam', ${words}, ${name}, ${email}, ${JSON.stringify([{ type: 'image', url: `https://cdn.example/${s}.jpg` }])}::jsonb,
      now(), now(), now(), true, ${reviewCase.id}, 'granted', ${`${name} agreed by e-mail`}, '{social}',
      ${JSON.stringify({ findings: [], note: `Spoke to ${name}`, by: 'U0AGENT001', at: '2026-11-01T10:00:00Z' })}::jsonb) returning id`);
  await db.execute(sql`insert into ugc_consent_requests (review_id, scope, note, channel, target, requested_by, requested_at, link_expires_at, status, last_error)
    values (${review.id}, '{social}', ${`Dear ${name}, may we show your photo?`}, 'email', ${email}, 'U0AGENT001', now(), now() + interval '30 days',
      'failed', ${`550 ${email} unknown`})`);
  await db.execute(sql`insert into review_responses (case_id, review_id, version, acknowledge, actions, official_channel, cause_tag, body,
      drafted_by, drafted_at)
    values (${reviewCase.id}, ${review.id}, 1, ${`Thank you, ${name}`}, '{contact}', 'email', 'quality',
      ${`Dear ${name}, we are sorry. Write to us from ${email}.`}, 'U0AGENT001', now())`);
  const disputeCase = await one<{ id: number }>(sql`insert into cases (kind, source, external_id, subject, body, customer_name, customer_email,
      priority, channel_id, received_at, reported_at)
    values ('dispute', 'stripe', ${`dp-${s}`}, 'Chargeback', 'Fraudulent', ${name}, ${email}, 'urgent', 'C0DISPUTE1', now(), now()) returning id`);
  await db.execute(sql`insert into disputes (provider, external_id, case_id, stage, status, state, reason_code, reason_text, amount, currency,
      customer_email, customer_name, opened_at, created_at, updated_at, evidence)
    values ('stripe', ${`dp-${s}`}, ${disputeCase.id}, 'chargeback', 'needs_response', 'needs_response', 'fraudulent', 'Fraudulent',
      '89.00', 'EUR', ${email}, ${name}, now(), now(), now(),
      ${JSON.stringify({ customer_communication: { checked: true, note: `Mails with ${email}` } })}::jsonb)`);
  await db.execute(sql`insert into review_requests (order_provider, order_external_id, order_name, customer_email, customer_name, country,
      timezone, products, delivered_at, status, due_at, check_at, created_at, updated_at)
    values ('shopify', ${`o-${s}`}, ${`#10${s}`}, ${email}, ${name}, 'SE', 'Europe/Stockholm',
      '[{"key":"sku:LS-1","name":"Linen Shirt"}]'::jsonb, now(), 'scheduled', now() + interval '7 days', now() + interval '7 days', now(), now())`);
  await db.execute(sql`insert into email_suppressions (email, reason, created_at) values (${email}, 'unsubscribed', now())`);
  await db.execute(sql`insert into webhook_inbox (provider, status, headers, body, error)
    values ('shopify', 'rejected', '{"content-type":"application/json"}'::jsonb, ${JSON.stringify({ email: upper, name })},
      ${JSON.stringify({ message: `unreadable order for ${name}` })}::jsonb)`);
  await db.execute(sql`insert into outbox (kind, case_id, channel, order_key, payload, status, last_error)
    values ('thread_post', ${ticket.id}, 'C0SUPPORT1', ${`case:${ticket.id}`},
            ${JSON.stringify({ message: { direction: 'customer', body: words, authorName: name } })}::jsonb, 'pending', null),
           ('post', null, 'U0MANAGER1', ${`dm:${s}`}, ${JSON.stringify({ text: `Call ${name} back on ${email}` })}::jsonb, 'failed',
            ${`channel_not_found for ${email}`})`);
  await db.execute(sql`insert into digests (week_start, period_start, period_end, channel, content, published_by, created_at)
    values (${`2026-11-${s}`}, now() - interval '7 days', now(), 'C0DIGEST01',
      ${JSON.stringify({ model: { quotes: [{ text: words, by: name }] }, main: { text: `Voice of the customer: ${name}`, blocks: [] }, thread: [] })}::jsonb,
      'schedule', now())`);
  await db.execute(sql`insert into fix_items (tag, target, owner_id, due_on, note, created_by, created_at, week_start)
    values ('damaged', 'product_page', 'U0AGENT001', '2026-12-24', ${`Seams, as ${name} showed`}, 'U0MANAGER1', now(), ${`2026-11-${s}`})`);
  return { email, name, words, ticketId: ticket.id };
}

/** Every (table, column) of text, text[] or json whose rows hold one of the needles, with how many rows. */
export async function whereHeld(db: Db, needles: string[]): Promise<Record<string, number>> {
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    db,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public' and (data_type in ('text', 'jsonb', 'json', 'character varying') or (data_type = 'ARRAY' and udt_name = '_text'))
        order by table_name, column_name`,
  );
  const found: Record<string, number> = {};
  for (const c of columns) {
    const col = sql.identifier(c.column_name);
    const conds = sql.join(
      needles.map((n) => sql`strpos(lower(${col}::text), ${n.toLowerCase()}) > 0`),
      sql` or `,
    );
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(c.table_name)} where ${conds}`);
    if (Number(row!.n) > 0) found[`${c.table_name}.${c.column_name}`] = Number(row!.n);
  }
  return found;
}
