// One `check`: sources -> ledger -> today's totals -> budget -> sinks.
import { join } from 'node:path';
import { type LocalDay, localDay, machineTimeZone, periodAt } from '../budget/day.js';
import type { BudgetEvaluation } from '../budget/period.js';
import { planCheck } from '../budget/plan.js';
import type { BudgetStatus } from '../budget/status.js';
import type { Config } from '../config/schema.js';
import { type CursorFile, CursorFileSchema, cursorsUnchanged, freshCursors } from '../ledger/cursors.js';
import { readJsonState, writeJsonState } from '../ledger/json-state.js';
import { Ledger } from '../ledger/ledger.js';
import { recordOf, utcDate } from '../ledger/record.js';
import { freshRunState, type RunState, RunStateSchema } from '../ledger/run-state.js';
import type { ModelTotal } from '../ledger/totals.js';
import type { PricingOptions } from '../pricing/cost.js';
import { loadPricingOptions } from '../pricing/load.js';
import { accountResolver } from '../reports/accounts.js';
import { computeFacts, factsSpan } from '../reports/facts.js';
import type { Outlook } from '../reports/outlook.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { type Env, homeOf } from '../shared/env.js';
import { errorMessage } from '../shared/errors.js';
import { acquireLock, LockBusyError, type LockOwner } from '../shared/lock.js';
import { syncFlagFile } from '../sinks/flag.js';
import { buildMetrics, type SourceMetrics } from '../sinks/metrics.js';
import { buildOutlookMetrics } from '../sinks/outlook-metrics.js';
import { PROM_FILE, renderMetrics } from '../sinks/prom.js';
import { emptySkips } from '../transcripts/parse.js';
import { type AlertReport, runAlertStage } from './alerts.js';
import { type GatewaySource, openSources } from './gateways.js';
import { type IngestOptions, ingest } from './ingest.js';
import type { FoundCall } from './ingest-result.js';
import { outlookOf } from './outlook.js';
import { adoptGatewayConfig, keepLookups, type PriceStatus, priceStatus } from './prices.js';
import { finishRecovery, lostBetween, planRecovery } from './recovery.js';
import { cleanInterruptedWrites } from './temps.js';

export type Log = (msg: string) => void;

/** One source's part of a run: what the metrics show (SourceMetrics), plus what the summary adds. */
export interface SourceReport extends SourceMetrics {
  filesRead: number;
  /** How SQLite transcripts were read (`node` for node:sqlite, `sqlite3` for the CLI), when there were any. */
  sqliteEngine?: string;
  /** Files that exist but could not be read (permissions): what was read is recorded, these are not. */
  unreadable?: string[];
  error?: string;
}

export interface CheckSummary {
  date: string;
  timezone: string;
  totalCostUsd: number;
  budgetUsd: number;
  warnAt: number;
  status: BudgetStatus;
  /** False when anything went unread (a source, a file, ledger lines, lost calls): the figures are lower bounds. */
  complete: boolean;
  /** Why not complete, one line each. */
  incomplete: string[];
  models: ModelTotal[];
  sources: SourceReport[];
  unpricedCalls: number;
  /** Requests that failed (no tokens, no cost): not in any model's `calls`. */
  failedCalls: number;
  /** The price data in use and the state of its updates. */
  prices: PriceStatus;
  /** The month and its budget, forecasts and rolling windows. */
  outlook: Outlook;
  /** Every budget evaluated in this run (the day's, and the month's when set): what alert transitions key on. */
  budgets: BudgetEvaluation[];
  durationSeconds: number;
  /** Absent when alerts are off (--no-alert, alerts.enabled false). */
  alerts?: AlertReport;
}

export interface CheckResult {
  summary: CheckSummary;
  /** Problems that make the exit status 1 (a source unread, an output unwritten). */
  errors: string[];
  stateDir: string;
  /** The dead run whose lock this run took over, if any. */
  tookOverLockFrom?: LockOwner;
}

/** Two runs never overlap on one state dir (ledger, cursors, alert state): see src/shared/lock.ts. */
export const LOCK_FILE = 'lock';

