import '../support/suite';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { describeDatabaseError } from '../../src/db/client';
import { childEnv } from '../support/child';
import { databaseUrl, hasServer, serverUrl } from '../support/db';

// `npm run db:migrate` against a database it cannot use: one line saying where it looked and what
// to check, a non-zero exit, no stack trace, and never the password from DATABASE_URL.

const root = path.resolve(import.meta.dirname, '../..');

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function migrateWith(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', 'db:migrate'], { cwd: root, env: childEnv({ DATABASE_URL: url }) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const trustloopLines = (text: string) => text.split('\n').filter((l) => l.startsWith('trustloop:'));

describe('npm run db:migrate when the database cannot be used', () => {
  test('a closed port: one line naming host:port and what to check, exit non-zero, no stack', { timeout: 120_000 }, async () => {
    const port = await closedPort();
    const run = await migrateWith(`postgres://trustloop:s3cret-pw@127.0.0.1:${port}/trustloop`);
    expect(run.code).not.toBe(0);
    expect(trustloopLines(run.stderr)).toEqual([
      `trustloop: DATABASE_URL points at 127.0.0.1:${port}, where nothing answers (connection refused): check that PostgreSQL is running there and that the host and port are right`,
    ]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr + run.stdout).not.toContain('s3cret-pw');
  });

  test.skipIf(!hasServer)('a database that does not exist is named, with the server it was looked for on', { timeout: 120_000 }, async () => {
    const url = databaseUrl(serverUrl!, 'trustloop_missing_db');
    const run = await migrateWith(url);
    const u = new URL(url);
    expect(run.code).not.toBe(0);
    expect(trustloopLines(run.stderr)).toEqual([
      `trustloop: DATABASE_URL names the database "trustloop_missing_db", which does not exist at ${u.hostname}:${u.port || '5432'}: create it or correct the name`,
    ]);
  });

  test('each kind of failure reads as a sentence without the password', () => {
    const url = 'postgres://shop:hunter22@db.internal:6543/trustloop';
    const cases: [string, RegExp][] = [
      ['ENOTFOUND', /^names the host db\.internal, which cannot be found/],
      ['CONNECT_TIMEOUT', /^points at db\.internal:6543, which did not answer in time/],
      ['28P01', /^was refused by PostgreSQL at db\.internal:6543 for the user "shop": check the user name and password$/],
      ['3D000', /^names the database "trustloop", which does not exist at db\.internal:6543/],
    ];
    for (const [code, expected] of cases) {
      const line = describeDatabaseError(Object.assign(new Error('x'), { code }), url);
      expect(line).toMatch(expected);
      expect(line).not.toContain('hunter22');
    }
  });
});
