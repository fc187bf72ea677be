// Metrics for the month, forecasts and rolling windows (see src/reports/outlook.ts). Pure.
import type { BudgetStatus } from '../budget/status.js';
import type { Outlook } from '../reports/outlook.js';
import { WINDOW_SOURCE, type WindowFigure } from '../reports/windows.js';
import type { Metric, Sample } from './prom.js';

const STATUSES: readonly BudgetStatus[] = ['ok', 'warning', 'exceeded'];
const WINDOW_HELP = `(rolling window from the local ledger; see docs/reports.md)`;

export function buildOutlookMetrics(o: Outlook): Metric[] {
  const gauge = (name: string, help: string, samples: readonly Sample[]): Metric => ({
    name,
    help,
    type: 'gauge',
    samples,
  });
  const perWindow = (pick: (w: WindowFigure) => number | null): Sample[] =>
    o.windows.flatMap((w) => {
      const v = pick(w);
      return v === null
        ? []
        : [{ labels: { account: w.account, provider: w.provider, window: w.window, source: WINDOW_SOURCE }, value: v }];
    });
  // Burn is per account and provider; both windows carry the same one.
  const perPair = (pick: (w: WindowFigure) => number): Sample[] =>
    o.windows
      .filter((w) => w.window === '5h')
      .map((w) => ({ labels: { account: w.account, provider: w.provider, source: WINDOW_SOURCE }, value: pick(w) }));
  const f = o.forecast;
  const b = o.month.budget;
  const metrics: Metric[] = [
    gauge('openclaw_budget_monthly_cost_usd', "This local month's spend in USD, all gateways and models.", [
      { value: o.month.totalCostUsd },
    ]),
    ...(b
      ? [
          gauge('openclaw_budget_monthly_max_usd', 'The monthly budget in USD.', [{ value: b.budgetUsd }]),
          gauge(
            'openclaw_budget_monthly_exceeded',
            "1 while this month's spend is at or over the monthly budget, else 0.",
            [{ value: b.status === 'exceeded' ? 1 : 0 }],
          ),
          gauge(
            'openclaw_budget_monthly_status',
            'Monthly budget status: 1 for the current one of ok, warning, exceeded.',
            STATUSES.map((s) => ({ labels: { status: s }, value: b.status === s ? 1 : 0 })),
          ),
        ]
      : []),
    gauge(
      'openclaw_budget_forecast_cost_usd',
      'Projected spend at the end of the local day (last-hour burn) and month (last-7-days burn), in USD.',
      [
        { labels: { period: 'day' }, value: f.endOfDayUsd },
        { labels: { period: 'month' }, value: f.endOfMonthUsd },
      ],
    ),
    gauge(
      'openclaw_budget_burn_usd_per_hour',
      'Spend rate in USD per hour over the last hour (span=1h) and the last 7 days (span=7d), all accounts.',
      [
        { labels: { span: '1h' }, value: f.burnUsdPerHour1h },
        { labels: { span: '7d' }, value: f.burnUsdPerHour7d },
      ],
    ),
    gauge(
      'openclaw_budget_window_tokens',
      `Tokens (input+output+cache) in the window per account and provider ${WINDOW_HELP}.`,
      perWindow((w) => w.totalTokens),
    ),
    gauge(
      'openclaw_budget_window_cost_usd',
      `Spend in USD in the window per account and provider ${WINDOW_HELP}.`,
      perWindow((w) => w.costUsd),
    ),
    gauge(
      'openclaw_budget_window_calls',
      `Model calls in the window per account and provider ${WINDOW_HELP}.`,
      perWindow((w) => w.calls),
    ),
    gauge(
      'openclaw_budget_window_unpriced_calls',
      `Calls with no price in the window ${WINDOW_HELP}.`,
      perWindow((w) => w.unpricedCalls),
    ),
    gauge(
      'openclaw_budget_window_reset_timestamp_seconds',
      `Unix time the oldest call in the window ages out; absent for an empty window ${WINDOW_HELP}.`,
      perWindow((w) => (w.resetAt === null ? null : w.resetAt / 1000)),
    ),
    gauge(
      'openclaw_budget_window_burn_tokens_per_minute',
      'Tokens per minute over the last hour per account and provider (local ledger).',
      perPair((w) => w.burn.tokensPerMinute),
    ),
    gauge(
      'openclaw_budget_window_burn_usd_per_hour',
      'USD per hour over the last hour per account and provider (local ledger).',
      perPair((w) => w.burn.usdPerHour),
    ),
    gauge(
      'openclaw_budget_window_limit_tokens',
      `Configured token limit for the window ${WINDOW_HELP}.`,
      perWindow((w) => w.limit?.tokens ?? null),
    ),
    gauge(
      'openclaw_budget_window_limit_usd',
      `Configured USD limit for the window ${WINDOW_HELP}.`,
      perWindow((w) => w.limit?.usd ?? null),
    ),
    gauge(
      'openclaw_budget_window_seconds_to_limit',
      `Seconds until the window's limit is reached at the last hour's burn (0: reached; absent: no limit or no burn) ${WINDOW_HELP}.`,
      perWindow((w) => w.secondsToLimit),
    ),
    gauge(
      'openclaw_budget_window_safe',
      `1 when the window resets before its limit is reached at the current burn, else 0; absent without a limit ${WINDOW_HELP}.`,
      perWindow((w) => (w.safe === null ? null : w.safe ? 1 : 0)),
    ),
  ];
  return metrics;
}
