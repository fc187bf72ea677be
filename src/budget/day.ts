// Local calendar days in an IANA zone, DST-correct, with nothing but Intl.

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
