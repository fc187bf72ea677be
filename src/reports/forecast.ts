// Projected end-of-day and end-of-month spend at the recent burn rate. Pure.
import { periodAt } from '../budget/day.js';
import type { LedgerRecord } from '../ledger/record.js';
import { type PricingOptions, priceCall } from '../pricing/cost.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

export const FORECAST_METHOD =
  'end of day = spend so far today + (spend in the last 60 min, per hour) x hours left in the local day; ' +
  'end of month = spend so far this month + (spend in the last 7 days / 168, per hour) x hours left in the local month; ' +
  'spend = calls in the ledger priced with the current table and mode';

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

/** `records` must cover from the start of the local month (or 7 days back, if earlier) to now. */
export function forecastSpend(records: readonly LedgerRecord[], opts: { nowMs: number; timezone: string; pricing: PricingOptions }): Forecast {
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
  const burnUsdPerHour7d = lastWeek / 168;
  return {
    source: 'local-ledger',
    method: FORECAST_METHOD,
    todayUsd,
    monthToDateUsd,
    burnUsdPerHour1h: lastHour,
    burnUsdPerHour7d,
    endOfDayUsd: todayUsd + (lastHour * (day.end - now)) / HOUR,
    endOfMonthUsd: monthToDateUsd + (burnUsdPerHour7d * (month.end - now)) / HOUR,
    dayEnd: day.end,
    monthEnd: month.end,
  };
}
