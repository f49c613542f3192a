import { describe, expect, test } from 'vitest';
import * as c from '../../src/domain/case';
import { CaseClosed, InvalidInput } from '../../src/domain/errors';

const now = new Date('2026-11-27T10:00:00Z');
const base: c.CaseState = {
  id: 42,
  status: 'new',
  ownerId: null,
  tags: [],
  priority: 'normal',
  escalatedAt: null,
  escalationReason: null,
  resolvedAt: null,
  reopenCount: 0,
  firstResponseAt: null,
  lastCustomerMessageAt: null,
  lastAgentReplyAt: null,
};
const priorities = { levels: ['low', 'normal', 'high', 'urgent'] };

function changed(t: c.Transition) {
  if (!t.changed) throw new Error(`expected a change, got notice: ${t.notice}`);
  return t;
}

describe('case transitions', () => {
  test('claim takes ownership and opens a new case; claiming your own case changes nothing', () => {
    const t = changed(c.claim(base, 'U1'));
    expect(t.patch).toEqual({ ownerId: 'U1', status: 'open' });
    expect(t.event).toEqual({ action: 'claimed', actor: 'U1', data: { previousOwner: null } });
    const again = c.claim({ ...base, ownerId: 'U1', status: 'open' }, 'U1');
    expect(again).toEqual({ changed: false, notice: 'You already own TL-42.' });
  });

  test('taking over from a card that shows the owner records the previous owner and keeps a waiting status', () => {
    const t = changed(c.claim({ ...base, ownerId: 'U1', status: 'waiting' }, 'U2', 'U1'));
    expect(t.patch).toEqual({ ownerId: 'U2', status: 'waiting' });
    expect(t.event.data).toEqual({ previousOwner: 'U1' });
  });

  test('a claim from a card that showed no owner (or a reaction) does not take a case someone just claimed', () => {
    expect(c.claim({ ...base, ownerId: 'U1', status: 'open' }, 'U2', null)).toEqual({
      changed: false,
      notice: 'TL-42 was just claimed by <@U1>. Use Assign if you mean to take it over.',
    });
    expect(c.claim({ ...base, ownerId: 'U1', status: 'open' }, 'U2').changed).toBe(false);
  });

  test('resolved cases cannot be claimed, assigned or escalated', () => {
    const resolved = { ...base, status: 'resolved' as const, resolvedAt: now };
    expect(() => c.claim(resolved, 'U1')).toThrow(CaseClosed);
    expect(() => c.assign(resolved, 'U1', 'U2')).toThrow(/TL-42 is resolved/);
    expect(() => c.escalate(resolved, 'U1', 'angry', now, priorities)).toThrow(CaseClosed);
  });

  test('assign sets the owner chosen by someone else', () => {
    const t = changed(c.assign(base, 'U1', 'U2'));
    expect(t.patch).toEqual({ ownerId: 'U2', status: 'open' });
    expect(t.event).toEqual({ action: 'assigned', actor: 'U1', data: { assignee: 'U2', previousOwner: null } });
    expect(c.assign({ ...base, ownerId: 'U2' }, 'U1', 'U2').changed).toBe(false);
  });

  test('tags are checked against the catalogue, de-duplicated, sorted, and diffed', () => {
    const t = changed(
      c.setTags({ ...base, tags: ['refund'] }, 'U1', ['sizing', 'damaged', 'sizing'], ['sizing', 'damaged', 'refund'], now),
    );
    // Setting tags also records that a person reviewed them.
    expect(t.patch).toEqual({ tags: ['damaged', 'sizing'], tagsReviewedBy: 'U1', tagsReviewedAt: now });
    expect(t.event.data).toEqual({ added: ['damaged', 'sizing'], removed: ['refund'] });
    expect(c.setTags({ ...base, tags: ['sizing'] }, 'U1', ['sizing'], ['sizing'], now).changed).toBe(false);
    expect(() => c.setTags(base, 'U1', ['bogus'], ['sizing'], now)).toThrow(InvalidInput);
  });

  test('confirming tags records who reviewed them, once', () => {
    const t = changed(c.confirmTags({ ...base, tags: ['refund'] }, 'U1', now));
    expect(t.patch).toEqual({ tagsReviewedBy: 'U1', tagsReviewedAt: now });
    expect(t.event).toEqual({ action: 'tags_confirmed', actor: 'U1', data: { tags: ['refund'] } });
    expect(c.confirmTags({ ...base, tagsReviewedAt: now }, 'U2', now).changed).toBe(false);
  });

  test('de-escalating clears the escalation and the must-escalate mark and restores the default priority', () => {
    const escalated = {
      ...base,
      escalatedAt: now,
      escalationReason: 'Needs a human: Refund request',
      mustEscalateAt: now,
      priority: 'urgent',
    };
    const t = changed(c.deescalate(escalated, 'U1', 'normal'));
    expect(t.patch).toEqual({ escalatedAt: null, escalationReason: null, mustEscalateAt: null, priority: 'normal' });
    expect(t.event.data).toEqual({ reason: 'Needs a human: Refund request', previousPriority: 'urgent', automatic: true });
    expect(c.deescalate(base, 'U1', 'normal').changed).toBe(false);
    expect(() => c.deescalate({ ...escalated, status: 'resolved' }, 'U1', 'normal')).toThrow(CaseClosed);
  });

  test('escalation raises priority to the configured level, never lowers it, and needs a reason', () => {
    const t = changed(c.escalate(base, 'U1', '  Threatens a chargeback  ', now, priorities));
    expect(t.patch).toEqual({ escalatedAt: now, escalationReason: 'Threatens a chargeback', priority: 'urgent' });
    const toHigh = changed(c.escalate(base, 'U1', 'x', now, { ...priorities, escalated: 'high' }));
    expect(toHigh.patch.priority).toBe('high');
    const already = changed(c.escalate({ ...base, priority: 'urgent' }, 'U1', 'again', now, { ...priorities, escalated: 'high' }));
    expect(already.patch.priority).toBe('urgent');
    expect(() => c.escalate(base, 'U1', '   ', now, priorities)).toThrow(InvalidInput);
  });

  test('resolve then reopen; reopen counts and returns to open when owned, new when not', () => {
    const r = changed(c.resolve({ ...base, ownerId: 'U1', status: 'open' }, 'U1', now));
    expect(r.patch).toEqual({ status: 'resolved', resolvedAt: now });
    expect(c.resolve({ ...base, status: 'resolved' }, 'U1', now).changed).toBe(false);
    const o = changed(c.reopen({ ...base, ownerId: 'U1', status: 'resolved', resolvedAt: now }, 'U2'));
    expect(o.patch).toEqual({ status: 'open', resolvedAt: null, reopenCount: 1 });
    const n = changed(c.reopen({ ...base, status: 'resolved', reopenCount: 2 }, 'U2'));
    expect(n.patch).toEqual({ status: 'new', resolvedAt: null, reopenCount: 3 });
    expect(c.reopen(base, 'U1').changed).toBe(false);
  });

  test('messages: first agent reply sets first response once; a customer writing reopens a resolved case', () => {
    const t1 = new Date('2026-11-27T10:05:00Z');
    const t2 = new Date('2026-11-27T11:00:00Z');
    expect(c.recordMessage(base, 'agent', t1)).toEqual({ firstResponseAt: t1, lastAgentReplyAt: t1 });
    expect(c.recordMessage({ ...base, firstResponseAt: t1, lastAgentReplyAt: t1 }, 'agent', t2)).toEqual({
      firstResponseAt: t1,
      lastAgentReplyAt: t2,
    });
    // A late-arriving earlier reply moves first response earlier, never later.
    expect(c.recordMessage({ ...base, firstResponseAt: t2, lastAgentReplyAt: t2 }, 'agent', t1)).toEqual({
      firstResponseAt: t1,
      lastAgentReplyAt: t2,
    });
    expect(c.recordMessage({ ...base, status: 'resolved', ownerId: 'U1', resolvedAt: t1 }, 'customer', t2)).toEqual({
      lastCustomerMessageAt: t2,
      status: 'open',
      resolvedAt: null,
      reopenCount: 1,
    });
    expect(c.recordMessage({ ...base, status: 'waiting' }, 'customer', t2)).toEqual({ lastCustomerMessageAt: t2, status: 'open' });
    expect(c.recordMessage(base, 'note', t2)).toEqual({});
  });
});
