// `report --by ...`: ledger records grouped by any mix of period, model, provider, agent, session, gateway and
// account, priced with the current table. Pure.
import { isoWeek, localDate, periodOfDate } from '../budget/day.js';
import { ConfigError } from '../config/errors.js';
import type { LedgerRecord } from '../ledger/record.js';
import { totalsByModel } from '../ledger/totals.js';
import type { PricingOptions } from '../pricing/cost.js';
import type { AccountOf } from './accounts.js';
import { addUsage, emptyUsage, type UsageFigures } from './usage.js';

export const DIMENSIONS = [
  'day',
  'week',
  'month',
  'model',
  'provider',
  'agent',
  'session',
  'gateway',
  'account',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const TIME_DIMENSIONS: readonly Dimension[] = ['day', 'week', 'month'];

/** The fields each dimension puts in a row, in display order. */
const FIELDS = {
  day: ['day'],
  week: ['week', 'weekStart'],
  month: ['month'],
  model: ['provider', 'model'],
  provider: ['provider'],
  agent: ['agent'],
  // A session id is unique only within its gateway and agent.
  session: ['gateway', 'agent', 'session'],
  gateway: ['gateway'],
  account: ['account'],
} as const satisfies Record<Dimension, readonly string[]>;
export type Field = (typeof FIELDS)[Dimension][number];

export type GroupKeys = Partial<Record<Field, string>>;
export type ReportRow = GroupKeys & UsageFigures;

export interface GroupContext {
  timezone: string;
  pricing: PricingOptions;
  accountOf: AccountOf;
}

export interface Range {
  /** First and last local dates, inclusive. */
  since: string;
  until: string;
}

export function fieldsOf(dims: readonly Dimension[]): Field[] {
  return [...new Set(dims.flatMap((d): readonly Field[] => FIELDS[d]))];
}

/** Local date of an instant, memoized per 15 minutes: every zone's offset is a multiple of 15 minutes. */
function dateCache(tz: string): (ms: number) => string {
  const memo = new Map<number, string>();
  return (ms) => {
    const q = Math.floor(ms / 900_000);
    let d = memo.get(q);
    if (d === undefined) memo.set(q, (d = localDate(ms, tz)));
    return d;
  };
}

function periodKeys(date: string): Pick<GroupKeys, 'day' | 'week' | 'weekStart' | 'month'> {
  const w = isoWeek(date);
  return { day: date, week: w.key, weekStart: w.monday, month: date.slice(0, 7) };
}

/** Rows of `records` grouped by `dims`; with a range and only period dimensions, empty periods get zero rows. */
export function groupRecords(
  records: readonly LedgerRecord[],
  dims: readonly Dimension[],
  ctx: GroupContext,
  range?: Range,
): ReportRow[] {
  const fields = fieldsOf(dims);
  const outer = fields.filter((f) => f !== 'provider' && f !== 'model');
  const dateOf = dateCache(ctx.timezone);
  const keysOf = (r: LedgerRecord): GroupKeys => {
    const all: GroupKeys = {
      ...(outer.some((f) => f === 'day' || f === 'week' || f === 'weekStart' || f === 'month')
        ? periodKeys(dateOf(r.at))
        : {}),
      agent: r.agent,
      session: r.session,
      gateway: r.gateway,
      account: ctx.accountOf(r.gateway, r.provider),
    };
    return Object.fromEntries(outer.map((f) => [f, all[f]]));
  };
  // Provider and model come from the per-model totals; every other field keys the outer grouping.
  const outerKeys = new Map<string, GroupKeys>();
  const groups = totalsByModel(records, ctx.pricing, (r) => {
    const k = keysOf(r);
    const id = JSON.stringify(outer.map((f) => k[f]));
    if (!outerKeys.has(id)) outerKeys.set(id, k);
    return id;
  });
  const rows = new Map<string, ReportRow>();
  for (const [id, totals] of groups) {
    for (const m of totals.models) {
      const inner: GroupKeys = {};
      if (fields.includes('provider')) inner.provider = m.provider;
      if (fields.includes('model')) inner.model = m.model;
      const rowId = `${id}\t${inner.provider ?? ''}\t${inner.model ?? ''}`;
      let row = rows.get(rowId);
      if (!row) rows.set(rowId, (row = { ...outerKeys.get(id), ...inner, ...emptyUsage() }));
      addUsage(row, m);
    }
  }
  const out = [...rows.values()];
  if (range && dims.length > 0 && dims.every((d) => TIME_DIMENSIONS.includes(d)))
    out.push(...emptyPeriods(out, dims, range, ctx.timezone));
  return sortRows(out, fields);
}

/** Zero rows for the periods in the range that had no calls. */
function emptyPeriods(rows: readonly ReportRow[], dims: readonly Dimension[], range: Range, tz: string): ReportRow[] {
  const fields = fieldsOf(dims);
  const seen = new Set(rows.map((r) => fields.map((f) => r[f]).join('\t')));
  const out: ReportRow[] = [];
  for (let date = range.since; date <= range.until; date = periodOfDate('day', date, tz).next) {
    const all = periodKeys(date);
    const keys: GroupKeys = Object.fromEntries(fields.map((f) => [f, all[f as keyof typeof all]]));
    const id = fields.map((f) => keys[f]).join('\t');
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ ...keys, ...emptyUsage() });
  }
  return out;
}

const TIME_FIELDS: readonly Field[] = ['day', 'week', 'month'];

/** Periods in time order; within a period, the biggest cost first. */
function sortRows(rows: ReportRow[], fields: readonly Field[]): ReportRow[] {
  const time = fields.filter((f) => TIME_FIELDS.includes(f));
  const rest = fields.filter((f) => !TIME_FIELDS.includes(f));
  return rows.sort((a, b) => {
    for (const f of time) {
      const c = (a[f] ?? '').localeCompare(b[f] ?? '');
      if (c !== 0) return c;
    }
    if (b.costUsd !== a.costUsd) return b.costUsd - a.costUsd;
    for (const f of rest) {
      const c = (a[f] ?? '').localeCompare(b[f] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
}

export function totalOf(rows: readonly UsageFigures[]): UsageFigures {
  return rows.reduce(addUsage, emptyUsage());
}

/** Parse `--by`, given once or more (merged in order): comma-separated dimensions, each at most once. */
export function parseDimensions(raw: string | readonly string[]): Dimension[] {
  const dims = (typeof raw === 'string' ? [raw] : raw)
    .flatMap((r) => r.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  for (const d of dims) {
    if (!(DIMENSIONS as readonly string[]).includes(d))
      throw new ConfigError(
        `--by: unknown grouping "${d}"; use one or more of ${DIMENSIONS.join(', ')}, comma-separated`,
      );
  }
  if (new Set(dims).size !== dims.length)
    throw new ConfigError(`--by: each grouping may appear once, got ${dims.join(',')}`);
  if (dims.length === 0) throw new ConfigError(`--by: give at least one of ${DIMENSIONS.join(', ')}`);
  return dims as Dimension[];
}
