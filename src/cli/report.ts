import { Argument, type Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { type FlagValues, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { defaultStateDirs } from '../pipeline/gateways.js';
import { loadReport, type ReportData, recordsBetween } from '../pipeline/report.js';
import { parseDimensions } from '../reports/group.js';
import { windowJson } from '../reports/json.js';
import { buildUsageReport } from '../reports/report.js';
import { topSessions } from '../reports/sessions.js';
import { computeWindows, WINDOW_MS } from '../reports/windows.js';
import type { Env } from '../shared/env.js';
import { stringOr } from '../shared/strings.js';
import { LocalSource } from '../sources/local.js';
import { readSessionLabels } from '../sources/session-index.js';
import type { CommandContext } from './context.js';
import { EXIT_OK } from './exit.js';
import type { Output } from './io.js';
import { chalkFor, isJournal, useColor } from './log.js';
import { ledgerOptions, outputWidth, parseNow } from './options.js';
import { progressLine } from './progress.js';
import { type RenderOptions, renderSessions, renderUsageReport, renderWindows } from './report-render.js';

const VIEWS = ['usage', 'today', 'yesterday', 'windows', 'sessions'] as const;
type View = (typeof VIEWS)[number];

/** The view-specific options each view takes; any other given is refused rather than silently ignored. */
const VIEW_OPTIONS: Record<View, readonly string[]> = {
  usage: ['by', 'since', 'until', 'last', 'gateway', 'empty'],
  today: ['by', 'gateway'],
  yesterday: ['by', 'gateway'],
  windows: ['gateway'],
  sessions: ['since', 'until', 'last', 'gateway', 'limit'],
};
const FLAG: Record<string, string> = {
  by: '--by',
  since: '--since',
  until: '--until',
  last: '--last',
  gateway: '--gateway',
  empty: '--empty',
  limit: '--limit',
};

function refuseInapplicable(view: View, opts: FlagValues): void {
  const allowed = VIEW_OPTIONS[view];
  const given = Object.keys(FLAG).filter((k) => opts[k] !== undefined && !allowed.includes(k));
  if (given.length === 0) return;
  const takes = allowed.length
    ? `it takes ${allowed.map((k) => FLAG[k]).join(', ')}`
    : 'it takes none of the view options';
  const why =
    view === 'windows'
      ? ' (the windows are the last 5 hours and 7 days, per account and provider)'
      : view === 'today' || view === 'yesterday'
        ? ` (the range is ${view})`
        : '';
  throw new ConfigError(
    `report ${view}: ${given.map((k) => FLAG[k]).join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply${why}; ${takes}`,
  );
}

/** `--by` given several times: every value, in order. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const list = (v: unknown) =>
  stringOr(v)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`--${flag}: expected a whole number of at least 1, got "${raw}"`);
  return n;
}

/**
 * Labels from the sessions.json of each local gateway: a configured `path`, or for the unconfigured gateway `local`
 * (`check` with no gateways or with `--source DIR`) the default state dirs. Reports never use the network.
 */
async function labelsOf(
  config: Config,
  env: Env,
): Promise<(gateway: string, agent: string, session: string) => string | undefined> {
  const dirs = new Map<string, string[]>();
  if (!config.gateways.some((g) => g.name === 'local')) dirs.set('local', defaultStateDirs(env));
  for (const g of config.gateways) if (!g.ssh && g.path !== undefined) dirs.set(g.name, [g.path]);
  const byGateway = new Map<string, Map<string, string>>();
  for (const [name, paths] of dirs) {
    byGateway.set(name, await readSessionLabels(new LocalSource(name, paths)).catch(() => new Map<string, string>()));
  }
  return (gateway, agent, session) => byGateway.get(gateway)?.get(`${agent}\t${session}`);
}

async function show(
  view: View,
  opts: FlagValues,
  data: ReportData,
  config: Config,
  nowMs: number,
  render: RenderOptions,
  stdout: Output,
  env: Env,
): Promise<void> {
  const print = (text: string) => stdout.write(text);
  const printJson = (value: unknown) => print(`${JSON.stringify(value)}\n`);
  if (view === 'usage' || view === 'today' || view === 'yesterday') {
    const given = Array.isArray(opts.by) ? (opts.by as string[]) : undefined;
    const by = parseDimensions(given ?? (view === 'usage' ? 'day' : 'model'));
    const report = buildUsageReport(data.records, by, data, { ...data, empty: Boolean(opts.empty) });
    if (opts.json) printJson(report);
    else print(renderUsageReport(report, render));
    return;
  }
  if (view === 'windows') {
    const records = await recordsBetween(data.ledger, nowMs - WINDOW_MS['7d'], nowMs + 1, data.gateways);
    const windows = computeWindows(records, {
      nowMs,
      pricing: data.pricing,
      accountOf: data.accountOf,
      limits: config.windows.limits,
    });
    if (opts.json)
      printJson({
        source: 'local-ledger',
        now: new Date(nowMs).toISOString(),
        timezone: data.timezone,
        windows: windows.map(windowJson),
      });
    else print(renderWindows(windows, nowMs, data.timezone, render));
    return;
  }
  const sessions = topSessions(data.records, {
    pricing: data.pricing,
    limit: positiveInt('limit', stringOr(opts.limit), 10),
    labelOf: await labelsOf(config, env),
  });
  const meta = { since: data.range.since, until: data.range.until, timezone: data.timezone };
  if (opts.json)
    printJson({
      source: 'local-ledger',
      ...meta,
      sessions: sessions.map((s) => ({
        ...s,
        firstCall: new Date(s.firstCall).toISOString(),
        lastCall: new Date(s.lastCall).toISOString(),
      })),
    });
  else print(renderSessions(sessions, meta, render));
}

export function registerReport(program: Command, ctx: CommandContext): void {
  ledgerOptions(
    program
      .command('report')
      .description(
        'usage from the ledger (no network): totals by period, model, agent, ...; rolling windows; top sessions',
      )
      .addArgument(
        new Argument('[view]', 'usage; today or yesterday (that day by model); windows; sessions')
          .choices(VIEWS)
          .default('usage'),
      )
      .option(
        '--by <groups>',
        'usage: day, week (ISO), month, model, provider, agent, session, gateway, account; comma-separated or repeated (default day)',
        collect,
      )
      .option(
        '--since <date>',
        'first local date: YYYY-MM-DD, YYYY-MM, today or yesterday (default: the first of this month)',
      )
      .option('--until <date>', 'last local date, inclusive: YYYY-MM-DD, YYYY-MM, today or yesterday (default: today)')
      .option(
        '--last <n>',
        'the last N days up to --until (7 or 7d), ISO weeks (4w) or calendar months (3m), the current one included',
      )
      .option('--empty', 'usage by period: also list the periods without calls (as zero rows)')
      .option('--gateway <names>', 'only these gateways (comma-separated)')
      .option('--limit <n>', 'sessions: how many (default 10)'),
  ).action(
    ctx.action(async (view: View, opts: FlagValues) => {
      const { env, stdout } = ctx.io;
      refuseInapplicable(view, opts);
      const nowMs = parseNow(stringOr(opts.now));
      const { config } = await loadConfig(opts, env);
      const day = view === 'today' || view === 'yesterday' ? view : undefined;
      const range = day
        ? { since: day, until: day }
        : { since: stringOr(opts.since), until: stringOr(opts.until), last: stringOr(opts.last) };
      // Reading long history shows a progress line on a terminal (never on a pipe or into the journal).
      const progress = progressLine({ stream: ctx.io.stderr, env, unattended: isJournal(ctx.io.stderr.fd, env) });
      const data = await loadReport({
        config,
        env,
        nowMs,
        ...range,
        gateways: list(opts.gateway),
        onProgress: progress.task('ledger'),
      }).finally(() => progress.done());
      const render = {
        width: outputWidth(ctx.io),
        chalk: chalkFor(useColor(stdout, env)),
        subscriptionsAsFree: data.pricing.subscriptionsAsFree,
      };
      await show(view, opts, data, config, nowMs, render, stdout, env);
      return EXIT_OK;
    }),
  );
}
