// One `check`: sources -> ledger -> today's totals -> budget -> sinks.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type LocalDay, localDay, machineTimeZone } from '../budget/day.js';
import { type BudgetEvaluation, evaluateBudget } from '../budget/period.js';
import type { BudgetStatus } from '../budget/status.js';
import type { Config } from '../config/schema.js';
import { type CursorFile, CursorFileSchema, freshCursors } from '../ledger/cursors.js';
import { readJsonState, writeJsonState } from '../ledger/json-state.js';
import { Ledger } from '../ledger/ledger.js';
import { recordOf } from '../ledger/record.js';
import { freshRunState, type RunState, RunStateSchema } from '../ledger/run-state.js';
import { dayTotals, type ModelTotal, totalsByModel } from '../ledger/totals.js';
import type { PricingOptions } from '../pricing/cost.js';
import { loadPricingOptions } from '../pricing/load.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { acquireLock, LockBusyError, type LockOwner } from '../shared/lock.js';
import { syncFlagFile } from '../sinks/flag.js';
import { buildMetrics } from '../sinks/metrics.js';
import { buildOutlookMetrics } from '../sinks/outlook-metrics.js';
import { PROM_FILE, renderMetrics } from '../sinks/prom.js';
import { preferTranscripts } from '../transcripts/logs.js';
import { emptySkips, type SkipCounts } from '../transcripts/parse.js';
import { type AlertReport, runAlertStage } from './alerts.js';
import { ingest, type IngestOptions } from './ingest.js';
import { type GatewaySource, openSources } from './gateways.js';
import { computeOutlook, type Outlook } from './outlook.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type Log = (msg: string) => void;

export interface SourceReport {
  name: string;
  ok: boolean;
  bytesRead: number;
  callsAdded: number;
  filesRead: number;
  /** Bytes of remote listing output (SSH sources): what a tick with no new data costs. */
  listingBytes: number;
  durationSeconds: number;
  skippedLines: SkipCounts;
  /** How SQLite transcripts were read (`node` for node:sqlite, `sqlite3` for the CLI), when there were any. */
  sqliteEngine?: string;
  error?: string;
}

export interface CheckSummary {
  date: string;
  timezone: string;
  totalCostUsd: number;
  budgetUsd: number;
  warnAt: number;
  status: BudgetStatus;
  models: ModelTotal[];
  sources: SourceReport[];
  unpricedCalls: number;
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
}

