import type { WorkspaceConfig } from '../config/workspace';
import type { Db } from '../db/client';
import { metricsBreakdown, periodMetrics } from '../db/queries/metrics';
import type { HeadlineMetrics, SlaLine } from '../domain/digest';
import type { Period } from '../domain/period';

// The digest's headline and SLA lines are the period metrics, for the week and the one before.

export async function digestHeadline(
  db: Db,
  config: WorkspaceConfig,
  week: Period,
): Promise<{ current: HeadlineMetrics; previous: HeadlineMetrics }> {
  return {
    current: await periodMetrics(db, config, { start: week.start, end: week.end }),
    previous: await periodMetrics(db, config, week.previous),
  };
}

/** First replies within target per source channel (channels where no reply had a target are left out). */
export async function digestSla(db: Db, config: WorkspaceConfig, week: Period): Promise<SlaLine[]> {
  const rows = await metricsBreakdown(db, config, { start: week.start, end: week.end, by: 'source' });
  return rows
    .filter((r) => r.key !== null && r.withinSla !== null)
    .map((r) => ({ channel: r.key!, cases: r.cases, withinSla: r.withinSla! }))
    .sort((a, b) => a.channel.localeCompare(b.channel));
}