export interface CheckRequest {
  config: Config;
  /** `--source`, replacing the configured gateways. */
  source?: string;
  /** `--container`, with an ssh:// `--source`. */
  container?: string;
  /** The instant that defines "today" (`--now`). */
  nowMs: number;
  env: Env;
  warn: Log;
  /** What is neither a warning nor an error: hook output. */
  info?: Log;
  /** A progress callback per gateway (a live line on a terminal). */
  progress?: (gateway: string) => IngestOptions['onProgress'];
  /** The config file read, if any (a secret inline in it must not be world-readable). */
  configPath?: string;
  /** Aborted on SIGTERM: sources still reading are given up, and what is known is written (as a failed run). */
  signal?: AbortSignal;
}

export function resolveStateDir(config: Config, env: Env): string {
  if (config.stateDir) return config.stateDir;
  const systemd = env.STATE_DIRECTORY?.split(':')[0];
  return systemd || join(homeOf(env), '.local', 'state', 'openclaw-budget');
}

/** Under systemd the flag file defaults to the unit's RuntimeDirectory (/run/openclaw-budget), visible to all. */
export const RUNTIME_FLAG_NAME = 'budget-exceeded';

export function resolveFlagFile(config: Config, env: Env): string | undefined {
  if (config.flagFile) return config.flagFile;
  const runtime = env.RUNTIME_DIRECTORY?.split(':')[0];
  return runtime ? join(runtime, RUNTIME_FLAG_NAME) : undefined;
}

function cursorPath(stateDir: string, gateway: string): string {
  return join(stateDir, 'cursors', `${gateway}.json`);
}

function interrupted(signal: AbortSignal): Error {
  return new Error(
    `interrupted (${String(signal.reason ?? 'stopped')}) before this gateway was recorded; it is read again next run`,
  );
}

/** `work`, unless `signal` stops the run first (the work is then abandoned: its source is closed by the caller). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(interrupted(signal));
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(interrupted(signal));
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** A mutex for the ledger: sources are read in parallel, recorded one at a time. */
function serial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

async function readSource(
  { source, format }: GatewaySource,
  ledger: Ledger,
  stateDir: string,
  day: LocalDay,
  pricing: PricingOptions,
  exclusive: ReturnType<typeof serial>,
  warn: Log,
  signal: AbortSignal | undefined,
  onProgress?: IngestOptions['onProgress'],
  /** Ledger damage being recovered: start from fresh cursors and re-read everything since this instant. */
  recoverSinceMs?: number,
): Promise<SourceReport> {
  const started = performance.now();
  const report: SourceReport = {
    name: source.name,
    ok: false,
    bytesRead: 0,
    callsAdded: 0,
    filesRead: 0,
    listingBytes: 0,
    durationSeconds: 0,
    skippedLines: emptySkips(),
  };
  const path = cursorPath(stateDir, source.name);
  try {
    // Recovering lost ledger days: fresh cursors, and a listing that goes back to the first lost day. A source
    // not read now keeps that reset in its cursor file (below) and re-reads when it is reachable again.
    const prev: CursorFile =
      recoverSinceMs === undefined
        ? await readJsonState(path, CursorFileSchema, freshCursors, warn)
        : { ...freshCursors(), rereadFrom: recoverSinceMs };
    const dayStartMs = Math.min(day.start, prev.rereadFrom ?? day.start);
    // The gateway's own prices come with its listing: adopted before its first calls are priced.
    let adopted: Promise<void> | undefined;
    const adopt = () => (adopted ??= adoptGatewayConfig(pricing, stateDir, source, warn));
    // Ledger first, cursors second: calls are appended in batches as files are read, the cursors written after
    // the last; a run killed in between re-reads those bytes, and dedupe drops the copies.
    const onCalls = (calls: FoundCall[]) =>
      exclusive(async () => {
        await adopt();
        const records = calls.map(({ call, file }) => recordOf(call, file, source.name, pricing));
        report.callsAdded += (await ledger.add(records, { deferSync: true })).length;
      });
    const got = await untilAborted(
      ingest(source, prev, { dayStartMs, clockMs: Date.now(), format, onCalls, ...(onProgress ? { onProgress } : {}) }),
      signal,
    );
    await adopt();
    Object.assign(report, { bytesRead: got.bytesRead, filesRead: got.filesRead, skippedLines: got.skips });
    if (got.sqliteEngine) report.sqliteEngine = got.sqliteEngine;
    for (const w of got.warnings) warn(`${source.name}: ${w}`);
    if (got.unreadable.length > 0) report.unreadable = got.unreadable.map((u) => u.file);
    if (signal?.aborted) throw interrupted(signal);
    await exclusive(async () => {
      await ledger.sync(); // one fsync per day file for all batches, before the cursors that depend on them
      // A run that found nothing new leaves the file as it is (an fsync saved on most ticks).
      if (recoverSinceMs !== undefined || !cursorsUnchanged(prev, got.cursors)) await writeJsonState(path, got.cursors);
    });
    const [first, ...more] = got.unreadable;
    if (first) {
      report.error = `${source.name}: ${got.unreadable.length} file(s) could not be read, so its figure is a lower bound: ${first.reason}${more.length > 0 ? ` (also ${more.map((u) => u.file).join(', ')})` : ''}`;
    }
    report.ok = first === undefined;
  } catch (err) {
    report.error = `${source.name}: ${errorMessage(err)}`;
    if (recoverSinceMs !== undefined)
      await writeJsonState(path, { ...freshCursors(), rereadFrom: recoverSinceMs }).catch(() => undefined);
  } finally {
    await source.close().catch(() => undefined);
    report.listingBytes = source.listingBytes ?? 0;
    report.durationSeconds = (performance.now() - started) / 1000;
  }
  return report;
}

