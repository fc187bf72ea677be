// What one check does with what it found: a pure plan from plain facts, applied by pipeline/check.ts runLocked.
// Every rule about the flag, the run state, success and the alerts' inputs lives here, tested with plain values.
import { type Completeness, judgeCompleteness } from './completeness.js';
import { type BudgetEvaluation, evaluateBudget } from './period.js';

/** How one source's read went: only whether it was read, and why not. */
export interface SourceOutcome {
  name: string;
  ok: boolean;
  /** Why it was not read, already prefixed with the source's name. */
  error?: string;
  /** Files it listed but could not read. */
  unreadable?: readonly string[];
}

/** What a run remembers for the next (the part of the run state the plan decides; extra fields pass through). */
export interface RunMemory {
  /** Wall-clock ms of the last run that read every source. */
  lastSuccessAt?: number;
  /** The evaluated instant (--now) at which the flag was raised, while it is up. */
  exceededSince?: number;
}

export interface CheckFacts<S extends RunMemory = RunMemory> {
  /** The evaluated instant (--now): "today" and "since" live on this timeline. */
  nowMs: number;
  /** The wall clock of this run (last success is about real time). */
  clockMs: number;
  /** The local day and zone being evaluated. */
  date: string;
  timezone: string;
  /** Today's spend, all gateways and models, as read. */
  spendUsd: number;
  budgetUsd: number;
  warnAt: number;
  /** The month against its budget, when a monthly budget is set. */
  month: BudgetEvaluation | null;
  sources: readonly SourceOutcome[];
  /** Ledger lines that could not be read back in this run. */
  ledgerUnreadableLines?: number;
  /** Calls lost for good (a deleted or truncated day file) on the days this run's figures cover, by UTC day. */
  ledgerLost?: Readonly<Record<string, number>>;
  /** The other figures the run prints (month, forecasts), checked to be finite like the day's spend. */
  figures?: Readonly<Record<string, number>>;
  previous: S;
  /** Whether a flag file is configured at all. */
  flagFile: boolean;
  alertsEnabled: boolean;
  /** The run was asked to stop (SIGTERM) before it finished: what it knows is written, as an incomplete run. */
  stopped?: boolean;
}

/**
 * `raise`: the flag file must exist with `line`; `lower`: it must not exist; `keep`: leave it as it is (a run with a
 * source unread cannot tell that spend is under the budget); `none`: no flag file is configured.
 */
export type FlagAction = { kind: 'raise'; line: string } | { kind: 'lower' } | { kind: 'keep' } | { kind: 'none' };

export interface CheckPlan<S extends RunMemory = RunMemory> {
  /** Every source was read: the spend is the whole day's. False means it can only be understated. */
  complete: boolean;
  /**
   * Whether the printed figures are the whole spend or a lower bound (sources, unreadable files, ledger lines,
   * lost calls), and why: what the headline, the JSON and `openclaw_budget_complete` say.
   */
  figures: Completeness;
  daily: BudgetEvaluation;
  /** Every budget evaluated (the day's, and the month's when set): what the alerts and the summary show. */
  budgets: BudgetEvaluation[];
  flag: FlagAction;
  /** The run state to save. */
  state: S;
  /** What the run has failed at so far (sources unread); applying the plan may add more. */
  errors: string[];
  /** The alert stage's inputs, or null when alerts are off. */
  alerts: { budgets: BudgetEvaluation[]; complete: boolean } | null;
  /** What the metrics say about the run itself (success is this and no error while applying). */
  metrics: { success: boolean; lastSuccessSeconds: number | undefined; runSeconds: number };
}

export function planCheck<S extends RunMemory>(f: CheckFacts<S>): CheckPlan<S> {
  const errors = f.sources.flatMap((s) => (s.ok ? [] : [s.error ?? `${s.name}: not read`]));
  // Stopped after every source was read, the figures are whole but the run is not: it still counts as failed.
  if (f.stopped && errors.length === 0)
    errors.push('stopped before the run finished: the figures as they stand are written; the next run completes them');
  const complete = errors.length === 0;
  const daily = evaluateBudget({
    scope: 'all',
    period: 'day',
    periodKey: f.date,
    spendUsd: f.spendUsd,
    budgetUsd: f.budgetUsd,
    warnAt: f.warnAt,
  });
  const budgets = f.month ? [daily, f.month] : [daily];
  const exceeded = daily.status === 'exceeded';

  const state: S = { ...f.previous };
  if (complete) state.lastSuccessAt = f.clockMs;

  let flag: FlagAction = { kind: 'none' };
  if (f.flagFile) {
    // With a source unread the spend can only be understated: it may raise the flag, never lower it.
    if (exceeded) {
      // "Since" is on the evaluated timeline (--now), like the day itself.
      state.exceededSince ??= f.nowMs;
      flag = { kind: 'raise', line: flagLine(f, state.exceededSince) };
    } else if (complete) {
      delete state.exceededSince;
      flag = { kind: 'lower' };
    } else {
      flag = { kind: 'keep' };
    }
  }

  return {
    complete,
    figures: judgeCompleteness({
      sources: f.sources,
      ledgerUnreadableLines: f.ledgerUnreadableLines ?? 0,
      ledgerLost: f.ledgerLost,
      figures: { "today's spend": f.spendUsd, ...f.figures },
    }),
    daily,
    budgets,
    flag,
    state,
    errors,
    // A stopped run sends nothing: its alerts wait for a run that ends normally.
    alerts: f.alertsEnabled && !f.stopped ? { budgets, complete } : null,
    metrics: {
      success: complete,
      lastSuccessSeconds: state.lastSuccessAt === undefined ? undefined : state.lastSuccessAt / 1000,
      runSeconds: f.clockMs / 1000,
    },
  };
}

/** The flag file's one line (contract: scripts may show it). */
function flagLine(f: CheckFacts<RunMemory>, since: number): string {
  return `openclaw-budget: spend $${f.spendUsd.toFixed(2)} >= budget $${f.budgetUsd.toFixed(2)} on ${f.date} (${f.timezone}), exceeded since ${new Date(since).toISOString()}`;
}