export function resolveStateDir(config: Config, env: Env): string {
  if (config.stateDir) return config.stateDir;
  const systemd = env.STATE_DIRECTORY?.split(':')[0];
  return systemd || join(homedir(), '.local', 'state', 'openclaw-budget');
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

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
  onProgress?: IngestOptions['onProgress'],
): Promise<SourceReport> {
  const started = performance.now();
  const report: SourceReport = { name: source.name, ok: false, bytesRead: 0, callsAdded: 0, filesRead: 0, listingBytes: 0, durationSeconds: 0, skippedLines: emptySkips() };
  const path = cursorPath(stateDir, source.name);
  try {
    const prev: CursorFile = await readJsonState(path, CursorFileSchema, freshCursors, warn);
    const got = await ingest(source, prev, { dayStartMs: day.start, clockMs: Date.now(), format, ...(onProgress ? { onProgress } : {}) });
    Object.assign(report, { bytesRead: got.bytesRead, filesRead: got.filesRead, skippedLines: got.skips });
    if (got.sqliteEngine) report.sqliteEngine = got.sqliteEngine;
    for (const w of got.warnings) warn(`${source.name}: ${w}`);
    const records = got.calls.map(({ call, file }) => recordOf(call, file, source.name, pricing));
    // Ledger first, cursors second: a run killed in between re-reads those bytes, and dedupe drops the copies.
    await exclusive(async () => {
      report.callsAdded = (await ledger.add(records)).length;
      await writeJsonState(path, got.cursors);
    });
    report.ok = true;
  } catch (err) {
    report.error = `${source.name}: ${message(err)}`;
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
    throw new Error(`state dir ${stateDir}: ${message(err)}; check that it exists and is writable by this user`);
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
  const sources = openSources(config, req.source, env, req.container);
  const pricing = await loadPricingOptions(config.pricing);
  const ledger = new Ledger(join(stateDir, 'ledger'));
  const exclusive = serial();
  const reports = await Promise.all(sources.map((s) => readSource(s, ledger, stateDir, day, pricing, exclusive, warn, req.progress?.(s.source.name))));
  const errors = reports.flatMap((r) => (r.error ? [r.error] : []));

  const records = preferTranscripts(await ledger.between(day.start, day.end));
  if (ledger.corruptLines > 0) warn(`ledger: ${ledger.corruptLines} unreadable line(s) skipped in ${ledger.dir}`);
  const totals = dayTotals(records, pricing);
  const daily = evaluateBudget({ scope: 'all', period: 'day', periodKey: day.date, spendUsd: totals.totalCostUsd, budgetUsd: config.maxDailyUsd, warnAt: config.warnAt });
  const status = daily.status;
  const outlook = await computeOutlook(ledger, { config, nowMs: req.nowMs, timezone, pricing });
  const allRead = errors.length === 0;
  const clock = Date.now();

  const statePath = join(stateDir, 'state.json');
  const state: RunState = await readJsonState(statePath, RunStateSchema, freshRunState, warn);
  if (allRead) state.lastSuccessAt = clock;

  // With a source unread the spend can only be understated: it may still raise the flag, never lower it.
  if (flagFile && (allRead || status === 'exceeded')) {
    // "Since" is on the evaluated timeline (--now), like the day itself.
    if (status === 'exceeded') state.exceededSince ??= req.nowMs;
    else delete state.exceededSince;
    try {
      await syncFlagFile(flagFile, {
        exceeded: status === 'exceeded',
        line: `openclaw-budget: spend $${totals.totalCostUsd.toFixed(2)} >= budget $${config.maxDailyUsd.toFixed(2)} on ${day.date} (${timezone}), exceeded since ${new Date(state.exceededSince ?? req.nowMs).toISOString()}`,
      });
    } catch (err) {
      errors.push(`flag file ${flagFile}: ${message(err)}; check that its directory exists and is writable`);
    }
  }

  const unpricedCalls = totals.models.reduce((n, m) => n + m.unpricedCalls, 0);
  const budgets = outlook.month.budget ? [daily, outlook.month.budget] : [daily];
  let alerts: AlertReport | undefined;
  if (config.alerts.enabled) {
    const stage = await runAlertStage({
      config,
      configPath: req.configPath,
      env,
      warn,
      ...(req.info ? { info: req.info } : {}),
      stateDir,
      nowMs: req.nowMs,
      timezone,
      budgets,
      gateways: reports.map((r) => r.name),
      models: totals.models,
      unpricedCalls,
      complete: allRead,
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
    models: totals.models,
    sources: reports,
    unpricedCalls,
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
        byGateway: totalsByModel(records, pricing, (r) => r.gateway),
        sources: reports,
        success: errors.length === 0,
        lastSuccessSeconds: state.lastSuccessAt === undefined ? undefined : state.lastSuccessAt / 1000,
        runSeconds: clock / 1000,
        durationSeconds,
        alertsPending: alerts?.pending.length,
      }),
      ...buildOutlookMetrics(outlook),
    ]);
    try {
      await writeFileAtomic(join(config.textfileDir, PROM_FILE), text);
    } catch (err) {
      errors.push(`metrics file in ${config.textfileDir}: ${message(err)}; check that the directory exists and is writable`);
    }
  }
  try {
    await writeJsonState(statePath, state);
  } catch (err) {
    errors.push(`state dir ${stateDir}: ${message(err)}; check that it is writable`);
  }
  return { summary, errors, stateDir };
}
