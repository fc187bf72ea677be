// Local calendar days in an IANA zone, DST-correct, with nothing but Intl.
import { fixedOffsetMinutes } from '../shared/time-zone.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/** The local date ("YYYY-MM-DD") of an instant in `tz`. */
export function localDate(ms: number, tz: string): string {
  const fixed = fixedOffsetMinutes(tz);
  if (fixed !== undefined) return new Date(ms + fixed * 60_000).toISOString().slice(0, 10);
  const parts = formatter(tz).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const HOUR = 3_600_000;
export const DAY_MS = 24 * HOUR;

function utcMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** The calendar day after `date`. */
export function nextDate(date: string): string {
  return new Date(utcMidnight(date) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant whose local date in `tz` is `date`. Binary search, because the start is not always
 * local midnight: some zones skip 00:00 on DST days. Every zone's offset lies within +-15 h of UTC.
 */
export function dayStart(date: string, tz: string): number {
  const fixed = fixedOffsetMinutes(tz);
  if (fixed !== undefined) return utcMidnight(date) - fixed * 60_000;
  let lo = utcMidnight(date) - 15 * HOUR; // local date < `date` here
  let hi = utcMidnight(date) + 15 * HOUR; // local date >= `date` here
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, tz) >= date) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface LocalDay {
  date: string;
  timezone: string;
  /** Inclusive start, epoch ms. */
  start: number;
  /** Exclusive end, epoch ms (23, 24 or 25 hours after start). */
  end: number;
}

export function localDay(nowMs: number, tz: string): LocalDay {
  const date = localDate(nowMs, tz);
  return { date, timezone: tz, start: dayStart(date, tz), end: dayStart(nextDate(date), tz) };
}

export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `date` moved by `n` calendar days (negative goes back). */
export function addDays(date: string, n: number): string {
  return new Date(utcMidnight(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isCalendarDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(utcMidnight(s)).toISOString().slice(0, 10) === s;
}

// Weeks and months: calendar arithmetic on dates, then dayStart() for the instants, so DST is handled once.

export type PeriodKind = 'day' | 'week' | 'month';

/** Weeks are ISO 8601 weeks: Monday to Sunday, numbered in the ISO week-numbering year ("2026-W01"). */
export const WEEK_DEFINITION = 'ISO 8601 week: Monday to Sunday, labelled <ISO week-year>-W<week>';

export interface LocalPeriod {
  kind: PeriodKind;
  /** "2026-11-20", "2026-W47" or "2026-11". */
  key: string;
  /** First local date in the period, and the first date after it. */
  first: string;
  next: string;
  /** Instants in the zone: [start, end). */
  start: number;
  end: number;
}

/** ISO weekday of a date: 1 Monday ... 7 Sunday. */
function isoWeekday(date: string): number {
  return new Date(utcMidnight(date)).getUTCDay() || 7;
}

/** The ISO week holding `date`: its Monday and its label. */
export function isoWeek(date: string): { monday: string; key: string } {
  const monday = addDays(date, 1 - isoWeekday(date));
  // The week belongs to the year of its Thursday.
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((utcMidnight(thursday) - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { monday, key: `${year}-W${String(week).padStart(2, '0')}` };
}

function firstOfNextMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** The day, ISO week or month holding local date `date`, with its instants in `tz`. */
export function periodOfDate(kind: PeriodKind, date: string, tz: string): LocalPeriod {
  let first = date;
  let next = nextDate(date);
  let key = date;
  if (kind === 'week') {
    const w = isoWeek(date);
    first = w.monday;
    next = addDays(first, 7);
    key = w.key;
  } else if (kind === 'month') {
    first = `${date.slice(0, 7)}-01`;
    next = firstOfNextMonth(date);
    key = date.slice(0, 7);
  }
  return { kind, key, first, next, start: dayStart(first, tz), end: dayStart(next, tz) };
}

/** The period holding instant `ms` in `tz`. */
export function periodAt(kind: PeriodKind, ms: number, tz: string): LocalPeriod {
  return periodOfDate(kind, localDate(ms, tz), tz);
}
