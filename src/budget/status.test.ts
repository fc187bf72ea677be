import { describe, expect, it } from 'vitest';
import { budgetStatus } from './status.js';

describe('budgetStatus', () => {
  it.each([
    [0, 5, 0.8, 'ok'],
    [3.99, 5, 0.8, 'ok'],
    [4, 5, 0.8, 'warning'],
    [4.999, 5, 0.8, 'warning'],
    [5, 5, 0.8, 'exceeded'],
    [7, 5, 0.8, 'exceeded'],
    [0.5, 1, 0.5, 'warning'],
    [0.99, 1, 1, 'ok'],
  ] as const)('spend %d of %d (warn at %d) is %s', (spend, budget, warn, want) => {
    expect(budgetStatus(spend, budget, warn)).toBe(want);
  });
});
