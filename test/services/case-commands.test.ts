import { afterAll, beforeAll, expect, test } from 'vitest';
import { changeCase, getCase, listEvents } from '../../src/db/queries/cases';
import { ticketCreateSchema } from '../../src/ingest/schemas';
import { actOnCase } from '../../src/services/cases/commands';
import { nextSlaCheck } from '../../src/domain/sla-case';
import { ingestTicket } from '../../src/services/tickets';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { PEOPLE, testConfig, ticket } from '../support/harness';

// A click is written on the case as this process last read or wrote it, when that is still the
// case's version; whatever changed it elsewhere meanwhile (another replica, a connected system)
// is read before anything is decided.

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
const clock = { now: new Date('2026-11-06T10:00:00Z') };
beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.database.db, testConfig(), clock);
});
afterAll(async () => {
  await t?.close();
});

const newCase = async (external_id: string) => (await ingestTicket(deps, ticketCreateSchema.parse(ticket({ external_id })))).case;

/** A change made outside this process (another replica): written under no version this process knows. */
async function elsewhere(id: number, patch: Parameters<typeof changeCase>[1]['patch'], actor: string) {
  const at = clock.now;
  await changeCase(t.database.db, {
    id,
    version: null,
    patch,
    now: at,
    event: { actor, action: 'assigned', data: { via: 'replica' }, at },
    entry: { type: 'event', caseId: id, action: 'assigned', actor, data: { via: 'replica' }, at },
  });
}

test('clicks in a row on one case each apply to the case as the one before left it', async () => {
  const c = await newCase('CC-1');
  expect(await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'claim' } })).toMatchObject({
    changed: true,
    case: { ownerId: PEOPLE.agent, status: 'open' },
  });
  expect(await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'tags', tags: ['shipping_delay'] } })).toMatchObject({
    changed: true,
    case: { ownerId: PEOPLE.agent, tags: ['shipping_delay'] },
  });
  expect(await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'resolve' } })).toMatchObject({
    changed: true,
    case: { ownerId: PEOPLE.agent, tags: ['shipping_delay'], status: 'resolved' },
  });
  expect((await listEvents(t.database.db, { caseId: c.id })).map((e) => e.action)).toEqual(['created', 'claimed', 'tagged', 'resolved']);
});

test('a change made elsewhere since the last click is read first: nothing is decided on the case as it was', async () => {
  const c = await newCase('CC-2');
  await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'claim' } });
  // Another replica hands it to the second agent.
  await elsewhere(c.id, { ownerId: PEOPLE.agent2 }, PEOPLE.manager);
  // As remembered, the first agent owns it ("You already own"); as it is, someone else has it.
  const again = await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'claim' } });
  expect(again).toEqual({ changed: false, notice: expect.stringContaining(`claimed by <@${PEOPLE.agent2}>`) });

  // A write on the remembered version is refused and made again on the case as it is: the owner
  // set elsewhere is kept, not overwritten with the remembered one.
  await elsewhere(c.id, { tags: ['damaged'] }, PEOPLE.manager);
  expect(await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent2, command: { type: 'resolve' } })).toMatchObject({
    changed: true,
    case: { ownerId: PEOPLE.agent2, tags: ['damaged'], status: 'resolved' },
  });
  expect(await getCase(t.database.db, { id: c.id })).toMatchObject({ ownerId: PEOPLE.agent2, tags: ['damaged'], status: 'resolved' });
});

test('a click sets when the SLA sweep next looks at the case: its next threshold, not at once', async () => {
  const c = await newCase('CC-3');
  const claimed = await actOnCase(deps, { caseId: c.id, actor: PEOPLE.agent, command: { type: 'claim' } });
  const stored = (await getCase(t.database.db, { id: c.id }))!;
  expect(claimed.changed).toBe(true);
  expect(stored.slaCheckAt!.getTime()).toBeGreaterThan(clock.now.getTime());
  expect({ slaCheckAt: stored.slaCheckAt, slaRiskAt: stored.slaRiskAt }).toEqual(nextSlaCheck(deps.config.sla, stored, clock.now));
});
