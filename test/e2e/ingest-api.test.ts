import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cases } from '../../src/db/schema';
import { type Harness, INGEST_TOKEN, startHarness, ticket } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const caseCount = async () => (await h.app.database.db.select({ n: count() }).from(cases))[0]!.n;

describe('REST ingest API', () => {
  test('a valid ticket is created with 201 and its summary', async () => {
    const res = await h.ingest(ticket({ external_id: 'ZD-201', tags: ['order_status'], priority: 'high' }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      ref: `TL-${res.body.id}`,
      created: true,
      kind: 'ticket',
      status: 'new',
      priority: 'high',
      owner: null,
      tags: ['order_status'],
      slack: { channel: 'C0EMAIL01', ts: null },
    });
  });

  test('wrong types and missing fields get a 400 naming each field, and nothing is written', async () => {
    const before = await caseCount();
    const res = await h.ingest({
      source: 'fax',
      external_id: '',
      body: 42,
      customer: { email: 'not-an-email', order_count: -1 },
      order: { amount: 'lots', currency: 'EURO' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      ['body', 'customer.email', 'customer.order_count', 'external_id', 'order.amount', 'order.currency', 'source'].sort(),
    );
    const missing = await h.ingest({ source: 'email' });
    expect(missing.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body', 'customer', 'external_id']);
    expect(await caseCount()).toBe(before);
  });

  test('malformed JSON is a 400; tags and priorities outside the config are 400s with their paths', async () => {
    const bad = await h.api('POST', '/api/v1/tickets', '{"source": "email",');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_json');
    const tag = await h.ingest(ticket({ tags: ['sizing', 'made_up'] }));
    expect(tag.status).toBe(400);
    expect(tag.body.issues).toEqual([{ path: 'tags.1', message: expect.stringContaining('unknown tag "made_up"') }]);
    const prio = await h.ingest(ticket({ priority: 'p0' }));
    expect(prio.body.issues[0].path).toBe('priority');
  });

  test('no token or a wrong token is a 401', async () => {
    const none = await fetch(`${h.app.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ticket()),
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await h.api('POST', '/api/v1/tickets', ticket(), { authorization: `Bearer ${INGEST_TOKEN}x` });
    expect(wrong.status).toBe(401);
    const get = await h.api('GET', '/api/v1/tickets/1', undefined, { authorization: 'Basic abc' });
    expect(get.status).toBe(401);
  });

  test('a body over 1 MB is a 413; a non-JSON body is a 415', async () => {
    const before = await caseCount();
    const big = await h.ingest(ticket({ body: 'x'.repeat(1024 * 1024 + 10) }));
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('payload_too_large');
    const form = await h.api('POST', '/api/v1/tickets', 'source=email', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await caseCount()).toBe(before);
  });

  test('unknown routes and methods answer 404 and 405', async () => {
    expect((await h.api('GET', '/api/v1/nothing')).status).toBe(404);
    expect((await h.api('DELETE', '/api/v1/tickets')).status).toBe(405);
    expect((await h.api('GET', '/api/v1/tickets/999999')).status).toBe(404);
    expect((await h.api('POST', '/api/v1/tickets/abc/messages', { direction: 'note', body: 'x' })).status).toBe(404);
  });

  test('a message with a bad direction is a 400 naming it', async () => {
    const { body } = await h.ingest(ticket());
    const res = await h.api('POST', `/api/v1/tickets/${body.id}/messages`, { direction: 'sideways', body: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'direction', message: expect.any(String) }]);
  });

  test('health, readiness and the OpenAPI document generated from the schemas', async () => {
    expect((await h.api('GET', '/healthz')).body).toEqual({ ok: true });
    const ready = await h.api('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.ok).toBe(true);
    const doc = (await fetch(`${h.app.url}/api/v1/openapi.json`)).json() as Promise<any>;
    const spec = await doc;
    expect(spec.openapi).toBe('3.1.0');
    const create = spec.paths['/api/v1/tickets'].post;
    const deref = (node: { $ref: string }) => spec.components.schemas[node.$ref.replace('#/components/schemas/', '')];
    const schema = deref(create.requestBody.content['application/json'].schema);
    expect(schema.required).toEqual(expect.arrayContaining(['source', 'external_id', 'body', 'customer']));
    expect(schema.properties.source.enum).toEqual(['email', 'live_chat', 'social_dm', 'comment', 'marketplace', 'other']);
    expect(deref(schema.properties.customer).properties.email.format).toBe('email');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '413', '415']));
    expect(
      deref(spec.paths['/api/v1/tickets/{id}/messages'].post.requestBody.content['application/json'].schema).properties.direction.enum,
    ).toEqual(['customer', 'agent', 'note']);
  });
});

describe('input PostgreSQL would refuse is a 400, never a 5xx', () => {
  test('NUL characters, huge counts, impossible dates and broken path escapes', async () => {
    const before = await caseCount();
    const nul = await h.ingest(ticket({ body: 'hello\u0000world' }));
    expect(nul.status).toBe(400);
    expect(nul.body.issues).toEqual([{ path: 'body', message: expect.stringContaining('NUL') }]);
    const nested = await h.ingest(ticket({ order: { items: [{ name: 'bad\u0000name', quantity: 1 }] } }));
    expect(nested.body.issues[0].path).toBe('order.items.0.name');
    const big = await h.ingest(ticket({ customer: { name: 'A', order_count: 3_000_000_000 } }));
    expect(big).toMatchObject({ status: 400, body: { issues: [{ path: 'customer.order_count' }] } });
    const year0 = await h.ingest(ticket({ created_at: '0000-01-01T00:00:00Z' }));
    expect(year0).toMatchObject({ status: 400, body: { issues: [{ path: 'created_at' }] } });
    expect((await h.api('GET', '/api/v1/tickets/%zz')).status).toBe(404);
    expect((await h.api('POST', '/api/v1/tickets/%E0%A4%A/messages', { direction: 'note', body: 'x' })).status).toBe(404);
    const { body } = await h.ingest(ticket());
    const msg = await h.api('POST', `/api/v1/tickets/${body.id}/messages`, { direction: 'customer', body: 'a\u0000b' });
    expect(msg.status).toBe(400);
    expect(await caseCount()).toBe(before + 1);
  });
});
