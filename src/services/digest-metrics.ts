import type { WorkspaceConfig } from '../config/workspace';
import type { Db } from '../db/client';
import type { HeadlineMetrics, SlaLine } from '../domain/digest';
import type { Period } from '../domain/period';

// The digest's headline and SLA lines come from issue 6's period metrics (src/db/queries/metrics.ts).

export async function digestHeadline(
  _db: Db,
  _config: WorkspaceConfig,
  _week: Period,
): Promise<{ current: HeadlineMetrics; previous: HeadlineMetrics } | null> {
  return null;
}

export async function digestSla(_db: Db, _config: WorkspaceConfig, _week: Period): Promise<SlaLine[] | null> {
  return null;
}
