import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for Shopify's GraphQL Admin API (POST /admin/api/<version>/graphql.json) serving a
// generated order history: the orders connection paged by cursor (oldest first, filtered by the
// created_at search term), ordersCount, and the query cost in extensions.cost. A test scripts
// what a real shop does now and then: a THROTTLED answer, a 429, a run of 5xx.

export interface AdminDoubleOptions {
  /** Orders in the shop, one every `spacingMs`, the newest at `newest`. */
  orders: number;
  newest: Date;
  spacingMs: number;
  /** Customers the orders are spread over. */
  customers?: number;
  token: string;
}

export interface AdminRequest {
  kind: 'orders' | 'count' | 'other';
  after: string | null;
  first: number | null;
  query: string | null;
  token: string | undefined;
}

type Script = { page: number; answer: 'throttled' | '429' | '5xx' | 'low_points'; times: number };

const MAX_POINTS = 1000;
const RESTORE_RATE = 50;

export class ShopifyAdminDouble {
  readonly requests: AdminRequest[] = [];
  private readonly scripts: Script[] = [];
  private server: Server | null = null;
  /** Orders pages served with a 200 (not counting failures). */
  pagesServed = 0;
  url = '';

  constructor(readonly opts: AdminDoubleOptions) {}

  /** On the `page`-th orders request that would succeed (0-based), answer this way `times` times first. */
  script(page: number, answer: Script['answer'], times = 1): this {
    this.scripts.push({ page, answer, times });
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/admin/api/2026-01/graphql.json`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The index of the first order created at or after `since`. */
  private firstFrom(since: Date): number {
    const oldest = this.opts.newest.getTime() - (this.opts.orders - 1) * this.opts.spacingMs;
    return Math.max(0, Math.ceil((since.getTime() - oldest) / this.opts.spacingMs));
  }

  order(i: number): Record<string, unknown> {
    const created = new Date(this.opts.newest.getTime() - (this.opts.orders - 1 - i) * this.opts.spacingMs);
    const iso = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const later = new Date(created.getTime() + 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const customer = i % (this.opts.customers ?? 1000);
    const shipped = i % 3 !== 2;
    const delivered = i % 3 === 0;
    return {
      legacyResourceId: String(8_000_000_000_000 + i),
      name: `#${10_001 + i}`,
      email: `customer${customer}@example.com`,
      createdAt: iso,
      updatedAt: shipped ? later : iso,
      cancelledAt: null,
      displayFinancialStatus: i % 10 === 4 ? 'PARTIALLY_REFUNDED' : 'PAID',
      displayFulfillmentStatus: shipped ? 'FULFILLED' : 'UNFULFILLED',
      totalPriceSet: { shopMoney: { amount: `${40 + (i % 200)}.50`, currencyCode: 'EUR' } },
      shippingAddress: { countryCodeV2: ['AT', 'DE', 'SE', 'FR'][i % 4], name: `Customer ${customer}` },
      billingAddress: { countryCodeV2: 'AT' },
      customer: {
        legacyResourceId: String(9_000_000_000 + customer),
        displayName: `Customer ${customer}`,
        updatedAt: iso,
        numberOfOrders: String(1 + Math.floor(i / (this.opts.customers ?? 1000))),
        amountSpent: { amount: '640.00', currencyCode: 'EUR' },
        defaultEmailAddress: { emailAddress: `customer${customer}@example.com` },
        defaultAddress: { countryCodeV2: 'AT' },
      },
      lineItems: {
        nodes: [
          { name: 'Merino Cardigan - M / Forest', sku: 'MC-M-FOR', quantity: 1 },
          { name: 'Wool Socks - 2 pack', sku: null, quantity: 1 + (i % 3) },
        ],
      },
      fulfillments: shipped
        ? [
            {
              legacyResourceId: String(5_000_000_000_000 + i),
              status: 'SUCCESS',
              displayStatus: delivered ? 'DELIVERED' : 'IN_TRANSIT',
              createdAt: iso,
              updatedAt: later,
              deliveredAt: delivered ? later : null,
              trackingInfo: [{ company: 'DHL Express', number: `1Z${i}`, url: `https://www.dhl.com/track?id=1Z${i}` }],
            },
          ]
        : [],
      refunds:
        i % 10 === 4
          ? [
              {
                legacyResourceId: String(6_000_000_000_000 + i),
                createdAt: later,
                note: 'Socks returned',
                totalRefundedSet: { shopMoney: { amount: '12.50', currencyCode: 'EUR' } },
                refundLineItems: { nodes: [{ quantity: 1, lineItem: { name: 'Wool Socks - 2 pack', sku: null } }] },
              },
            ]
          : [],
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const token = req.headers['x-shopify-access-token'] as string | undefined;
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(400, { errors: 'bad json' });
    }
    const q = body.query ?? '';
    const v = body.variables ?? {};
    const kind = /\bordersCount\(/.test(q)
      ? 'count'
      : /\borders\(first: \$first, after: \$after, query: \$query, sortKey: CREATED_AT\)/.test(q)
        ? 'orders'
        : 'other';
    this.requests.push({
      kind,
      after: (v.after as string | null | undefined) ?? null,
      first: typeof v.first === 'number' ? v.first : null,
      query: (v.query as string | undefined) ?? null,
      token,
    });
    if (token !== this.opts.token)
      return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    const since = /created_at:>='([^']+)'/.exec(String(v.query ?? ''));
    const from = since ? this.firstFrom(new Date(since[1]!)) : 0;
    const cost = (requested: number, available: number, actual: number | null = requested) => ({
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: { maximumAvailable: MAX_POINTS, currentlyAvailable: available, restoreRate: RESTORE_RATE },
      },
    });
    if (kind === 'count')
      return send(200, { data: { ordersCount: { count: this.opts.orders - from, precision: 'EXACT' } }, extensions: cost(1, 999) });
    if (kind !== 'orders') return send(200, { errors: [{ message: 'Field does not exist', extensions: { code: 'undefinedField' } }] });
    const first = Math.min(250, Number(v.first ?? 50));
    const requested = Math.min(MAX_POINTS, 2 + first * 3);
    const actual = 2 + first;
    const script = this.scripts.find((s) => s.page === this.pagesServed && s.times > 0 && s.answer !== 'low_points');
    if (script) {
      script.times--;
      if (script.answer === 'throttled') {
        return send(200, {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
          extensions: cost(requested, 5, null),
        });
      }
      if (script.answer === '429')
        return send(
          429,
          { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
          { 'retry-after': '2.0' },
        );
      return send(502, { errors: 'Bad Gateway' });
    }
    const start = v.after ? Number(Buffer.from(String(v.after), 'base64url').toString('utf8').replace('order:', '')) + 1 : from;
    const end = Math.min(this.opts.orders, start + first);
    const nodes: Record<string, unknown>[] = [];
    for (let i = start; i < end; i++) nodes.push(this.order(i));
    const endCursor = end > start ? Buffer.from(`order:${end - 1}`).toString('base64url') : null;
    const low = this.scripts.find((s) => s.page === this.pagesServed && s.answer === 'low_points' && s.times > 0);
    if (low) low.times--;
    this.pagesServed++;
    send(200, {
      data: { orders: { pageInfo: { hasNextPage: end < this.opts.orders, endCursor }, nodes } },
      // Usually plenty of points left; a scripted page leaves fewer than the next page needs.
      extensions: cost(requested, low ? 10 : MAX_POINTS - actual, actual),
    });
  }
}
