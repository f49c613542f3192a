import type { EvidenceLine } from './disputes';
import { STAGE_LABELS, STATE_LABELS } from './disputes';
import { PROVIDER_LABELS } from './reviews';

// The dispute evidence document (Markdown): everything Trustloop holds that answers the
// dispute, in the order the brief lists it, for the person who submits it to the provider.
// Pure: the caller loads the data and passes `now`.

export interface EvidenceDocument {
  storeName: string;
  caseRef: string;
  generatedAt: Date;
  generatedBy: string;
  dispute: {
    provider: string;
    externalId: string;
    stage: string;
    state: string;
    reasonCode: string;
    reasonText: string;
    amount: string;
    currency: string;
    respondBy: Date | null;
    openedAt: Date;
    orderRef: string | null;
    chargeRef: string | null;
    customerEmail: string | null;
  };
  lines: EvidenceLine[];
  order: {
    caseRef: string;
    orderId: string | null;
    amount: string | null;
    currency: string | null;
    country: string | null;
    items: { sku?: string; name: string; quantity: number; price?: string }[];
    customerName: string | null;
    customerEmail: string | null;
  } | null;
  communication: {
    caseRef: string;
    kind: string;
    subject: string;
    receivedAt: Date;
    messages: { direction: string; author: string | null; at: Date; body: string }[];
  }[];
  policies: Record<string, string>;
  links: Record<string, string>;
}

export const MAX_MESSAGE_CHARS = 5000;
export const MAX_MESSAGES = 300;

const when = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** Quotes untrusted text line by line, so nothing in it reads as a heading, a list or a fence. */
function quoted(text: string, max = MAX_MESSAGE_CHARS): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (cut at ${max} characters)` : text;
  return cut
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

/** One line of untrusted text inside Markdown: no line breaks, no emphasis or link syntax. */
function inline(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return (flat.length > max ? `${flat.slice(0, max)}…` : flat).replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

export function evidenceFilename(caseRef: string, d: EvidenceDocument['dispute']): string {
  return `${caseRef}-${d.provider}-dispute-evidence.md`.replace(/[^A-Za-z0-9._-]/g, '-');
}

export function buildEvidenceDocument(doc: EvidenceDocument): string {
  const d = doc.dispute;
  const out: string[] = [];
  out.push(`# Dispute evidence: ${doc.caseRef}`);
  out.push('');
  out.push(`${inline(doc.storeName)} · ${PROVIDER_LABELS[d.provider] ?? d.provider} dispute \`${inline(d.externalId, 200)}\``);
  out.push(`Prepared ${when(doc.generatedAt)} by ${inline(doc.generatedBy)} with Trustloop.`);
  out.push('');
  out.push('## The dispute');
  out.push('');
  out.push(`- Amount: ${d.amount} ${d.currency}`);
  out.push(`- Reason: ${inline(d.reasonText)} (\`${inline(d.reasonCode, 100)}\`)`);
  out.push(`- Stage: ${STAGE_LABELS[d.stage] ?? d.stage} · ${STATE_LABELS[d.state] ?? d.state}`);
  out.push(`- Opened: ${when(d.openedAt)}`);
  out.push(`- Respond by: ${d.respondBy ? when(d.respondBy) : 'no deadline given'}`);
  if (d.orderRef) out.push(`- Order: ${inline(d.orderRef, 100)}`);
  if (d.chargeRef) out.push(`- Payment: ${inline(d.chargeRef, 100)}`);
  if (d.customerEmail) out.push(`- Customer: ${inline(d.customerEmail, 320)}`);
  out.push('');
  out.push('## Checklist');
  out.push('');
  for (const l of doc.lines) {
    const done = l.auto || l.checked;
    const source = l.auto ? 'held by Trustloop' : l.checked ? `checked${l.by ? ` by ${inline(l.by)}` : ''}` : 'still to collect';
    out.push(`- [${done ? 'x' : ' '}] **${l.label}** (${source})${l.note ? `: ${inline(l.note, 1000)}` : ''}`);
  }
  out.push('');

  out.push('## 1. Order record');
  out.push('');
  if (doc.order) {
    const o = doc.order;
    out.push(`From ${o.caseRef}${doc.links[o.caseRef] ? ` (${doc.links[o.caseRef]})` : ''}:`);
    out.push('');
    if (o.orderId) out.push(`- Order: ${inline(o.orderId, 100)}`);
    if (o.amount) out.push(`- Amount: ${o.amount}${o.currency ? ` ${o.currency}` : ''}`);
    if (o.country) out.push(`- Ship-to country: ${inline(o.country, 60)}`);
    if (o.customerName)
      out.push(`- Customer: ${inline(o.customerName, 120)}${o.customerEmail ? ` <${inline(o.customerEmail, 320)}>` : ''}`);
    if (o.items.length > 0) {
      out.push('');
      out.push('| Item | SKU | Qty | Price |');
      out.push('|---|---|---|---|');
      for (const i of o.items.slice(0, 100)) {
        out.push(`| ${inline(i.name, 200)} | ${i.sku ? inline(i.sku, 100) : ''} | ${i.quantity} | ${i.price ?? ''} |`);
      }
    }
  } else {
    out.push('_Trustloop holds no order for this customer or order reference. Attach the order from the store admin._');
  }
  note(out, doc.lines, 'order_record');
  out.push('');

  out.push('## 2. Shipping proof');
  out.push('');
  out.push(
    '_Attach the carrier, tracking number and the delivered event (with the delivery address) from the carrier or the store admin._',
  );
  note(out, doc.lines, 'shipping_proof');
  out.push('');

  out.push('## 3. Communication history');
  out.push('');
  if (doc.communication.length === 0) {
    out.push('_Trustloop holds no other conversations with this customer._');
  }
  let messages = 0;
  for (const c of doc.communication) {
    out.push(`### ${c.caseRef} · ${c.kind} · ${inline(c.subject, 200)}`);
    if (doc.links[c.caseRef]) out.push(doc.links[c.caseRef]!);
    out.push('');
    for (const m of c.messages) {
      if (messages >= MAX_MESSAGES) break;
      messages++;
      const who = m.direction === 'customer' ? 'Customer' : m.direction === 'agent' ? 'Store' : 'Internal note';
      out.push(`**${who}${m.author ? ` (${inline(m.author, 80)})` : ''}**, ${when(m.at)}:`);
      out.push('');
      out.push(quoted(m.body || '(empty)'));
      out.push('');
    }
  }
  if (messages >= MAX_MESSAGES) out.push(`_Only the first ${MAX_MESSAGES} messages are included._`);
  note(out, doc.lines, 'communication');
  out.push('');

  out.push('## 4. Policy evidence');
  out.push('');
  const policies = Object.entries(doc.policies);
  if (policies.length === 0)
    out.push('_No policy pages are configured (disputes.policy_urls). Attach the refund, shipping and terms pages._');
  for (const [name, url] of policies) out.push(`- ${name.replace(/[_-]/g, ' ')}: ${url}`);
  note(out, doc.lines, 'policy');
  out.push('');
  return out.join('\n');
}

function note(out: string[], lines: readonly EvidenceLine[], id: string): void {
  const l = lines.find((x) => x.id === id);
  if (l?.note) {
    out.push('');
    out.push(`Note${l.by ? ` from ${inline(l.by)}` : ''}: ${inline(l.note, 1000)}`);
  }
}
