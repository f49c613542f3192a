import { describe, expect, it } from 'vitest';
import { approveRefusal, sendRefusal, type GateDraft } from '../../src/domain/reply/gate';

const draft = (over: Partial<GateDraft> = {}): GateDraft => ({ status: 'draft', draftedBy: 'U1', findings: [], approvedBy: null, overrideBy: null, ...over });
const finding = { rule: 'refund_faster_than_policy' };

describe('who may let a reply go', () => {
  it('a clean draft goes on the sender’s click; a flagged one waits for a second person or an override', () => {
    expect(sendRefusal(draft(), { mustEscalate: false }, { escalationConfirmed: false })).toBeNull();
    expect(sendRefusal(draft({ findings: [finding] }), { mustEscalate: false }, { escalationConfirmed: false })).toEqual({ code: 'needs_second_person', findings: 1 });
    expect(sendRefusal(draft({ findings: [finding], approvedBy: 'U2' }), { mustEscalate: false }, { escalationConfirmed: false })).toBeNull();
    expect(sendRefusal(draft({ findings: [finding], overrideBy: 'U1' }), { mustEscalate: false }, { escalationConfirmed: false })).toBeNull();
  });

  it('a must-escalate case needs the person’s confirmation, after any approval', () => {
    expect(sendRefusal(draft(), { mustEscalate: true }, { escalationConfirmed: false })).toEqual({ code: 'needs_escalation_confirmation' });
    expect(sendRefusal(draft({ findings: [finding] }), { mustEscalate: true }, { escalationConfirmed: true })).toEqual({ code: 'needs_second_person', findings: 1 });
    expect(sendRefusal(draft(), { mustEscalate: true }, { escalationConfirmed: true })).toBeNull();
  });

  it('a sent, sending or replaced draft never goes again; a failed one may be tried again', () => {
    for (const status of ['sent', 'sending', 'superseded'] as const) {
      expect(sendRefusal(draft({ status }), { mustEscalate: false }, { escalationConfirmed: true })?.code).toBe(status === 'sent' ? 'already_sent' : status);
    }
    expect(sendRefusal(draft({ status: 'failed' }), { mustEscalate: false }, { escalationConfirmed: false })).toBeNull();
  });

  it('approval: never by the author, only of a flagged draft still to be sent, once', () => {
    expect(approveRefusal(draft({ findings: [finding] }), 'U1')).toEqual({ code: 'own_draft' });
    expect(approveRefusal(draft({ findings: [finding] }), 'U2')).toBeNull();
    expect(approveRefusal(draft(), 'U2')).toEqual({ code: 'nothing_to_approve' });
    expect(approveRefusal(draft({ findings: [finding], approvedBy: 'U3' }), 'U2')).toEqual({ code: 'already_approved', by: 'U3' });
    expect(approveRefusal(draft({ findings: [finding], status: 'sent' }), 'U2')).toEqual({ code: 'not_open' });
  });
});
