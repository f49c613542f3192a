import { type RetentionConfig, retentionCutoffs } from '../config/retention';
import type { Db } from '../db/client';
import { housekeepingCounts, pruneExpired, purgeCounts, purgeExpired, RETENTION, type RetentionRule } from '../db/queries/retention';

// `trustloop purge [--dry-run]`: deletes personal data older than the store's retention (the
// config's `retention` section) and the housekeeping rows past their age; --dry-run only counts.

const day = (d: Date) => d.toISOString().slice(0, 10);

export async function purgeCommand(
  db: Db,
  p: { retention: RetentionConfig; file: string; now: Date; dryRun: boolean },
  say: (line: string) => void,
): Promise<number> {
  const { retention, now } = p;
  const cutoffs = retentionCutoffs(retention, now);
  say(
    cutoffs.casesBefore
      ? `Cases resolved, disputes closed and reviews written before ${day(cutoffs.casesBefore)} (retention.cases_days: ${retention.cases_days}).`
      : `Cases, disputes and reviews are kept: ${p.file} sets no retention.cases_days.`,
  );
  say(
    cutoffs.ordersBefore
      ? `Orders placed, shipments, refunds, customer records and review requests before ${day(cutoffs.ordersBefore)} (retention.orders_days: ${retention.orders_days}).`
      : `Orders and customer records are kept: ${p.file} sets no retention.orders_days.`,
  );
  const run = async (tx: Db) => {
    const housekeeping = await housekeepingCounts(tx, now);
    const personal = p.dryRun ? await purgeCounts(tx, cutoffs) : await purgeExpired(tx, cutoffs);
    if (!p.dryRun) await pruneExpired(tx, Object.keys(RETENTION) as RetentionRule[], now);
    return { personal, housekeeping };
  };
  const { personal, housekeeping } = p.dryRun ? await run(db) : await db.transaction(run);
  const total = [...personal, ...housekeeping].reduce((n, r) => n + r.rows, 0);
  say(p.dryRun ? `Would delete (dry run, nothing deleted): ${total} rows` : `Deleted: ${total} rows`);
  for (const r of personal) say(`  ${r.table.padEnd(20)}${String(r.rows).padStart(8)}`);
  say('Housekeeping (Slack event ids, delivered deliveries, settled webhook deliveries past their age):');
  for (const r of housekeeping) say(`  ${r.table.padEnd(20)}${String(r.rows).padStart(8)}`);
  return 0;
}
