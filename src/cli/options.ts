// What several commands share: --now, the common options, the output width.
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import type { Io } from './io.js';

export function parseNow(raw: string | undefined): number {
  if (raw === undefined) return Date.now();
  const t = Date.parse(raw);
  if (!Number.isFinite(t))
    throw new ConfigError(`--now: expected an ISO 8601 instant such as 2026-11-20T18:00:00Z, got "${raw}"`);
  return t;
}

/** Options that mean the same in every command that takes them: defined here once, in one wording. */
const COMMON = {
  config: [
    '--config <file>',
    'config file (default: $OPENCLAW_BUDGET_CONFIG, else ~/.config/openclaw-budget/config.json or /etc/openclaw-budget/config.json, the first that exists)',
  ],
  source: [
    '--source <src>',
    'read this OpenClaw state dir instead of the configured gateways, or ssh://[user@]host[:port]/abs/path',
  ],
  stateDir: [
    '--state-dir <dir>',
    'where the ledger, cursors and state live (default: $STATE_DIRECTORY, else ~/.local/state/openclaw-budget)',
  ],
  textfileDir: ['--textfile-dir <dir>', 'node_exporter textfile directory; writes openclaw_budget.prom there'],
  flagFile: ['--flag-file <path>', 'file that exists while the daily budget is exceeded'],
  json: ['--json', 'print one JSON object on stdout'],
  pricing: ['--pricing <file>', 'pricing override merged over the shipped pricing.json'],
  pricingMode: ['--pricing-mode <mode>', 'auto | calculate | display (default auto)'],
  timezone: ['--timezone <tz>', 'IANA zone that defines "today" and local dates (default: the machine\'s zone)'],
  now: ['--now <iso>', 'evaluate as if the clock read this instant'],
} as const satisfies Record<string, readonly [string, string]>;

export type CommonOption = keyof typeof COMMON;

/** Adds the named common options to `cmd`, in the order given. */
export function withOptions(cmd: Command, ...names: CommonOption[]): Command {
  for (const name of names) {
    const [flags, description] = COMMON[name];
    cmd.option(flags, description);
  }
  return cmd;
}

/** Where the config and ledger are, and --json: every command that touches the ledger takes these. */
export function stateOptions(cmd: Command): Command {
  return withOptions(cmd, 'config', 'stateDir', 'json');
}

export function pricingOptions(cmd: Command): Command {
  return withOptions(cmd, 'pricing', 'pricingMode');
}

/** The options every ledger-reading command takes (`check` and the reports). */
export function ledgerOptions(cmd: Command): Command {
  return withOptions(pricingOptions(stateOptions(cmd)), 'timezone', 'now');
}

/** Width for tables: the terminal's, else $COLUMNS, else unlimited (a pipe or file gets every column). */
export function outputWidth(io: Io): number {
  if (io.stdout.isTTY && io.stdout.columns) return io.stdout.columns;
  const env = Number(io.env.COLUMNS);
  return Number.isFinite(env) && env > 0 ? env : Infinity;
}
