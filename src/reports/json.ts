// JSON shapes shared by `check --json` and `report ... --json`: instants as ISO strings, numbers unrounded.
import type { Forecast } from './forecast.js';
import type { WindowFigure } from './windows.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function windowJson(w: WindowFigure) {
  return {
    source: w.source,
    definition: w.definition,
    account: w.account,
    provider: w.provider,
    window: w.window,
    start: iso(w.start),
    end: iso(w.end),
    calls: w.calls,
    tokens: w.totalTokens,
    inputTokens: w.inputTokens,
    outputTokens: w.outputTokens,
    cacheReadTokens: w.cacheReadTokens,
    cacheWriteTokens: w.cacheWriteTokens,
    costUsd: w.costUsd,
    unpriced: w.unpriced,
    unpricedCalls: w.unpricedCalls,
    billing: w.billing,
    resetAt: iso(w.resetAt),
    burn: { window: 'last 60 min', tokensPerMinute: w.burn.tokensPerMinute, usdPerHour: w.burn.usdPerHour },
    limit: w.limit,
    secondsToLimit: w.secondsToLimit,
    limitAt: iso(w.limitAt),
    safe: w.safe,
  };
}

export function forecastJson(f: Forecast) {
  return { ...f, dayEnd: iso(f.dayEnd), monthEnd: iso(f.monthEnd) };
}
