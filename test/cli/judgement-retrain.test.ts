import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrainWithCorrections } from '../../src/cli/judgement';
import { listCorrections } from '../../src/db/queries/judgement';
import { insertCase, insertEvent, updateCase } from '../../src/db/queries/cases';
import { judgementPaths, loadJudgement, readModel } from '../../src/services/judgement-model';
import { createTestDatabase, type TestDatabase } from '../support/db';

// Staff corrections are labels: what they changed on the cards is read back from the database and
// trained into the store's own model, which Trustloop then loads instead of the shipped one. The
// corpus here is a slice of the shipped one, so the test trains in seconds.

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'trustloop-retrain-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ticketCase(externalId: string, body: string) {
  const { id } = await insertCase(t.database.db, {
    kind: 'ticket',
    source: 'email',
    externalId,
    subject: '',
    body,
    priority: 'normal',
    channelId: 'C0EMAIL01',
    receivedAt: new Date('2027-03-10T10:00:00Z'),
    actor: 'api',
  });
  return id;
}

describe('trustloop judgement retrain', () => {
  it('reads tag changes and de-escalations as labels and writes a store model that Trustloop then loads', async () => {
    const now = new Date('2027-03-11T10:00:00Z');
    const retagged = await ticketCase('ZD-1', 'Can I get the oak shelf in walnut instead?');
    await updateCase(t.database.db, { id: retagged, patch: { tags: ['exchange', 'material'], tagsReviewedBy: 'U0AGENT01', tagsReviewedAt: now }, now });
    const calmed = await ticketCase('ZD-2', 'I will tell everyone about this lamp, it is wonderful.');
    await insertEvent(t.database.db, { caseId: calmed, actor: 'U0AGENT01', action: 'deescalated', at: now });
    await ticketCase('ZD-3', 'Untouched by staff: not a label.');

    const corrections = await listCorrections(t.database.db, { limit: 1000 });
    expect(corrections.map((c) => [c.caseId, c.tags, c.notAnEscalation]).sort()).toEqual(
      [
        [retagged, ['exchange', 'material'], false],
        [calmed, null, true],
      ].sort(),
    );

    // A slice of the shipped corpus, every language and channel.
    const corpus = path.join(dir, 'corpus');
    mkdirSync(corpus);
    for (const file of ['en-01.jsonl', 'es-01.jsonl', 'de-01.jsonl', 'fr-01.jsonl']) {
      writeFileSync(path.join(corpus, file), readFileSync(path.join(judgementPaths.corpus(), file)));
    }
    const data = path.join(dir, 'data');
    const lines: string[] = [];
    await retrainWithCorrections(corrections, data, (s) => lines.push(s), corpus);

    expect(lines.some((l) => /^ {2}before \(shipped model\): tags macro-F1 \d\.\d{3}/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}after \(retrained\): tags macro-F1 \d\.\d{3}/.test(l))).toBe(true);
    const stored = readModel(judgementPaths.storeModel(data));
    expect(stored.meta.examples.corrections).toBe(2);
    const loaded = loadJudgement(data);
    expect(loaded.source).toBe('store');
    expect(loaded.file).toBe(judgementPaths.storeModel(data));
    // Without the file, the shipped model.
    expect(loadJudgement(path.join(dir, 'elsewhere')).source).toBe('shipped');
  }, 120_000);
});
