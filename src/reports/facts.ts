// What a check knows about spend, in one pass over the ledger's tallies: today per gateway and model, the month,
// the forecast and the rolling windows. Each tally (a call, or a digest bucket of calls) is priced once. Pure.
import type { LocalPeriod } from '../budget/day.js';
import type { WindowLimit } from '../config/accounts.js';
import type { Tally } from '../ledger/day-digest.js';
import { ModelRows, type Totals } from '../ledger/totals.js';
import { type PricedCall, type PricingOptions, priceCall } from '../pricing/cost.js';
import type { AccountOf } from './accounts.js';
import { type Forecast, ForecastSums } from './forecast.js';
import { BURN_MS, WINDOW_MS, type WindowFigure, WindowSums } from './windows.js';

export interface FactsRequest {
  /** The local day and month evaluated, and the instant "now" (--now). */
  day: Pick<LocalPeriod, 'start' | 'end'>;
  month: Pick<LocalPeriod, 'start' | 'end'>;
  nowMs: number;
  pricing: PricingOptions;
  accountOf: AccountOf;
  limits: readonly WindowLimit[];
}

export interface Facts {
  /** Today, all gateways; a gateway's log-derived calls count only when it has no transcript calls today. */
  today: Totals;
  byGateway: Map<string, Totals>;
  monthTotalUsd: number;
  forecast: Forecast;
  windows: WindowFigure[];
}

/**
 * The span of ledger the facts read, and the instants around which tallies must be single calls: where the day
 * and month start and end (`at >= x`), and now and the windows' starts (`at <= now`, `at > now - w`).
 */
export function factsSpan(req: FactsRequest): { from: number; to: number; cuts: { from: number[]; after: number[] } } {
  const now = req.nowMs;
  return {
    from: Math.min(req.month.start, req.day.start, now - WINDOW_MS['7d']),
    // --now means "as if the clock read this instant": nothing after it is read.
    to: now + 1,
    cuts: {
      from: [req.day.start, req.day.end, req.month.start, req.month.end],
      after: [now, now - BURN_MS, now - WINDOW_MS['5h'], now - WINDOW_MS['7d']],
    },
  };
}

/** `tallies` must cover factsSpan(req), exact around its cuts (Ledger.tallies does both). */
export function computeFacts(tallies: readonly Tally[], req: FactsRequest): Facts {
  const { day, month, nowMs } = req;
  const forecast = new ForecastSums(nowMs, day, month);
  const windows = new WindowSums({ nowMs, accountOf: req.accountOf, limits: req.limits });
  const today: { t: Tally; priced: PricedCall }[] = [];
  const withTranscripts = new Set<string>();
  let monthTotalUsd = 0;
  let todayRawUsd = 0;
  for (const t of tallies) {
    if (t.at > nowMs) continue; // --now: later calls are not yet spent
    const priced = priceCall(t, req.pricing);
    if (t.at >= day.start && t.at < day.end) {
      today.push({ t, priced });
      todayRawUsd += priced.costUsd;
      if (!t.log) withTranscripts.add(t.gateway);
    }
    if (t.at >= month.start && t.at < month.end) monthTotalUsd += priced.costUsd;
    forecast.add(t.at, priced.costUsd);
    windows.add(t, priced);
  }
  const all = new ModelRows(req.pricing);
  const perGateway = new Map<string, ModelRows>();
  for (const { t, priced } of today) {
    // Logs and transcripts describe the same runs: a gateway's transcripts win (see preferTranscripts).
    if (t.log && withTranscripts.has(t.gateway)) continue;
    all.add(t, priced);
    let rows = perGateway.get(t.gateway);
    if (!rows) perGateway.set(t.gateway, (rows = new ModelRows(req.pricing)));
    rows.add(t, priced);
  }
  const todayTotals = all.totals();
  // One set of figures: the month holds today as check prints it (logs dropped where transcripts exist), and the
  // forecast starts from both.
  const monthToDateUsd = monthTotalUsd - todayRawUsd + todayTotals.totalCostUsd;
  return {
    today: todayTotals,
    byGateway: new Map([...perGateway].map(([g, rows]) => [g, rows.totals()])),
    monthTotalUsd: monthToDateUsd,
    forecast: forecast.forecast({ todayUsd: todayTotals.totalCostUsd, monthToDateUsd }),
    windows: windows.figures(),
  };
}
