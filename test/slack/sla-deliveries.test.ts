import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { insertCase } from '../../src/db/queries/cases';
import type { DmItem } from '../../src/domain/outbox';
import type { OutboxRow } from '../../src/db/schema';
import { type DeliveryContext, SkipDelivery } from '../../src/slack/dispatcher';
import { SLA_BLOCK } from '../../src/slack/ids';
import { slaDeliveryHandlers } from '../../src/slack/sla-deliveries';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testConfig } from '../support/harness';

// A reminder DM is rendered when it is delivered, which may be hours after it was queued (it
// waits for the recipient's working hours): cases whose clock stopped meanwhile are left out.

const T0 = new Date('2026-03-02T08:00:00Z');
const now = new Date('2026-03-02T09:30:00Z');
const config = testConfig({ sla: { defaults: { targets: { first_response: '1h', next_response: '30m', resolution: '8h' } } } });
const handlers = slaDeliveryHandlers({ config, clock: () => now, teamUrl: () => 'https://acme.slack.com/' });

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

async function addCase(subject: string): Promise<number> {
  const { id } = await insertCase(t.database.db, {
    kind: 'ticket',
    source: 'email',
    externalId: subject,
    subject,
    body: '…',
    priority: 'normal',
    channelId: 'C0EMAIL01',
    receivedAt: T0,
    actor: 'api',
  });
  await t.database.db.execute(sql`update cases set slack_ts = ${`1700000000.00000${id}`} where id = ${id}`);
  return id;
}

const item = (caseId: number): DmItem => ({
  caseId,
  target: 'first_response',
  cycleKey: `first_response@${T0.toISOString()}`,
  level: 'breach',
  kind: 'breach',
  crossedAt: '2026-03-02T09:00:00.000Z',
});

function ctx(items: DmItem[]) {
  const post = vi.fn(async (args: { channel: string; text: string; blocks?: any[] }) => ({ channel: 'D0AGENT01', ts: '1.1', args }));
  const row = { id: 1, kind: 'sla_dm', caseId: null, channel: 'U0AGENT01', payload: { items } } as unknown as OutboxRow;
  const c = { row, db: t.database.db, client: {} as never, logger: pino({ level: 'silent' }), post } as unknown as DeliveryContext;
  return { c, post, payload: { items, overflow: 0 } };
}

describe('the reminder DM at delivery', () => {
  test('lists the cases still past their target, and leaves out one answered meanwhile', async () => {
    const answered = await addCase('Answered since');
    const late = await addCase('Still late');
    await t.database.db.execute(sql`update cases set first_response_at = ${'2026-03-02T09:10:00Z'}::timestamptz where id = ${answered}`);
    const { c, post, payload } = ctx([item(answered), item(late)]);
    await handlers.sla_dm(c, payload);
    expect(post).toHaveBeenCalledTimes(1);
    const args = post.mock.calls[0]![0];
    expect(args.channel).toBe('U0AGENT01');
    const lines = args.blocks!.find((b: any) => b.block_id === `${SLA_BLOCK.dmItems}.0`).text.text;
    expect(lines).toBe(
      `• :red_circle: <https://acme.slack.com/archives/C0EMAIL01/p170000000000000${late}|TL-${late} · Still late>: first reply breached 30m ago`,
    );
  });

  test('nothing left to remind of: the DM is not sent', async () => {
    const resolved = await addCase('Resolved since');
    await t.database.db.execute(
      sql`update cases set status = 'resolved', resolved_at = ${'2026-03-02T09:20:00Z'}::timestamptz where id = ${resolved}`,
    );
    const { c, post, payload } = ctx([item(resolved), item(999_999)]);
    await expect(handlers.sla_dm(c, payload)).rejects.toBeInstanceOf(SkipDelivery);
    expect(post).not.toHaveBeenCalled();
  });
});
