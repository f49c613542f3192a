import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { routeLine } from '../../../blocks/reply';
import type { Env } from '../../../src/config/env';
import { createSenders, routeFor, sendersFromEnv } from '../../../src/services/send';
import { SendError } from '../../../src/services/send/http';
import {
  gorgiasSender,
  helpScoutSender,
  judgemeSender,
  type OutboundReply,
  trustpilotSender,
  yotpoSender,
  zendeskSender,
} from '../../../src/services/send/providers';

// Each sender against a local HTTP double that answers as the provider's documented API does:
// the method and path, the authentication, the body carrying exactly the reply's text.

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
/** Path (method + pathname) → status and body; a function for answers that depend on the call count. */
let routes: Record<string, { status: number; body?: unknown; headers?: Record<string, string> }> = {};
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const route = routes[`${req.method} ${url.pathname}`] ?? { status: 404, body: { error: 'not found' } };
      res.writeHead(route.status, { 'content-type': 'application/json', ...route.headers });
      res.end(route.body === undefined ? '' : JSON.stringify(route.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  routes = {};
});

const text = 'Hi Jane,\n\nYou told us: “<@U123> *late* & broken”.\n\nBest regards,\nSam';
const reply = (target: string): OutboundReply => ({ text, target, subject: 'Re: Broken vase', customerEmail: 'jane@example.com', messageId: '<m@x>' });
const json = (s: Seen) => JSON.parse(s.body);
const basicOf = (s: Seen) => Buffer.from(String(s.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');

describe('helpdesk senders', () => {
  it('Zendesk: a public comment on the ticket, with API-token auth', async () => {
    routes['PUT /api/v2/tickets/4711.json'] = { status: 200, body: { ticket: { id: 4711 }, audit: { id: 9001 } } };
    const out = await zendeskSender({ subdomain: 'acme', email: 'agent@acme.example', apiToken: 'zd-token', baseUrl: base }).send(reply('4711'));
    expect(out.externalId).toBe('9001');
    expect(seen).toHaveLength(1);
    expect(basicOf(seen[0]!)).toBe('agent@acme.example/token:zd-token');
    expect(json(seen[0]!)).toEqual({ ticket: { comment: { body: text, public: true } } });
  });

  it('Help Scout: a client-credentials token once, then a reply in the conversation', async () => {
    routes['POST /v2/oauth2/token'] = { status: 200, body: { access_token: 'hs-access', expires_in: 7200 } };
    routes['POST /v2/conversations/321/reply'] = { status: 201, headers: { 'resource-id': '555' } };
    const sender = helpScoutSender({ appId: 'app', appSecret: 'secret', baseUrl: base });
    expect((await sender.send(reply('321'))).externalId).toBe('555');
    await sender.send(reply('321'));
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /v2/oauth2/token', 'POST /v2/conversations/321/reply', 'POST /v2/conversations/321/reply']);
    expect(new URLSearchParams(seen[0]!.body).get('grant_type')).toBe('client_credentials');
    expect(seen[1]!.headers.authorization).toBe('Bearer hs-access');
    expect(json(seen[1]!)).toEqual({ customer: { email: 'jane@example.com' }, text });
  });

  it('Gorgias: an e-mail message from the agent side on the ticket', async () => {
    routes['POST /api/tickets/88/messages'] = { status: 201, body: { id: 123456 } };
    const out = await gorgiasSender({ domain: 'acme', email: 'support@acme.example', apiKey: 'g-key', baseUrl: base }).send(reply('88'));
    expect(out.externalId).toBe('123456');
    expect(basicOf(seen[0]!)).toBe('support@acme.example:g-key');
    expect(json(seen[0]!)).toMatchObject({ channel: 'email', via: 'api', from_agent: true, body_text: text, receiver: { email: 'jane@example.com' } });
  });
});

describe('review platform senders', () => {
  it('Judge.me: a public reply with the private token and shop domain', async () => {
    routes['POST /api/v1/replies'] = { status: 201, body: { reply: { id: 77 } } };
    const out = await judgemeSender({ apiToken: 'jm-token', shopDomain: 'acme.myshopify.com', baseUrl: base }).send(reply('12345'));
    expect(out.externalId).toBe('77');
    expect(seen[0]!.path).toBe('/api/v1/replies?api_token=jm-token&shop_domain=acme.myshopify.com');
    expect(json(seen[0]!)).toEqual({ review_id: 12345, send_reply_email: true, reply: { content: text } });
  });

  it('Yotpo: a utoken from the app key and secret, then a public comment on the review', async () => {
    routes['POST /oauth/token'] = { status: 200, body: { access_token: 'utok', token_type: 'bearer' } };
    routes['POST /reviews/999/comments'] = { status: 200, body: { status: { code: 200 }, response: { comment: { id: 31 } } } };
    const out = await yotpoSender({ appKey: 'app-key', secretKey: 'y-secret', baseUrl: base }).send(reply('999'));
    expect(out.externalId).toBe('31');
    expect(json(seen[0]!)).toEqual({ client_id: 'app-key', client_secret: 'y-secret', grant_type: 'client_credentials' });
    expect(json(seen[1]!)).toEqual({ utoken: 'utok', app_key: 'app-key', comment: { content: text, public: true } });
  });

  it('Trustpilot: a reply as the business user', async () => {
    routes['POST /v1/private/reviews/tp-1/reply'] = { status: 201 };
    await trustpilotSender({ accessToken: 'tp-access', businessUserId: 'bu-1', baseUrl: base }).send(reply('tp-1'));
    expect(seen[0]!.headers.authorization).toBe('Bearer tp-access');
    expect(json(seen[0]!)).toEqual({ authorBusinessUserId: 'bu-1', message: text });
  });
});

describe('failures and routing', () => {
  it('a refused token is permanent, a provider outage or rate limit is retried', async () => {
    const z = zendeskSender({ subdomain: 'acme', email: 'a@b.c', apiToken: 't', baseUrl: base });
    routes['PUT /api/v2/tickets/1.json'] = { status: 401, body: { error: 'Couldn’t authenticate you' } };
    const refused = await z.send(reply('1')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SendError);
    expect((refused as SendError).permanent).toBe(true);
    expect((refused as SendError).message).toMatch(/^Zendesk answered 401: check its credentials/);
    for (const status of [503, 429]) {
      routes['PUT /api/v2/tickets/1.json'] = { status };
      expect(((await z.send(reply('1')).catch((e: unknown) => e)) as SendError).permanent).toBe(false);
    }
    const down = await zendeskSender({ subdomain: 'acme', email: 'a@b.c', apiToken: 't', baseUrl: 'http://127.0.0.1:1' }).send(reply('1')).catch((e: unknown) => e);
    expect((down as SendError).permanent).toBe(false);
  });

  it('a case is answered where it came from; a channel without settings is not available', async () => {
    const ticket = { kind: 'ticket', source: 'email', externalId: 'T-1', customerEmail: 'jane@example.com' };
    expect(routeFor(ticket, null)).toEqual({ channel: 'email', target: 'jane@example.com' });
    expect(routeFor({ ...ticket, source: 'zendesk', externalId: '4711' }, null)).toEqual({ channel: 'zendesk', target: '4711' });
    expect(routeFor({ ...ticket, kind: 'review', source: 'review' }, { provider: 'judgeme', externalId: '12345', reviewerEmail: null })).toEqual({ channel: 'judgeme', target: '12345' });
    expect(routeFor({ ...ticket, customerEmail: null }, null)).toBeNull();
    const senders = createSenders({});
    expect(senders.available('email')).toBe(false);
    const err = await senders.send('zendesk', reply('1')).catch((e: unknown) => e);
    expect((err as SendError).message).toBe('Zendesk is not set up (set ZENDESK_SUBDOMAIN, ZENDESK_EMAIL and ZENDESK_API_TOKEN)');
  });

  it('an Okendo review is answered by copy-ready text: its documented API has no way to post a reply, whatever is set', () => {
    const review = { kind: 'review', source: 'review', externalId: 'R-1', customerEmail: 'kim@example.com' };
    expect(routeFor(review, { provider: 'okendo', externalId: 'rev-uuid', reviewerEmail: 'kim@example.com' })).toEqual({ channel: 'okendo', target: 'rev-uuid' });
    const env = { OKENDO_USER_ID: 'ok-user', OKENDO_API_KEY: 'ok-key', JUDGEME_API_TOKEN: 'jm-token', JUDGEME_SHOP_DOMAIN: 'acme.myshopify.com' } as unknown as Env;
    const senders = sendersFromEnv(env, null);
    expect(senders.available('judgeme')).toBe(true);
    expect(senders.available('okendo')).toBe(false);
    expect(routeLine({ channel: 'okendo', available: false })).toMatch(/^Okendo’s API has no way to post a reply: paste it on the review in Okendo/);
  });
});
