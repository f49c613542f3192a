import { z } from 'zod';
import { disputeCreateSchema, reviewCreateSchema } from './providers/generic';
import { disputeResultSchema, reviewResultSchema } from './review-schemas';
import {
  caseSummarySchema,
  csatCreateSchema,
  csatResultSchema,
  customerEraseResultSchema,
  customerEraseSchema,
  errorSchema,
  messageCreateSchema,
  messageResultSchema,
  ticketCreateSchema,
} from './schemas';

// GET /api/v1/openapi.json, generated from the same zod schemas that validate requests.

type Schema = z.ZodType;

// Every schema with a .meta({ id }) lands in components.schemas and is referenced by id.
function components(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  for (const schema of Object.values(schemas)) delete schema.$schema;
  return schemas;
}

const ref = (schema: Schema) => {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('schema has no id');
  return { $ref: `#/components/schemas/${id}` };
};

const jsonBody = (schema: Schema) => ({ required: true, content: { 'application/json': { schema: ref(schema) } } });

const jsonResponse = (description: string, schema: Schema) => ({ description, content: { 'application/json': { schema: ref(schema) } } });

const errors = {
  '400': jsonResponse('Invalid JSON or fields; `issues` lists each field path and what is wrong.', errorSchema),
  '401': jsonResponse('Missing or wrong bearer token.', errorSchema),
  '413': jsonResponse('Body larger than 1 MB.', errorSchema),
  '415': jsonResponse('Body is not application/json.', errorSchema),
};

export function buildOpenApi(version: string): Record<string, unknown> {
  const caseId = {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'integer' },
    description: 'Trustloop case id (the number in TL-1042).',
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trustloop ingest API',
      version,
      description:
        'Send tickets and their messages, reviews and payment disputes to Trustloop. Each new case is posted to Slack as a card. ' +
        'Review platforms and payment providers with a native webhook (Judge.me, Trustpilot, Yotpo, Okendo, Stripe, PayPal, Shopify) post to /webhooks/<provider> instead; see the README.',
    },
    components: {
      schemas: components(),
      securitySchemes: { ingestToken: { type: 'http', scheme: 'bearer', description: 'The INGEST_TOKEN setting.' } },
    },
    security: [{ ingestToken: [] }],
    paths: {
      '/api/v1/tickets': {
        post: {
          summary: 'Create a ticket case (idempotent on source + external_id)',
          requestBody: jsonBody(ticketCreateSchema),
          responses: {
            '201': jsonResponse('Created; the card is posted to Slack shortly.', caseSummarySchema),
            '200': jsonResponse('Already received: the existing case, nothing changed.', caseSummarySchema),
            ...errors,
          },
        },
      },
      '/api/v1/reviews': {
        post: {
          summary:
            'Store a review; a negative one becomes a case, a positive one with photos or video a UGC candidate (idempotent on event_id)',
          requestBody: jsonBody(reviewCreateSchema),
          responses: {
            '201': jsonResponse('Stored (and, when negative, a case whose card is posted shortly).', reviewResultSchema),
            '200': jsonResponse('Already received, or an update of a review sent before.', reviewResultSchema),
            ...errors,
          },
        },
      },
      '/api/v1/disputes': {
        post: {
          summary: 'Open or move a payment dispute case (idempotent on event_id)',
          requestBody: jsonBody(disputeCreateSchema),
          responses: {
            '201': jsonResponse('A new dispute case; its card is posted shortly.', disputeResultSchema),
            '200': jsonResponse('An update of a dispute sent before, or a resend: the same case.', disputeResultSchema),
            ...errors,
          },
        },
      },
      '/api/v1/customers/erase': {
        post: {
          summary: 'Erase a customer by e-mail from review requests: nothing more is sent to the address, queued e-mails included, and its requests stop naming them',
          requestBody: jsonBody(customerEraseSchema),
          responses: { '200': jsonResponse('Erased.', customerEraseResultSchema), ...errors },
        },
      },
      '/api/v1/csat': {
        post: {
          summary: 'Record a customer satisfaction rating (1–5) for a case; a later rating of the same case replaces the earlier one',
          requestBody: jsonBody(csatCreateSchema),
          responses: {
            '201': jsonResponse('Recorded.', csatResultSchema),
            '200': jsonResponse('Replaced the earlier rating of the case.', csatResultSchema),
            '404': jsonResponse('No such case.', errorSchema),
            ...errors,
          },
        },
      },
      '/api/v1/tickets/{id}/csat-link': {
        get: {
          summary: 'The signed one-click rating links for a case (needs CSAT_LINK_SECRET); prefix them with your Trustloop URL',
          parameters: [caseId],
          responses: {
            '200': { description: '{ case_id, path, ratings: { "1": path?r=1, … } }' },
            '404': jsonResponse('No such case, or links not enabled.', errorSchema),
          },
        },
      },
      '/api/v1/tickets/{id}': {
        get: {
          summary: 'Read a case',
          parameters: [caseId],
          responses: { '200': jsonResponse('The case.', caseSummarySchema), '404': jsonResponse('No such case.', errorSchema) },
        },
      },
      '/api/v1/tickets/{id}/messages': {
        post: {
          summary: 'Append a customer message, an agent reply sent from the helpdesk, or an internal note',
          parameters: [caseId],
          requestBody: jsonBody(messageCreateSchema),
          responses: {
            '201': jsonResponse('Stored and posted in the card thread.', messageResultSchema),
            '200': jsonResponse('Already received (same external_id): nothing changed.', messageResultSchema),
            '404': jsonResponse('No such case.', errorSchema),
            ...errors,
          },
        },
      },
      '/api/v1/tickets/{source}/{external_id}/messages': {
        post: {
          summary: 'Same as above, addressing the ticket by the id your system gave it',
          parameters: [
            { name: 'source', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'external_id', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: jsonBody(messageCreateSchema),
          responses: {
            '201': jsonResponse('Stored and posted in the card thread.', messageResultSchema),
            '200': jsonResponse('Already received (same external_id): nothing changed.', messageResultSchema),
            '404': jsonResponse('No such ticket.', errorSchema),
            ...errors,
          },
        },
      },
    },
  };
}
