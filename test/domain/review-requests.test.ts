import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import {
  customerZones,
  DAY_MS,
  type Decision,
  decide,
  DEFAULT_POLICY,
  delayDays,
  firstDueAt,
  holdReasons,
  nextDaytime,
  nextDueAfterSend,
  type RequestContext,
  type RequestPolicy,
  type RequestState,
} from '../../src/domain/review-requests';

const policy: RequestPolicy = { ...DEFAULT_POLICY, homeCountry: 'DE' };
const berlin = ['Europe/Berlin'];
const shirt = { key: 'LS-M-WHT', name: 'Linen Shirt' };
const mug = { key: 'MUG-1', name: 'Stoneware Mug' };

const calm: RequestContext = {
  unsubscribed: false,
  erased: false,
  hasEmail: true,
  cases: [],
  openDispute: false,
  otherRequestsSentAt: [],
  productsRecentlyRequested: new Set(),
  reviewed: false,
};

const local = (iso: string, zone = 'Europe/Berlin') => DateTime.fromISO(iso, { zone }).toJSDate();
const hourIn = (t: Date, zone: string) => DateTime.fromJSDate(t, { zone }).hour;

/** A request's life as the job would drive it: applies each decision to the state, as the service does. */
function step(s: RequestState, d: Decision, now: Date, zones = berlin): RequestState {
  switch (d.action) {
    case 'send': {
      const next = nextDueAfterSend(policy, d.step, now, zones);
      return { ...s, products: d.products, sends: s.sends + 1, status: next ? 'sent' : 'completed', dueAt: next ?? s.dueAt, heldSince: null };
    }
    case 'wait':
      return { ...s, dueAt: d.until };
    case 'hold':
      return { ...s, status: 'held', heldSince: s.heldSince ?? now };
    case 'skip':
      return { ...s, status: 'skipped' };
    case 'complete':
      return { ...s, status: d.reason === 'reviewed' ? 'reviewed' : 'completed' };
  }
}

describe('delay', () => {
  test('domestic 7 days, international 14, per country and per product overrides (the longest product wins)', () => {
    expect(delayDays(policy, { country: 'DE', products: [shirt] })).toBe(7);
    expect(delayDays(policy, { country: 'de', products: [shirt] })).toBe(7);
    expect(delayDays(policy, { country: 'FR', products: [shirt] })).toBe(14);
    expect(delayDays(policy, { country: null, products: [shirt] })).toBe(7);
    const custom = { ...policy, countryDays: { FR: 10 }, productDays: { 'MUG-1': 21, 'LS-M-WHT': 3 } };
    expect(delayDays(custom, { country: 'FR', products: [] })).toBe(10);
    expect(delayDays(custom, { country: 'FR', products: [shirt] })).toBe(3);
    expect(delayDays(custom, { country: 'FR', products: [shirt, mug] })).toBe(21);
  });
});

