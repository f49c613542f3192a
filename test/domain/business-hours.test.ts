import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessTime,
  businessDeadlines,
  businessTimeBetween,
  formatDailyInterval,
  isOpen,
  nextOpening,
  openIntervals,
  parseDailyInterval,
  scheduleProblems,
  ScheduleNeverOpens,
  type BusinessSchedule,
  type DailyInterval,
  type Weekday,
} from '../../src/domain/business-hours';

// 2026 daylight-saving changes used below:
//   Europe/Berlin       spring forward Sun 29 Mar (02:00 CET → 03:00 CEST, 01:00Z)
//                       fall back      Sun 25 Oct (03:00 CEST → 02:00 CET, 01:00Z)
//   America/Los_Angeles spring forward Sun  8 Mar (02:00 PST → 03:00 PDT, 10:00Z)
//                       fall back      Sun  1 Nov (02:00 PDT → 01:00 PST, 09:00Z)

const H = 3_600_000;
const M = 60_000;
const at = (iso: string) => new Date(iso);
const iv = (text: string): DailyInterval => {
  const parsed = parseDailyInterval(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};
const days = (list: Weekday[], ...ranges: string[]) => Object.fromEntries(list.map((d) => [d, ranges.map(iv)]));
const WEEKDAYS_ONLY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

const berlinOffice: BusinessSchedule = { timezone: 'Europe/Berlin', weekly: days(WEEKDAYS_ONLY, '09:00-17:00') };

describe('parseDailyInterval', () => {
  it('reads day and overnight ranges', () => {
    expect(parseDailyInterval('09:00-17:00')).toEqual({ start: 540, end: 1020 });
    expect(parseDailyInterval('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    expect(parseDailyInterval('22:00-06:00+1')).toEqual({ start: 1320, end: 1800 });
    expect(formatDailyInterval({ start: 1320, end: 1800 })).toBe('22:00-06:00+1');
  });

  it('refuses an unmarked end before the start, impossible times and shifts over 24 hours', () => {
    expect(parseDailyInterval('22:00-06:00')).toBe(
      '"22:00-06:00" ends before it starts: mark an overnight shift with +1, e.g. "22:00-06:00+1"',
    );
    expect(parseDailyInterval('09:00-25:00')).toBe('"25:00" is not a time of day (00:00 to 24:00)');
    expect(parseDailyInterval('24:00-02:00+1')).toBe('"24:00" is not a time of day (00:00 to 23:59)');
    expect(parseDailyInterval('09:60-10:00')).toBe('"09:60" is not a time of day (00:00 to 23:59)');
    expect(parseDailyInterval('09:00-10:00+1')).toBe(
      '"09:00-10:00+1" is longer than 24 hours: an overnight shift must end by its start time the next day',
    );
    expect(parseDailyInterval('nine to five')).toMatch(/^"nine to five" is not a time range/);
  });
});

describe('weekday office hours, Europe/Berlin', () => {
  it('is open from the first minute to just before closing, closed at weekends', () => {
    expect(isOpen(at('2026-03-02T08:00:00Z'), berlinOffice)).toBe(true); // Mon 09:00 CET
    expect(isOpen(at('2026-03-02T07:59:59Z'), berlinOffice)).toBe(false);
    expect(isOpen(at('2026-03-02T15:59:59Z'), berlinOffice)).toBe(true);
    expect(isOpen(at('2026-03-02T16:00:00Z'), berlinOffice)).toBe(false); // 17:00 CET
    expect(isOpen(at('2026-03-07T10:00:00Z'), berlinOffice)).toBe(false); // Saturday
  });

  it('carries a deadline over the weekend', () => {
    // Fri 16:00 CET + 2h: 1h on Friday, 1h on Monday from 09:00.
    expect(addBusinessTime(at('2026-03-06T15:00:00Z'), 2 * H, berlinOffice)).toEqual(at('2026-03-09T09:00:00Z'));
  });

  it('ends a deadline that uses up the day at closing time, not at the next opening', () => {
    expect(addBusinessTime(at('2026-03-06T14:00:00Z'), 2 * H, berlinOffice)).toEqual(at('2026-03-06T16:00:00Z'));
  });

  it('counts a deadline started out of hours from the next opening', () => {
    // Sat 11:00 CET + 30m → Mon 09:30 CET.
    expect(addBusinessTime(at('2026-03-07T10:00:00Z'), 30 * M, berlinOffice)).toEqual(at('2026-03-09T08:30:00Z'));
  });

  it('measures business time across a weekend', () => {
    // Fri 13:00–17:00 CET and Mon 09:00–13:00 CET.
    expect(businessTimeBetween(at('2026-03-06T12:00:00Z'), at('2026-03-09T12:00:00Z'), berlinOffice)).toBe(8 * H);
    expect(businessTimeBetween(at('2026-03-09T12:00:00Z'), at('2026-03-06T12:00:00Z'), berlinOffice)).toBe(0);
  });

  it('finds the next opening, or the instant itself when open', () => {
    expect(nextOpening(at('2026-03-07T10:00:00Z'), berlinOffice)).toEqual(at('2026-03-09T08:00:00Z'));
    expect(nextOpening(at('2026-03-09T10:15:00Z'), berlinOffice)).toEqual(at('2026-03-09T10:15:00Z'));
  });

  it('keeps local opening times over the spring-forward weekend', () => {
    // Fri 27 Mar 16:00 CET + 2h → Mon 30 Mar 10:00 CEST (08:00Z; one hour earlier in UTC than before).
    expect(addBusinessTime(at('2026-03-27T15:00:00Z'), 2 * H, berlinOffice)).toEqual(at('2026-03-30T08:00:00Z'));
    expect(nextOpening(at('2026-03-28T12:00:00Z'), berlinOffice)).toEqual(at('2026-03-30T07:00:00Z'));
  });

  it('keeps local opening times over the fall-back weekend', () => {
    // Fri 23 Oct 16:00 CEST (14:00Z) + 2h → Mon 26 Oct 10:00 CET (09:00Z).
    expect(addBusinessTime(at('2026-10-23T14:00:00Z'), 2 * H, berlinOffice)).toEqual(at('2026-10-26T09:00:00Z'));
    expect(businessTimeBetween(at('2026-10-19T00:00:00Z'), at('2026-11-02T00:00:00Z'), berlinOffice)).toBe(80 * H);
  });

  it('adds a long duration week by week (400 hours = ten 40-hour weeks)', () => {
    // From Mon 5 Jan 09:00 CET the 400th hour ends Fri 13 Mar 17:00 CET.
    expect(addBusinessTime(at('2026-01-05T08:00:00Z'), 400 * H, berlinOffice)).toEqual(at('2026-03-13T16:00:00Z'));
    // 52 weeks: Fri 1 Jan 2027 17:00 CET.
    expect(addBusinessTime(at('2026-01-05T08:00:00Z'), 52 * 40 * H, berlinOffice)).toEqual(at('2027-01-01T16:00:00Z'));
  });
});

describe('split shifts', () => {
  const split: BusinessSchedule = { timezone: 'Europe/Berlin', weekly: days(WEEKDAYS_ONLY, '09:00-12:00', '13:00-17:00') };

  it('skips the lunch gap', () => {
    expect(isOpen(at('2026-03-02T11:30:00Z'), split)).toBe(false); // 12:30 CET
    expect(nextOpening(at('2026-03-02T11:30:00Z'), split)).toEqual(at('2026-03-02T12:00:00Z'));
    // Mon 11:00 CET + 2h: 1h to 12:00, then 13:00–14:00 CET.
    expect(addBusinessTime(at('2026-03-02T10:00:00Z'), 2 * H, split)).toEqual(at('2026-03-02T13:00:00Z'));
    expect(businessTimeBetween(at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'), split)).toBe(7 * H);
  });

  it('lists the open intervals of a day', () => {
    expect(openIntervals(at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'), split)).toEqual([
      { start: at('2026-03-02T08:00:00Z'), end: at('2026-03-02T11:00:00Z') },
      { start: at('2026-03-02T12:00:00Z'), end: at('2026-03-02T16:00:00Z') },
    ]);
  });

  it('works with an evening shift in Los Angeles', () => {
    const la: BusinessSchedule = { timezone: 'America/Los_Angeles', weekly: days(['mon'], '08:00-12:00', '18:00-21:00') };
    // Mon 2 Mar 11:00 PST (19:00Z) + 2h → 1h before noon, then 18:00–19:00 PST → 03:00Z Tuesday.
    expect(addBusinessTime(at('2026-03-02T19:00:00Z'), 2 * H, la)).toEqual(at('2026-03-03T03:00:00Z'));
  });
});

describe('overnight shifts across daylight-saving changes', () => {
  const berlinNight: BusinessSchedule = { timezone: 'Europe/Berlin', weekly: days(['sat'], '22:00-06:00+1') };
  const laNight: BusinessSchedule = { timezone: 'America/Los_Angeles', weekly: days(['sat'], '22:00-06:00+1') };

  it('lasts 8 hours on an ordinary weekend', () => {
    expect(businessTimeBetween(at('2026-03-14T00:00:00Z'), at('2026-03-16T00:00:00Z'), berlinNight)).toBe(8 * H);
    expect(businessTimeBetween(at('2026-02-28T00:00:00Z'), at('2026-03-02T00:00:00Z'), laNight)).toBe(8 * H);
  });

  it('lasts 7 real hours on the spring-forward night', () => {
    expect(openIntervals(at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'), berlinNight)).toEqual([
      { start: at('2026-03-28T21:00:00Z'), end: at('2026-03-29T04:00:00Z') }, // 22:00 CET → 06:00 CEST
    ]);
    expect(openIntervals(at('2026-03-07T00:00:00Z'), at('2026-03-09T00:00:00Z'), laNight)).toEqual([
      { start: at('2026-03-08T06:00:00Z'), end: at('2026-03-08T13:00:00Z') }, // 22:00 PST → 06:00 PDT
    ]);
  });

  it('lasts 9 real hours on the fall-back night', () => {
    expect(openIntervals(at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'), berlinNight)).toEqual([
      { start: at('2026-10-24T20:00:00Z'), end: at('2026-10-25T05:00:00Z') }, // 22:00 CEST → 06:00 CET
    ]);
    expect(openIntervals(at('2026-10-31T00:00:00Z'), at('2026-11-02T00:00:00Z'), laNight)).toEqual([
      { start: at('2026-11-01T05:00:00Z'), end: at('2026-11-01T14:00:00Z') }, // 22:00 PDT → 06:00 PST
    ]);
  });

  it('runs a deadline through the repeated hour', () => {
    // Sat 31 Oct 20:00 PDT (03:00Z) + 8h30m: opens 05:00Z, 8h30m later is 13:30Z (05:30 PST).
    expect(addBusinessTime(at('2026-11-01T03:00:00Z'), 8.5 * H, laNight)).toEqual(at('2026-11-01T13:30:00Z'));
    expect(isOpen(at('2026-11-01T09:30:00Z'), laNight)).toBe(true); // the second 01:30, PST
  });

  it('continues an overnight shift from Sunday into Monday', () => {
    const sundayNight: BusinessSchedule = { timezone: 'Europe/Berlin', weekly: days(['sun'], '20:00-04:00+1') };
    // Sun 8 Mar 20:00 CET (19:00Z) → Mon 04:00 CET (03:00Z).
    expect(isOpen(at('2026-03-09T02:59:00Z'), sundayNight)).toBe(true);
    expect(isOpen(at('2026-03-09T03:00:00Z'), sundayNight)).toBe(false);
    expect(addBusinessTime(at('2026-03-08T12:00:00Z'), 8 * H, sundayNight)).toEqual(at('2026-03-09T03:00:00Z'));
  });
});

describe('opening and closing inside a daylight-saving change', () => {
  it('opens at the jump when the opening time does not exist (spring forward)', () => {
    const berlin: BusinessSchedule = { timezone: 'Europe/Berlin', weekly: days(['sun'], '02:30-10:00') };
    // 02:30 is skipped on 29 Mar: the clock jumps from 02:00 CET to 03:00 CEST at 01:00Z.
    expect(nextOpening(at('2026-03-29T00:00:00Z'), berlin)).toEqual(at('2026-03-29T01:00:00Z'));
    expect(businessTimeBetween(at('2026-03-29T00:00:00Z'), at('2026-03-29T12:00:00Z'), berlin)).toBe(7 * H);

    const la: BusinessSchedule = { timezone: 'America/Los_Angeles', weekly: days(['sun'], '02:00-04:00') };
    expect(openIntervals(at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z'), la)).toEqual([
      { start: at('2026-03-08T10:00:00Z'), end: at('2026-03-08T11:00:00Z') }, // 03:00 PDT → 04:00 PDT
    ]);
  });

  it('counts the repeated hour twice (fall back)', () => {
    const la: BusinessSchedule = { timezone: 'America/Los_Angeles', weekly: days(['sun'], '00:00-03:00') };
    // 00:00 PDT (07:00Z) → 03:00 PST (11:00Z): 01:00–02:00 happens twice, 4 real hours.
    expect(businessTimeBetween(at('2026-11-01T00:00:00Z'), at('2026-11-02T00:00:00Z'), la)).toBe(4 * H);
  });
});

describe('holidays', () => {
  const christmas: BusinessSchedule = {
    timezone: 'Europe/Berlin',
    weekly: days(WEEKDAYS_ONLY, '09:00-17:00'),
    holidays: [{ date: '2026-12-24', closed: [iv('13:00-24:00')] }, { date: '2026-12-25' }],
  };

  it('closes the whole date, or only the listed part', () => {
    expect(isOpen(at('2026-12-25T10:00:00Z'), christmas)).toBe(false); // Fri 11:00 CET
    expect(isOpen(at('2026-12-24T11:30:00Z'), christmas)).toBe(true); // Thu 12:30 CET
    expect(isOpen(at('2026-12-24T12:30:00Z'), christmas)).toBe(false); // Thu 13:30 CET
    // Mon–Wed 3 × 8h, Thu 09:00–13:00.
    expect(businessTimeBetween(at('2026-12-21T00:00:00Z'), at('2026-12-28T00:00:00Z'), christmas)).toBe(28 * H);
  });

  it('carries a deadline over a holiday and the weekend', () => {
    // Thu 24 Dec 12:00 CET + 3h: 1h to 13:00, then Mon 28 Dec 09:00–11:00 CET.
    expect(addBusinessTime(at('2026-12-24T11:00:00Z'), 3 * H, christmas)).toEqual(at('2026-12-28T10:00:00Z'));
    expect(nextOpening(at('2026-12-24T12:00:00Z'), christmas)).toEqual(at('2026-12-28T08:00:00Z'));
  });

  it('cuts the tail of an overnight shift at the holiday date (its local midnight)', () => {
    const night: BusinessSchedule = {
      timezone: 'America/Los_Angeles',
      weekly: days(['sat'], '22:00-06:00+1'),
      holidays: [{ date: '2026-02-01' }], // Sunday
    };
    // Sat 31 Jan 22:00 PST (06:00Z) to midnight only.
    expect(businessTimeBetween(at('2026-01-31T00:00:00Z'), at('2026-02-02T00:00:00Z'), night)).toBe(2 * H);
  });

  it('closes a 24/7 schedule on its holiday, in local time', () => {
    const allDay: BusinessSchedule = { timezone: 'Europe/Berlin', weekly: {}, alwaysOpen: true, holidays: [{ date: '2026-12-25' }] };
    // 25 Dec CET is 24 Dec 23:00Z – 25 Dec 23:00Z.
    expect(businessTimeBetween(at('2026-12-24T12:00:00Z'), at('2026-12-26T12:00:00Z'), allDay)).toBe(24 * H);
    expect(nextOpening(at('2026-12-25T12:00:00Z'), allDay)).toEqual(at('2026-12-25T23:00:00Z'));
  });
});

describe('24/7', () => {
  it('counts every millisecond, across a daylight-saving change too', () => {
    expect(isOpen(at('2026-03-08T03:00:00Z'), ALWAYS_OPEN)).toBe(true);
    expect(addBusinessTime(at('2026-03-29T00:30:00Z'), 90 * M, ALWAYS_OPEN)).toEqual(at('2026-03-29T02:00:00Z'));
    expect(businessTimeBetween(at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'), ALWAYS_OPEN)).toBe(48 * H);
  });
});

describe('excluded spans (pauses)', () => {
  it('stops the clock while excluded', () => {
    // Mon 2 Mar 09:00 CET + 4h with a pause 10:00–11:00 CET → 14:00 CET.
    const pause = [{ from: at('2026-03-02T09:00:00Z'), to: at('2026-03-02T10:00:00Z') }];
    expect(addBusinessTime(at('2026-03-02T08:00:00Z'), 4 * H, berlinOffice, pause)).toEqual(at('2026-03-02T13:00:00Z'));
    expect(businessTimeBetween(at('2026-03-02T08:00:00Z'), at('2026-03-02T12:00:00Z'), berlinOffice, pause)).toBe(3 * H);
  });

  it('has no deadline while an open-ended pause holds the clock', () => {
    const pause = [{ from: at('2026-03-02T09:00:00Z'), to: null }];
    expect(addBusinessTime(at('2026-03-02T08:00:00Z'), 4 * H, berlinOffice, pause)).toBeNull();
    expect(businessDeadlines(at('2026-03-02T08:00:00Z'), [30 * M, 2 * H], berlinOffice, pause)).toEqual([at('2026-03-02T08:30:00Z'), null]);
  });
});

describe('schedules that never open', () => {
  it('gives up with ScheduleNeverOpens instead of looping', () => {
    const closed: BusinessSchedule = { timezone: 'UTC', weekly: {} };
    expect(() => nextOpening(at('2026-01-01T00:00:00Z'), closed)).toThrow(ScheduleNeverOpens);
    expect(() => addBusinessTime(at('2026-01-01T00:00:00Z'), H, closed)).toThrow(ScheduleNeverOpens);
  });

  it('reports impossible schedules with their paths', () => {
    expect(
      scheduleProblems({
        timezone: 'Europe/Berlim',
        weekly: { mon: [iv('09:00-12:00'), iv('11:00-14:00')], sun: [iv('22:00-10:00+1')] },
      }),
    ).toEqual([
      { path: ['timezone'], message: '"Europe/Berlim" is not an IANA time zone such as Europe/Berlin' },
      { path: ['weekly', 'sun', 0], message: 'overlaps mon 09:00-12:00' },
      { path: ['weekly', 'mon', 1], message: 'overlaps mon 09:00-12:00' },
    ]);
    expect(scheduleProblems({ timezone: 'UTC', weekly: {} })).toEqual([
      { path: ['weekly'], message: 'has no open hours on any day: list at least one interval, or set always_open' },
    ]);
  });
});
