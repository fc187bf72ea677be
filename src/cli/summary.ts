import { statusHeadline } from '../budget/completeness.js';
import { DRIFT_TOLERANCE, driftedModels } from '../ledger/totals.js';
import type { CheckSummary } from '../pipeline/check.js';
import { forecastJson, windowJson } from '../reports/json.js';
import { tokenFormat, usd } from '../shared/format.js';
import { alertLines } from './alert-lines.js';
import { chalkFor } from './log.js';

/** The contract's --json shape (plus a few extra fields). Numbers are never rounded. */
export function toJsonSummary(s: CheckSummary) {
  return {
    date: s.date,
    timezone: s.timezone,
    totalCostUsd: s.totalCostUsd,
    budgetUsd: s.budgetUsd,
    warnAt: s.warnAt,
    status: s.status,
    complete: s.complete,
    incomplete: s.incomplete,
    unpricedCalls: s.unpricedCalls,
    failedCalls: s.failedCalls,
    prices: s.prices,
    models: s.models.map((m) => ({
      provider: m.provider,
      model: m.model,
      calls: m.calls,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      cacheReadTokens: m.cacheReadTokens,
      cacheWriteTokens: m.cacheWriteTokens,
      costUsd: m.costUsd,
      unpriced: m.unpriced,
      unpricedCalls: m.unpricedCalls,
      failedCalls: m.failedCalls,
      billing: m.billing,
      priceKeys: m.priceKeys,
      priceSources: m.priceSources,
      ...(m.catalogDate ? { catalogDate: m.catalogDate } : {}),
      ...(m.drift !== undefined
        ? { openclawCostUsd: m.openclawCostUsd, listCostUsd: m.listCostUsd, drift: m.drift }
        : {}),
      rawModels: m.rawModels,
    })),
    sources: s.sources.map((r) => ({
      name: r.name,
      ok: r.ok,
      bytesRead: r.bytesRead,
      callsAdded: r.callsAdded,
      filesRead: r.filesRead,
      listingBytes: r.listingBytes,
      durationSeconds: r.durationSeconds,
      skippedLines: r.skippedLines,
      ...(r.sqliteEngine ? { sqliteEngine: r.sqliteEngine } : {}),
      ...(r.unreadable ? { unreadable: r.unreadable } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
    month: s.outlook.month.month,
    monthlyCostUsd: s.outlook.month.totalCostUsd,
    monthlyBudgetUsd: s.outlook.month.budget?.budgetUsd ?? null,
    monthlyStatus: s.outlook.month.budget?.status ?? null,
    budgets: s.budgets,
    forecast: forecastJson(s.outlook.forecast),
    windows: s.outlook.windows.map(windowJson),
    durationSeconds: s.durationSeconds,
    ...(s.alerts ? { alerts: s.alerts } : {}),
  };
}

function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

export function renderSummary(s: CheckSummary, color: boolean): string {
  const c = chalkFor(color);
  const statusColor = s.status === 'exceeded' ? c.red.bold : s.status === 'warning' ? c.yellow.bold : c.green;
  const pct = s.budgetUsd > 0 ? (s.totalCostUsd / s.budgetUsd) * 100 : 0;
  const bound = s.complete ? '' : 'at least ';
  const lines = [
    `${c.bold(s.date)} (${s.timezone})  ${bound}${c.bold(usd(s.totalCostUsd))} of ${usd(s.budgetUsd)} (${pct.toFixed(1)}%)  ${(s.complete ? statusColor : c.red.bold)(statusHeadline(s.status, s.complete))}`,
    ...s.incomplete.map((r) => c.red(`  incomplete: ${r}`)),
  ];
  // One format per token column (in, out, cache read, cache write), chosen by the column's largest count, aligned.
  const tokenColumns = (['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const).map((k) => {
    const f = tokenFormat(s.models.map((m) => m[k]));
    const width = Math.max(0, ...s.models.map((m) => f(m[k]).length));
    return (m: CheckSummary['models'][number]) => f(m[k]).padStart(width);
  });
  const [inF, outF, readF, writeF] = tokenColumns as [
    (typeof tokenColumns)[0],
    (typeof tokenColumns)[0],
    (typeof tokenColumns)[0],
    (typeof tokenColumns)[0],
  ];
  const costWidth = Math.max(0, ...s.models.map((m) => usd(m.costUsd).length));
  const rows = s.models.map((m) => {
    const subscription = m.costUsd > 0 ? ' subscription, API-equivalent' : ' subscription, counted as $0';
    const tag = m.unpriced
      ? c.red(` UNPRICED (${m.unpricedCalls} call${m.unpricedCalls === 1 ? '' : 's'} counted as $0)`)
      : m.billing === 'free'
        ? c.dim(' free')
        : m.billing === 'subscription'
          ? c.cyan(subscription)
          : '';
    return [
      `${m.provider}/${m.model}`,
      `${m.calls} call${m.calls === 1 ? '' : 's'}`,
      `in ${inF(m)} out ${outF(m)} cache ${readF(m)}r/${writeF(m)}w`,
      `${usd(m.costUsd).padStart(costWidth)}${tag}`,
    ];
  });
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) lines.push(`  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}`);
  if (rows.length === 0) lines.push(c.dim('  no model calls today'));
  const o = s.outlook;
  const mb = o.month.budget;
  const mStatus = mb
    ? ` of ${usd(mb.budgetUsd)} (${((o.month.totalCostUsd / mb.budgetUsd) * 100).toFixed(1)}%)  ${(mb.status === 'exceeded' ? c.red.bold : mb.status === 'warning' ? c.yellow.bold : c.green)(mb.status.toUpperCase())}`
    : '';
  lines.push(`month ${o.month.month}: ${usd(o.month.totalCostUsd)}${mStatus}`);
  lines.push(
    `forecast: ${usd(o.forecast.endOfDayUsd)} by end of day (last hour ${usd(o.forecast.burnUsdPerHour1h)}/h), ${usd(o.forecast.endOfMonthUsd)} by end of month (7-day average ${usd(o.forecast.burnUsdPerHour7d)}/h)`,
  );
  for (const src of s.sources) {
    const state = src.ok ? c.green('ok') : c.red('FAILED');
    const skipped = Object.values(src.skippedLines).reduce((a, b) => a + b, 0);
    lines.push(
      `source ${src.name}: ${state}, ${bytes(src.bytesRead)} read, ${src.callsAdded} new call${src.callsAdded === 1 ? '' : 's'}${skipped ? `, ${skipped} line(s) skipped` : ''} (${src.listingBytes ? `${bytes(src.listingBytes)} listing, ` : ''}${src.durationSeconds.toFixed(2)}s)`,
    );
  }
  lines.push(...alertLines(s.alerts));
  return `${lines.join('\n')}\n`;
}

function percent(s: CheckSummary): string {
  return s.budgetUsd > 0 ? `${((s.totalCostUsd / s.budgetUsd) * 100).toFixed(1)}%` : 'n/a';
}

/** The one line every run logs (journald, cron): spend, budget, status, calls added, bytes read, duration. */
export function runLogLine(s: CheckSummary, errors: number): string {
  const ok = s.sources.filter((r) => r.ok).length;
  const sum = (f: (r: CheckSummary['sources'][number]) => number) => s.sources.reduce((n, r) => n + f(r), 0);
  return [
    `${s.date} spend ${usd(s.totalCostUsd)} of ${usd(s.budgetUsd)} (${percent(s)})`,
    `status=${s.status}`,
    ...(s.complete ? [] : ['complete=0']),
    `calls_added=${sum((r) => r.callsAdded)}`,
    `bytes_read=${sum((r) => r.bytesRead)}`,
    `sources_ok=${ok}/${s.sources.length}`,
    ...(s.unpricedCalls > 0 ? [`unpriced_calls=${s.unpricedCalls}`] : []),
    ...(errors > 0 ? [`errors=${errors}`] : []),
    `duration=${s.durationSeconds.toFixed(3)}s`,
  ].join(' ');
}

/** --verbose: what each source and model contributed, one line each. */
export function verboseLines(s: CheckSummary): string[] {
  const lines = s.sources.map((r) => {
    const skips = Object.entries(r.skippedLines)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k}=${n}`);
    return `source ${r.name}: ${r.ok ? 'ok' : 'FAILED'} files_read=${r.filesRead} bytes_read=${r.bytesRead} (${bytes(r.bytesRead)}) calls_added=${r.callsAdded}${skips.length ? ` skipped ${skips.join(' ')}` : ''}${r.error ? ` error=${JSON.stringify(r.error)}` : ''}`;
  });
  for (const m of s.models) {
    lines.push(
      `model ${m.provider}/${m.model}: calls=${m.calls} input=${m.inputTokens} output=${m.outputTokens} cache_read=${m.cacheReadTokens} cache_write=${m.cacheWriteTokens} cost=${m.costUsd} billing=${m.billing} price=${m.priceSources.join(',') || 'none'}${m.priceKeys.length ? ` (${m.priceKeys.join(', ')})` : ''}${m.unpriced ? ` unpriced_calls=${m.unpricedCalls}` : ''}${m.failedCalls ? ` failed_calls=${m.failedCalls}` : ''}`,
    );
  }
  for (const m of driftedModels(s.models)) {
    const d = m.drift ?? 0;
    lines.push(
      `price drift ${m.provider}/${m.model}: OpenClaw's own cost is ${d > 0 ? '+' : ''}${(d * 100).toFixed(1)}% off the list price ($${m.openclawCostUsd.toFixed(4)} vs $${m.listCostUsd.toFixed(4)}, beyond ${DRIFT_TOLERANCE * 100}%): its model catalog is likely stale; pricing mode "calculate" uses the list price`,
    );
  }
  lines.push(
    `prices: ${s.prices.catalog === 'update' ? 'updated' : 'bundled'} catalog, data of ${s.prices.catalogDate}${s.prices.updateError ? `; last update failed: ${s.prices.updateError}` : ''}`,
  );
  return lines;
}
