import { describe, expect, test } from 'vitest';
import type { Enqueue } from '../../src/db/queries/outbox';
import { OUTBOX_KINDS, parseOutboxPayload } from '../../src/domain/outbox';
import type { DeliveryHandlers } from '../../src/slack/dispatcher';

// The outbox vocabulary: a stored payload is read through its kind's schema, and the compiler
// holds writers and handlers to the same vocabulary (the @ts-expect-error lines fail `tsc` if a
// wrong row or an incomplete handler map ever compiles).

describe('outbox payloads', () => {
  test('a payload that matches its kind reads, with its defaults', () => {
    expect(parseOutboxPayload('sla_dm', { items: [] })).toEqual({ ok: true, kind: 'sla_dm', payload: { items: [], overflow: 0 } });
    expect(parseOutboxPayload('card_update', {})).toEqual({ ok: true, kind: 'card_update', payload: {} });
    expect(parseOutboxPayload('digest_thread', { digestId: 4, index: 2 })).toEqual({
      ok: true,
      kind: 'digest_thread',
      payload: { digestId: 4, index: 2 },
    });
  });

  test('a payload that does not match says where', () => {
    expect(parseOutboxPayload('cluster_followup', { alertId: 3, caseIds: [1, 'x'] })).toEqual({
      ok: false,
      error: 'malformed cluster_followup payload (caseIds.1: Invalid input: expected number, received string)',
    });
    expect(parseOutboxPayload('reply_post', { draftId: 1, event: 'shouted', actor: 'U1' })).toEqual({
      ok: false,
      error:
        'malformed reply_post payload (event: Invalid option: expected one of "drafted"|"approved"|"override"|"sent"|"failed"|"copied")',
    });
    expect(parseOutboxPayload('post', { text: 'hi', blocks: ['not a block'] })).toEqual({
      ok: false,
      error: 'malformed post payload (blocks.0: a Slack block (an object with a type))',
    });
  });

  test('a kind outside the vocabulary is named', () => {
    expect(parseOutboxPayload('fax', {})).toEqual({ ok: false, error: 'unknown outbox kind "fax"' });
    expect(OUTBOX_KINDS).toContain('card_post');
    expect(OUTBOX_KINDS).not.toContain('fax');
  });

  test('writers and handlers are held to the vocabulary at compile time', () => {
    const good: Enqueue[] = [
      { kind: 'card_update', caseId: 1, channel: 'C1' },
      { kind: 'ugc_post', channel: 'C1', payload: { reviewId: 7 } },
    ];
    // @ts-expect-error a payload of another kind
    const wrongPayload: Enqueue = { kind: 'ugc_post', channel: 'C1', payload: { alertId: 7 } };
    // @ts-expect-error a kind outside the vocabulary
    const unknownKind: Enqueue = { kind: 'fax', channel: 'C1', payload: {} };
    // @ts-expect-error a handler map missing kinds
    const incomplete: DeliveryHandlers = { async card_update() {} };
    expect([good.length, wrongPayload.kind, unknownKind.channel, typeof incomplete]).toEqual([2, 'ugc_post', 'C1', 'object']);
  });
});
