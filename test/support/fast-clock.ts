import type { Clock } from '../../src/sinks/delivery.js';

/** Real time, but sleeps are recorded and skipped: retry waits are checked without waiting. */
export function fastClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => Date.now(), sleep: async (ms) => void slept.push(ms) };
}
