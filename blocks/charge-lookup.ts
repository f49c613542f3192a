import type { ChargeLookupLine } from '../src/domain/charge-lookup';
import type { CaseMessage } from './message';
import { publicHttpsUrl, safeLink } from './links';
import { timelineEntry } from './timeline';
import { safeText } from './text';

// The timeline entry a Stripe charge lookup adds under a dispute's card: who paid, for which
// order, and the receipt. Every value comes from Stripe's account data and is shown as written.

export function chargeLookupEntry(l: ChargeLookupLine, at: Date): CaseMessage {
  const parts = [`:mag: Stripe charge ${safeText(l.chargeId, 80)}`];
  const payer = [l.name ? `*${safeText(l.name, 120)}*` : null, l.email ? safeText(l.email, 200) : null].filter(Boolean).join(' ');
  if (payer) parts.push(`paid by ${payer}`);
  if (l.matchedOrder) parts.push(`order ${safeText(l.matchedOrder, 60)} matched`);
  else if (l.orderRef) parts.push(`order ${safeText(l.orderRef, 60)} (not in the store's orders)`);
  else parts.push('no order in its metadata');
  // Stripe's receipt addresses are short; a long one is left out so the line stays within a context element's 3,000 characters.
  const receipt = l.receiptUrl && l.receiptUrl.length <= 1000 ? publicHttpsUrl(l.receiptUrl) : null;
  if (receipt) parts.push(safeLink(receipt, l.receiptNumber ? `receipt ${l.receiptNumber.slice(0, 40)}` : 'receipt'));
  if (l.unreadable.length > 0) parts.push(`the key may not read: ${l.unreadable.map((u) => safeText(u, 40)).join(', ')}`);
  const line = parts.join(' · ');
  return timelineEntry(line, at, line.replace(/:[a-z_]+: /g, ''));
}
