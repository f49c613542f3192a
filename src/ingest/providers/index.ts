// Provider adapters: signature verification and payload parsing, no I/O. Routes call
// `verify(headers, rawBody, config, now, url)` then `parse(rawBody, headers)`; SignatureError
// and PayloadError are HttpErrors (401 and 400) the router answers by itself.

export * as generic from './generic';
export * as gorgias from './gorgias';
export * as helpscout from './helpscout';
export * as judgeme from './judgeme';
export * as mailgun from './mailgun';
export * as okendo from './okendo';
export * as paypal from './paypal';
export * as postmark from './postmark';
export * as shopify from './shopify';
export * as stripe from './stripe';
export * as trustpilot from './trustpilot';
export * as yotpo from './yotpo';
export * as zendesk from './zendesk';
export * from './types';
export { minorToDecimal, normalizeDecimal } from './money';
export { cardReasonText, paypalReasonText } from './reasons';
