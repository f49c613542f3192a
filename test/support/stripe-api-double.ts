import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for Stripe's REST API (GET /v1/charges/:id, /v1/payment_intents/:id,
// /v1/customers/:id) with Stripe's error envelope, so Stripe's own client is exercised as it is
// in production. Tests put objects in, queue failures and hold a request open.

export interface StripeRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

type Failure = { status: number; type: string; message: string; code?: string };

const COLLECTIONS = { charges: 'charge', payment_intents: 'payment_intent', customers: 'customer' } as const;

export class StripeApiDouble {
  readonly requests: StripeRequest[] = [];
  readonly objects = new Map<string, Record<string, unknown>>();
  /** Failures answered to the next requests for a path prefix ("/v1/charges/ch_1"), first in first out. */
  readonly failures = new Map<string, Failure[]>();
  private held: { prefix: string; release: Promise<void> } | null = null;
  private server: Server | null = null;
  port = 0;

  put(obj: Record<string, unknown> & { id: string }): this {
    this.objects.set(obj.id, obj);
    return this;
  }

  failNext(prefix: string, failure: Failure): this {
    this.failures.set(prefix, [...(this.failures.get(prefix) ?? []), failure]);
    return this;
  }

  /** Requests for `prefix` wait until the returned function is called. */
  hold(prefix: string): () => void {
    let release!: () => void;
    this.held = { prefix, release: new Promise<void>((r) => (release = r)) };
    return () => {
      this.held = null;
      release();
    };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${this.requests.length}` });
      res.end(JSON.stringify(body));
    };
    if (this.held && url.pathname.startsWith(this.held.prefix)) await this.held.release;
    for (const [prefix, queue] of this.failures) {
      if (url.pathname.startsWith(prefix) && queue.length > 0) {
        const f = queue.shift()!;
        return send(f.status, { error: { type: f.type, message: f.message, ...(f.code ? { code: f.code } : {}) } });
      }
    }
    const m = /^\/v1\/(charges|payment_intents|customers)\/([^/]+)$/.exec(url.pathname);
    const obj = m ? this.objects.get(decodeURIComponent(m[2]!)) : undefined;
    if (!m || !obj || obj.object !== COLLECTIONS[m[1] as keyof typeof COLLECTIONS]) {
      return send(404, {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such ${m ? COLLECTIONS[m[1] as keyof typeof COLLECTIONS] : 'object'}: '${m?.[2] ?? url.pathname}'`,
        },
      });
    }
    send(200, obj);
  }
}

/** A charge as Stripe's API returns it (the fields Trustloop reads, and their neighbours). */
export function stripeCharge(over: Record<string, unknown> & { id: string }): Record<string, unknown> & { id: string } {
  return {
    object: 'charge',
    amount: 4999,
    amount_captured: 4999,
    amount_refunded: 0,
    billing_details: { address: null, email: null, name: null, phone: null },
    captured: true,
    created: 1773000000,
    currency: 'usd',
    customer: null,
    disputed: true,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    shipping: null,
    status: 'succeeded',
    ...over,
  };
}
