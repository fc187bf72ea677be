// What a check knows about spend, in one pass over the ledger's tallies: today per gateway and model, the month,
// the forecast and the rolling windows. Each tally (a call, or a digest bucket of calls) is priced once. Pure.
import type { LocalPeriod } from '../budget/day.js';
import type { WindowLimit } from '../config/accounts.js';
import { cutSide, kindOf, type Tally } from '../ledger/day-digest.js';
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

const MINUTE = 60_000;

/**
 * The tallies summed wherever no figure can tell them apart: the same group (gateway, provider, model, raw model,
 * log), kind (OpenClaw's cost present or not, failed or billed, prompt band: kindOf), price epoch (no price change
 * between them, PriceResolver.priceEpoch), and side of every instant a figure compares with (cutSide of factsSpan's
 * cuts). A price that changes by the time of day folds only within a minute. Exact, because every figure is a sum
 * over tallies and prices are linear in tokens within a band; the earliest instant is kept (the windows' oldest
 * call). So the pass after it costs the same at 10,000 calls a day as at 100.
 */
export function foldTallies(tallies: readonly Tally[], req: FactsRequest): Tally[] {
  const { cuts } = factsSpan(req);
  const { resolver } = req.pricing;
  const folded = new Map<string, Tally>();
  for (const t of tallies) {
    const w = t.weight;
    // The kind of the tally's average call: a bucket prices like its calls at their average prompt.
    const avg = { input: t.input / w, output: t.output / w, cacheRead: t.cacheRead / w, cacheWrite: t.cacheWrite / w };
    const kind = kindOf(avg, t.transcriptCostUsd);
    const time = resolver.timeOfDay(t.provider, t.model, t.at)
      ? `m${Math.floor(t.at / MINUTE)}`
      : `e${resolver.priceEpoch(t.provider, t.model, t.at)}`;
    const key = `${t.gateway}\t${t.provider}\t${t.model}\t${t.rawModel}\t${t.log ? 1 : 0}\t${kind}\t${time}\t${cutSide(cuts, t.at)}`;
    const f = folded.get(key);
    if (!f) {
      folded.set(key, { ...t });
      continue;
    }
    f.weight += t.weight;
    f.input += t.input;
    f.output += t.output;
    f.cacheRead += t.cacheRead;
    f.cacheWrite += t.cacheWrite;
    if (f.transcriptCostUsd !== null && t.transcriptCostUsd !== null) f.transcriptCostUsd += t.transcriptCostUsd;
    if (t.at < f.at) f.at = t.at;
  }
  return [...folded.values()];
}

/** `tallies` must cover factsSpan(req), exact around its cuts (Ledger.tallies does both). */
export function computeFacts(tallies: readonly Tally[], req: FactsRequest): Facts {
  return factsOf(foldTallies(tallies, req), req);
}

/** computeFacts without the fold: each tally priced and counted as it is. */
export function factsOf(tallies: readonly Tally[], req: FactsRequest): Facts {
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
