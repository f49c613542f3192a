import { retentionCutoffs } from '../config/retention';
import { purgeExpired } from '../db/queries/retention';
import type { Deps } from '../services/deps';
import type { Job } from './scheduler';

/**
 * The store's retention, applied every night without anyone remembering to: what `trustloop
 * purge` deletes (personal data older than the config's `retention`). Nothing runs until the
 * store sets a retention.
 */
export function retentionJob(deps: Pick<Deps, 'config' | 'logger'>): Job {
  return {
    name: 'retention',
    schedule: '41 3 * * *',
    timezone: deps.config.store.timezone,
    async run(tx, now) {
      const cutoffs = retentionCutoffs(deps.config.retention, now);
      if (!cutoffs.casesBefore && !cutoffs.ordersBefore) return;
      const gone = await purgeExpired(tx, cutoffs);
      deps.logger.info({ rows: Object.fromEntries(gone.map((g) => [g.table, g.rows])) }, 'personal data past retention deleted');
    },
  };
}
