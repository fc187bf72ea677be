import type { Command } from 'commander';
import { type FlagValues, loadConfig } from '../config/load.js';
import { resolveFlagFile, runCheck } from '../pipeline/check.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import { createLogger, useColor } from './log.js';
import { parseNow, reportFailure } from './options.js';
import { progressLine } from './progress.js';
import { renderSummary, runLogLine, toJsonSummary, verboseLines } from './summary.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description("read new usage, record it in the ledger, compute today's spend, write metrics and the flag file")
    .option('--config <file>', 'config file (default: $OPENCLAW_BUDGET_CONFIG, else ~/.config/openclaw-budget/config.json or /etc/openclaw-budget/config.json, the first that exists)')
    .option('--source <src>', 'read this OpenClaw state dir instead of the configured gateways, or ssh://[user@]host[:port]/abs/path')
    .option('--ssh-key <file>', 'private key for SSH sources (default: the SSH agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa)')
    .option('--known-hosts <file>', 'OpenSSH known_hosts that verifies SSH host keys (default ~/.ssh/known_hosts)')
    .option('--container <name>', 'with an ssh:// --source: read the path inside this Docker container (docker exec)')
    .option('--state-dir <dir>', 'where the ledger, cursors and state live (default: $STATE_DIRECTORY, else ~/.local/state/openclaw-budget)')
    .option('--textfile-dir <dir>', 'node_exporter textfile directory; writes openclaw_budget.prom there')
    .option('--flag-file <path>', 'file that exists while the daily budget is exceeded')
    .option('--max-daily-usd <n>', 'daily budget in USD (env MAX_DAILY_USD; default 5)')
    .option('--max-monthly-usd <n>', 'monthly budget in USD (env MAX_MONTHLY_USD; default none)')
    .option('--warn-at <fraction>', 'fraction of the budget at which status becomes warning (default 0.8)')
    .option('--timezone <tz>', 'IANA zone that defines "today" (default: the machine\'s zone)')
    .option('--now <iso>', 'evaluate as if the clock read this instant')
    .option('--pricing <file>', 'pricing override merged over the shipped pricing.json')
    .option('--pricing-mode <mode>', 'auto | calculate | display (default auto)')
    .option('--no-alert', 'never send alerts in this run')
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('-q, --quiet', 'for timers and cron: no summary on stdout, one log line on stderr (plus warnings and errors)')
    .option('-v, --verbose', 'log the run line plus per-source and per-model detail on stderr')
    .action(async (opts: FlagValues) => {
      const log = createLogger({ verbose: Boolean(opts.verbose), env: process.env });
      // Per gateway on a terminal only; a warning meanwhile erases it first.
      const progress = progressLine({ stream: process.stderr, env: process.env, unattended: Boolean(opts.quiet) || log.journal });
      const warn = (m: string) => {
        progress.clear();
        log.warn(m);
      };
      try {
        const nowMs = parseNow(typeof opts.now === 'string' ? opts.now : undefined);
        const { config, configPath, source, container } = await loadConfig(opts, process.env);
        log.debug(`config ${configPath ?? '(none: defaults, environment and flags)'}`);
        const { summary, errors, stateDir, tookOverLockFrom } = await runCheck({
          config,
          source,
          ...(container ? { container } : {}),
          nowMs,
          env: process.env,
          warn,
          info: (m) => {
            progress.clear();
            log.info(m);
          },
          configPath,
          progress: (gateway) => progress.task(gateway),
        }).finally(() => progress.done());
        if (tookOverLockFrom) log.warn(`took over a stale lock left by pid ${tookOverLockFrom.pid} (no longer running)`);
        log.debug(`state dir ${stateDir}; textfile dir ${config.textfileDir ?? '(none)'}; flag file ${resolveFlagFile(config, process.env) ?? '(none)'}`);
        // --json always prints: a script that asked for JSON gets it, --quiet or not.
        if (opts.json) process.stdout.write(`${JSON.stringify(toJsonSummary(summary))}\n`);
        else if (!opts.quiet) process.stdout.write(renderSummary(summary, useColor(process.stdout, process.env)));
        for (const line of verboseLines(summary)) log.debug(line);
        for (const e of errors) log.error(e);
        // Unattended runs (--quiet, as the units and cron use it, or stderr being the journal) log one line instead
        // of the summary; an interactive or --json run keeps stderr for problems only.
        if (opts.quiet || opts.verbose || log.journal) {
          log.line(errors.length > 0 ? 'error' : summary.status === 'ok' ? 'info' : 'warning', runLogLine(summary, errors.length));
        }
        process.exitCode = errors.length > 0 ? EXIT_FAILED : EXIT_OK;
      } catch (err) {
        reportFailure(err, log);
      }
    });
}
