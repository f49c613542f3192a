import type { Deps } from '../services/deps';
import { DIGEST_JOB, publishDueDigest } from '../services/digest';
import type { Job } from './scheduler';

/** When the scheduled run looks for a due digest (cheap when none is). */
export const DIGEST_CHECK_SCHEDULE = '*/15 * * * *';

/**
 * The weekly digest. Each run publishes every week whose configured schedule (store time zone,
 * default Monday 09:00) has passed and that is not yet published, so the same run at start-up and
 * the next check catch up a schedule missed while the app was down or a run that failed.
 */
export function digestJob(deps: Pick<Deps, 'config' | 'logger' | 'notify' | 'renderDigest'>): Job {
  return {
    name: DIGEST_JOB,
    // Checked every 15 minutes rather than only at the configured time, so a run missed while the
    // app was down, failed or skipped (another publish held the lock) is made up soon after.
    schedule: DIGEST_CHECK_SCHEDULE,
    async run(tx, now) {
      const published = await publishDueDigest(tx, deps, now);
      // The dispatcher also polls; this only saves it the wait once the transaction has committed.
      if (published.length > 0) setImmediate(() => deps.notify());
    },
  };
}
