// Projected end-of-day and end-of-month spend at the recent burn rate. Pure.
import { type LocalPeriod, periodAt } from '../budget/day.js';
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

/** Spend sums a forecast is made of, fed one priced call (or tally) at a time; calls after now are left out. */
export class ForecastSums {
  todayUsd = 0;
  monthToDateUsd = 0;
  lastHourUsd = 0;
  lastWeekUsd = 0;

  constructor(
    private readonly nowMs: number,
    private readonly day: Pick<LocalPeriod, 'start' | 'end'>,
    private readonly month: Pick<LocalPeriod, 'start' | 'end'>,
  ) {}

  add(at: number, costUsd: number): void {
    const now = this.nowMs;
    if (at > now) return;
    if (at >= this.day.start) this.todayUsd += costUsd;
    if (at >= this.month.start) this.monthToDateUsd += costUsd;
    if (at > now - HOUR) this.lastHourUsd += costUsd;
    if (at > now - WEEK) this.lastWeekUsd += costUsd;
  }

  /**
   * The forecast, from `spent` when given: the very figures the caller prints (so check and its alerts quote one
   * forecast). Coherent by construction: end of day >= today's spend, end of month >= month to date + the rest
   * of today's forecast.
   */
  forecast(spent?: { todayUsd: number; monthToDateUsd: number }): Forecast {
    const now = this.nowMs;
    const todayUsd = spent?.todayUsd ?? this.todayUsd;
    const monthToDateUsd = spent?.monthToDateUsd ?? this.monthToDateUsd;
    const burnUsdPerHour7d = this.lastWeekUsd / 168;
    const restOfDayUsd = (this.lastHourUsd * (this.day.end - now)) / HOUR;
    return {
      source: 'local-ledger',
      method: FORECAST_METHOD,
      todayUsd,
      monthToDateUsd,
      burnUsdPerHour1h: this.lastHourUsd,
      burnUsdPerHour7d,
      endOfDayUsd: todayUsd + restOfDayUsd,
      endOfMonthUsd: monthToDateUsd + restOfDayUsd + (burnUsdPerHour7d * (this.month.end - this.day.end)) / HOUR,
      dayEnd: this.day.end,
      monthEnd: this.month.end,
    };
  }
}

/** `records` must cover from the start of the local month (or 7 days back, if earlier) to now. */
export function forecastSpend(
  records: readonly LedgerRecord[],
  opts: { nowMs: number; timezone: string; pricing: PricingOptions },
): Forecast {
  const sums = new ForecastSums(
    opts.nowMs,
    periodAt('day', opts.nowMs, opts.timezone),
    periodAt('month', opts.nowMs, opts.timezone),
  );
  for (const r of records) if (r.at <= opts.nowMs) sums.add(r.at, priceCall(r, opts.pricing).costUsd);
  return sums.forecast();
}
