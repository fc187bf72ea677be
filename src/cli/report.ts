import { Argument, type Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { type FlagValues, loadConfig } from '../config/load.js';
import { type ReportData, loadReport, recordsBetween } from '../pipeline/report.js';
import { parseDimensions } from '../reports/group.js';
import { windowJson } from '../reports/json.js';
import { buildUsageReport } from '../reports/report.js';
import { topSessions } from '../reports/sessions.js';
import { computeWindows, WINDOW_MS } from '../reports/windows.js';
import { LocalSource } from '../sources/local.js';
import { readSessionLabels } from '../sources/session-index.js';
import type { Config } from '../config/schema.js';
import type { CommandContext } from './context.js';
import { EXIT_OK } from './exit.js';
import type { Output } from './io.js';
import { chalkFor, useColor } from './log.js';
import { ledgerOptions, outputWidth, parseNow } from './options.js';
import { type RenderOptions, renderSessions, renderUsageReport, renderWindows } from './report-render.js';
import { stringOr } from '../shared/strings.js';

const VIEWS = ['usage', 'windows', 'sessions'] as const;
type View = (typeof VIEWS)[number];

const list = (v: unknown) =>
  stringOr(v)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`--${flag}: expected a whole number of at least 1, got "${raw}"`);
  return n;
}

/** Labels from each configured gateway's sessions.json (local gateways only: reports never use the network). */
async function labelsOf(config: Config): Promise<(gateway: string, agent: string, session: string) => string | undefined> {
  const byGateway = new Map<string, Map<string, string>>();
  for (const g of config.gateways) {
    if (g.ssh || g.path === undefined) continue;
    byGateway.set(g.name, await readSessionLabels(new LocalSource(g.name, [g.path])).catch(() => new Map<string, string>()));
  }
  return (gateway, agent, session) => byGateway.get(gateway)?.get(`${agent}\t${session}`);
}

async function show(view: View, opts: FlagValues, data: ReportData, config: Config, nowMs: number, render: RenderOptions, stdout: Output): Promise<void> {
  const print = (text: string) => stdout.write(text);
  const printJson = (value: unknown) => print(`${JSON.stringify(value)}\n`);
  if (view === 'usage') {
    const by = parseDimensions(stringOr(opts.by) ?? 'day');
    const report = buildUsageReport(data.records, by, data, data);
    if (opts.json) printJson(report);
    else print(renderUsageReport(report, render));
    return;
  }
  if (view === 'windows') {
    const records = await recordsBetween(data.ledger, nowMs - WINDOW_MS['7d'], nowMs + 1, data.gateways);
    const windows = computeWindows(records, { nowMs, pricing: data.pricing, accountOf: data.accountOf, limits: config.windows.limits });
    if (opts.json) printJson({ source: 'local-ledger', now: new Date(nowMs).toISOString(), timezone: data.timezone, windows: windows.map(windowJson) });
    else print(renderWindows(windows, nowMs, data.timezone, render));
    return;
  }
  const sessions = topSessions(data.records, { pricing: data.pricing, limit: positiveInt('limit', stringOr(opts.limit), 10), labelOf: await labelsOf(config) });
  const meta = { since: data.range.since, until: data.range.until, timezone: data.timezone };
  if (opts.json)
    printJson({
      source: 'local-ledger',
      ...meta,
      sessions: sessions.map((s) => ({ ...s, firstCall: new Date(s.firstCall).toISOString(), lastCall: new Date(s.lastCall).toISOString() })),
    });
  else print(renderSessions(sessions, meta, render));
}

export function registerReport(program: Command, ctx: CommandContext): void {
  ledgerOptions(
    program
      .command('report')
      .description('usage from the ledger (no network): totals by period, model, agent, ...; rolling windows; top sessions')
      .addArgument(new Argument('[view]', 'usage, windows or sessions').choices(VIEWS).default('usage'))
      .option('--by <groups>', 'usage: day, week (ISO), month, model, provider, agent, session, gateway, account; comma-separated (default day)')
      .option('--since <date>', 'first local date, YYYY-MM-DD or YYYY-MM (default: the first of this month)')
      .option('--until <date>', 'last local date, inclusive, YYYY-MM-DD or YYYY-MM (default: today)')
      .option('--gateway <names>', 'only these gateways (comma-separated)')
      .option('--limit <n>', 'sessions: how many (default 10)'),
  ).action(
    ctx.action(async (view: View, opts: FlagValues) => {
      const { env, stdout } = ctx.io;
      const nowMs = parseNow(stringOr(opts.now));
      const { config } = await loadConfig(opts, env);
      const data = await loadReport({ config, env, nowMs, since: stringOr(opts.since), until: stringOr(opts.until), gateways: list(opts.gateway) });
      await show(view, opts, data, config, nowMs, { width: outputWidth(ctx.io), chalk: chalkFor(useColor(stdout, env)) }, stdout);
      return EXIT_OK;
    }),
  );
}
