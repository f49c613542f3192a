import type Stripe from 'stripe';
import { stripeLibrary } from './stripe';
import type { ChargeLookupLine } from '../domain/charge-lookup';

// The store's Stripe account, read with a restricted key: what a disputed charge tells about the
// customer (e-mail, name), the order (the metadata the shop's checkout wrote on the payment
// intent or the charge) and the receipt. Stripe's own client does the calls; it is pointed at a
// local double in tests through its host, port and protocol options.

/** What a charge says about who paid and for which order. */
export interface ChargeFacts {
  chargeId: string;
  paymentIntentId: string | null;
  customerId: string | null;
  email: string | null;
  name: string | null;
  /** The order as the shop's checkout named it in the metadata ("1042", "#1042"). */
  orderRef: string | null;
  receiptUrl: string | null;
  receiptNumber: string | null;
  /** Parts the key may not read (a restricted key without Customers or PaymentIntents): left out, named here. */
  unreadable: string[];
}

export type { ChargeLookupLine };

/** Why a lookup did not give facts: `retry` (Stripe busy, unreachable, 5xx) or `refused` (key, permission, unknown charge). */
export class ChargeLookupError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ChargeLookupError';
  }
}

export interface ChargeLookup {
  /** A charge (ch_/py_) or payment intent (pi_) id. */
  lookUp(ref: string): Promise<ChargeFacts>;
}

/** A Stripe id Trustloop can look up: a charge, a payment (py_) or a payment intent. */
export function isStripePaymentRef(ref: string | null | undefined): ref is string {
  return Boolean(ref && /^(ch|py|pi)_[A-Za-z0-9]+$/.test(ref));
}

/** Metadata keys shops' checkouts (WooCommerce, custom checkouts, Shopify apps) use for the order. */
const ORDER_KEYS = ['order_id', 'order_number', 'order', 'orderId', 'order_name', 'orderNumber', 'shopify_order_id'];

function orderIn(metadata: Stripe.Metadata | null | undefined): string | null {
  for (const key of ORDER_KEYS) {
    const v = metadata?.[key]?.trim();
    if (v) return v.slice(0, 100);
  }
  return null;
}

export interface StripeApiOptions {
  host?: string;
  port?: number | string;
  protocol?: 'http' | 'https';
}

function classify(err: unknown): ChargeLookupError {
  const Stripe = stripeLibrary();
  if (err instanceof Stripe.errors.StripeAuthenticationError)
    return new ChargeLookupError('Stripe refused STRIPE_API_KEY (revoked or mistyped)', false, 'authentication');
  if (err instanceof Stripe.errors.StripePermissionError)
    return new ChargeLookupError('STRIPE_API_KEY may not read charges: give the restricted key Charges: Read', false, 'permission');
  if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404)
    return new ChargeLookupError(`Stripe has no such charge (${err.message})`, false, 'not_found');
  if (err instanceof Stripe.errors.StripeInvalidRequestError)
    return new ChargeLookupError(`Stripe refused the lookup (${err.message})`, false, 'invalid_request');
  const e = err as { message?: string; statusCode?: number };
  // Rate limits, 5xx, timeouts, connection failures: worth another try later.
  return new ChargeLookupError(
    `Stripe did not answer the lookup (${e.statusCode ?? ''} ${e.message ?? String(err)})`.trim(),
    true,
    'unavailable',
  );
}

/** Reads a part the key may not be allowed to read: a permission refusal leaves it out, anything else is the lookup's failure. */
async function optional<T>(part: string, unreadable: string[], read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof stripeLibrary().errors.StripePermissionError) {
      unreadable.push(part);
      return null;
    }
    throw err;
  }
}

export function stripeChargeLookup(apiKey: string, api: StripeApiOptions = {}): ChargeLookup {
  let client: Stripe | undefined;
  // The client (and Stripe's library) is made at the first lookup, not when Trustloop starts.
  const stripeClient = () => (client ??= new (stripeLibrary())(apiKey, {
    ...(api.host ? { host: api.host } : {}),
    ...(api.port !== undefined ? { port: api.port } : {}),
    ...(api.protocol ? { protocol: api.protocol } : {}),
    // The outbox retries with its own backoff, so a failed call is handed back at once.
    maxNetworkRetries: 0,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'Trustloop' },
  }));
  return {
    async lookUp(ref) {
      try {
        const stripe = stripeClient();
        const unreadable: string[] = [];
        let charge: Stripe.Charge | null = null;
        let intent: Stripe.PaymentIntent | null = null;
        if (ref.startsWith('pi_')) {
          intent = await stripe.paymentIntents.retrieve(ref);
          const latest = intent.latest_charge;
          if (typeof latest === 'string') charge = await stripe.charges.retrieve(latest);
          else if (latest) charge = latest;
        } else {
          charge = await stripe.charges.retrieve(ref);
          const pi = charge.payment_intent;
          if (typeof pi === 'string') intent = await optional('payment_intent', unreadable, () => stripe.paymentIntents.retrieve(pi));
          else if (pi) intent = pi;
        }
        const customerRef = charge?.customer ?? intent?.customer ?? null;
        const customerId = typeof customerRef === 'string' ? customerRef : (customerRef?.id ?? null);
        let customer: Stripe.Customer | Stripe.DeletedCustomer | null = typeof customerRef === 'object' ? customerRef : null;
        if (!customer && customerId) customer = await optional('customer', unreadable, () => stripe.customers.retrieve(customerId));
        const live = customer && !('deleted' in customer && customer.deleted) ? (customer as Stripe.Customer) : null;
        const email = live?.email ?? charge?.billing_details?.email ?? charge?.receipt_email ?? intent?.receipt_email ?? null;
        const name = live?.name ?? charge?.billing_details?.name ?? charge?.shipping?.name ?? intent?.shipping?.name ?? null;
        return {
          chargeId: charge?.id ?? ref,
          paymentIntentId: intent?.id ?? null,
          customerId,
          email: email?.trim().toLowerCase() || null,
          name: name?.trim() || null,
          // The payment intent is where checkouts write the order; the charge copies it on some integrations.
          orderRef: orderIn(intent?.metadata) ?? orderIn(charge?.metadata),
          receiptUrl: charge?.receipt_url ?? null,
          receiptNumber: charge?.receipt_number ?? null,
          unreadable,
        };
      } catch (err) {
        if (err instanceof ChargeLookupError) throw err;
        throw classify(err);
      }
    },
  };
}

// ---- applying a lookup to the dispute's case ------------------------------------------------

/** Lookups queue apart from Slack channels: their pacing is Stripe's, not a channel's. */
export const CHARGE_LOOKUP_CHANNEL = 'stripe:charges';
/** The setting whose absence skips lookups (README: Stripe → Looking up the disputed charge). */
export const CHARGE_LOOKUP_SETTING = 'STRIPE_API_KEY';
