// The plausibility bound every reader applies to a call: the transcript and log parsers when a line is read, the
// ledger reader when a recorded line is read back. One rule in one place, so a line accepted once is never
// rejected later. Pure.

/** No real call reaches this many tokens of one kind (the largest context windows hold about 1e7). */
export const MAX_PLAUSIBLE_TOKENS = 1e10;
/** Nor does one call cost this much USD (OpenClaw's own `usage.cost.total`). */
export const MAX_PLAUSIBLE_COST_USD = 1e6;

export interface CallFigures {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  transcriptCostUsd: number | null;
}

/** A count is plausible when it is a finite number no larger than the bound (normalization already made it >= 0). */
export function plausibleTokens(n: number): boolean {
  return Number.isFinite(n) && n <= MAX_PLAUSIBLE_TOKENS;
}

/** False for a call whose figures no real call can have (say 1e308 tokens): it is skipped as `implausible`. */
export function plausibleCall(c: CallFigures): boolean {
  return (
    plausibleTokens(c.input) &&
    plausibleTokens(c.output) &&
    plausibleTokens(c.cacheRead) &&
    plausibleTokens(c.cacheWrite) &&
    (c.transcriptCostUsd === null ||
      (Number.isFinite(c.transcriptCostUsd) && Math.abs(c.transcriptCostUsd) <= MAX_PLAUSIBLE_COST_USD))
  );
}
