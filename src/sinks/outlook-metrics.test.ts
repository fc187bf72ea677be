import { describe, expect, it } from 'vitest';
import { PRICING, rec } from '../../test/helpers/records.js';
import { accountResolver } from '../reports/accounts.js';
import { forecastSpend } from '../reports/forecast.js';
import { computeWindows } from '../reports/windows.js';
import { buildOutlookMetrics } from './outlook-metrics.js';
import { renderMetrics } from './prom.js';

const nowMs = Date.parse('2026-11-20T17:00:00Z');
const records = [rec('2026-11-20T16:30:00Z'), rec('2026-11-20T10:00:00Z', { provider: 'openai' })];
const windows = computeWindows(records, {
  nowMs,
  pricing: PRICING,
  accountOf: accountResolver([]),
  limits: [{ window: '5h', usd: 10 }],
});
const forecast = forecastSpend(records, { nowMs, timezone: 'UTC', pricing: PRICING });

describe('buildOutlookMetrics', () => {
  it('exports the month, its budget, forecasts and windows with HELP and TYPE', () => {
    const text = renderMetrics(
      buildOutlookMetrics({
        month: {
          month: '2026-11',
          totalCostUsd: 3,
          budget: {
            scope: 'all',
            period: 'month',
            periodKey: '2026-11',
            spendUsd: 3,
            budgetUsd: 2,
            warnAt: 0.8,
            status: 'exceeded',
          },
        },
        forecast,
        windows,
      }),
    );
    expect(text).toContain('openclaw_budget_monthly_cost_usd 3\n');
    expect(text).toContain('openclaw_budget_monthly_max_usd 2\n');
    expect(text).toContain('openclaw_budget_monthly_exceeded 1\n');
    expect(text).toContain('openclaw_budget_monthly_status{status="exceeded"} 1\n');
    expect(text).toContain(`openclaw_budget_forecast_cost_usd{period="day"} ${3 + 1 * 7}\n`);
    expect(text).toContain(
      'openclaw_budget_window_cost_usd{account="home",provider="anthropic",window="5h",source="local-ledger"} 1\n',
    );
    expect(text).toContain(
      'openclaw_budget_window_cost_usd{account="home",provider="openai",window="7d",source="local-ledger"} 2\n',
    );
    expect(text).toContain(
      `openclaw_budget_window_reset_timestamp_seconds{account="home",provider="anthropic",window="5h",source="local-ledger"} ${(Date.parse('2026-11-20T16:30:00Z') + 5 * 3_600_000) / 1000}\n`,
    );
    expect(text).toContain(
      'openclaw_budget_window_safe{account="home",provider="anthropic",window="5h",source="local-ledger"} 1\n',
    );
    // 7d has no limit: no verdict series for it.
    expect(text).not.toMatch(/openclaw_budget_window_safe\{[^}]*window="7d"/);
    for (const name of new Set([...text.matchAll(/^openclaw_\w+/gm)].map((m) => m[0]))) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} gauge`);
    }
  });

  it("without a monthly budget only the month's spend is exported", () => {
    const text = renderMetrics(
      buildOutlookMetrics({ month: { month: '2026-11', totalCostUsd: 3, budget: null }, forecast, windows: [] }),
    );
    expect(text).toContain('openclaw_budget_monthly_cost_usd 3\n');
    for (const gone of [
      'openclaw_budget_monthly_max_usd',
      'openclaw_budget_monthly_exceeded',
      'openclaw_budget_monthly_status',
    ])
      expect(text).not.toContain(gone);
  });
});
