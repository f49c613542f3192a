import { describe, expect, test } from 'vitest';
import { type ClusterItem, findClusters, normaliseTitle } from '../../src/domain/clusters';

const day = (d: number) => new Date(Date.UTC(2027, 2, d, 12));
const since = day(8); // a 7-day window ending on the 15th
const review = (caseId: number, d: number, title: string | null, sku: string | null = null): ClusterItem => ({
  caseId,
  kind: 'review',
  at: day(d),
  products: [{ title, sku }],
});
const ticket = (caseId: number, d: number, items: { title: string; sku?: string }[]): ClusterItem => ({
  caseId,
  kind: 'ticket',
  at: day(d),
  products: items,
});

describe('findClusters', () => {
  test('product names match across a variant suffix, spacing and case', () => {
    expect(normaliseTitle('Merino  Half-Zip Pullover - M / Navy')).toBe('merino half-zip pullover');
    expect(normaliseTitle('merino half-zip pullover')).toBe('merino half-zip pullover');
  });

  test('reaching the count within the window raises one alert with every case', () => {
    const items = [review(1, 10, 'Duvet Cover'), ticket(2, 11, [{ title: 'Duvet Cover - King' }]), review(3, 14, 'duvet cover')];
    const found = findClusters(items, [], { count: 3, since });
    expect(found.alerts).toEqual([
      { productKey: 'title:duvet cover', label: 'duvet cover', caseIds: [1, 2, 3], firstItemAt: day(10), lastItemAt: day(14) },
    ]);
    expect(found.extensions).toEqual([]);
  });

  test('fewer than the count, or reports outside the window, raise nothing', () => {
    expect(findClusters([review(1, 10, 'Mug'), review(2, 11, 'Mug')], [], { count: 3, since }).alerts).toEqual([]);
    expect(findClusters([review(1, 2, 'Mug'), review(2, 11, 'Mug'), review(3, 12, 'Mug')], [], { count: 3, since }).alerts).toEqual([]);
  });

  test('a review that names only a SKU joins the product that SKU is sold as', () => {
    const items = [ticket(1, 9, [{ title: 'Linen Shirt - M', sku: 'LS-M' }]), review(2, 10, null, 'ls-m'), review(3, 11, 'Linen Shirt')];
    expect(findClusters(items, [], { count: 3, since }).alerts.map((a) => [a.productKey, a.caseIds])).toEqual([
      ['title:linen shirt', [1, 2, 3]],
    ]);
  });

  test('a cluster alerted under its SKU is the same cluster once a report names the product for that SKU', () => {
    const bySku = [review(1, 9, null, 'MUG-1'), review(2, 10, null, 'mug-1'), review(3, 11, null, 'MUG-1')];
    const first = findClusters(bySku, [], { count: 3, since });
    expect(first.alerts.map((a) => [a.productKey, a.caseIds])).toEqual([['sku:MUG-1', [1, 2, 3]]]);
    const active = [{ id: 7, productKey: 'sku:MUG-1', caseIds: [1, 2, 3], lastItemAt: day(11) }];
    // A ticket now names the product sold under that SKU: the same cluster grows, no second alert.
    const later = findClusters([...bySku, ticket(4, 12, [{ title: 'Stoneware Mug', sku: 'MUG-1' }])], active, { count: 3, since });
    expect(later.alerts).toEqual([]);
    expect(later.extensions).toEqual([{ id: 7, productKey: 'title:stoneware mug', newCaseIds: [4], lastItemAt: day(12) }]);
  });

  test('an active cluster grows instead of alerting again; only new cases are reported', () => {
    const items = [review(1, 10, 'Mug'), review(2, 11, 'Mug'), review(3, 12, 'Mug'), review(4, 13, 'Mug')];
    const active = [{ id: 7, productKey: 'title:mug', caseIds: [1, 2, 3], lastItemAt: day(12) }];
    expect(findClusters(items, active, { count: 3, since })).toEqual({
      alerts: [],
      extensions: [{ id: 7, productKey: 'title:mug', newCaseIds: [4], lastItemAt: day(13) }],
    });
    expect(findClusters(items.slice(0, 3), active, { count: 3, since })).toEqual({ alerts: [], extensions: [] });
  });

  test('a cluster whose last report left the window is over: enough new reports alert again', () => {
    const old = [{ id: 7, productKey: 'title:mug', caseIds: [1, 2, 3], lastItemAt: day(5) }];
    const items = [review(8, 10, 'Mug'), review(9, 11, 'Mug'), review(10, 12, 'Mug')];
    expect(findClusters(items, old, { count: 3, since }).alerts.map((a) => a.caseIds)).toEqual([[8, 9, 10]]);
  });
});
