// Human tables for the `report` views.
import type { ChalkInstance } from 'chalk';
import type { UsageReport } from '../reports/report.js';
import type { SessionRow } from '../reports/sessions.js';
import type { UsageFigures } from '../reports/usage.js';
import { type WindowFigure, windowDefinition } from '../reports/windows.js';
import { compact, duration, localTime, tokenFormat, usd, wrap } from '../shared/format.js';
import { type Cell, type Column, renderTable } from './table.js';

export interface RenderOptions {
  width: number;
  chalk: ChalkInstance;
  /** pricing.subscriptionsAsFree: subscription calls count $0, so no figure is an API-equivalent estimate. */
  subscriptionsAsFree?: boolean;
}

const UNPRICED = '!';
const SUBSCRIPTION = '~';

/** A subscription's cost is an API-equivalent estimate, unless it was counted as $0 (pricing.subscriptionsAsFree). */
const apiEquivalent = (u: UsageFigures, o: RenderOptions) =>
  !u.unpriced && !o.subscriptionsAsFree && u.billing.includes('subscription') && u.costUsd > 0;

/** Cost with a mark: "!" some calls had no price (understated), "~" subscription, an API-equivalent estimate. */
function costCell(u: UsageFigures, o: RenderOptions): Cell {
  const mark = u.unpriced ? UNPRICED : apiEquivalent(u, o) ? SUBSCRIPTION : ' ';
  return { text: `${usd(u.costUsd)} ${mark}`, tone: u.unpriced ? 'red' : mark === SUBSCRIPTION ? 'cyan' : undefined };
}

function legend(rows: readonly UsageFigures[], o: RenderOptions): string {
  const notes: string[] = [];
  if (rows.some((r) => r.unpriced))
    notes.push(
      `${UNPRICED} some calls have no price and count as $0: the cost is understated (add them to a --pricing file)`,
    );
  if (rows.some((r) => apiEquivalent(r, o)))
    notes.push(`${SUBSCRIPTION} subscription provider: API-equivalent cost, not what you are billed`);
  return notes.map((n) => `${o.chalk.dim(wrap(n, o.width))}\n`).join('');
}

/** A line of prose under or over a table, wrapped to the width. */
const para = (text: string, o: RenderOptions, style: (s: string) => string = (s) => s) =>
  `${style(wrap(text, o.width))}\n`;

const KEY_HEADERS: Record<string, string> = {
  day: 'day',
  week: 'ISO week',
  month: 'month',
  provider: 'provider',
  model: 'model',
  agent: 'agent',
  session: 'session',
  gateway: 'gateway',
  account: 'account',
};

export function renderUsageReport(r: UsageReport, o: RenderOptions): string {
  const c = o.chalk;
  const keys = r.fields.filter((f) => f !== 'weekStart');
  const columns: Column[] = [
    ...keys.map(
      (k): Column => ({
        header: KEY_HEADERS[k] ?? k,
        priority: 100,
        minWidth: k === 'session' ? 8 : k === 'model' ? 12 : 6,
        cut: k === 'session' || k === 'model' ? 'middle' : 'end',
      }),
    ),
    { header: 'calls', align: 'right', priority: 80 },
    { header: 'tokens', align: 'right', priority: 70 },
    { header: 'input', align: 'right', priority: 40 },
    { header: 'output', align: 'right', priority: 50 },
    { header: 'cache read', align: 'right', priority: 30 },
    { header: 'cache write', align: 'right', priority: 20 },
    { header: 'cost', align: 'right', priority: 100 },
  ];
  const all = [...r.rows, r.totals];
  const fmt = (pick: (u: UsageFigures) => number) => {
    const f = tokenFormat(all.map(pick));
    return (u: UsageFigures) => f(pick(u));
  };
  const tokens = [
    fmt((u) => u.totalTokens),
    fmt((u) => u.inputTokens),
    fmt((u) => u.outputTokens),
    fmt((u) => u.cacheReadTokens),
    fmt((u) => u.cacheWriteTokens),
  ];
  const figures = (u: UsageFigures): Cell[] => [String(u.calls), ...tokens.map((f) => f(u)), costCell(u, o)];
  const rows = r.rows.map((row) => [
    ...keys.map((k): Cell => {
      if (k === 'week') return `${row.week} (from ${row.weekStart?.slice(5)})`;
      const v = row[k] ?? '';
      return row.calls === 0 ? { text: v, tone: 'dim' } : v;
    }),
    ...figures(row),
  ]);
  const total = [{ text: 'total', tone: 'bold' } as Cell, ...keys.slice(1).map(() => ''), ...figures(r.totals)];
  const scope = r.gateways ? `gateway ${r.gateways.join(', ')}` : 'all gateways';
  const head = para(
    `usage ${r.since} .. ${r.until} (${r.timezone}) by ${r.by.join(', ')} · ${scope} · local ledger, prices: ${r.pricingMode}`,
    o,
    c.bold,
  );
  const weeks = r.weekDefinition ? para(`weeks: ${r.weekDefinition}`, o, c.dim) : '';
  const empty = r.rows.length === 0 ? para('no calls in the ledger for this range', o, c.dim) : '';
  return head + weeks + renderTable({ columns, rows, total }, o.width, c) + empty + legend([...r.rows, r.totals], o);
}

