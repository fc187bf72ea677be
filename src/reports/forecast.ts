// Projected end-of-day and end-of-month spend at the recent burn rate. Pure.
import { periodAt } from '../budget/day.js';
import type { LedgerRecord } from '../ledger/record.js';
import { type PricingOptions, priceCall } from '../pricing/cost.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

export const FORECAST_METHOD =
  'end of day = spend so far today + (spend in the last 60 min, per hour) x hours left in the local day; ' +
  'end of month = spend so far this month + the rest of the end-of-day forecast + (spend in the last 7 days / 168, ' +
  'per hour) x hours from the end of the local day to the end of the local month; ' +
  'spend = calls in the ledger up to now priced with the current table and mode (the same figures `check` prints)';

export interface Forecast {
  source: 'local-ledger';
  method: string;
  todayUsd: number;
  monthToDateUsd: number;
  /** USD per hour over (now - 60 min, now] and over (now - 7 d, now]. */
  burnUsdPerHour1h: number;
  burnUsdPerHour7d: number;
  endOfDayUsd: number;
  endOfMonthUsd: number;
  /** Epoch ms of the local day's and month's ends. */
  dayEnd: number;
  monthEnd: number;
}

export interface ForecastOptions {
  nowMs: number;
  timezone: string;
  pricing: PricingOptions;
  /** Spend so far as the caller already computed and printed it: the forecast starts from these, never its own sums. */
  spent?: { todayUsd: number; monthToDateUsd: number };
}

/**
 * `records` must cover from the start of the local month (or 7 days back, if earlier) to now. Coherent by
 * construction: end of day >= today's spend, end of month >= month to date + the rest of today's forecast.
 */
export function forecastSpend(records: readonly LedgerRecord[], opts: ForecastOptions): Forecast {
  const now = opts.nowMs;
  const day = periodAt('day', now, opts.timezone);
  const month = periodAt('month', now, opts.timezone);
  let todayUsd = 0;
  let monthToDateUsd = 0;
  let lastHour = 0;
  let lastWeek = 0;
  for (const r of records) {
    if (r.at > now) continue;
    const cost = priceCall(r, opts.pricing).costUsd;
    if (r.at >= day.start) todayUsd += cost;
    if (r.at >= month.start) monthToDateUsd += cost;
    if (r.at > now - HOUR) lastHour += cost;
    if (r.at > now - WEEK) lastWeek += cost;
  }
  if (opts.spent) ({ todayUsd, monthToDateUsd } = opts.spent);
  const burnUsdPerHour7d = lastWeek / 168;
  const restOfDayUsd = (lastHour * (day.end - now)) / HOUR;
  return {
    source: 'local-ledger',
    method: FORECAST_METHOD,
    todayUsd,
    monthToDateUsd,
    burnUsdPerHour1h: lastHour,
    burnUsdPerHour7d,
    endOfDayUsd: todayUsd + restOfDayUsd,
    endOfMonthUsd: monthToDateUsd + restOfDayUsd + (burnUsdPerHour7d * (month.end - day.end)) / HOUR,
    dayEnd: day.end,
    monthEnd: month.end,
  };
}
