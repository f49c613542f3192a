import { type SweepDeps, type SweepOptions, sweepSla } from '../services/sla';
import type { Job } from './scheduler';

export const SLA_SWEEP_JOB = 'sla-sweep';

/**
 * The SLA sweep, every 15 seconds: reminders and card re-renders go out within a tick of the
 * threshold. Each tick reads only the cases whose next check is due (an index range scan), so
 * a quiet tick costs one index probe however many cases are open.
 */
export function slaSweepJob(deps: SweepDeps, opts: SweepOptions = {}): Job {
  return {
    name: SLA_SWEEP_JOB,
    schedule: '*/15 * * * * *',
    async run(tx, now) {
      const result = await sweepSla(tx, deps, now, opts);
      if (result.examined > 0) deps.logger.info({ job: SLA_SWEEP_JOB, ...result }, 'sla sweep');
    },
  };
}
