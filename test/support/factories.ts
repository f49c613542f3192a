import type { Case } from '../../src/db/schema';

/** A case row as the database returns it, for pure block tests. */
export function caseRow(overrides: Partial<Case> = {}): Case {
  const at = new Date('2026-11-27T09:30:00Z');
  return {
    id: 1042,
    kind: 'ticket',
    source: 'email',
    externalId: 'ZD-1',
    subject: 'Where is my order?',
    body: 'Hi, my linen shirt has not arrived.',
    customerName: 'Jane Doe',
    customerEmail: 'jane@example.com',
    customerId: null,
    customerOrderCount: 3,
    customerTags: [],
    orderId: '1001',
    orderAmount: '89.00',
    orderCurrency: 'EUR',
    orderCountry: 'DE',
    carrier: null,
    orderItems: [{ name: 'Linen Shirt', quantity: 1 }],
    matchedOrderId: null,
    status: 'new',
    priority: 'normal',
    ownerId: null,
    tags: [],
    escalatedAt: null,
    escalationReason: null,
    channelId: 'C0EMAIL01',
    slackTs: null,
    receivedAt: at,
    reportedAt: at,
    createdAt: at,
    updatedAt: at,
    firstResponseAt: null,
    lastCustomerMessageAt: at,
    lastAgentReplyAt: null,
    resolvedAt: null,
    reopenCount: 0,
    suggestedTags: [],
    tagsReviewedBy: null,
    tagsReviewedAt: null,
    judgement: null,
    sentiment: null,
    mustEscalateAt: null,
    automatable: false,
    productKeys: [],
    awaitingReplySince: null,
    slaPauses: [],
    slaResolutions: [],
    slaCheckAt: null,
    slaRiskAt: null,
    firstResponseBusinessMs: null,
    firstResponseWithinSla: null,
    resolutionBusinessMs: null,
    firstResponseMs: null,
    resolutionMs: null,
    agentReplyCount: 0,
    ...overrides,
  };
}

export function blockById<T = any>(blocks: readonly unknown[], id: string): T {
  const found = blocks.find((b) => (b as { block_id?: string }).block_id === id);
  if (!found) throw new Error(`no block ${id}`);
  return found as T;
}
