import { z } from 'zod';
import { TICKET_SOURCES } from '../domain/case';

// The REST ingest API, defined once: requests are validated with these schemas and
// GET /api/v1/openapi.json is generated from them.

// PostgreSQL cannot store the NUL character in text: refuse it here, with its path, rather than fail on insert.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !v.includes('\u0000'), 'must not contain the NUL character (\\u0000)');

export const moneySchema = z
  .union([z.number().nonnegative().finite(), z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, 'must be a decimal amount such as "349.00"')])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .meta({ description: 'Order value as a decimal number or string, in the order currency.' });

export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR')
  .transform((v) => v.toUpperCase());

export const customerSchema = z
  .object({
    name: text(500).optional(),
    email: z.email('must be an email address').max(320).optional(),
    id: text(200).optional().meta({ description: 'The customer id in your store or helpdesk.' }),
    order_count: z.int().min(0).max(1_000_000).optional().meta({ description: 'How many orders the customer has placed.' }),
    tags: z.array(text(64)).max(50).default([]).meta({ description: 'Customer tags, e.g. "kol", "vip", "wholesale".' }),
  })
  .meta({ id: 'Customer' });

export const orderItemSchema = z.object({
  sku: text(100).optional(),
  name: text(500),
  quantity: z.int().min(1).max(100_000).default(1),
  price: moneySchema.optional(),
});

export const orderSchema = z
  .object({
    id: text(100).optional(),
    amount: moneySchema.optional(),
    currency: currencySchema.optional(),
    country: text(56).optional().meta({ description: 'Destination country (ISO code or name).' }),
    carrier: text(100).optional().meta({ description: 'Shipping carrier, e.g. "DHL" (the weekly digest groups logistics issues by it).' }),
    items: z.array(orderItemSchema).max(1000).default([]),
    payment_id: text(200).optional().meta({
      description:
        'The Stripe charge or payment intent the order was paid with (ch_…, py_…, pi_…). With STRIPE_API_KEY set, Trustloop reads the payer and the order from Stripe when the ticket matches no stored order.',
    }),
  })
  .refine((o) => o.amount === undefined || o.currency !== undefined, { message: 'currency is required with amount', path: ['currency'] })
  .meta({ id: 'Order' });

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-27T09:30:00Z' }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1970 && year <= 9999;
}, 'must be a date between 1970 and 9999');

export const ticketCreateSchema = z
  .object({
    source: z.enum(TICKET_SOURCES).meta({ description: 'The channel the customer used.' }),
    external_id: text(200).min(1).meta({ description: 'The ticket id in the sending system; makes delivery idempotent.' }),
    subject: text(1000).default(''),
    body: text(200_000).meta({ description: "The customer's message." }),
    customer: customerSchema,
    order: orderSchema.optional(),
    created_at: isoDate.optional().meta({ description: 'When the customer wrote; defaults to now.' }),
    tags: z.array(text(64)).max(100).optional().meta({ description: 'Tag ids from the workspace tag catalogue.' }),
    priority: text(64).optional().meta({ description: 'One of the configured priority levels.' }),
  })
  .meta({ id: 'TicketCreate' });

export type TicketCreate = z.infer<typeof ticketCreateSchema>;

export const messageCreateSchema = z
  .object({
    direction: z.enum(['customer', 'agent', 'note']).meta({
      description:
        'customer: a new message from the customer; agent: a reply sent to the customer from your helpdesk; note: an internal note.',
    }),
    body: text(200_000),
    author: z.object({ name: text(500).optional() }).optional(),
    external_id: text(200).min(1).optional().meta({ description: 'The message id in the sending system; makes delivery idempotent.' }),
    created_at: isoDate.optional(),
    waiting_on_customer: z.boolean().optional().meta({
      description:
        'agent replies only: the reply asks the customer for something, so the case waits on them and its response clocks pause until they write.',
    }),
  })
  .refine((m) => !m.waiting_on_customer || m.direction === 'agent', {
    message: 'only an agent reply can leave the case waiting on the customer',
    path: ['waiting_on_customer'],
  })
  .meta({ id: 'MessageCreate' });

export type MessageCreate = z.infer<typeof messageCreateSchema>;

export const caseSummarySchema = z
  .object({
    id: z.int(),
    ref: z.string().meta({ description: 'Human reference shown on the card, e.g. TL-1042.' }),
    created: z.boolean().meta({ description: 'false when the same source and external id had been sent before.' }),
    kind: z.string(),
    status: z.string(),
    priority: z.string(),
    owner: z.string().nullable(),
    tags: z.array(z.string()),
    slack: z.object({ channel: z.string(), ts: z.string().nullable() }),
  })
  .meta({ id: 'CaseSummary' });

export const messageResultSchema = z.object({ case_id: z.int(), message_id: z.int(), created: z.boolean() }).meta({ id: 'MessageResult' });

export const errorSchema = z
  .object({
    error: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });

export const csatCreateSchema = z
  .object({
    case_id: z
      .union([z.int().positive(), z.string().regex(/^TL-\d+$/i, 'must be a case id such as 1042 or TL-1042')])
      .optional()
      .meta({ description: 'The Trustloop case (id or TL- reference); or give source and external_id of the ticket.' }),
    source: z.enum(TICKET_SOURCES).optional(),
    external_id: text(200).min(1).optional().meta({ description: 'The ticket id in the sending system, with source.' }),
    rating: z.int('must be a whole number from 1 to 5').min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5'),
    comment: text(5000).optional(),
    responded_at: isoDate.optional().meta({ description: 'When the customer rated; defaults to now.' }),
  })
  .refine((v) => v.case_id !== undefined || (v.source !== undefined && v.external_id !== undefined), {
    message: 'give case_id, or source and external_id',
    path: ['case_id'],
  })
  .meta({ id: 'CsatCreate', description: 'A customer satisfaction rating; a later rating of the same case replaces the earlier one.' });

export type CsatCreate = z.infer<typeof csatCreateSchema>;

export const csatResultSchema = z
  .object({ case_id: z.int(), rating: z.int(), created: z.boolean().meta({ description: 'false when it replaced an earlier rating.' }) })
  .meta({ id: 'CsatResult' });

/** Erase-by-e-mail for review requests: the store's privacy process sends the address it must forget. */
export const customerEraseSchema = z
  .object({ email: z.email('must be an e-mail address').max(320).meta({ description: 'The customer’s address, as they gave it (case does not matter).' }) })
  .strict()
  .meta({ id: 'CustomerErase' });

export const customerEraseResultSchema = z
  .object({
    review_requests_erased: z.int().meta({ description: 'Requests that no longer name the customer.' }),
    review_requests_stopped: z.int().meta({ description: 'Requests (waiting, or with an e-mail queued) that will not go out.' }),
  })
  .meta({ id: 'CustomerEraseResult' });
