// Beyond today: the month against its budget, forecasts and rolling windows (computed in src/pipeline/outlook.ts).
import type { BudgetEvaluation } from '../budget/period.js';
import type { Forecast } from './forecast.js';
import type { WindowFigure } from './windows.js';

export interface MonthFigures {
  /** "2026-11" in the configured zone. */
  month: string;
  totalCostUsd: number;
  /** Null without a monthly budget (`maxMonthlyUsd`). */
  budget: BudgetEvaluation | null;
}

export interface Outlook {
  month: MonthFigures;
  forecast: Forecast;
  windows: WindowFigure[];
}
