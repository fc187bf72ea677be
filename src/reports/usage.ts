// Usage figures summed over any set of calls, from the per-model totals the day view already computes.

import type { ModelTotal } from '../ledger/totals.js';
import type { Billing } from '../pricing/cost.js';

export interface UsageFigures {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** input + output + cache read + cache write. */
  totalTokens: number;
  costUsd: number;
  /** True when any call got no price (counted as $0): the cost is understated. */
  unpriced: boolean;
  unpricedCalls: number;
  /** How the calls are billed; "subscription" means the cost is an API-equivalent estimate. */
  billing: Billing[];
}

export const emptyUsage = (): UsageFigures => ({
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  totalTokens: 0,
  costUsd: 0,
  unpriced: false,
  unpricedCalls: 0,
  billing: [],
});

type Summable = Pick<
  ModelTotal,
  'calls' | 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'costUsd' | 'unpricedCalls'
> & {
  billing: Billing | readonly Billing[];
};

const BILLING_ORDER: readonly Billing[] = ['api', 'subscription', 'free'];

/** Add `row` into `into` (mutating it) and return it. */
export function addUsage(into: UsageFigures, row: Summable): UsageFigures {
  into.calls += row.calls;
  into.inputTokens += row.inputTokens;
  into.outputTokens += row.outputTokens;
  into.cacheReadTokens += row.cacheReadTokens;
  into.cacheWriteTokens += row.cacheWriteTokens;
  into.totalTokens += row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens;
  into.costUsd += row.costUsd;
  into.unpricedCalls += row.unpricedCalls;
  into.unpriced = into.unpricedCalls > 0;
  const more =
    typeof row.billing === 'string' ? (into.billing.includes(row.billing) ? undefined : [row.billing]) : row.billing;
  if (more?.some((b) => !into.billing.includes(b))) {
    const billing = new Set([...into.billing, ...more]);
    into.billing = BILLING_ORDER.filter((b) => billing.has(b));
  }
  return into;
}

export function sumUsage(rows: readonly Summable[]): UsageFigures {
  return rows.reduce(addUsage, emptyUsage());
}
