import { pruneExpired, RETENTION, type RetentionRule } from '../db/queries/retention';
import type { Job } from './scheduler';

/**
 * Keeps housekeeping tables small: Slack event ids, delivered outbox rows and settled or rejected
 * webhook deliveries, each kept as long as src/db/queries/retention.ts says.
 */
export const maintenanceJob: Job = {
  name: 'maintenance',
  schedule: '17 * * * *',
  run: (tx, now) => pruneExpired(tx, Object.keys(RETENTION) as RetentionRule[], now),
};
