// Quality clusters, pure (brief: "If issues cluster, sync supplier, inventory, and product page
// immediately"; must-escalate: "Quality issues are clustered and may affect a batch of inventory").
// Negative reviews and damaged/quality tickets about one product within the window form a
// cluster once they reach the configured count. Products are matched by name (review product
// title, order item name, with a " - Variant" suffix removed) and by SKU, which resolves to the
// name it is seen with.

export interface ClusterItem {
  caseId: number;
  kind: 'review' | 'ticket';
  at: Date;
  products: { title?: string | null; sku?: string | null }[];
}

export interface ActiveCluster {
  id: number;
  productKey: string;
  caseIds: number[];
  lastItemAt: Date;
}

export interface ClusterFindings {
  alerts: { productKey: string; label: string; caseIds: number[]; firstItemAt: Date; lastItemAt: Date }[];
  extensions: { id: number; productKey: string; newCaseIds: number[]; lastItemAt: Date }[];
}

/** "Merino Half-Zip Pullover - M / Navy" and "merino  half-zip pullover" name the same product. */
export function normaliseTitle(title: string): string {
  const base = title.split(/\s+[-–—]\s+/)[0] ?? title;
  return base.toLowerCase().replace(/\s+/g, ' ').trim();
}

function displayTitle(title: string): string {
  return (title.split(/\s+[-–—]\s+/)[0] ?? title).replace(/\s+/g, ' ').trim();
}

const skuKey = (sku: string) => `sku:${sku.trim().toUpperCase()}`;

/**
 * Groups items by product and returns the new clusters (count reached, no cluster active for
 * the product) and the growth of active ones (items not yet part of them). `active` holds the
 * clusters whose last item is inside the window: a product stays one cluster while reports keep
 * coming, so the supply-chain channel gets one alert per cluster.
 */
export function findClusters(
  items: readonly ClusterItem[],
  active: readonly ActiveCluster[],
  opts: { count: number; since: Date },
): ClusterFindings {
  const inWindow = items.filter((i) => i.at >= opts.since);
  // SKU → product name, from any item that carries both.
  const nameOfSku = new Map<string, string>();
  for (const item of inWindow) {
    for (const p of item.products) {
      if (p.sku?.trim() && p.title?.trim()) nameOfSku.set(skuKey(p.sku), normaliseTitle(p.title));
    }
  }
  // Each group also keeps the SKU keys that resolved into it: a cluster alerted under its SKU
  // (before any report named the product) is the same cluster once one does.
  const groups = new Map<string, { label: string; items: Map<number, Date>; skus: Set<string> }>();
  for (const item of inWindow) {
    const keys = new Map<string, string>();
    const skus = new Map<string, string>();
    for (const p of item.products) {
      const title = p.title?.trim() ? normaliseTitle(p.title) : undefined;
      const key = title
        ? `title:${title}`
        : p.sku?.trim()
          ? nameOfSku.has(skuKey(p.sku))
            ? `title:${nameOfSku.get(skuKey(p.sku))}`
            : skuKey(p.sku)
          : undefined;
      if (key && !keys.has(key)) keys.set(key, p.title?.trim() ? displayTitle(p.title) : `SKU ${p.sku!.trim()}`);
      if (key && p.sku?.trim()) skus.set(skuKey(p.sku), key);
    }
    for (const [key, label] of keys) {
      const g = groups.get(key) ?? { label, items: new Map<number, Date>(), skus: new Set<string>() };
      for (const [sku, of] of skus) if (of === key) g.skus.add(sku);
      // A review's own product title is the better label than an order line's name.
      if (item.kind === 'review') g.label = label;
      g.items.set(item.caseId, item.at);
      groups.set(key, g);
    }
  }
  const findings: ClusterFindings = { alerts: [], extensions: [] };
  for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const cluster = active.find((a) => (a.productKey === key || g.skus.has(a.productKey)) && a.lastItemAt >= opts.since);
    const entries = [...g.items].sort((a, b) => a[1].getTime() - b[1].getTime() || a[0] - b[0]);
    if (cluster) {
      const fresh = entries.filter(([id]) => !cluster.caseIds.includes(id));
      if (fresh.length > 0) {
        findings.extensions.push({
          id: cluster.id,
          productKey: key,
          newCaseIds: fresh.map(([id]) => id),
          lastItemAt: new Date(Math.max(cluster.lastItemAt.getTime(), ...fresh.map(([, at]) => at.getTime()))),
        });
      }
      continue;
    }
    if (entries.length >= opts.count) {
      findings.alerts.push({
        productKey: key,
        label: g.label,
        caseIds: entries.map(([id]) => id),
        firstItemAt: entries[0]![1],
        lastItemAt: entries[entries.length - 1]![1],
      });
    }
  }
  return findings;
}
