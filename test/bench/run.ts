import { benchDigest } from './digest';
import { benchJudgement } from './judgement';
import { benchDelivery, benchFoundation } from './foundation';
import { benchMetrics } from './metrics';
import { benchSla } from './sla';

// `npm run bench [section…]`: prints the figures the targets in DESIGN.md are checked against.
// Benchmarks are never timed tests: a noisy machine changes the figures, not the test results.

const sections: Record<string, () => Promise<void>> = {
  foundation: benchFoundation,
  delivery: benchDelivery,
  sla: benchSla,
  metrics: benchMetrics,
  digest: benchDigest,
  judgement: benchJudgement,
};

// `delivery` alone re-runs the pacing part of `foundation`.
const defaults = ['foundation'];
const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : defaults;
for (const name of names) {
  const run = sections[name];
  if (!run) {
    console.error(`unknown section ${name}; sections: ${Object.keys(sections).join(', ')}`);
    process.exit(2);
  }
  await run();
  console.log('');
}
process.exit(0);
