import { createRequire } from 'node:module';
import type StripeLibrary from 'stripe';

// Stripe's library is some 20 MB resident once read. Most stores never connect Stripe, and those
// that do use it for a dispute now and then: it is read at its first use (a Stripe delivery to
// verify, a charge to look up), not when Trustloop starts. Read synchronously so that signature
// checks stay plain functions.

const require = createRequire(import.meta.url);
let library: typeof StripeLibrary | undefined;

/** Stripe's Node library (its constructor, `webhooks` and `errors`), read once on first use. */
export function stripeLibrary(): typeof StripeLibrary {
  return (library ??= require('stripe') as typeof StripeLibrary);
}
