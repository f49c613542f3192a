import { addBusinessDays, businessDaysBetween, deliveryWindow, type StorePolicy } from '../policy';
import { problemQuote } from '../review-reply';
import { PHRASES } from './phrases';
import type { PolicyGap, ReplyDraft, ReplyFacts, ReplyPhrases, ReplyType } from './types';

// The reply composer: from the case, its order and the store's policy, a draft with the brief's
// five parts, each a separate field the agent edits before anything is sent. Facts are stated as
// the store knows them; the only date promised is one the store controls (when it writes next),
// never an arrival day. Pure: `now` and everything else come from the caller.

/** How many business days until the store's next update, for cases waiting on someone else. */
export const NEXT_UPDATE_BUSINESS_DAYS = 2;

/** The reply type for a case from its tags (the first that applies, in the order support acts on them). */
export function replyTypeOf(kind: string, tags: readonly string[]): ReplyType {
  if (kind === 'dispute' || tags.includes('chargeback')) return 'dispute';
  const order: [string, ReplyType][] = [
    ['damaged', 'damage'],
    ['missing_item', 'missing'],
    ['wrong_item', 'wrong_item'],
    ['refund', 'refund'],
    ['cancel', 'cancel'],
    ['address_change', 'address_change'],
    ['exchange', 'exchange'],
    ['return_request', 'return'],
    ['quality', 'quality'],
    ['shipping_delay', 'delay'],
    ['order_status', 'order_status'],
  ];
  return order.find(([tag]) => tags.includes(tag))?.[1] ?? 'general';
}

const CLAIMS: readonly ReplyType[] = ['damage', 'missing', 'wrong_item', 'quality'];
/** Types where something went wrong for the customer: the confirmation says sorry. */
const PROBLEMS: readonly ReplyType[] = [...CLAIMS, 'delay', 'refund', 'dispute'];

// "Hi," "Hello team!" "Hallo," "Bonjour," … opening the message are not what the customer reported.
const SALUTATION = /^\s*(?:hi|hello|hey|dear\s+[^,\n]{1,40}|hallo|hola|buenas|bonjour|salut|ciao|buongiorno|olá|ola|bom dia|boa tarde|goedemiddag|goedemorgen|guten tag|moin|servus)\b[^\n,.!]{0,30}[,.!]?\s*/iu;

function withoutSalutation(body: string): string {
  return body.replace(SALUTATION, '');
}

