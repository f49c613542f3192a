import { detectClusters } from '../services/clusters';
import type { Deps } from '../services/deps';
import type { Job } from './scheduler';

/**
 * Quality clusters that tickets complete: a ticket tagged damaged or quality (by the judgement
 * engine or by staff) can be the report that makes a cluster; negative reviews are checked as
 * they arrive, this catches the rest within ten minutes.
 */
export function reviewClusterJob(deps: Pick<Deps, 'config' | 'logger'>): Job {
  return {
    name: 'review-clusters',
    schedule: '*/10 * * * *',
    run: async (tx, now) => {
      const found = await detectClusters(tx, deps, now);
      if (found.alerts + found.extended > 0) deps.logger.info(found, 'quality clusters');
    },
  };
}
