import { DateTime } from 'luxon';

// Reporting periods, read in the store's time zone: "7d", "30d", "this week", "last week",
// "2026-11-01..2026-11-15". Each comes with the previous period of the same length, for
// "compared with before" arrows. Weeks start on Monday 00:00 local time.

export interface Period {
  start: Date;
  /** Exclusive. */
  end: Date;
  /** Human label, e.g. "last 7 days", "week of 16 Nov 2026", "1–15 Nov 2026". */
  label: string;
  previous: { start: Date; end: Date };
}

export class PeriodError extends Error {}

export const PERIOD_HELP = '`7d`, `30d`, `this week`, `last week` or `YYYY-MM-DD..YYYY-MM-DD`';

/** Dates a period may use (the previous period of a long one in year 1 would not exist), and its longest span. */
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
const MAX_RANGE_YEARS = 3;

const fmtDay = (d: DateTime) => d.toFormat('d LLL yyyy');

function withPrevious(start: DateTime, end: DateTime, label: string): Period {
  const length = end.toMillis() - start.toMillis();
  return {
    start: start.toJSDate(),
    end: end.toJSDate(),
    label,
    previous: { start: new Date(start.toMillis() - length), end: start.toJSDate() },
  };
}

/** The Monday 00:00 (local) that starts the week containing `at`. */
export function weekStart(at: Date, timezone: string): DateTime {
  return DateTime.fromJSDate(at, { zone: timezone }).startOf('week');
}

/** The last full week before `now` (Monday to Monday, local), as the weekly digest covers. */
export function lastFullWeek(now: Date, timezone: string): Period {
  const end = weekStart(now, timezone);
  const start = end.minus({ weeks: 1 });
  return {
    ...withPrevious(start, end, `week of ${fmtDay(start)}`),
    previous: { start: start.minus({ weeks: 1 }).toJSDate(), end: start.toJSDate() },
  };
}

/** The week that starts on the Monday of `day` (an ISO date), local. */
export function weekOf(day: string, timezone: string): Period {
  const d = DateTime.fromISO(day, { zone: timezone });
  if (!d.isValid) throw new PeriodError(`"${day}" is not a date; use YYYY-MM-DD`);
  const start = d.startOf('week');
  const end = start.plus({ weeks: 1 });
  return {
    ...withPrevious(start, end, `week of ${fmtDay(start)}`),
    previous: { start: start.minus({ weeks: 1 }).toJSDate(), end: start.toJSDate() },
  };
}

export function parsePeriod(text: string, now: Date, timezone: string): Period {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (t === '' || t === '7d') return withPrevious(local.minus({ days: 7 }), local, 'last 7 days');
  const days = /^(\d{1,3})d$/.exec(t);
  if (days) {
    const n = Number(days[1]);
    if (n < 1 || n > 366) throw new PeriodError('a period in days must be between 1d and 366d');
    return withPrevious(local.minus({ days: n }), local, `last ${n} days`);
  }
  if (t === 'this week') {
    const start = local.startOf('week');
    // Compared with the same stretch of last week, not the whole of it.
    return {
      start: start.toJSDate(),
      end: now,
      label: `this week (since ${fmtDay(start)})`,
      previous: { start: start.minus({ weeks: 1 }).toJSDate(), end: local.minus({ weeks: 1 }).toJSDate() },
    };
  }
  if (t === 'last week') return lastFullWeek(now, timezone);
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (range) {
    const a = DateTime.fromISO(range[1]!, { zone: timezone });
    const b = DateTime.fromISO(range[2]!, { zone: timezone });
    if (!a.isValid || !b.isValid) throw new PeriodError(`"${text}" has a date that does not exist`);
    if (b < a) throw new PeriodError('the second date must not be before the first');
    if (a.year < MIN_YEAR || b.year > MAX_YEAR) throw new PeriodError(`dates must be between ${MIN_YEAR} and ${MAX_YEAR}`);
    if (b.diff(a, 'years').years >= MAX_RANGE_YEARS) throw new PeriodError(`a period can be at most ${MAX_RANGE_YEARS} years long`);
    // Both days included: the period ends at the start of the day after the second date.
    return withPrevious(a.startOf('day'), b.startOf('day').plus({ days: 1 }), `${fmtDay(a)} – ${fmtDay(b)}`);
  }
  throw new PeriodError(`I can't read "${text}" as a period; use ${PERIOD_HELP}`);
}
