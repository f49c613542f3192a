import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getCase } from '../../src/db/queries/cases';
import { periodMetrics } from '../../src/db/queries/metrics';
import { actOnCase } from '../../src/services/cases/commands';
import { appendMessage } from '../../src/services/cases/messages';
import { ticketCreateSchema } from '../../src/ingest/schemas';
import { ingestTicket } from '../../src/services/tickets';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { PEOPLE, testConfig, ticket } from '../support/harness';

// The business-time figures are measured by the services when they happen, with the case's SLA
// clock: email runs on Berlin office hours (Mon–Fri 09:00–17:00), first response target 1 h.

let t: TestDatabase;
const clock = { now: new Date('2026-11-06T15:30:00Z') };
let deps: ReturnType<typeof testDeps>;
const config = testConfig({
  sla: {
    hours: {
      office: {
        timezone: 'Europe/Berlin',
        weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] },
      },
    },
    defaults: { targets: { first_response: '1h', next_response: '1h', resolution: '24h' } },
    policies: { email: { hours: 'office' } },
  },
});
beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.database.db, config, clock);
});
afterAll(async () => {
  await t?.close();
});

const M = 60_000;
const H = 60 * M;

describe('metrics fields kept by the services', () => {
  test('first response, resolution, reopen and final resolution across a weekend', async () => {
    // Friday 16:30 Berlin (15:30 UTC).
    const { case: c } = await ingestTicket(deps, ticketCreateSchema.parse(ticket({ external_id: 'MT-1' })));
    expect(c).toMatchObject({ agentReplyCount: 0, firstResponseBusinessMs: null, resolutionBusinessMs: null });

    // Monday 09:15 Berlin: 30 min on Friday + 15 min on Monday = 45 min, within the 1 h target.
    clock.now = new Date('2026-11-09T08:15:00Z');
    await appendMessage(deps, { caseId: c.id, message: { direction: 'agent', body: 'Checking.', externalId: 'a1' } });
    expect(await getCase(t.database.db, { id: c.id })).toMatchObject({
      agentReplyCount: 1,
      firstResponseBusinessMs: 45 * M,
      firstResponseWithinSla: true,
    });

    // A repeated delivery of the same reply counts nothing.
    await appendMessage(deps, { caseId: c.id, message: { direction: 'agent', body: 'Checking.', externalId: 'a1' } });
    // A note is not a reply.
    await appendMessage(deps, { caseId: c.id, message: { direction: 'note', body: 'internal' } });
    expect((await getCase(t.database.db, { id: c.id }))!.agentReplyCount).toBe(1);

    // Monday 10:00 Berlin: resolved after 30 min + 1 h of office time.
    clock.now = new Date('2026-11-09T09:00:00Z');
    await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'resolve' } });
    expect(await getCase(t.database.db, { id: c.id })).toMatchObject({ status: 'resolved', resolutionBusinessMs: 1.5 * H });

    // The customer writes again: reopened, so no resolution time until it is resolved again.
    clock.now = new Date('2026-11-09T12:00:00Z');
    await appendMessage(deps, { caseId: c.id, message: { direction: 'customer', body: 'Still missing.', externalId: 'c2' } });
    expect(await getCase(t.database.db, { id: c.id })).toMatchObject({
      status: 'new',
      resolvedAt: null,
      resolutionBusinessMs: null,
      reopenCount: 1,
    });

    clock.now = new Date('2026-11-09T13:00:00Z');
    await appendMessage(deps, { caseId: c.id, message: { direction: 'agent', body: 'Found it.', externalId: 'a2' } });
    // Tuesday 09:00 Berlin: the whole time since receipt, 30 min Friday + 8 h Monday.
    clock.now = new Date('2026-11-10T08:00:00Z');
    await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'resolve' } });
    const final = await getCase(t.database.db, { id: c.id });
    expect(final).toMatchObject({ resolutionBusinessMs: 8.5 * H, agentReplyCount: 2, firstResponseBusinessMs: 45 * M });

    const m = await periodMetrics(t.database.db, config, {
      start: new Date('2026-11-02T00:00:00Z'),
      end: new Date('2026-11-16T00:00:00Z'),
    });
    // Wall: Friday 15:30 UTC to Monday 08:15 UTC = 64 h 45 min; to Tuesday 08:00 UTC = 88 h 30 min.
    expect(m.firstResponse).toMatchObject({ count: 1, medianMs: 64 * H + 45 * M, businessMedianMs: 45 * M, withinSla: 1 });
    expect(m.resolution).toMatchObject({ count: 1, medianMs: 88.5 * H, businessMedianMs: 8.5 * H });
    // Two replies and a reopen: not a first contact resolution.
    expect(m.firstContactResolution).toEqual({ resolved: 1, firstContact: 0, share: 0 });
  });

  test('waiting on the customer does not count, and a late first reply misses the target', async () => {
    // Monday 10:00 Berlin.
    clock.now = new Date('2026-11-16T09:00:00Z');
    const { case: c } = await ingestTicket(deps, ticketCreateSchema.parse(ticket({ external_id: 'MT-2' })));
    // 11:00 the case waits on the customer (asked elsewhere); 13:00 they answer; 13:30 the first agent reply.
    clock.now = new Date('2026-11-16T10:00:00Z');
    await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'wait' } });
    clock.now = new Date('2026-11-16T12:00:00Z');
    await appendMessage(deps, { caseId: c.id, message: { direction: 'customer', body: 'Here it is.', externalId: 'c1' } });
    clock.now = new Date('2026-11-16T12:30:00Z');
    await appendMessage(deps, { caseId: c.id, message: { direction: 'agent', body: 'Thanks.', externalId: 'a1' } });
    // 1 h before the wait + 30 min after it = 1 h 30 min: over the 1 h target.
    expect(await getCase(t.database.db, { id: c.id })).toMatchObject({ firstResponseBusinessMs: 90 * M, firstResponseWithinSla: false });
    clock.now = new Date('2026-11-16T13:00:00Z');
    await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'resolve' } });
    // 10:00–14:00 Berlin less the 2 h wait.
    expect(await getCase(t.database.db, { id: c.id })).toMatchObject({ resolutionBusinessMs: 2 * H, agentReplyCount: 1 });
  });

  test('a reply dated before the case was received counts as an immediate answer, never a negative time', async () => {
    // Tuesday 10:00 Berlin; the helpdesk dates its reply 09:50, ten minutes before our receipt.
    clock.now = new Date('2026-11-17T09:00:00Z');
    const { case: c } = await ingestTicket(deps, ticketCreateSchema.parse(ticket({ external_id: 'MT-3' })));
    await appendMessage(deps, {
      caseId: c.id,
      message: { direction: 'agent', body: 'Already on it.', externalId: 'a1', createdAt: new Date(c.receivedAt.getTime() - 10 * M) },
    });
    expect(await getCase(t.database.db, { id: c.id })).toMatchObject({
      firstResponseAt: c.receivedAt,
      firstResponseMs: 0,
      firstResponseBusinessMs: 0,
      firstResponseWithinSla: true,
    });
  });
});