describe('the customer’s daytime', () => {
  test('a delivery at 02:00 local with a whole-day delay is asked at 09:00, not at 02:00', () => {
    const due = firstDueAt(policy, { country: 'DE', products: [shirt], deliveredAt: local('2026-03-02T02:00') }, berlin);
    expect(due).toEqual(local('2026-03-09T09:00'));
  });

  test('a time inside the window stays; one after it moves to the next morning', () => {
    expect(nextDaytime(local('2026-03-09T14:10'), berlin, policy)).toEqual(local('2026-03-09T14:10'));
    expect(nextDaytime(local('2026-03-09T20:00'), berlin, policy)).toEqual(local('2026-03-10T09:00'));
  });

  test('across a daylight-saving change the window stays at 09:00 local', () => {
    // Europe/Berlin moves to summer time on 29 March 2026 at 02:00.
    const t = nextDaytime(local('2026-03-29T01:30'), berlin, policy);
    expect(t).toEqual(local('2026-03-29T09:00'));
    expect(t.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  test('a country with several zones is asked when it is daytime in all of them', () => {
    const zones = customerZones({ country: 'US', storeTimezone: 'Europe/Berlin' });
    expect(zones).toContain('America/New_York');
    expect(zones).toContain('Pacific/Honolulu');
    const t = nextDaytime(new Date('2026-06-01T03:00:00Z'), zones, policy);
    for (const z of ['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu', 'America/Anchorage']) {
      expect(hourIn(t, z)).toBeGreaterThanOrEqual(9);
      expect(hourIn(t, z)).toBeLessThan(20);
    }
  });

  test('a country too wide for one shared window uses its middle zone', () => {
    // Russia spans ten hours (Kaliningrad UTC+2 to Kamchatka UTC+12): no 09:00–17:00 hour is shared.
    const zones = customerZones({ country: 'RU', storeTimezone: 'UTC' });
    const narrow = { windowStartMin: 9 * 60, windowEndMin: 17 * 60 };
    const t = nextDaytime(new Date('2026-06-01T00:00:00Z'), zones, narrow);
    const inSome = zones.filter((z) => hourIn(t, z) >= 9 && hourIn(t, z) < 17);
    expect(inSome.length).toBeGreaterThan(0);
    expect(inSome.length).toBeLessThan(zones.length);
  });

  test('the customer’s own time zone wins over the country; an unknown country falls back to the store', () => {
    expect(customerZones({ timezone: 'Asia/Tokyo', country: 'DE', storeTimezone: 'UTC' })).toEqual(['Asia/Tokyo']);
    expect(customerZones({ timezone: 'Not/AZone', country: 'JP', storeTimezone: 'UTC' })).toEqual(['Asia/Tokyo']);
    expect(customerZones({ country: 'XX', storeTimezone: 'Europe/Berlin' })).toEqual(['Europe/Berlin']);
  });
});

describe('the whole schedule with a fake clock', () => {
  const deliveredAt = local('2026-03-02T16:00');
  const start = (): RequestState => ({
    status: 'scheduled',
    dueAt: firstDueAt(policy, { country: 'DE', products: [shirt, mug], deliveredAt }, berlin),
    sends: 0,
    products: [shirt, mug],
    heldSince: null,
  });

  test('delivery → 7 days → request → two reminders → done; nothing before it is due', () => {
    let s = start();
    expect(s.dueAt).toEqual(local('2026-03-09T16:00'));
    const sentAt: Date[] = [];
    // A job tick every hour for 30 days.
    for (let t = deliveredAt.getTime(); t < deliveredAt.getTime() + 30 * DAY_MS; t += 3_600_000) {
      const now = new Date(t);
      const d = decide(policy, s, calm, berlin, now);
      if (d.action === 'send') sentAt.push(now);
      if (d.action === 'complete') break;
      s = step(s, d, now);
    }
    expect(sentAt).toEqual([local('2026-03-09T16:00'), local('2026-03-14T16:00'), local('2026-03-21T16:00')]);
    expect(s.status).toBe('completed');
    expect(s.sends).toBe(3);
  });

  test('a review after the first request stops the reminders', () => {
    let s = start();
    const now = s.dueAt;
    s = step(s, decide(policy, s, calm, berlin, now), now);
    expect(s.sends).toBe(1);
    const later = new Date(s.dueAt.getTime() + 1);
    expect(decide(policy, s, { ...calm, reviewed: true }, berlin, later)).toEqual({ action: 'complete', reason: 'reviewed' });
  });

  test('an open case holds the request with its reason; once closed it is sent, in daytime', () => {
    let s = start();
    const open = { ...calm, cases: [{ open: true, tags: ['order_status'], aboutThisOrder: false }] };
    const d1 = decide(policy, s, open, berlin, s.dueAt);
    expect(d1).toEqual({ action: 'hold', reasons: ['open_case'] });
    s = step(s, d1, s.dueAt);
    expect(s.status).toBe('held');
    // The case is resolved at 23:00 three days later: the request waits for the morning.
    const closedAt = local('2026-03-12T23:00');
    const resolved = { ...calm, cases: [{ open: false, tags: ['order_status'], aboutThisOrder: false }] };
    const d2 = decide(policy, s, resolved, berlin, closedAt);
    expect(d2).toEqual({ action: 'wait', until: local('2026-03-13T09:00') });
    s = step(s, d2, closedAt);
    expect(decide(policy, s, resolved, berlin, local('2026-03-13T09:00'))).toMatchObject({ action: 'send', step: 0 });
  });

  test('a refund in progress and an open dispute are holds of their own', () => {
    const refund = { ...calm, cases: [{ open: true, tags: ['refund'], aboutThisOrder: false }], openDispute: true };
    expect(holdReasons(refund)).toEqual(['refund_in_progress', 'open_dispute']);
    expect(decide(policy, start(), { ...calm, openDispute: true }, berlin, start().dueAt)).toEqual({
      action: 'hold',
      reasons: ['open_dispute'],
    });
  });

  test('a case about this order’s quality or delivery drops the request, even once resolved', () => {
    const s = start();
    for (const tag of ['damaged', 'quality', 'shipping_delay', 'missing_item', 'wrong_item']) {
      const ctx = { ...calm, cases: [{ open: false, tags: [tag], aboutThisOrder: true }] };
      expect(decide(policy, s, ctx, berlin, s.dueAt)).toEqual({ action: 'skip', reason: 'case_about_order' });
    }
    // The same tags on another order only hold while open.
    const other = { ...calm, cases: [{ open: false, tags: ['damaged'], aboutThisOrder: false }] };
    expect(decide(policy, s, other, berlin, s.dueAt)).toMatchObject({ action: 'send' });
  });

  test('a hold longer than the limit drops the request', () => {
    const s: RequestState = { ...start(), status: 'held', heldSince: start().dueAt };
    const open = { ...calm, cases: [{ open: true, tags: [], aboutThisOrder: false }] };
    expect(decide(policy, s, open, berlin, new Date(s.dueAt.getTime() + 29 * DAY_MS))).toMatchObject({ action: 'hold' });
    expect(decide(policy, s, open, berlin, new Date(s.dueAt.getTime() + 31 * DAY_MS))).toEqual({ action: 'skip', reason: 'held_too_long' });
  });

  test('cap per customer: a second order within 30 days is not asked; after 30 days it is', () => {
    const s = start();
    const recent = { ...calm, otherRequestsSentAt: [new Date(s.dueAt.getTime() - 29 * DAY_MS)] };
    expect(decide(policy, s, recent, berlin, s.dueAt)).toEqual({ action: 'skip', reason: 'customer_cap' });
    const older = { ...calm, otherRequestsSentAt: [new Date(s.dueAt.getTime() - 31 * DAY_MS)] };
    expect(decide(policy, s, older, berlin, s.dueAt)).toMatchObject({ action: 'send' });
    expect(decide({ ...policy, customerCap: 2 }, s, recent, berlin, s.dueAt)).toMatchObject({ action: 'send' });
  });

  test('one request per product per 12 months: a product asked about already is left out', () => {
    const s = start();
    const d = decide(policy, s, { ...calm, productsRecentlyRequested: new Set(['LS-M-WHT']) }, berlin, s.dueAt);
    expect(d).toEqual({ action: 'send', step: 0, products: [mug] });
    const both = { ...calm, productsRecentlyRequested: new Set(['LS-M-WHT', 'MUG-1']) };
    expect(decide(policy, s, both, berlin, s.dueAt)).toEqual({ action: 'skip', reason: 'product_recently_requested' });
  });

  test('unsubscribed or erased customers are never sent anything, reminders included', () => {
    const s: RequestState = { ...start(), status: 'sent', sends: 1 };
    expect(decide(policy, s, { ...calm, unsubscribed: true }, berlin, s.dueAt)).toEqual({ action: 'skip', reason: 'unsubscribed' });
    expect(decide(policy, s, { ...calm, erased: true }, berlin, s.dueAt)).toEqual({ action: 'skip', reason: 'erased' });
    expect(decide(policy, s, { ...calm, hasEmail: false }, berlin, s.dueAt)).toEqual({ action: 'skip', reason: 'no_email' });
  });

  test('a customer who reviewed on their own before the request is not asked', () => {
    const s = start();
    expect(decide(policy, s, { ...calm, reviewed: true }, berlin, s.dueAt)).toEqual({ action: 'complete', reason: 'reviewed' });
  });

  test('no reminders configured: the request is the only send', () => {
    const p = { ...policy, reminderDays: [] };
    expect(nextDueAfterSend(p, 0, local('2026-03-09T10:00'), berlin)).toBeNull();
    expect(nextDueAfterSend(policy, 1, local('2026-03-09T21:00'), berlin)).toEqual(local('2026-03-17T09:00'));
  });
});