/** One check under the state dir's lock; throws LockBusyError when another run holds it. */
export async function runCheck(req: CheckRequest): Promise<CheckResult> {
  const stateDir = resolveStateDir(req.config, req.env);
  const lock = await acquireLock(join(stateDir, LOCK_FILE)).catch((err: unknown) => {
    if (err instanceof LockBusyError) throw err;
    throw new Error(`state dir ${stateDir}: ${errorMessage(err)}; check that it exists and is writable by this user`);
  });
  try {
    const result = await runLocked(req, stateDir);
    return lock.tookOverFrom ? { ...result, tookOverLockFrom: lock.tookOverFrom } : result;
  } finally {
    await lock.release();
  }
}

async function runLocked(req: CheckRequest, stateDir: string): Promise<CheckResult> {
  const started = performance.now();
  const { config, env, warn } = req;
  const timezone = config.timezone ?? machineTimeZone();
  const day = localDay(req.nowMs, timezone);
  const flagFile = resolveFlagFile(config, env);
  const cleaned = cleanInterruptedWrites(stateDir, config.textfileDir, flagFile);
  if (cleaned.length > 0)
    warn(`removed ${cleaned.length} temp file(s) left by an interrupted run: ${cleaned.join(', ')}`);
  const sources = openSources(config, req.source, env, req.container);
  const pricing = await loadPricingOptions(config.pricing, { stateDir });
  const ledger = new Ledger(join(stateDir, 'ledger'));
  const exclusive = serial();
  const recovery = await planRecovery(ledger, join(stateDir, 'cursors'), warn);
  const reports = await Promise.all(
    sources.map((s) =>
      readSource(
        s,
        ledger,
        stateDir,
        day,
        pricing,
        exclusive,
        warn,
        req.signal,
        req.progress?.(s.source.name),
        recovery?.sinceMs,
      ),
    ),
  );
  // Stopped (SIGTERM): what was recorded is written below, marked failed; alerts wait for a complete run.
  const stopped = req.signal?.aborted === true;
  if (recovery)
    await finishRecovery(
      ledger,
      recovery,
      reports.filter((r) => !r.ok).map((r) => r.name),
      warn,
    );

  // Facts: what the ledger now holds for today and the month (one pass over its tallies: today, the month,
  // forecasts, windows and metric rows), and what the previous run left.
  const month = periodAt('month', req.nowMs, timezone);
  const factsReq = {
    day,
    month,
    nowMs: req.nowMs,
    pricing,
    accountOf: accountResolver(config.gateways),
    limits: config.windows.limits,
  };
  const span = factsSpan(factsReq);
  const facts = computeFacts(
    await ledger.tallies(span.from, span.to, span.cuts, (p, m, d) => pricing.resolver.timeOfDay(p, m, d)),
    factsReq,
  );
  if (ledger.corruptLines > 0) warn(`ledger: ${ledger.corruptLines} unreadable line(s) skipped in ${ledger.dir}`);
  const totals = facts.today;
  const outlook = outlookOf(facts, month, config);
  const ledgerLost = lostBetween(ledger, utcDate(month.start), utcDate(req.nowMs));
  const statePath = join(stateDir, 'state.json');
  const previous: RunState = await readJsonState(statePath, RunStateSchema, freshRunState, warn);

  // The plan: every decision, from those facts alone.
  const plan = planCheck({
    nowMs: req.nowMs,
    clockMs: Date.now(),
    date: day.date,
    timezone,
    spendUsd: totals.totalCostUsd,
    budgetUsd: config.maxDailyUsd,
    warnAt: config.warnAt,
    month: outlook.month.budget,
    sources: reports,
    ledgerUnreadableLines: ledger.corruptLines,
    ledgerLost,
    figures: {
      "the month's spend": outlook.month.totalCostUsd,
      'the end-of-day forecast': outlook.forecast.endOfDayUsd,
      'the end-of-month forecast': outlook.forecast.endOfMonthUsd,
    },
    previous,
    flagFile: flagFile !== undefined,
    alertsEnabled: config.alerts.enabled,
    stopped,
  });
  const { daily, budgets, state } = plan;
  const status = daily.status;
  const errors = [...plan.errors];

  // Applying it: each step's failure is one more error, and the steps after it still run.
  if (flagFile && (plan.flag.kind === 'raise' || plan.flag.kind === 'lower')) {
    try {
      await syncFlagFile(
        flagFile,
        plan.flag.kind === 'raise' ? { exceeded: true, line: plan.flag.line } : { exceeded: false, line: '' },
      );
    } catch (err) {
      errors.push(`flag file ${flagFile}: ${errorMessage(err)}; check that its directory exists and is writable`);
    }
  }

  const unpricedCalls = totals.models.reduce((n, m) => n + m.unpricedCalls, 0);
  const failedCalls = totals.models.reduce((n, m) => n + m.failedCalls, 0);
  const prices = await priceStatus(pricing, stateDir, plan.metrics.runSeconds * 1000);
  let alerts: AlertReport | undefined;
  if (plan.alerts) {
    const stage = await runAlertStage({
      config,
      configPath: req.configPath,
      env,
      warn,
      ...(req.info ? { info: req.info } : {}),
      stateDir,
      nowMs: req.nowMs,
      timezone,
      budgets: plan.alerts.budgets,
      gateways: reports.map((r) => r.name),
      models: totals.models,
      unpricedCalls,
      projections: { day: outlook.forecast.endOfDayUsd, month: outlook.forecast.endOfMonthUsd },
      complete: plan.alerts.complete,
    });
    alerts = stage.report;
    errors.push(...stage.errors);
  }

  const durationSeconds = (performance.now() - started) / 1000;
  const summary: CheckSummary = {
    date: day.date,
    timezone,
    totalCostUsd: totals.totalCostUsd,
    budgetUsd: config.maxDailyUsd,
    warnAt: config.warnAt,
    status,
    complete: plan.figures.complete,
    incomplete: plan.figures.reasons,
    models: totals.models,
    sources: reports,
    unpricedCalls,
    failedCalls,
    prices,
    outlook,
    budgets,
    durationSeconds,
    ...(alerts ? { alerts } : {}),
  };

  if (config.textfileDir) {
    const text = renderMetrics([
      ...buildMetrics({
        totalCostUsd: totals.totalCostUsd,
        budgetUsd: config.maxDailyUsd,
        warnAt: config.warnAt,
        status,
        byGateway: facts.byGateway,
        sources: reports,
        success: plan.metrics.success && errors.length === 0,
        complete: plan.figures.complete,
        lastSuccessSeconds: plan.metrics.lastSuccessSeconds,
        runSeconds: plan.metrics.runSeconds,
        durationSeconds,
        alertsPending: alerts?.pending.length,
        prices,
      }),
      ...buildOutlookMetrics(outlook),
    ]);
    try {
      // Rewritten every run: no fsync (a power cut costs at most the metrics until the next run).
      await writeFileAtomic(join(config.textfileDir, PROM_FILE), text, 0o644, false, false);
    } catch (err) {
      errors.push(
        `metrics file in ${config.textfileDir}: ${errorMessage(err)}; check that the directory exists and is writable`,
      );
    }
  }
  try {
    await writeJsonState(statePath, state);
  } catch (err) {
    errors.push(`state dir ${stateDir}: ${errorMessage(err)}; check that it is writable`);
  }
  await keepLookups(pricing, stateDir, warn);
  return { summary, errors, stateDir };
}
