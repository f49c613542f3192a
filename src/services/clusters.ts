import { findClusters } from '../domain/clusters';
import type { Db } from '../db/client';
import { activeClusters, clusterItems, extendClusterAlert, insertClusterAlert, lockClusterDetection } from '../db/queries/clusters';
import { enqueue } from '../db/queries/outbox';
import type { Deps } from './deps';

// Cluster alerts to the supply-chain channel. Runs inside the caller's transaction (a negative
// review's ingest, or the periodic job that also catches tickets tagged damaged or quality),
// serialised by an advisory lock so two runs cannot alert for one cluster.

const DAY = 86_400_000;
const CLUSTER_TAGS = ['damaged', 'quality'] as const;

function clusterChannel(config: Deps['config']): string {
  return config.channels.supply_chain ?? config.channels.escalation;
}

export async function detectClusters(
  tx: Db,
  deps: Pick<Deps, 'config' | 'logger'>,
  now: Date,
): Promise<{ alerts: number; extended: number }> {
  const { count, days } = deps.config.reviews.cluster;
  await lockClusterDetection(tx);
  const since = new Date(now.getTime() - days * DAY);
  const items = await clusterItems(tx, { since, problemTags: CLUSTER_TAGS });
  if (items.length === 0) return { alerts: 0, extended: 0 };
  const active = await activeClusters(tx, { since });
  const found = findClusters(
    items,
    active.map((a) => ({ id: a.id, productKey: a.productKey, caseIds: a.caseIds, lastItemAt: a.lastItemAt })),
    { count, since },
  );
  const channel = clusterChannel(deps.config);
  for (const a of found.alerts) {
    const alert = await insertClusterAlert(tx, {
      productKey: a.productKey,
      productLabel: a.label,
      caseIds: a.caseIds,
      firstItemAt: a.firstItemAt,
      lastItemAt: a.lastItemAt,
      channel,
      createdAt: now,
    });
    await enqueue(tx, [{ kind: 'cluster_alert', channel, orderKey: `cluster:${alert.id}`, payload: { alertId: alert.id } }]);
    deps.logger.info({ alertId: alert.id, productKey: a.productKey, cases: a.caseIds.length }, 'quality cluster alert');
  }
  for (const e of found.extensions) {
    const current = active.find((a) => a.id === e.id)!;
    await extendClusterAlert(tx, { id: e.id, caseIds: [...current.caseIds, ...e.newCaseIds], lastItemAt: e.lastItemAt });
    await enqueue(tx, [
      {
        kind: 'cluster_followup',
        channel: current.channel,
        orderKey: `cluster:${e.id}`,
        payload: { alertId: e.id, caseIds: e.newCaseIds },
      },
    ]);
  }
  return { alerts: found.alerts.length, extended: found.extensions.length };
}
