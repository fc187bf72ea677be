// What every `report` view needs: the zone, the date range, the pricing and the ledger's calls in range.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { addDays, dayStart, isCalendarDate, isoWeek, localDate, machineTimeZone, nextDate } from '../budget/day.js';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { Ledger } from '../ledger/ledger.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { PricingOptions } from '../pricing/cost.js';
import { loadPricingOptions } from '../pricing/load.js';
import { type AccountOf, accountResolver } from '../reports/accounts.js';
import type { Range } from '../reports/group.js';
import type { Env } from '../shared/env.js';
import { resolveStateDir } from './check.js';

export interface ReportRequest {
  config: Config;
  env: Env;
  nowMs: number;
  /** "YYYY-MM-DD", "YYYY-MM", "today" or "yesterday": local dates in the configured zone, inclusive. */
  since?: string;
  until?: string;
  /** `--last`: "7" or "7d" days, "4w" ISO weeks, "3m" calendar months, counting back from `until` (which it holds). */
  last?: string;
  /** Only these gateways' calls (all when absent). */
  gateways?: readonly string[];
  /** Hears of each ledger day file read (a progress line over long history). */
  onProgress?: Parameters<Ledger['between']>[2];
}

export interface ReportData {
  timezone: string;
  range: Range;
  /** The range's instants, [from, to). */
  from: number;
  to: number;
  records: LedgerRecord[];
  pricing: PricingOptions;
  accountOf: AccountOf;
  ledger: Ledger;
  gateways: readonly string[] | null;
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function parseDateArg(flag: string, raw: string, end: boolean, today: string): string {
  if (raw === 'today') return today;
  if (raw === 'yesterday') return addDays(today, -1);
  if (/^\d{4}-\d{2}$/.test(raw) && isCalendarDate(`${raw}-01`)) return end ? lastDayOfMonth(raw) : `${raw}-01`;
  if (isCalendarDate(raw)) return raw;
  throw new ConfigError(
    `--${flag}: expected a date YYYY-MM-DD, a month YYYY-MM, today or yesterday (in the configured timezone), got "${raw}"`,
  );
}

/** The first date of the last N days, ISO weeks or calendar months that end with (and include) `until`. */
export function lastSince(raw: string, until: string): string {
  const m = /^(\d+)([dwm]?)$/.exec(raw.trim().toLowerCase());
  const n = Number(m?.[1]);
  if (!m || !Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new ConfigError(
      `--last: expected a count of days (7 or 7d), ISO weeks (4w) or calendar months (3m), at least 1, got "${raw}"`,
    );
  }
  if (m[2] === 'w') return addDays(isoWeek(until).monday, -7 * (n - 1));
  if (m[2] === 'm') {
    const [y, mo] = until.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, mo - n, 1)).toISOString().slice(0, 10);
  }
  return addDays(until, -(n - 1));
}

/** Inclusive local dates; by default from the first of the current month to today. */
export function resolveRange(
  since: string | undefined,
  until: string | undefined,
  nowMs: number,
  tz: string,
  last?: string,
): Range {
  const today = localDate(nowMs, tz);
  if (last !== undefined && since !== undefined)
    throw new ConfigError('--last and --since both set the first day: give one of them');
  const end = until === undefined ? today : parseDateArg('until', until, true, today);
  const range = {
    since:
      last !== undefined
        ? lastSince(last, end)
        : since === undefined
          ? `${today.slice(0, 7)}-01`
          : parseDateArg('since', since, false, today),
    until: end,
  };
  if (range.since > range.until) throw new ConfigError(`--since ${range.since} is after --until ${range.until}`);
  return range;
}

export function reportTimezone(config: Config): string {
  return config.timezone ?? machineTimeZone();
}

export function ledgerOf(config: Config, env: Env): Ledger {
  return new Ledger(join(resolveStateDir(config, env), 'ledger'));
}

/**
 * The ledger of a state dir `check` has run in. Reading one that is not there would print zeros as if nothing was
 * spent: a mistyped --state-dir is refused instead, naming where the ledger was looked for.
 */
export async function existingLedger(config: Config, env: Env): Promise<Ledger> {
  const stateDir = resolveStateDir(config, env);
  const ledger = new Ledger(join(stateDir, 'ledger'));
  const isDir = (p: string) =>
    stat(p).then(
      (s) => s.isDirectory(),
      () => false,
    );
  if (!(await isDir(stateDir))) {
    throw new ConfigError(
      `state dir ${stateDir} does not exist: check --state-dir (or stateDir in the config; the system unit uses /var/lib/openclaw-budget)`,
    );
  }
  if (!(await isDir(ledger.dir))) {
    throw new ConfigError(
      `no ledger in ${stateDir}: is it the right --state-dir? (a state dir gets its ledger on the first \`openclaw-budget check\` or \`ledger import\`)`,
    );
  }
  return ledger;
}

/** Refuse gateway names that are neither configured nor in the ledger's range: a typo would print zeros. */
export function checkGatewayNames(
  wanted: readonly string[] | null,
  config: Config,
  records: readonly LedgerRecord[],
): void {
  if (!wanted) return;
  const known = new Set([...config.gateways.map((g) => g.name), ...records.map((r) => r.gateway)]);
  const unknown = wanted.filter((g) => !known.has(g));
  if (unknown.length === 0) return;
  const list = [...known].sort().join(', ') || '(none: the ledger has no calls in this range)';
  throw new ConfigError(
    `--gateway ${unknown.join(',')}: no such gateway in the config or in the ledger for this range; known gateways: ${list}`,
  );
}

/** Calls in [from, to) of the chosen gateways. */
export async function recordsBetween(
  ledger: Ledger,
  from: number,
  to: number,
  gateways: readonly string[] | null,
  onProgress?: Parameters<Ledger['between']>[2],
): Promise<LedgerRecord[]> {
  const records = await ledger.between(from, to, onProgress);
  return gateways ? records.filter((r) => gateways.includes(r.gateway)) : records;
}

export async function loadReport(req: ReportRequest): Promise<ReportData> {
  const timezone = reportTimezone(req.config);
  const range = resolveRange(req.since, req.until, req.nowMs, timezone, req.last);
  const from = dayStart(range.since, timezone);
  // --now means "as if the clock read this instant": the range ends there at the latest.
  const to = Math.max(from, Math.min(dayStart(nextDate(range.until), timezone), req.nowMs + 1));
  const ledger = await existingLedger(req.config, req.env);
  const gateways = req.gateways && req.gateways.length > 0 ? req.gateways : null;
  const all = await ledger.between(from, to, req.onProgress);
  checkGatewayNames(gateways, req.config, all);
  return {
    timezone,
    range,
    from,
    to,
    records: gateways ? all.filter((r) => gateways.includes(r.gateway)) : all,
    pricing: await loadPricingOptions(req.config.pricing, { stateDir: resolveStateDir(req.config, req.env) }),
    accountOf: accountResolver(req.config.gateways),
    ledger,
    gateways,
  };
}
