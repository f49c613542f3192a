import { benchBackfill } from './backfill';
import { benchDigest } from './digest';
import { benchJudgement } from './judgement';
import { benchFoundation, FOUNDATION_ROWS, type FoundationRow } from './foundation';
import { benchMetrics } from './metrics';
import { benchSla } from './sla';

// `npm run bench [row or section…]`: prints the figures the targets in DESIGN.md are checked against.
// Benchmarks are never timed tests: a noisy machine changes the figures, not the test results.
// With no argument it prints the foundation's rows (ingest, clicks, memory, delivery), each beside
// its floor; `npm run bench clicks` prints one row.

const sections: Record<string, () => Promise<void>> = {
  foundation: () => benchFoundation(),
  sla: benchSla,
  metrics: benchMetrics,
  digest: benchDigest,
  judgement: benchJudgement,
  backfill: benchBackfill,
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : ['foundation'];
const rows = names.filter((n): n is FoundationRow => (FOUNDATION_ROWS as readonly string[]).includes(n));
const unknown = names.filter((n) => !sections[n] && !rows.includes(n as FoundationRow));
if (unknown.length > 0) {
  console.error(
    `unknown row or section ${unknown.join(', ')}; rows: ${FOUNDATION_ROWS.join(', ')}; sections: ${Object.keys(sections).join(', ')}`,
  );
  process.exit(2);
}
if (rows.length > 0) {
  await benchFoundation(rows);
  console.log('');
}
for (const name of names) {
  const run = sections[name];
  if (!run) continue;
  await run();
  console.log('');
}
process.exit(0);
