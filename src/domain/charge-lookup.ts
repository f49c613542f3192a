// A Stripe charge lookup's result, as a dispute's timeline tells it.

/** What the case's thread is told about a lookup (blocks/charge-lookup renders it). */
export interface ChargeLookupLine {
  chargeId: string;
  email: string | null;
  name: string | null;
  orderRef: string | null;
  /** The stored order the case is now matched to ("#1042"), when the lookup found one. */
  matchedOrder: string | null;
  receiptUrl: string | null;
  receiptNumber: string | null;
  unreadable: string[];
}
