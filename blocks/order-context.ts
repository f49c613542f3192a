import type { CustomerStanding, OrderContext } from '../src/domain/orders';
import { ordinal } from '../src/domain/orders';
import { publicHttpsUrl, safeLink } from './links';
import { formatMoney, safeText, slackDate, squash } from './text';

// The store's memory on a card: the order the case is about (name, value, country, items), where
// its parcel is, what was refunded, and where the customer stands ("3rd order · €640.00 lifetime").
// Every value is bounded here, so the field stays far below Slack's 2,000 characters.

const SHIPMENT_LABEL: Record<string, string> = {
  label_printed: 'label printed',
  label_purchased: 'label purchased',
  confirmed: 'confirmed by the carrier',
  in_transit: 'in transit',
  out_for_delivery: 'out for delivery',
  attempted_delivery: 'delivery attempted',
  ready_for_pickup: 'ready for pickup',
  picked_up: 'picked up',
  delivered: 'delivered',
  failure: 'delivery failed',
};

const TRACKING_URL_MAX = 500;

export function orderContextLines(ctx: OrderContext): string {
  const o = ctx.order;
  const head = [safeText(o.name, 60), formatMoney(o.amount, o.currency), ...(o.country ? [safeText(o.country, 40)] : [])];
  const lines = [head.join(' · ')];
  if (o.items.length > 0) {
    const count = o.items.reduce((n, i) => n + (Number.isFinite(i.quantity) ? i.quantity : 1), 0);
    const names = o.items.slice(0, 3).map((i) => safeText(squash(i.name), 40) + (i.sku ? ` (${safeText(i.sku, 30)})` : ''));
    const more = o.items.length > 3 ? ` +${o.items.length - 3} more` : '';
    lines.push(`${count} item${count === 1 ? '' : 's'}: ${names.join(', ')}${more}`);
  }
  if (o.cancelledAt) lines.push(`:no_entry_sign: Cancelled ${slackDate(o.cancelledAt, '{date_short}')}`);
  else lines.push(deliveryLine(ctx));
  if (ctx.refunded) lines.push(`:money_with_wings: Refunded ${formatMoney(ctx.refunded.amount, ctx.refunded.currency)}`);
  return lines.join('\n');
}

function deliveryLine(ctx: OrderContext): string {
  const d = ctx.delivery;
  if (!d) return ':package: Not shipped yet';
  const parts = [`:truck: ${d.carrier ? safeText(squash(d.carrier), 60) : 'Shipped'}`];
  if (d.status === 'cancelled') parts.push('shipment cancelled');
  else if (d.deliveredAt) parts.push(`delivered ${slackDate(d.deliveredAt, '{date_short}')}`);
  else
    parts.push(
      `${d.shipmentStatus ? (SHIPMENT_LABEL[d.shipmentStatus] ?? safeText(d.shipmentStatus.replace(/_/g, ' '), 40)) : 'shipped'} · sent ${slackDate(d.fulfilledAt, '{date_short}')}`,
    );
  if (d.trackingNumber) {
    const url = d.trackingUrl && d.trackingUrl.length <= TRACKING_URL_MAX ? publicHttpsUrl(d.trackingUrl) : null;
    const number = squash(d.trackingNumber).slice(0, 60);
    parts.push(url ? safeLink(url, number) : safeText(number, 60));
  }
  return parts.join(' · ');
}

/** "3rd order · €640.00 lifetime", or "5 orders" when the order is not among those known. */
export function standingLine(s: CustomerStanding): string {
  const count = s.ordinal !== null ? `${ordinal(s.ordinal)} order` : `${s.orderCount} order${s.orderCount === 1 ? '' : 's'}`;
  return s.lifetime ? `${count} · ${formatMoney(s.lifetime.amount, s.lifetime.currency)} lifetime` : count;
}
