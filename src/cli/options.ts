// What several commands share: --now, the common config options, and turning errors into exit statuses.
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { PricingError } from '../pricing/load.js';
import { LockBusyError } from '../shared/lock.js';
import { EXIT_BUSY, EXIT_FAILED, EXIT_USAGE } from './exit.js';
import { createLogger, type Logger } from './log.js';

export const warn = (msg: string) => process.stderr.write(`openclaw-budget: ${msg}\n`);

export function parseNow(raw: string | undefined): number {
  if (raw === undefined) return Date.now();
  const t = Date.parse(raw);
  if (!Number.isFinite(t)) throw new ConfigError(`--now: expected an ISO 8601 instant such as 2026-11-20T18:00:00Z, got "${raw}"`);
  return t;
}

/** Bad usage exits 2 with its message; another run holding the state dir's lock exits 3; anything else exits 1. */
export function reportFailure(err: unknown, log: Logger = createLogger({ verbose: false, env: process.env })): void {
  if (err instanceof LockBusyError) {
    log.warn(err.message);
    process.exitCode = EXIT_BUSY;
    return;
  }
  log.error(err instanceof Error ? err.message : String(err));
  process.exitCode = err instanceof ConfigError || err instanceof PricingError ? EXIT_USAGE : EXIT_FAILED;
}

/** Where the config and ledger are, and --json: every command that touches the ledger takes these. */
export function stateOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'config file (default: $OPENCLAW_BUDGET_CONFIG, else ~/.config/openclaw-budget/config.json or /etc/openclaw-budget/config.json, the first that exists)')
    .option('--state-dir <dir>', 'where the ledger lives (default: $STATE_DIRECTORY, else ~/.local/state/openclaw-budget)')
    .option('--json', 'print one JSON object on stdout');
}

export function pricingOptions(cmd: Command): Command {
  return cmd
    .option('--pricing <file>', 'pricing override merged over the shipped pricing.json')
    .option('--pricing-mode <mode>', 'auto | calculate | display (default auto)');
}

/** The options every ledger-reading report takes (same meaning as for `check`). */
export function ledgerOptions(cmd: Command): Command {
  return pricingOptions(stateOptions(cmd))
    .option('--timezone <tz>', 'IANA zone for local dates (default: the machine\'s zone)')
    .option('--now <iso>', 'evaluate as if the clock read this instant');
}

/** Width for tables: the terminal's, else $COLUMNS, else unlimited (a pipe or file gets every column). */
export function outputWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isFinite(env) && env > 0 ? env : Infinity;
}
