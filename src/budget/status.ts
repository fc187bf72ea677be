import { z } from 'zod';

export const BudgetStatusSchema = z.enum(['ok', 'warning', 'exceeded']);
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

/** Exceeded once spend reaches the budget; warning from `warnAt` of it. */
export function budgetStatus(spendUsd: number, budgetUsd: number, warnAt: number): BudgetStatus {
  if (spendUsd >= budgetUsd) return 'exceeded';
  if (spendUsd >= budgetUsd * warnAt) return 'warning';
  return 'ok';
}
