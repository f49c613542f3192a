// The store's memory of a customer, as pure facts: where an order's parcel is, what was refunded,
// and where the order stands among the customer's orders ("3rd order · €640 lifetime").

export interface ShipmentFacts {
  status: string;
  shipmentStatus: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  fulfilledAt: Date;
  deliveredAt: Date | null;
}

export interface OrderFacts {
  id: number;
  name: string;
  amount: string;
  currency: string;
  placedAt: Date;
  cancelledAt: Date | null;
}

export interface PlatformCustomer {
  ordersCount: number | null;
  totalSpent: string | null;
  currency: string | null;
}

export interface Money {
  amount: string;
  currency: string;
}

/** What a card shows about the order a case is about, and its customer. */
export interface OrderContext {
  order: {
    name: string;
    amount: string;
    currency: string;
    country: string | null;
    items: { name: string; sku?: string; quantity: number }[];
    placedAt: Date;
    cancelledAt: Date | null;
    financialStatus: string | null;
  };
  delivery: ShipmentFacts | null;
  refunded: Money | null;
  customer: CustomerStanding | null;
}

export interface CustomerStanding {
  /** Orders the customer has placed (the platform's own count when it knows more than Trustloop). */
  orderCount: number;
  /** Which of them this order is (1 for the first); null when the order is not among them. */
  ordinal: number | null;
  lifetime: Money | null;
}

const SCALE = 10_000;

/** A decimal string as an integer count of ten-thousandths, so sums are exact. */
export function toUnits(amount: string): number {
  const n = Number(amount);
  return Number.isFinite(n) ? Math.round(n * SCALE) : 0;
}

export function fromUnits(units: number): string {
  const fixed = (units / SCALE).toFixed(4);
  return fixed.replace(/(\.\d*?[1-9])0+$/, '$1').replace(/\.0+$/, '');
}

/**
 * The shipment that says most about where the order is: the newest one not cancelled (an order
 * can ship in parts; the last part is the one a customer waits for).
 */
export function currentShipment(shipments: readonly ShipmentFacts[]): ShipmentFacts | null {
  const live = shipments.filter((s) => s.status !== 'cancelled' && s.status !== 'error' && s.status !== 'failure');
  const pool = live.length > 0 ? live : shipments;
  let best: ShipmentFacts | null = null;
  for (const s of pool) if (!best || s.fulfilledAt > best.fulfilledAt) best = s;
  return best;
}

/** The refunds of one order added up; null when nothing was paid back. */
export function refundTotal(refunds: readonly { amount: string; currency: string | null }[], orderCurrency: string): Money | null {
  const units = refunds.reduce((n, r) => n + toUnits(r.amount), 0);
  if (units <= 0) return null;
  return { amount: fromUnits(units), currency: refunds.find((r) => r.currency)?.currency ?? orderCurrency };
}

/**
 * Where an order stands among the customer's orders. Orders Trustloop has not seen are older
 * than the ones it has (webhooks bring every order from the day the store connected), so the
 * platform's larger count shifts the ordinal rather than inventing later orders.
 */
export function customerStanding(
  orders: readonly OrderFacts[],
  platform: PlatformCustomer | null,
  orderId: number | null,
  currency: string | null,
): CustomerStanding {
  const placed = orders.filter((o) => !o.cancelledAt).sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || a.id - b.id);
  const known = platform?.ordersCount ?? 0;
  const earlier = Math.max(0, known - placed.length);
  const index = orderId === null ? -1 : placed.findIndex((o) => o.id === orderId);
  const lifetimeCurrency = currency ?? placed.at(-1)?.currency ?? platform?.currency ?? null;
  const seen = placed.filter((o) => o.currency === lifetimeCurrency).reduce((n, o) => n + toUnits(o.amount), 0);
  const platformUnits = platform?.totalSpent && platform.currency === lifetimeCurrency ? toUnits(platform.totalSpent) : 0;
  const units = Math.max(seen, platformUnits);
  return {
    orderCount: Math.max(placed.length, known),
    ordinal: index >= 0 ? earlier + index + 1 : null,
    lifetime: lifetimeCurrency && units > 0 ? { amount: fromUnits(units), currency: lifetimeCurrency } : null,
  };
}

const REF_WORDS =
  'order|orders|ord|bestellung|bestellnummer|auftrag|pedido|commande|ordine|encomenda|bestelling|n[ºo°]|nr|number|numero|número|nummer';
const ORDER_REF = new RegExp(
  `(?:#\\s?(\\d{3,12})\\b)|(?:\\b(?:${REF_WORDS})\\.?\\s*(?:no\\.?|nr\\.?|number|n[ºo°]\\.?|#|:)?\\s*#?(\\d{3,12})\\b)`,
  'giu',
);

/**
 * Order numbers a customer wrote ("order #1042", "Bestellung 1042", "#1042"), at most five,
 * in the order written. Bounded: the text is cut to its first 20,000 characters.
 */
export function orderNumbersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.slice(0, 20_000).matchAll(ORDER_REF)) {
    const n = (m[1] ?? m[2])!;
    if (!out.includes(n)) out.push(n);
    if (out.length >= 5) break;
  }
  return out;
}

/** The names an order reference can stand for in a store: "1042" is "#1042" too. */
export function orderNameCandidates(ref: string): string[] {
  const t = ref.trim();
  if (!t) return [];
  const bare = t.replace(/^#\s*/, '');
  return [...new Set([t, bare, `#${bare}`])];
}

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
