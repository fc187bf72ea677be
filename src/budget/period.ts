// A budget evaluated over one period (the day, the month), in the shape alert transitions are keyed by.
import { type BudgetStatus, budgetStatus } from './status.js';

export type BudgetPeriod = 'day' | 'month';

export interface BudgetEvaluation {
  /** Whose spend: "all" gateways together. */
  scope: string;
  period: BudgetPeriod;
  /** The period's local label: "2026-11-20" or "2026-11". */
  periodKey: string;
  spendUsd: number;
  budgetUsd: number;
  warnAt: number;
  status: BudgetStatus;
}

export function evaluateBudget(e: Omit<BudgetEvaluation, 'status'>): BudgetEvaluation {
  return { ...e, status: budgetStatus(e.spendUsd, e.budgetUsd, e.warnAt) };
}
