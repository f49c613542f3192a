import { describe, expect, test } from 'vitest';
import { evidenceLines } from '../../src/domain/disputes';
import { buildEvidenceDocument, type EvidenceDocument, evidenceFilename, MAX_MESSAGE_CHARS } from '../../src/domain/evidence-document';

const doc = (over: Partial<EvidenceDocument> = {}): EvidenceDocument => ({
  storeName: 'Acme Linen',
  caseRef: 'TL-9',
  generatedAt: new Date('2026-03-20T10:00:00Z'),
  generatedBy: 'U0AGENT01',
  dispute: {
    provider: 'paypal',
    externalId: 'PP-D-27803',
    stage: 'inquiry',
    state: 'needs_response',
    reasonCode: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
    reasonText: 'Customer says the item never arrived',
    amount: '89.00',
    currency: 'EUR',
    respondBy: new Date('2026-03-25T23:59:59Z'),
    openedAt: new Date('2026-03-15T09:57:40Z'),
    orderRef: '1042',
    chargeRef: '9HW93194EC9716033',
    customerEmail: 'jonas@example.com',
  },
  lines: evidenceLines(
    { order_record: ['TL-3 order 1042'] },
    { shipping_proof: { checked: true, note: 'DHL 00340434…', by: 'U0AGENT02' } },
  ),
  order: {
    caseRef: 'TL-3',
    orderId: '1042',
    amount: '89.00',
    currency: 'EUR',
    country: 'DE',
    items: [{ sku: 'LS-M', name: 'Linen | Shirt', quantity: 1, price: '89.00' }],
    customerName: 'Jonas B.',
    customerEmail: 'jonas@example.com',
  },
  communication: [
    {
      caseRef: 'TL-3',
      kind: 'ticket',
      subject: '# Where is it?',
      receivedAt: new Date('2026-03-10T08:00:00Z'),
      messages: [
        { direction: 'customer', author: 'Jonas', at: new Date('2026-03-10T08:00:00Z'), body: '# not a heading\n```\nstill waiting' },
        { direction: 'agent', author: 'Ana', at: new Date('2026-03-10T09:00:00Z'), body: 'It is on its way.' },
      ],
    },
  ],
  policies: { refund: 'https://acme.example/refund' },
  links: { 'TL-3': 'https://acme.slack.com/archives/C1/p1' },
  ...over,
});

describe('the dispute evidence document', () => {
  test('collects the four sections of the brief, with the checklist first', () => {
    const md = buildEvidenceDocument(doc());
    expect(md.split('\n').slice(0, 22)).toEqual([
      '# Dispute evidence: TL-9',
      '',
      'Acme Linen · PayPal dispute `PP-D-27803`',
      'Prepared 2026-03-20 10:00 UTC by U0AGENT01 with Trustloop.',
      '',
      '## The dispute',
      '',
      '- Amount: 89.00 EUR',
      '- Reason: Customer says the item never arrived (`MERCHANDISE\\_OR\\_SERVICE\\_NOT\\_RECEIVED`)',
      '- Stage: Inquiry · Needs a response',
      '- Opened: 2026-03-15 09:57 UTC',
      '- Respond by: 2026-03-25 23:59 UTC',
      '- Order: 1042',
      '- Payment: 9HW93194EC9716033',
      '- Customer: jonas@example.com',
      '',
      '## Checklist',
      '',
      '- [x] **Order record** (held by Trustloop)',
      '- [x] **Shipping proof** (checked by U0AGENT02): DHL 00340434…',
      '- [ ] **Communication history** (still to collect)',
      '- [ ] **Policy evidence** (still to collect)',
    ]);
    expect(md).toContain('| Linen \\| Shirt | LS-M | 1 | 89.00 |');
    expect(md).toContain('- refund: https://acme.example/refund');
    expect(evidenceFilename('TL-9', doc().dispute)).toBe('TL-9-paypal-dispute-evidence.md');
  });

  test('customer text is quoted line by line, so it cannot make headings or fences', () => {
    const md = buildEvidenceDocument(doc());
    expect(md).toContain('### TL-3 · ticket · \\# Where is it?');
    expect(md).toContain('**Customer (Jonas)**, 2026-03-10 08:00 UTC:\n\n> # not a heading\n> ```\n> still waiting');
    expect(
      md
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .map((l) => l.split(' ')[0]),
    ).toEqual(['#', '##', '##', '##', '##', '##', '###', '##']);
  });

  test('very long messages are cut, and missing evidence says what to attach', () => {
    const long = 'x'.repeat(MAX_MESSAGE_CHARS + 50);
    const md = buildEvidenceDocument(
      doc({
        order: null,
        policies: {},
        communication: [
          {
            caseRef: 'TL-4',
            kind: 'ticket',
            subject: 's',
            receivedAt: new Date(0),
            messages: [{ direction: 'customer', author: null, at: new Date(0), body: long }],
          },
        ],
      }),
    );
    expect(md).toContain(`> ${'x'.repeat(MAX_MESSAGE_CHARS)}… (cut at ${MAX_MESSAGE_CHARS} characters)`);
    expect(md).toContain('_Trustloop holds no order for this customer or order reference. Attach the order from the store admin._');
    expect(md).toContain('_No policy pages are configured (disputes.policy_urls). Attach the refund, shipping and terms pages._');
  });
});
