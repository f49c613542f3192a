import { own } from './util';

// Dispute reason codes in the words the person answering the dispute needs.

/** Card-network reasons as Stripe and Shopify Payments name them. */
const CARD_REASONS: Record<string, string> = {
  bank_cannot_process: "The customer's bank could not process the payment",
  bank_not_process: "The customer's bank could not process the payment",
  check_returned: "The customer's check was returned",
  credit_not_processed: 'Customer says they returned the item or cancelled, but was not refunded',
  customer_initiated: 'Customer disputed the payment without a stated reason; ask them why',
  debit_not_authorized: "Customer's bank says the debit was not authorised",
  duplicate: 'Customer says they were charged more than once',
  fraudulent: 'Cardholder says they did not make this payment',
  general: 'Uncategorised dispute; contact the customer for details',
  incorrect_account_details: 'The account details used for the payment were wrong',
  insufficient_funds: "The customer's account had insufficient funds",
  noncompliant: 'The card network says the payment broke its rules',
  product_not_received: 'Customer says the item never arrived',
  product_unacceptable: 'Customer says the item was defective, damaged or not as described',
  subscription_canceled: 'Customer says they cancelled the subscription before this charge',
  unrecognized: 'Customer does not recognise this payment',
};

const PAYPAL_REASONS: Record<string, string> = {
  MERCHANDISE_OR_SERVICE_NOT_RECEIVED: 'Customer says the item never arrived',
  MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED: 'Customer says the item was not as described',
  UNAUTHORISED: 'Customer says they did not authorise this payment',
  CREDIT_NOT_PROCESSED: 'Customer says a refund or credit they were promised was not processed',
  DUPLICATE_TRANSACTION: 'Customer says they were charged more than once',
  INCORRECT_AMOUNT: 'Customer says they were charged the wrong amount',
  PAYMENT_BY_OTHER_MEANS: 'Customer says they already paid by other means',
  CANCELED_RECURRING_BILLING: 'Customer says they were billed after cancelling a subscription or recurring payment',
  PROBLEM_WITH_REMITTANCE: 'There was a problem with the remittance',
  OTHER: "Other reason; read the customer's messages",
};

/** "some_reason_code" → "Some reason code" for codes a provider adds later. */
function humanise(code: string): string {
  const words = code
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? `${words[0]!.toUpperCase()}${words.slice(1)}` : 'No reason given';
}

export function cardReasonText(code: string): string {
  return own(CARD_REASONS, code.toLowerCase()) ?? humanise(code);
}

export function paypalReasonText(code: string): string {
  return own(PAYPAL_REASONS, code.toUpperCase()) ?? humanise(code);
}
