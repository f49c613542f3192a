import { IANAZone } from 'luxon';

// Business-hours arithmetic. Pure: every function takes the instants it works on and a
// schedule; nothing reads the clock.
//
// A schedule is open at an instant when the wall clock in the schedule's time zone shows an
// open time (a weekly interval of that local date, or the tail of the previous date's
// overnight shift) that no holiday closes. Working in wall time first and mapping to instants
// second keeps daylight-saving changes exact: an overnight shift 22:00–06:00 lasts 7 real hours
// on the spring-forward night and 9 on the fall-back night, and a wall time that falls in a
// spring-forward gap opens at the instant the clock jumps past it.
//
// Cost is O(days spanned): each local day contributes its intervals, the zone's offset is
// read once per UTC day (and cached), and a transition is located by binary search only on
// the two days a year that have one.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Minutes after local midnight, `start` in [0, 1440). `end` > `start`; an `end` past 1440 means
 * the shift ends on the next day (overnight), at most 24 hours after it started.
 */
export interface DailyInterval {
  readonly start: number;
  readonly end: number;
}

/** A local date (YYYY-MM-DD) on which the schedule is closed: all day, or only in `closed`. */
export interface Holiday {
  readonly date: string;
  /** Parts of the date that are closed (ends at most 1440); absent: the whole date. */
  readonly closed?: readonly DailyInterval[];
}

export interface BusinessSchedule {
  /** IANA time zone the weekly hours and holidays are read in. */
  readonly timezone: string;
  readonly weekly: Partial<Record<Weekday, readonly DailyInterval[]>>;
  readonly holidays?: readonly Holiday[];
  /** Open around the clock (holidays, if any, still close it). */
  readonly alwaysOpen?: boolean;
}

/** A 24/7 clock: what a policy without business hours runs on. */
export const ALWAYS_OPEN: BusinessSchedule = Object.freeze({ timezone: 'UTC', weekly: {}, alwaysOpen: true });

/** A stretch of time; `to: null` means it has not ended (for example, still waiting on the customer). */
export interface TimeSpan {
  readonly from: Date;
  readonly to: Date | null;
}

export interface OpenInterval {
  readonly start: Date;
  readonly end: Date;
}

export class ScheduleNeverOpens extends Error {
  constructor(readonly from: Date) {
    super(`the schedule has no open time in the ${HORIZON_DAYS} days after ${from.toISOString()}`);
    this.name = 'ScheduleNeverOpens';
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A search that finds no open time in this many days gives up (a schedule closed for good). */
const HORIZON_DAYS = 400;

// ---- parsing -------------------------------------------------------------------------------

const TIME = /^(\d{1,2}):(\d{2})$/;
const RANGE = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})(\+1)?\s*$/;

/** "09:00" → 540; "24:00" only where `allow24`; null when not a time of day. */
export function parseTimeOfDay(text: string, allow24 = false): number | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0 && allow24) return 1440;
  if (h > 23) return null;
  return h * 60 + min;
}

/**
 * Parses "09:00-17:00", or an overnight shift marked "+1": "22:00-06:00+1" (ends 06:00 the next
 * day). Returns the interval, or a message saying what is wrong. An unmarked end before the
 * start is refused rather than guessed, so a typo cannot silently become a night shift.
 */
export function parseDailyInterval(text: string): DailyInterval | string {
  const m = RANGE.exec(text);
  if (!m) return `"${text}" is not a time range such as "09:00-17:00" (or "22:00-06:00+1" for an overnight shift)`;
  const start = parseTimeOfDay(m[1]!);
  if (start === null) return `"${m[1]}" is not a time of day (00:00 to 23:59)`;
  const end = parseTimeOfDay(m[2]!, true);
  if (end === null) return `"${m[2]}" is not a time of day (00:00 to 24:00)`;
  if (m[3]) {
    if (end > start) return `"${text}" is longer than 24 hours: an overnight shift must end by its start time the next day`;
    return { start, end: end + 1440 };
  }
  if (end <= start) {
    return `"${text}" ends before it starts: mark an overnight shift with +1, e.g. "${m[1]}-${m[2]}+1"`;
  }
  return { start, end };
}

