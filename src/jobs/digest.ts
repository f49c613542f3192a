import type { Deps } from '../services/deps';
import { DIGEST_JOB, publishDueDigest } from '../services/digest';
import type { Job } from './scheduler';

/**
 * The weekly digest, on the configured schedule in the store's time zone (default Monday 09:00).
 * Each run publishes the last full week if it is due and not yet published, so the same run at
 * start-up catches up a schedule missed while the app was down.
 */
export function digestJob(deps: Pick<Deps, 'config' | 'logger' | 'notify'>): Job {
  return {
    name: DIGEST_JOB,
    schedule: deps.config.digest.schedule,
    timezone: deps.config.store.timezone,
    async run(tx, now) {
      const published = await publishDueDigest(tx, deps, now);
      // The dispatcher also polls; this only saves it the wait once the transaction has committed.
      if (published) setImmediate(() => deps.notify());
    },
  };
}