/** A country's name in the reply's language ("DE" → "Germany", "Deutschland"), else the code. */
export function countryName(code: string | null, language: string): string | null {
  if (!code) return null;
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export function composeReply(facts: ReplyFacts): ReplyDraft {
  // A language without a phrase book is answered in English, and the draft says so.
  const f: ReplyFacts = PHRASES[facts.language] ? facts : { ...facts, language: 'en' };
  const p: ReplyPhrases = PHRASES[f.language] ?? PHRASES.en;
  const gaps: PolicyGap[] = [];
  const order = f.order?.name ?? null;
  const quote = problemQuote(f.subject, withoutSalutation(f.body));

  const confirmation = quote && f.type !== 'general' ? p.quoted(quote, PROBLEMS.includes(f.type)) : p.issue(f.type, order);
  const status = statusOf(f, p, gaps);
  const { next, nextUpdateBy } = nextOf(f, p, gaps);
  const needs = needsOf(f, p);
  if (!f.policy.contact) gaps.push('contact');
  return {
    language: f.language,
    type: f.type,
    greeting: p.greeting(f.customerName?.trim().split(/\s+/)[0] || null),
    parts: { confirmation, status, next, needs, contact: p.contact(f.policy.contact) },
    signoff: p.signoff(f.owner),
    gaps: [...new Set(gaps)],
    nextUpdateBy,
  };
}

/** The whole text as the customer reads it: greeting, the parts in order (an empty one left out), sign-off. */
export function replyText(d: Pick<ReplyDraft, 'greeting' | 'parts' | 'signoff'>): string {
  const body = [d.parts.confirmation, d.parts.status, d.parts.next, d.parts.needs, d.parts.contact]
    .map((s) => s?.trim())
    .filter((s): s is string => Boolean(s));
  return [d.greeting.trim(), ...body, d.signoff.trim()].filter(Boolean).join('\n\n');
}

function statusOf(f: ReplyFacts, p: ReplyPhrases, gaps: PolicyGap[]): string {
  const o = f.order;
  const name = o?.name ?? null;
  const date = (d: Date | null) => (d ? p.date(d) : null);
  let line: string;
  switch (o?.state ?? null) {
    case 'unfulfilled':
      line = p.status.unfulfilled(name);
      break;
    case 'in_transit':
      line = p.status.inTransit({ order: name, carrier: o!.carrier, tracking: o!.tracking, shipped: date(o!.shippedAt) });
      break;
    case 'delivered':
      line = p.status.delivered({ order: name, carrier: o!.carrier, delivered: date(o!.deliveredAt) });
      break;
    case 'returned':
      line = p.status.returned(name);
      break;
    case 'cancelled':
      line = p.status.cancelled(name);
      break;
    default:
      line = p.status.unknown(name);
  }
  if (f.type === 'delay' || f.type === 'order_status') {
    const window = deliveryWindow(f.policy, o?.country ?? null, o?.method);
    if (!window) gaps.push('delivery_window');
    else {
      line = `${line} ${p.status.window({ country: countryName(o?.country ?? f.policy.home_country, f.language), days: window.business_days })}`;
      const since = o?.shippedAt ?? o?.orderedAt ?? null;
      if (since && o?.state !== 'delivered' && businessDaysBetween(since, f.now) > window.business_days[1]) line = `${line} ${p.status.late()}`;
    }
  }
  return line;
}

function nextOf(f: ReplyFacts, p: ReplyPhrases, gaps: PolicyGap[]): { next: string; nextUpdateBy: Date | null } {
  const by = addBusinessDays(f.now, NEXT_UPDATE_BUSINESS_DAYS);
  const shipped = f.order?.state === 'in_transit' || f.order?.state === 'delivered';
  const pol: StorePolicy = f.policy;
  const refundDays = pol.refunds?.business_days ?? null;
  switch (f.type) {
    case 'delay':
    case 'order_status':
      return { next: p.next.chaseCarrier({ carrier: f.order?.carrier ?? null, by: p.date(by), owner: f.owner }), nextUpdateBy: by };
    case 'damage':
    case 'missing':
    case 'wrong_item':
    case 'quality':
      if (!pol.refunds) gaps.push('refunds');
      return { next: p.next.resolveClaim({ refundDays, owner: f.owner }), nextUpdateBy: null };
    case 'return':
      if (!pol.returns) gaps.push('returns');
      return {
        next: p.next.return({ windowDays: pol.returns?.window_days ?? null, whoPays: pol.returns?.return_shipping ?? null, refundDays }),
        nextUpdateBy: null,
      };
    case 'exchange':
      if (!pol.exchanges) gaps.push('exchanges');
      return { next: p.next.exchange({ windowDays: pol.exchanges?.window_days ?? null, allowed: pol.exchanges?.allowed ?? null }), nextUpdateBy: null };
    case 'refund':
      if (!pol.refunds) gaps.push('refunds');
      return { next: p.next.refund({ refundDays, to: pol.refunds?.to ?? null, owner: f.owner }), nextUpdateBy: null };
    case 'cancel':
      return { next: p.next.cancel({ shipped, refundDays }), nextUpdateBy: null };
    case 'address_change':
      return { next: p.next.addressChange({ shipped }), nextUpdateBy: null };
    case 'dispute':
      return { next: p.next.dispute({ by: p.date(by), owner: f.owner }), nextUpdateBy: by };
    default:
      return { next: p.next.general({ by: p.date(by), owner: f.owner }), nextUpdateBy: by };
  }
}

function needsOf(f: ReplyFacts, p: ReplyPhrases): string | null {
  if (CLAIMS.includes(f.type)) {
    // What the claim needs, less what the team already has (the order is known).
    const items = f.policy.damage_claims.requires
      .filter((e) => !(e === 'order_number' && f.order?.name))
      .filter((e) => !(e === 'packaging_photos' && f.type === 'quality'))
      .map((e) => p.needs[e]);
    return items.length > 0 ? p.needs.evidence(items) : null;
  }
  if (f.type === 'exchange') return p.needs.exchangeChoice;
  if (f.type === 'address_change') return p.needs.newAddress;
  if (!f.order?.name && ['delay', 'order_status', 'return', 'refund', 'cancel'].includes(f.type)) return p.needs.evidence([p.needs.order_number]);
  return null;
}
