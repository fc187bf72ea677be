// Beyond today: the month against its budget, forecasts and rolling windows, all from the ledger.
import { periodAt } from '../budget/day.js';
import { evaluateBudget } from '../budget/period.js';
import type { Config } from '../config/schema.js';
import type { Ledger } from '../ledger/ledger.js';
import { dayTotals } from '../ledger/totals.js';
import type { PricingOptions } from '../pricing/cost.js';
import { accountResolver } from '../reports/accounts.js';
import { forecastSpend } from '../reports/forecast.js';
import type { Outlook } from '../reports/outlook.js';
import { computeWindows, WINDOW_MS } from '../reports/windows.js';

export interface OutlookRequest {
  config: Pick<Config, 'maxMonthlyUsd' | 'warnAt' | 'gateways' | 'windows'>;
  nowMs: number;
  timezone: string;
  pricing: PricingOptions;
}

export async function computeOutlook(ledger: Ledger, req: OutlookRequest): Promise<Outlook> {
  const { nowMs, timezone, pricing, config } = req;
  const month = periodAt('month', nowMs, timezone);
  const from = Math.min(month.start, nowMs - WINDOW_MS['7d']);
  const to = Math.max(month.end, nowMs + 1);
  // Exact records only where a boundary cuts a day: the month's start, the 7-day window's start, the last hours.
  const records = await ledger.digestedBetween(from, to, [
    [month.start, month.start + 1],
    [nowMs - WINDOW_MS['7d'], nowMs - WINDOW_MS['7d'] + 1],
    [nowMs - WINDOW_MS['5h'], to],
  ]);
  const totalCostUsd = dayTotals(records.filter((r) => r.at >= month.start && r.at < month.end), pricing).totalCostUsd;
  const budget =
    config.maxMonthlyUsd === undefined
      ? null
      : evaluateBudget({ scope: 'all', period: 'month', periodKey: month.key, spendUsd: totalCostUsd, budgetUsd: config.maxMonthlyUsd, warnAt: config.warnAt });
  return {
    month: { month: month.key, totalCostUsd, budget },
    forecast: forecastSpend(records, { nowMs, timezone, pricing }),
    windows: computeWindows(records, { nowMs, pricing, accountOf: accountResolver(config.gateways), limits: config.windows.limits }),
  };
}
