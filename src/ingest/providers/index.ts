// Provider adapters: signature verification and payload parsing, no I/O. Routes call
// `verify(headers, rawBody, config, now, url)` then `parse(rawBody, headers)`; SignatureError
// and PayloadError are HttpErrors (401 and 400) the router answers by itself.

export * as generic from './generic';
export * as judgeme from './judgeme';
export * as okendo from './okendo';
export * as paypal from './paypal';
export * as shopify from './shopify';
export * as stripe from './stripe';
export * as trustpilot from './trustpilot';
export * as yotpo from './yotpo';
export * from './types';
export { minorToDecimal, normalizeDecimal } from './money';
export { cardReasonText, paypalReasonText } from './reasons';
