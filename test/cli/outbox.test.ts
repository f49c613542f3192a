import '../support/suite';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatAge, outboxRetry, outboxStatus } from '../../src/cli/outbox';
import { type Db, migrate, openDatabase, queryRows } from '../../src/db/client';
import { childEnv, cliArgs } from '../support/child';
import { createTestDatabase, seedDataDir, type TestDatabase } from '../support/db';

// `trustloop outbox status`: what waits, by kind, with the oldest's age, and the deliveries set
// aside for good; `trustloop outbox retry <id…|--failed>` puts failed ones back in the queue.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

async function row(db: Db, p: { kind: string; status: string; ageMinutes: number; error?: string; caseId?: number }): Promise<number> {
  const [r] = await queryRows<{ id: number }>(
    db,
    sql`insert into outbox (kind, channel, order_key, status, created_at, done_at, last_error, attempts)
        values (${p.kind}, 'C0SUPPORT1', ${`k:${Math.random()}`}, ${p.status}, now() - make_interval(mins => ${p.ageMinutes}),
                ${p.status === 'pending' ? null : sql`now()`}, ${p.error ?? null}, ${p.status === 'failed' ? 5 : 0}) returning id`,
  );
  return Number(r!.id);
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, say: (l: string) => out.push(l), complain: (l: string) => err.push(l) };
}

const statusOf = async (id: number) =>
  (await queryRows<{ status: string; attempts: number }>(t.database.db, sql`select status, attempts from outbox where id = ${id}`))[0];

describe('trustloop outbox', () => {
  test('status lists waiting rows by kind with the oldest age, and failed rows with their error', async () => {
    const db = t.database.db;
    let c = capture();
    await outboxStatus(db, c.say);
    expect(c.out).toEqual(['Nothing is waiting to be delivered.', 'No delivery has failed for good.']);

    await row(db, { kind: 'thread_post', status: 'pending', ageMinutes: 125 });
    await row(db, { kind: 'thread_post', status: 'pending', ageMinutes: 3 });
    await row(db, { kind: 'card_post', status: 'pending', ageMinutes: 12 });
    await row(db, { kind: 'card_post', status: 'done', ageMinutes: 600 });
    const failedPost = await row(db, { kind: 'post', status: 'failed', ageMinutes: 30, error: 'channel_not_found' });
    const failedMail = await row(db, { kind: 'review_request_email', status: 'failed', ageMinutes: 40, error: '550 mailbox unavailable' });

    c = capture();
    await outboxStatus(db, c.say);
    expect(c.out[0]).toBe('Waiting to be delivered: 3');
    expect(c.out[2]).toMatch(/^ {2}card_post +1 {2}12 min$/);
    expect(c.out[3]).toMatch(/^ {2}thread_post +2 {2}2 h 5 min$/);
    expect(c.out[4]).toBe('Failed for good (set aside): 2');
    expect(c.out[5]).toMatch(new RegExp(`^  #${failedMail}  review_request_email  C0SUPPORT1  failed \\S+Z  550 mailbox unavailable$`));
    expect(c.out[6]).toMatch(new RegExp(`^  #${failedPost}  post  C0SUPPORT1  failed \\S+Z  channel_not_found$`));

    // One by id; an id that is not a failed row is refused by name and left alone.
    c = capture();
    expect(await outboxRetry(db, [String(failedPost), '999999'], c.say, c.complain)).toBe(1);
    expect(c.out).toEqual([`1 delivery put back in the queue (#${failedPost}); a running Trustloop sends them in order.`]);
    expect(c.err).toEqual(['Not failed, so left alone: #999999']);
    expect(await statusOf(failedPost)).toEqual({ status: 'pending', attempts: 0 });
    expect(await statusOf(failedMail)).toMatchObject({ status: 'failed' });

    c = capture();
    expect(await outboxRetry(db, ['--failed'], c.say, c.complain)).toBe(0);
    expect(c.out).toEqual([`1 delivery put back in the queue (#${failedMail}); a running Trustloop sends them in order.`]);
    c = capture();
    expect(await outboxRetry(db, ['--failed'], c.say, c.complain)).toBe(0);
    expect(c.out).toEqual(['No delivery has failed for good: nothing to retry.']);
    c = capture();
    expect(await outboxRetry(db, [], c.say, c.complain)).toBe(2);
    expect(c.err[0]).toMatch(/^usage: trustloop outbox retry/);
  });

  test('ages read at a glance', () => {
    expect([formatAge(4.4), formatAge(61), formatAge(3600), formatAge(3 * 3600 + 300), formatAge(50 * 3600)]).toEqual([
      '4 s',
      '1 min',
      '1 h',
      '3 h 5 min',
      '2 d 2 h',
    ]);
  });

  test('`trustloop outbox status` and `retry --failed` from the command line', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tl-outbox-'));
    seedDataDir(dataDir);
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    await migrate(database);
    const id = await row(database.db, { kind: 'post', status: 'failed', ageMinutes: 5, error: 'not_in_channel' });
    await database.close();
    const root = path.resolve(import.meta.dirname, '../..');
    const cli = await cliArgs();
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [...cli, 'outbox', ...args], {
        cwd: root,
        env: childEnv({ TRUSTLOOP_DATA_DIR: dataDir }),
      });
    const status = await run(['status']);
    expect(status.stdout).toContain(`#${id}  post  C0SUPPORT1  failed `);
    expect(status.stdout).toContain('not_in_channel');
    const retry = await run(['retry', '--failed']);
    expect(retry.stdout).toBe(`1 delivery put back in the queue (#${id}); a running Trustloop sends them in order.\n`);
  });
});