export function renderWindows(
  windows: readonly WindowFigure[],
  now: number,
  timezone: string,
  o: RenderOptions,
): string {
  const c = o.chalk;
  const columns: Column[] = [
    { header: 'account', priority: 100, minWidth: 8 },
    { header: 'provider', priority: 100, minWidth: 8 },
    { header: 'window', priority: 100 },
    { header: 'calls', align: 'right', priority: 40 },
    { header: 'tokens', align: 'right', priority: 90 },
    { header: 'cost', align: 'right', priority: 100 },
    { header: 'resets', priority: 80 },
    { header: 'tok/min', align: 'right', priority: 50 },
    { header: '$/h', align: 'right', priority: 55 },
    { header: 'limit', align: 'right', priority: 60 },
    { header: 'to limit', align: 'right', priority: 75 },
    { header: 'safe', priority: 85 },
  ];
  const tokens = tokenFormat(windows.map((w) => w.totalTokens));
  const perMinute = tokenFormat(windows.map((w) => w.burn.tokensPerMinute));
  const rows = windows.map((w): Cell[] => [
    w.account,
    w.provider,
    w.window,
    String(w.calls),
    tokens(w.totalTokens),
    costCell(w, o),
    w.resetAt === null ? '-' : localTime(w.resetAt, timezone).slice(5),
    perMinute(w.burn.tokensPerMinute),
    usd(w.burn.usdPerHour),
    w.limit
      ? [w.limit.tokens === null ? '' : `${compact(w.limit.tokens)} tok`, w.limit.usd === null ? '' : usd(w.limit.usd)]
          .filter(Boolean)
          .join(' / ')
      : '-',
    w.secondsToLimit === null
      ? '-'
      : w.secondsToLimit === 0
        ? { text: 'reached', tone: 'red' }
        : duration(w.secondsToLimit),
    w.safe === null ? '-' : w.safe ? { text: 'yes', tone: 'green' } : { text: 'NO', tone: 'red' },
  ]);
  const head = para(`windows at ${localTime(now, timezone)} (${timezone}) · source: local-ledger`, o, c.bold);
  const empty = windows.length === 0 ? para('no calls in the last 7 days and no limits configured', o, c.dim) : '';
  const defs = para(`5h: ${windowDefinition('5h')}\n7d: the same over 7 d`, o, c.dim);
  return head + renderTable({ columns, rows }, o.width, c) + empty + legend(windows, o) + defs;
}

function modelMix(s: SessionRow): string {
  const top = s.models.slice(0, 3).map((m) => `${m.model} ${Math.round(m.share * 100)}%`);
  return s.models.length > 3 ? `${top.join(', ')}, +${s.models.length - 3}` : top.join(', ');
}

export function renderSessions(
  sessions: readonly SessionRow[],
  meta: { since: string; until: string; timezone: string },
  o: RenderOptions,
): string {
  const c = o.chalk;
  const columns: Column[] = [
    { header: 'session', priority: 100, minWidth: 8, cut: 'middle' },
    { header: 'label', priority: 70, minWidth: 10 },
    { header: 'agent', priority: 90, minWidth: 6 },
    { header: 'gateway', priority: 65, minWidth: 6 },
    { header: 'models', priority: 60, minWidth: 12 },
    { header: 'calls', align: 'right', priority: 80 },
    { header: 'cost', align: 'right', priority: 100 },
    { header: 'first call', priority: 62 },
    { header: 'last call', priority: 65 },
  ];
  // A label column of "-" only says that nothing is known (no local sessions.json): leave it out then.
  const labelled = sessions.some((s) => s.label !== null);
  if (!labelled) columns.splice(1, 1);
  const rows = sessions.map((s): Cell[] => [
    s.session,
    ...(labelled ? [s.label ?? ({ text: '-', tone: 'dim' } as Cell)] : []),
    s.agent,
    s.gateway,
    modelMix(s),
    String(s.calls),
    costCell(s, o),
    localTime(s.firstCall, meta.timezone),
    localTime(s.lastCall, meta.timezone),
  ]);
  const head = para(`top sessions ${meta.since} .. ${meta.until} (${meta.timezone}) · local ledger`, o, c.bold);
  const empty = sessions.length === 0 ? para('no calls in the ledger for this range', o, c.dim) : '';
  return head + renderTable({ columns, rows }, o.width, c) + empty + legend(sessions, o);
}
