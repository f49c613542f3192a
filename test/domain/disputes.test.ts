import { describe, expect, test } from 'vitest';
import { countdown, disputePriority, type DisputeFacts, evidenceLines, evidenceReady, mergeDispute } from '../../src/domain/disputes';

const now = new Date('2026-03-16T12:00:00Z');
const due = new Date('2026-03-25T23:59:59Z');
const facts = (over: Partial<DisputeFacts> = {}): DisputeFacts => ({
  stage: 'chargeback',
  status: 'needs_response',
  state: 'needs_response',
  reasonCode: 'fraudulent',
  reasonText: 'The cardholder says they did not make this payment',
  amount: '49.99',
  currency: 'USD',
  respondBy: due,
  respondedAt: null,
  closedAt: null,
  outcome: null,
  ...over,
});
const event = (over: Partial<Parameters<typeof mergeDispute>[1]> = {}): Parameters<typeof mergeDispute>[1] => ({
  action: 'updated',
  stage: 'chargeback',
  status: 'needs_response',
  state: 'needs_response',
  reasonCode: 'fraudulent',
  reasonText: 'The cardholder says they did not make this payment',
  amount: '49.99',
  currency: 'USD',
  respondBy: due,
  ...over,
});

describe('mergeDispute', () => {
  test('the same facts change nothing', () => {
    expect(mergeDispute(facts(), event(), now)).toEqual({ patch: {}, changes: [], closed: null, reopened: false, stale: false });
  });

  test('moving to under review records the change and stops the reminders (responded)', () => {
    const m = mergeDispute(facts(), event({ status: 'under_review', state: 'under_review' }), now);
    expect(m.patch).toEqual({ status: 'under_review', state: 'under_review', respondedAt: now });
    expect(m.changes).toEqual([{ field: 'state', from: 'needs_response', to: 'under_review' }]);
  });

  test('an inquiry that becomes a chargeback with a new deadline starts a new cycle and needs a new response', () => {
    const later = new Date('2026-04-10T23:59:59Z');
    const m = mergeDispute(
      facts({ stage: 'inquiry', respondedAt: new Date('2026-03-14T00:00:00Z') }),
      event({ stage: 'chargeback', respondBy: later }),
      now,
    );
    expect(m.patch).toMatchObject({ stage: 'chargeback', respondBy: later, respondBySetAt: now, respondedAt: null });
    expect(m.changes.map((c) => c.field)).toEqual(['stage', 'respond_by']);
  });

  test('closure records won or lost; a "closed" without an outcome is closed, neither', () => {
    expect(mergeDispute(facts(), event({ action: 'closed', status: 'won', state: 'won' }), now)).toMatchObject({
      closed: { outcome: 'won' },
      patch: { state: 'won', closedAt: now, outcome: 'won', respondedAt: now },
    });
    expect(mergeDispute(facts(), event({ action: 'closed', status: 'lost', state: 'lost' }), now).closed).toEqual({ outcome: 'lost' });
    expect(mergeDispute(facts(), event({ action: 'closed', status: 'warning_closed', state: 'needs_response' }), now)).toMatchObject({
      closed: { outcome: null },
      patch: { state: 'closed' },
    });
  });

  test('late, out-of-order deliveries do not move a dispute backwards', () => {
    const closed = facts({ state: 'won', status: 'won', closedAt: now, outcome: 'won', respondedAt: now });
    expect(mergeDispute(closed, event({ status: 'under_review', state: 'under_review' }), now).stale).toBe(true);
    expect(mergeDispute(facts({ stage: 'pre_arbitration' }), event({ stage: 'chargeback' }), now).stale).toBe(true);
  });

  test('a closed dispute that moves to a later stage opens again', () => {
    const closed = facts({ state: 'won', status: 'won', closedAt: now, outcome: 'won', respondedAt: now });
    const m = mergeDispute(closed, event({ stage: 'pre_arbitration', respondBy: new Date('2026-05-01T00:00:00Z') }), now);
    expect(m).toMatchObject({
      reopened: true,
      stale: false,
      patch: { stage: 'pre_arbitration', state: 'needs_response', closedAt: null, outcome: null, respondedAt: null },
    });
  });
});

describe('countdown and evidence', () => {
  test('countdown reads due, overdue, answered, or nothing', () => {
    expect(countdown({ respondBy: due, respondedAt: null, closedAt: null }, now)).toBe('due in 9d 11h');
    expect(countdown({ respondBy: due, respondedAt: null, closedAt: null }, new Date(due.getTime() + 3 * 3_600_000))).toBe('overdue by 3h');
    expect(countdown({ respondBy: due, respondedAt: now, closedAt: null }, now)).toBe('answered');
    expect(countdown({ respondBy: null, respondedAt: null, closedAt: null }, now)).toBeNull();
    expect(countdown({ respondBy: due, respondedAt: null, closedAt: now }, now)).toBeNull();
  });

  test('evidence items held by Trustloop are filled in; the rest are checkable', () => {
    const lines = evidenceLines(
      { order_record: ['TL-1 order 1042'], communication: [] },
      { shipping_proof: { checked: true, note: 'USPS 94…', by: 'U1' } },
    );
    expect(lines.map((l) => [l.id, l.auto, l.checked])).toEqual([
      ['order_record', true, false],
      ['shipping_proof', false, true],
      ['communication', false, false],
      ['policy', false, false],
    ]);
    expect(lines[1]).toMatchObject({ note: 'USPS 94…', by: 'U1' });
    expect(evidenceReady(lines)).toBe(2);
  });

  test('disputes run at high priority, or the top of a ladder without high', () => {
    expect(disputePriority(['low', 'normal', 'high', 'urgent'])).toBe('high');
    expect(disputePriority(['p3', 'p2', 'p1'])).toBe('p1');
  });
});
