import { describe, expect, test } from 'vitest';
import { lastFullWeek, parsePeriod, PeriodError, weekOf } from '../../src/domain/period';

const iso = (d: Date) => d.toISOString();

describe('reporting periods', () => {
  // Thursday 26 Nov 2026, 15:00 in Berlin (14:00 UTC).
  const now = new Date('2026-11-26T14:00:00Z');
  const tz = 'Europe/Berlin';

  test('7d and 30d end now and compare with the stretch just before', () => {
    const p = parsePeriod('7d', now, tz);
    expect([iso(p.start), iso(p.end)]).toEqual(['2026-11-19T14:00:00.000Z', '2026-11-26T14:00:00.000Z']);
    expect([iso(p.previous.start), iso(p.previous.end)]).toEqual(['2026-11-12T14:00:00.000Z', '2026-11-19T14:00:00.000Z']);
    expect(parsePeriod('', now, tz).label).toBe('last 7 days');
    expect(parsePeriod('30d', now, tz).label).toBe('last 30 days');
  });

  test('last week is Monday to Monday in the store’s zone; the one before is the comparison', () => {
    const p = parsePeriod('last week', now, tz);
    expect([iso(p.start), iso(p.end)]).toEqual(['2026-11-15T23:00:00.000Z', '2026-11-22T23:00:00.000Z']);
    expect(iso(p.previous.start)).toBe('2026-11-08T23:00:00.000Z');
    expect(p.label).toBe('week of 16 Nov 2026');
    expect(lastFullWeek(now, tz)).toEqual(p);
  });

  test('this week compares with the same stretch of last week', () => {
    const p = parsePeriod('This  Week', now, tz);
    expect(iso(p.start)).toBe('2026-11-22T23:00:00.000Z');
    expect(iso(p.end)).toBe(iso(now));
    expect([iso(p.previous.start), iso(p.previous.end)]).toEqual(['2026-11-15T23:00:00.000Z', '2026-11-19T14:00:00.000Z']);
  });

  test('a date range includes both days, across a daylight-saving change', () => {
    // Berlin leaves summer time on 25 Oct 2026: that week is one hour longer.
    const p = parsePeriod('2026-10-19..2026-10-25', now, tz);
    expect([iso(p.start), iso(p.end)]).toEqual(['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(p.end.getTime() - p.start.getTime()).toBe((7 * 24 + 1) * 3_600_000);
    const w = weekOf('2026-10-21', tz);
    expect([iso(w.start), iso(w.end)]).toEqual(['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });

  test('anything else is refused with the accepted forms', () => {
    expect(() => parsePeriod('yesterday-ish', now, tz)).toThrow(PeriodError);
    expect(() => parsePeriod('yesterday-ish', now, tz)).toThrow(/`7d`, `30d`, `this week`, `last week`/);
    expect(() => parsePeriod('2026-02-30..2026-03-01', now, tz)).toThrow(/does not exist/);
    expect(() => parsePeriod('2026-03-02..2026-03-01', now, tz)).toThrow(/must not be before/);
    expect(() => parsePeriod('0d', now, tz)).toThrow(/between 1d and 366d/);
  });

  test('dates outside 1970–9999 and ranges of 3 years or more are refused', () => {
    expect(() => parsePeriod('0001-01-01..9999-12-31', now, tz)).toThrow('dates must be between 1970 and 9999');
    expect(() => parsePeriod('1969-12-31..1970-01-05', now, tz)).toThrow('dates must be between 1970 and 9999');
    expect(() => parsePeriod('2020-01-01..2023-01-01', now, tz)).toThrow('a period can be at most 3 years long');
    // 1 Jan 2020 to 31 Dec 2022: just under 3 years, accepted.
    const p = parsePeriod('2020-01-01..2022-12-31', now, tz);
    expect([iso(p.start), iso(p.end)]).toEqual(['2019-12-31T23:00:00.000Z', '2022-12-31T23:00:00.000Z']);
  });
});
