import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import { CaseNotFound, DomainError, InvalidInput } from '../domain/errors';
import type { Logger } from '../logger';
import { httpDuration, httpRequests, ingestOutcomes } from '../metrics';

// One HTTP port: Slack (/slack/events, handed to Bolt), the ingest API, provider webhooks
// and health checks. Bad input is answered 400/401/413/415, never 5xx.

export const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The client hung up before its body arrived: nothing to answer and nothing went wrong here, so it
 * is logged as what it is (nginx's 499), never as a 5xx that would page someone.
 */
export class ClientClosedRequest extends HttpError {
  constructor() {
    super(499, 'client_closed_request', 'The client closed the connection before sending the whole body.');
  }
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  rawBody: Buffer;
  /** Parses the body as JSON and validates it; a failure becomes a 400 naming the fields. */
  json<S extends z.ZodType>(schema: S): z.infer<S>;
  /** Fields added to this request's log line (case id, provider, …). */
  log: Record<string, unknown>;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with :params, e.g. /api/v1/tickets/:id/messages */
  path: string;
  /** ingest: needs the bearer INGEST_TOKEN; public: anyone (health, webhooks that verify their own signature). */
  auth: 'ingest' | 'public';
  /** JSON routes refuse other content types with 415. */
  json?: boolean;
  maxBytes?: number;
  /** Counted in trustloop_ingest_total under this provider (api for the REST API): a route that takes in cases. */
  ingest?: string;
  handler(ctx: RouteContext): Promise<RouteResult>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  keys: string[];
}

function compile(route: Route): CompiledRoute {
  const keys: string[] = [];
  const pattern = route.path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${pattern}/?$`), keys };
}

export function tokenMatches(given: string | undefined, expected: string): boolean {
  return tokenMatchesDigest(given, createHash('sha256').update(expected).digest());
}

/** As tokenMatches, against the expected token's SHA-256 (hashed once, not on every request). */
function tokenMatchesDigest(given: string | undefined, expected: Buffer): boolean {
  if (!given) return false;
  // Hash both so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(given).digest(), expected);
}

export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`);
      parts.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (req.destroyed || (err as NodeJS.ErrnoException).code === 'ECONNRESET') throw new ClientClosedRequest();
    throw err;
  }
  // The stream can also end early without an error when the peer half-closes mid-body.
  if (req.readableAborted || (req.complete === false && req.destroyed)) throw new ClientClosedRequest();
  return Buffer.concat(parts);
}

export interface HttpServerOptions {
  routes: Route[];
  logger: Logger;
  ingestToken: string;
  /** Bolt's request listener for /slack/events (HTTP mode only). */
  slack?: RequestListener;
  slackPath?: string;
}

/** Trustloop's HTTP server, which knows how many requests it is still answering (for a graceful stop). */
export interface HttpServer extends Server {
  /** From now on every new request (health checks included) is answered 503: the instance is going away. */
  beginDrain(): void;
  inFlight(): number;
  /** Resolves once no request is in flight, or after `ms`, whichever comes first. */
  drained(ms: number): Promise<boolean>;
}

