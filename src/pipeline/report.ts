// What every `report` view needs: the zone, the date range, the pricing and the ledger's calls in range.
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
  throw new ConfigError(`--${flag}: expected a date YYYY-MM-DD, a month YYYY-MM, today or yesterday (in the configured timezone), got "${raw}"`);
}

/** The first date of the last N days, ISO weeks or calendar months that end with (and include) `until`. */
export function lastSince(raw: string, until: string): string {
  const m = /^(\d+)([dwm]?)$/.exec(raw.trim().toLowerCase());
  const n = Number(m?.[1]);
  if (!m || !Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new ConfigError(`--last: expected a count of days (7 or 7d), ISO weeks (4w) or calendar months (3m), at least 1, got "${raw}"`);
  }
  if (m[2] === 'w') return addDays(isoWeek(until).monday, -7 * (n - 1));
  if (m[2] === 'm') {
    const [y, mo] = until.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, mo - n, 1)).toISOString().slice(0, 10);
  }
  return addDays(until, -(n - 1));
}

/** Inclusive local dates; by default from the first of the current month to today. */
export function resolveRange(since: string | undefined, until: string | undefined, nowMs: number, tz: string, last?: string): Range {
  const today = localDate(nowMs, tz);
  if (last !== undefined && since !== undefined) throw new ConfigError('--last and --since both set the first day: give one of them');
  const end = until === undefined ? today : parseDateArg('until', until, true, today);
  const range = {
    since: last !== undefined ? lastSince(last, end) : since === undefined ? `${today.slice(0, 7)}-01` : parseDateArg('since', since, false, today),
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
  const to = dayStart(nextDate(range.until), timezone);
  const ledger = ledgerOf(req.config, req.env);
  const gateways = req.gateways && req.gateways.length > 0 ? req.gateways : null;
  return {
    timezone,
    range,
    from,
    to,
    records: await recordsBetween(ledger, from, to, gateways, req.onProgress),
    pricing: await loadPricingOptions(req.config.pricing, { stateDir: resolveStateDir(req.config, req.env) }),
    accountOf: accountResolver(req.config.gateways),
    ledger,
    gateways,
  };
}
