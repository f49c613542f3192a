import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './client';

// Postgres advisory locks keyed by a job's name. A transaction-scoped lock is released with its
// transaction, so a crashed replica never leaves one behind.

/** A stable 32-bit advisory lock key per job name. */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h | 0;
}

/** Takes the named lock for the rest of the transaction if no one holds it; false if someone does. */
export async function tryLockForTransaction(tx: Db, name: string): Promise<boolean> {
  const [row] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${lockKey(name)}) as ok`);
  return row?.ok === true;
}

/** Waits for the named lock and holds it for the rest of the transaction. */
export async function lockForTransaction(tx: Db, name: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${lockKey(name)})`);
}
