// What every `report` view needs: the zone, the date range, the pricing and the ledger's calls in range.
import { join } from 'node:path';
import { dayStart, isCalendarDate, localDate, machineTimeZone, nextDate } from '../budget/day.js';
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
  /** "YYYY-MM-DD" or "YYYY-MM", local dates in the configured zone, inclusive. */
  since?: string;
  until?: string;
  /** Only these gateways' calls (all when absent). */
  gateways?: readonly string[];
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

function parseDateArg(flag: string, raw: string, end: boolean): string {
  if (/^\d{4}-\d{2}$/.test(raw) && isCalendarDate(`${raw}-01`)) return end ? lastDayOfMonth(raw) : `${raw}-01`;
  if (isCalendarDate(raw)) return raw;
  throw new ConfigError(`--${flag}: expected a date YYYY-MM-DD or a month YYYY-MM (in the configured timezone), got "${raw}"`);
}

/** Inclusive local dates; by default from the first of the current month to today. */
export function resolveRange(since: string | undefined, until: string | undefined, nowMs: number, tz: string): Range {
  const today = localDate(nowMs, tz);
  const range = {
    since: since === undefined ? `${today.slice(0, 7)}-01` : parseDateArg('since', since, false),
    until: until === undefined ? today : parseDateArg('until', until, true),
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
export async function recordsBetween(ledger: Ledger, from: number, to: number, gateways: readonly string[] | null): Promise<LedgerRecord[]> {
  const records = await ledger.between(from, to);
  return gateways ? records.filter((r) => gateways.includes(r.gateway)) : records;
}

export async function loadReport(req: ReportRequest): Promise<ReportData> {
  const timezone = reportTimezone(req.config);
  const range = resolveRange(req.since, req.until, req.nowMs, timezone);
  const from = dayStart(range.since, timezone);
  const to = dayStart(nextDate(range.until), timezone);
  const ledger = ledgerOf(req.config, req.env);
  const gateways = req.gateways && req.gateways.length > 0 ? req.gateways : null;
  return {
    timezone,
    range,
    from,
    to,
    records: await recordsBetween(ledger, from, to, gateways),
    pricing: await loadPricingOptions(req.config.pricing, { stateDir: resolveStateDir(req.config, req.env) }),
    accountOf: accountResolver(req.config.gateways),
    ledger,
    gateways,
  };
}
