// Shared by every provider flow (reviews, disputes, the store's orders): out-of-order deliveries
// and text PostgreSQL cannot hold.

/**
 * A provider update older than the newest one applied (providers deliver at least once, in any
 * order). Equal times are not stale: Stripe's event times are in whole seconds.
 */
export function isStale(occurredAt: Date | undefined, newest: Date | null): boolean {
  return occurredAt !== undefined && newest !== null && occurredAt < newest;
}

/** PostgreSQL text cannot hold NUL: a provider's stray \u0000 becomes U+FFFD rather than a refused delivery. */
export function storable<T extends string | null | undefined>(s: T): T {
  return (typeof s === 'string' ? s.replace(/\u0000/g, '\uFFFD') : s) as T;
}
