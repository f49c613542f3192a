import type { DayRange } from '../../policy';
import type { ReplyPhrases, ReplyType } from '../types';

// English. Plain words, short sentences, no legal tone; say what is known, what happens next and
// by when, and never promise what the store does not control (an arrival day).

const days = ([a, b]: DayRange) => (a === b ? `${a} business day${a === 1 ? '' : 's'}` : `${a}–${b} business days`);
const ord = (o: string | null) => (o ? `order ${o}` : 'your order');
/** Who takes the next step: a named person from the team, or the team. */
const will = (owner: string | null) => (owner ? `${owner} from our team will` : 'We will');

const ISSUE: Record<ReplyType, (o: string) => string> = {
  delay: (o) => `${o} has not reached you yet, and it is taking longer than it should.`,
  order_status: (o) => `You would like to know where ${o} is.`,
  damage: (o) => `Something in ${o} arrived damaged.`,
  missing: (o) => `Something is missing from ${o}.`,
  wrong_item: (o) => `${o} did not contain what you ordered.`,
  quality: (o) => `An item from ${o} has not held up the way it should.`,
  return: (o) => `You would like to return something from ${o}.`,
  exchange: (o) => `You would like to exchange something from ${o}.`,
  refund: (o) => `You are waiting for money back on ${o}.`,
  cancel: (o) => `You would like to cancel ${o}.`,
  address_change: (o) => `The delivery address for ${o} needs to change.`,
  dispute: (o) => `You have raised a payment dispute about ${o}.`,
  general: () => 'Thank you for your message.',
};

export const en: ReplyPhrases = {
  greeting: (name) => (name ? `Hi ${name},` : 'Hello,'),
  signoff: (owner) => (owner ? `Best regards,\n${owner}` : 'Best regards,\nThe support team'),
  quoted: (quote, sorry) => `Thank you for writing to us. You told us: “${quote}”.${sorry ? ' I am sorry about that.' : ''}`,
  issue: (type, order) => {
    const text = ISSUE[type](ord(order));
    return `Thank you for writing to us. ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  },
  status: {
    unfulfilled: (o) => `${capital(ord(o))} has not left our warehouse yet.`,
    inTransit: ({ order, carrier, tracking, shipped }) =>
      `${capital(ord(order))} is on its way${carrier ? ` with ${carrier}` : ''}${shipped ? `: it left our warehouse on ${shipped}` : ''}${tracking ? ` (tracking number ${tracking})` : ''}.`,
    delivered: ({ order, carrier, delivered }) =>
      `${carrier ?? 'The carrier'} shows ${ord(order)} as delivered${delivered ? ` on ${delivered}` : ''}.`,
    returned: (o) => `${capital(ord(o))} is on its way back to us.`,
    cancelled: (o) => `${capital(ord(o))} is cancelled.`,
    unknown: (o) => `I am looking into ${ord(o)} now.`,
    window: ({ country, days: d }) => `Delivery${country ? ` to ${country}` : ''} usually takes ${days(d)}.`,
    late: () => 'It is now later than that, so something has held it up on the way.',
  },
  next: {
    chaseCarrier: ({ carrier, by, owner }) =>
      `We are asking ${carrier ?? 'the carrier'} to trace it. ${will(owner)} write to you by ${by} with what they say, even if there is no news yet.`,
    resolveClaim: ({ refundDays, owner }) =>
      `${will(owner)} send you a replacement or refund you, whichever you prefer, as soon as we have what is listed below${refundDays ? ` (a refund reaches you within ${days(refundDays)})` : ''}.`,
    return: ({ windowDays, whoPays, refundDays }) =>
      [
        windowDays !== null ? `You can return items within ${windowDays} days of delivery.` : 'We will confirm the return with you.',
        whoPays === 'store'
          ? 'Return shipping is on us: we will send you a return label.'
          : whoPays === 'store_if_faulty'
            ? 'If the item is faulty, return shipping is on us; otherwise it is paid by you.'
            : whoPays === 'customer'
              ? 'Return shipping is paid by you.'
              : null,
        refundDays ? `Once it is back with us, your refund reaches you within ${days(refundDays)}.` : null,
      ]
        .filter(Boolean)
        .join(' '),
    exchange: ({ windowDays, allowed }) =>
      allowed === false
        ? 'We cannot exchange items, but you can return it and order the one you want.'
        : `We will exchange it${windowDays !== null ? ` (exchanges are possible within ${windowDays} days of delivery)` : ''} as soon as you tell us what you would like instead.`,
    refund: ({ refundDays, to, owner }) =>
      `${will(owner)} see your refund through${to === 'store_credit' ? ' as store credit' : to === 'original_payment' ? ' to your original payment method' : ''}${refundDays ? `; it reaches you within ${days(refundDays)} once it is issued` : ''}.`,
    cancel: ({ shipped, refundDays }) =>
      shipped
        ? 'It has already left our warehouse, so we cannot stop it: once it arrives, you can send it back and we will refund you.'
        : `We are cancelling it now${refundDays ? ` and your refund reaches you within ${days(refundDays)}` : ''}.`,
    addressChange: ({ shipped }) =>
      shipped
        ? 'It has already left our warehouse, so we will ask the carrier to redirect it; I will confirm whether they can.'
        : 'We will change the address before it ships.',
    dispute: ({ by, owner }) =>
      `${will(owner)} review your order and write to you by ${by} with what we found and how we can put it right, so you do not have to wait for the payment provider.`,
    general: ({ by, owner }) => `${will(owner)} come back to you by ${by}.`,
  },
  needs: {
    evidence: (items) => `To do that, please send us ${list(items)}.`,
    photos: 'a photo of the item (so we can see the problem and, if needed, claim it from the carrier)',
    video: 'a short video showing the problem (so we can see what happens)',
    packaging_photos: 'a photo of the box it came in (the carrier asks for it)',
    order_number: 'your order number (so we find the right parcel)',
    proof_of_purchase: 'your receipt or order confirmation (so we can match the purchase)',
    exchangeChoice: 'Please tell us which item it is and the size or colour you would like instead.',
    newAddress: 'Please send us the full new address, with the postcode.',
  },
  contact: (path) =>
    path
      ? `If anything is unclear, reply to this message or reach us at ${path}: we will sort it out with you directly.`
      : 'If anything is unclear, just reply to this message: we will sort it out with you directly.',
  date: (d) => d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