/** Minutes as "HH:MM", with "+1" once past midnight. */
export function formatDailyInterval(i: DailyInterval): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return i.end > 1440 ? `${hhmm(i.start)}-${hhmm(i.end - 1440)}+1` : `${hhmm(i.start)}-${hhmm(i.end)}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid calendar date "YYYY-MM-DD", else null. */
export function parseLocalDate(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY;
}

export function isTimeZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

export interface ScheduleProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What makes a schedule impossible, with paths relative to the schedule: an unknown zone,
 * malformed or overlapping intervals (an overnight tail counts against the next day, Sunday's
 * against Monday), holidays that are not dates, and a week with no open time at all.
 */
export function scheduleProblems(s: BusinessSchedule): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (!isTimeZone(s.timezone))
    problems.push({ path: ['timezone'], message: `"${s.timezone}" is not an IANA time zone such as Europe/Berlin` });
  let openMinutes = 0;
  // Every interval of the week on one 0..10080 minute line, plus overnight tails wrapped to Monday.
  const line: { start: number; end: number; path: (string | number)[]; text: string }[] = [];
  WEEKDAYS.forEach((day, d) => {
    (s.weekly[day] ?? []).forEach((i, n) => {
      const path = ['weekly', day, n];
      if (!(
        Number.isInteger(i.start) &&
        Number.isInteger(i.end) &&
        i.start >= 0 &&
        i.start < 1440 &&
        i.end > i.start &&
        i.end - i.start <= 1440
      )) {
        problems.push({ path, message: 'is not a valid interval' });
        return;
      }
      openMinutes += i.end - i.start;
      const start = d * 1440 + i.start;
      const end = d * 1440 + i.end;
      const text = `${day} ${formatDailyInterval(i)}`;
      line.push({ start, end: Math.min(end, 7 * 1440), path, text });
      if (end > 7 * 1440) line.push({ start: 0, end: end - 7 * 1440, path, text });
    });
  });
  line.sort((a, b) => a.start - b.start || a.end - b.end);
  let reach = line[0];
  for (const cur of line.slice(1)) {
    if (reach && cur.start < reach.end) {
      // Report the later interval of the week (Sunday's overnight tail counts as Sunday's).
      const [first, second] = weekOrder(reach, cur);
      problems.push({ path: second.path, message: `overlaps ${first.text}` });
    }
    if (!reach || cur.end > reach.end) reach = cur;
  }
  if (!s.alwaysOpen && openMinutes === 0 && !problems.some((p) => p.path[0] === 'weekly')) {
    problems.push({ path: ['weekly'], message: 'has no open hours on any day: list at least one interval, or set always_open' });
  }
  (s.holidays ?? []).forEach((h, n) => {
    if (parseLocalDate(h.date) === null) problems.push({ path: ['holidays', n], message: `"${h.date}" is not a date such as 2026-12-25` });
    (h.closed ?? []).forEach((i, k) => {
      if (!(i.start >= 0 && i.end > i.start && i.end <= 1440)) {
        problems.push({ path: ['holidays', n, 'closed', k], message: 'must lie within the date (00:00 to 24:00)' });
      }
    });
  });
  return problems;
}

function weekOrder<T extends { path: (string | number)[] }>(a: T, b: T): [T, T] {
  const key = (p: (string | number)[]) => WEEKDAYS.indexOf(p[1] as Weekday) * 1000 + Number(p[2]);
  return key(a.path) <= key(b.path) ? [a, b] : [b, a];
}

// ---- time zone offsets ---------------------------------------------------------------------

const zones = new Map<string, IANAZone>();

function zoneOf(tz: string): IANAZone {
  let z = zones.get(tz);
  if (!z) {
    z = IANAZone.create(tz);
    if (!z.isValid) throw new RangeError(`unknown time zone "${tz}"`);
    zones.set(tz, z);
  }
  return z;
}

/** A UTC day's offsets: `offset` from its start, `after` from `change` on (no change: null). */
interface DayOffsets {
  offset: number;
  change: number | null;
  after: number;
}

// Offsets per zone and UTC day, so a sweep over many cases asks Intl about each day once
// rather than on every call. Real zones change offset at most once a day.
const dayOffsetCache = new Map<string, DayOffsets>();

function dayOffsets(zone: IANAZone, day: number): DayOffsets {
  const key = `${zone.name}|${day}`;
  let info = dayOffsetCache.get(key);
  if (!info) {
    const start = day * DAY;
    const offset = zone.offset(start) * MINUTE;
    const after = zone.offset(start + DAY) * MINUTE;
    info = { offset, after, change: offset === after ? null : transitionBetween(zone, start, start + DAY, offset) };
    if (dayOffsetCache.size >= 200_000) dayOffsetCache.clear();
    dayOffsetCache.set(key, info);
  }
  return info;
}

function offsetMs(zone: IANAZone, t: number): number {
  const info = dayOffsets(zone, Math.floor(t / DAY));
  return info.change !== null && t >= info.change ? info.after : info.offset;
}

interface Segment {
  start: number;
  end: number;
  offset: number;
}

/** [from, to) cut where the zone's UTC offset changes. */
function offsetSegments(zone: IANAZone, from: number, to: number): Segment[] {
  const segments: Segment[] = [];
  let segStart = from;
  let offset = offsetMs(zone, from);
  for (let day = Math.floor(from / DAY), last = Math.floor((to - 1) / DAY); day <= last; day++) {
    const info = dayOffsets(zone, day);
    if (info.change !== null && info.change > from && info.change < to && info.after !== offset) {
      segments.push({ start: segStart, end: info.change, offset });
      segStart = info.change;
      offset = info.after;
    }
  }
  segments.push({ start: segStart, end: to, offset });
  return segments;
}

/** First instant in (lo, hi] whose offset differs from `before` (found to the millisecond). */
function transitionBetween(zone: IANAZone, lo: number, hi: number, before: number): number {
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (zone.offset(mid) * MINUTE === before) a = mid;
    else b = mid;
  }
  return b;
}

/** Days since 1970-01-01 of the local date at instant t. */
function localDay(zone: IANAZone, t: number): number {
  return Math.floor((t + offsetMs(zone, t)) / DAY);
}

// ---- open intervals ------------------------------------------------------------------------

type Span = [number, number];

interface Compiled {
  zone: IANAZone;
  weekly: Span[][]; // index 0 = Monday
  closedWall: Span[]; // holiday closures in wall ms, sorted
  alwaysOpen: boolean;
}

const compiledCache = new WeakMap<BusinessSchedule, Compiled>();

function compile(s: BusinessSchedule): Compiled {
  let c = compiledCache.get(s);
  if (c) return c;
  const weekly = WEEKDAYS.map((d) => (s.weekly[d] ?? []).map((i): Span => [i.start * MINUTE, i.end * MINUTE]));
  const closedWall: Span[] = [];
  for (const h of s.holidays ?? []) {
    const day = parseLocalDate(h.date);
    if (day === null) throw new RangeError(`holiday "${h.date}" is not a date`);
    const base = day * DAY;
    if (!h.closed || h.closed.length === 0) closedWall.push([base, base + DAY]);
    else for (const i of h.closed) closedWall.push([base + i.start * MINUTE, base + i.end * MINUTE]);
  }
  c = { zone: zoneOf(s.timezone), weekly, closedWall: merge(closedWall), alwaysOpen: s.alwaysOpen === true };
  compiledCache.set(s, c);
  return c;
}

function merge(spans: Span[]): Span[] {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Sorted disjoint `spans` minus sorted disjoint `cut`. */
function subtract(spans: Span[], cut: readonly Span[]): Span[] {
  if (cut.length === 0) return spans;
  const out: Span[] = [];
  let k = 0;
  for (const [a0, b] of spans) {
    let a = a0;
    while (k < cut.length && cut[k]![1] <= a) k++;
    let j = k;
    while (a < b && j < cut.length && cut[j]![0] < b) {
      const [ca, cb] = cut[j]!;
      if (ca > a) out.push([a, ca]);
      a = Math.max(a, cb);
      j++;
    }
    if (a < b) out.push([a, b]);
  }
  return out;
}

/** Open time of the schedule within [from, to), as sorted disjoint instant spans. */
function openSpans(c: Compiled, from: number, to: number): Span[] {
  if (to <= from) return [];
  if (c.alwaysOpen && c.closedWall.length === 0) return [[from, to]];
  // Local dates whose intervals can reach [from, to): two days back for overnight tails and
  // zones that fall back across midnight, one day on for the same reason.
  const firstDay = localDay(c.zone, from) - 2;
  const lastDay = localDay(c.zone, to - 1) + 1;
  let wall: Span[];
  if (c.alwaysOpen) {
    wall = [[firstDay * DAY, (lastDay + 2) * DAY]];
  } else {
    wall = [];
    for (let d = firstDay; d <= lastDay; d++) {
      const weekday = (((d + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      for (const [a, b] of c.weekly[weekday]!) wall.push([d * DAY + a, d * DAY + b]);
    }
    wall = merge(wall);
  }
  wall = subtract(wall, c.closedWall);
  // An instant t is open when its wall time t + offset(t) lies in an open wall span.
  const out: Span[] = [];
  for (const seg of offsetSegments(c.zone, from, to)) {
    for (const [a, b] of wall) {
      const s = Math.max(seg.start, a - seg.offset);
      const e = Math.min(seg.end, b - seg.offset);
      if (e > s) out.push([s, e]);
    }
  }
  return merge(out);
}

function exclusionSpans(exclude: readonly TimeSpan[] | undefined): Span[] {
  if (!exclude || exclude.length === 0) return [];
  return merge(exclude.map((x): Span => [x.from.getTime(), x.to === null ? Infinity : x.to.getTime()]));
}

// ---- public API ----------------------------------------------------------------------------

export function isOpen(at: Date, schedule: BusinessSchedule): boolean {
  const t = at.getTime();
  return openSpans(compile(schedule), t, t + 1).length > 0;
}

/** The open intervals within [from, to), less any excluded spans (pauses). */
export function openIntervals(from: Date, to: Date, schedule: BusinessSchedule, exclude?: readonly TimeSpan[]): OpenInterval[] {
  return subtract(openSpans(compile(schedule), from.getTime(), to.getTime()), exclusionSpans(exclude)).map(([s, e]) => ({
    start: new Date(s),
    end: new Date(e),
  }));
}

/** Open milliseconds in [from, to) (0 when to ≤ from), not counting excluded spans. */
export function businessTimeBetween(from: Date, to: Date, schedule: BusinessSchedule, exclude?: readonly TimeSpan[]): number {
  const c = compile(schedule);
  const cut = exclusionSpans(exclude);
  let total = 0;
  // Chunked so a long span does not build one huge interval list.
  for (let a = from.getTime(), end = to.getTime(); a < end; a += 32 * DAY) {
    for (const [s, e] of subtract(openSpans(c, a, Math.min(a + 32 * DAY, end)), cut)) total += e - s;
  }
  return total;
}

/**
 * The instants at which each duration of open time has elapsed since `start`, in one walk.
 * An entry is null when an open-ended exclusion (a pause that has not ended) stops the clock
 * before it. A duration that runs out exactly at closing time gives the closing instant.
 */
export function businessDeadlines(
  start: Date,
  durationsMs: readonly number[],
  schedule: BusinessSchedule,
  exclude?: readonly TimeSpan[],
): (Date | null)[] {
  const c = compile(schedule);
  const cut = exclusionSpans(exclude);
  const wanted = durationsMs.map((d, i) => ({ d, i })).sort((x, y) => x.d - y.d);
  const result: (Date | null)[] = durationsMs.map(() => null);
  for (const { d } of wanted) if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`duration must be a finite number ≥ 0, got ${d}`);
  let k = 0;
  const s0 = start.getTime();
  while (k < wanted.length && wanted[k]!.d === 0) result[wanted[k++]!.i] = new Date(s0);
  const openEndedFrom = cut.length > 0 && cut[cut.length - 1]![1] === Infinity ? cut[cut.length - 1]![0] : Infinity;
  let elapsed = 0;
  let cursor = s0;
  let window = DAY;
  let lastOpen = s0;
  while (k < wanted.length) {
    if (cursor >= openEndedFrom) return result;
    const end = cursor + window;
    for (const [s, e] of subtract(openSpans(c, cursor, end), cut)) {
      while (k < wanted.length && elapsed + (e - s) >= wanted[k]!.d) {
        result[wanted[k]!.i] = new Date(s + (wanted[k]!.d - elapsed));
        k++;
      }
      elapsed += e - s;
      lastOpen = e;
    }
    if (k < wanted.length && end - lastOpen > HORIZON_DAYS * DAY) {
      if (openEndedFrom !== Infinity) return result;
      throw new ScheduleNeverOpens(new Date(lastOpen));
    }
    cursor = end;
    window = Math.min(window * 2, 32 * DAY);
  }
  return result;
}

/**
 * The instant at which `durationMs` of open time has elapsed since `start`: the deadline.
 * With exclusions, null when an unended one stops the clock first.
 */
export function addBusinessTime(start: Date, durationMs: number, schedule: BusinessSchedule): Date;
export function addBusinessTime(start: Date, durationMs: number, schedule: BusinessSchedule, exclude: readonly TimeSpan[]): Date | null;
export function addBusinessTime(start: Date, durationMs: number, schedule: BusinessSchedule, exclude?: readonly TimeSpan[]): Date | null {
  return businessDeadlines(start, [durationMs], schedule, exclude)[0]!;
}

/** `at` itself when the schedule is open then, else the start of the next open interval. */
export function nextOpening(at: Date, schedule: BusinessSchedule): Date {
  const c = compile(schedule);
  const t0 = at.getTime();
  let window = DAY;
  for (let cursor = t0; cursor - t0 <= HORIZON_DAYS * DAY;) {
    const first = openSpans(c, cursor, cursor + window)[0];
    if (first) return new Date(first[0]);
    cursor += window;
    window = Math.min(window * 2, 32 * DAY);
  }
  throw new ScheduleNeverOpens(at);
}
