// Beyond today: the month against its budget, forecasts and rolling windows, from the check's facts.
import type { LocalPeriod } from '../budget/day.js';
import { evaluateBudget } from '../budget/period.js';
import type { Config } from '../config/schema.js';
import type { Facts } from '../reports/facts.js';
import type { Outlook } from '../reports/outlook.js';

export function outlookOf(
  facts: Facts,
  month: Pick<LocalPeriod, 'key'>,
  config: Pick<Config, 'maxMonthlyUsd' | 'warnAt'>,
): Outlook {
  const totalCostUsd = facts.monthTotalUsd;
  const budget =
    config.maxMonthlyUsd === undefined
      ? null
      : evaluateBudget({
          scope: 'all',
          period: 'month',
          periodKey: month.key,
          spendUsd: totalCostUsd,
          budgetUsd: config.maxMonthlyUsd,
          warnAt: config.warnAt,
        });
  return { month: { month: month.key, totalCostUsd, budget }, forecast: facts.forecast, windows: facts.windows };
}