export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const routes = opts.routes.map(compile);
  const slackPath = opts.slackPath ?? '/slack/events';
  const log = opts.logger.child({ component: 'http' });
  const ingestToken = createHash('sha256').update(opts.ingestToken).digest();
  let active = 0;
  let draining = false;
  const idle: (() => void)[] = [];

  const server = createServer((req, res) => {
    if (draining) {
      // A request on a connection opened before the stop began: not taken, so the sender retries elsewhere.
      req.resume();
      send(res, 503, { error: 'shutting_down', message: 'This Trustloop instance is shutting down; retry.' }, {
        'retry-after': '5',
        connection: 'close',
      });
      return;
    }
    active++;
    res.once('close', () => {
      active--;
      if (active === 0) for (const wake of idle.splice(0)) wake();
    });
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (opts.slack && url.pathname === slackPath) {
      res.once('finish', () => {
        httpRequests.inc({ route: slackPath, method: req.method ?? 'POST', status: String(res.statusCode) });
        httpDuration.observe({ route: slackPath }, Number(process.hrtime.bigint() - started) / 1e9);
      });
      opts.slack(req, res);
      return;
    }
    const fields: Record<string, unknown> = {};
    const matched: { route?: CompiledRoute } = {};
    handle(req, res, url, fields, matched)
      .catch((err) => sendError(res, err, log))
      .finally(() => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        // The route's pattern, not the path: an id in a label would make a series per ticket.
        const route = matched.route?.path ?? 'unmatched';
        httpRequests.inc({ route, method: req.method ?? 'GET', status: String(res.statusCode) });
        httpDuration.observe({ route }, seconds);
        if (matched.route?.ingest) {
          ingestOutcomes.inc({ provider: matched.route.ingest, outcome: res.statusCode < 300 ? 'accepted' : 'refused' });
        }
        if (!log.isLevelEnabled('info')) return;
        const ms = Math.round(seconds * 1e4) / 10;
        const aborted = res.statusCode === 499;
        log.info({ method: req.method, path: url.pathname, status: res.statusCode, ms, ...fields }, aborted ? 'request closed by the client' : 'request');
      });
  }) as HttpServer;
  server.beginDrain = () => {
    draining = true;
  };
  server.inFlight = () => active;
  server.drained = (ms) =>
    active === 0
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), ms);
          idle.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        });
  return server;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    fields: Record<string, unknown>,
    matched: { route?: CompiledRoute },
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    let pathMatched = false;
    for (const route of routes) {
      const m = route.regex.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      matched.route = route;
      if (route.auth === 'ingest') {
        const header = req.headers.authorization ?? '';
        const token = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
        if (!tokenMatchesDigest(token, ingestToken)) {
          req.resume();
          throw new HttpError(401, 'unauthorized', 'Send the ingest token as "Authorization: Bearer <INGEST_TOKEN>".', undefined, {
            'www-authenticate': 'Bearer',
          });
        }
      }
      if (route.json && method !== 'GET') {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json') {
          req.resume();
          throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
        }
      }
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new HttpError(404, 'not_found', `No route for ${method} ${url.pathname}.`);
        }
      });
      const rawBody = method === 'GET' ? Buffer.alloc(0) : await readBody(req, route.maxBytes ?? MAX_BODY_BYTES);
      let parsed: unknown;
      let parsedOnce = false;
      const ctx: RouteContext = {
        req,
        url,
        params,
        rawBody,
        log: fields,
        json(schema) {
          if (!parsedOnce) {
            try {
              parsed = JSON.parse(rawBody.toString('utf8'));
            } catch (err) {
              throw new HttpError(400, 'invalid_json', `The body is not valid JSON: ${(err as Error).message}`);
            }
            parsedOnce = true;
          }
          const result = schema.safeParse(parsed);
          if (!result.success) {
            const issues = zodIssues(result.error);
            throw new HttpError(400, 'invalid_request', `Invalid fields: ${issues.map((i) => i.path).join(', ')}`, issues);
          }
          return result.data;
        },
      };
      const result = await route.handler(ctx);
      send(res, result.status, result.body, result.headers);
      return;
    }
    req.resume();
    if (pathMatched) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}.`);
    throw new HttpError(404, 'not_found', `No route for ${method} ${url.pathname}.`);
  }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  if (err instanceof ClientClosedRequest) {
    // Nobody is there to read an answer; the status is kept for the request's log line.
    res.statusCode = 499;
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    send(res, err.status, { error: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) }, err.headers);
    if (err.status === 413) res.once('finish', () => res.socket?.destroy());
    return;
  }
  if (err instanceof CaseNotFound) {
    send(res, 404, { error: err.code, message: err.message });
    return;
  }
  if (err instanceof InvalidInput) {
    const path = err.path.join('.') || '(body)';
    send(res, 400, { error: err.code, message: err.userMessage, issues: [{ path, message: err.userMessage }] });
    return;
  }
  if (err instanceof DomainError) {
    send(res, 409, { error: err.code, message: err.userMessage });
    return;
  }
  // Safety net: PostgreSQL refused a value (SQLSTATE class 22, data exception) that validation let
  // through. That is the sender's data, not an outage: 400, and nothing was stored.
  const sqlState = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
    log.warn({ sqlState }, 'value refused by the database');
    send(res, 400, { error: 'invalid_value', message: 'A value in the body cannot be stored (out of range or not representable).' });
    return;
  }
  // Not the sender's fault (database down, a bug): 503 so senders retry later; nothing was committed.
  log.error({ err }, 'request failed');
  send(res, 503, { error: 'unavailable', message: 'Trustloop could not store this right now; retry later.' }, { 'retry-after': '5' });
}
