import type { Command } from 'commander';
import { type FlagValues, loadConfig } from '../config/load.js';
import { resolveFlagFile, resolveStateDir, runCheck } from '../pipeline/check.js';
import { startPriceUpdate } from '../pipeline/prices.js';
import { stringOr } from '../shared/strings.js';
import type { CommandContext } from './context.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import { useColor } from './log.js';
import { parseNow, withOptions } from './options.js';
import { progressLine } from './progress.js';
import { renderSummary, runLogLine, toJsonSummary, verboseLines } from './summary.js';

export function registerCheck(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('check')
    .description("read new usage, record it in the ledger, compute today's spend, write metrics and the flag file");
  withOptions(cmd, 'config', 'source')
    .option(
      '--ssh-key <file>',
      'private key for SSH sources (default: the SSH agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa)',
    )
    .option('--known-hosts <file>', 'OpenSSH known_hosts that verifies SSH host keys (default ~/.ssh/known_hosts)')
    .option('--container <name>', 'with an ssh:// --source: read the path inside this Docker container (docker exec)');
  withOptions(cmd, 'stateDir', 'textfileDir', 'flagFile')
    .option('--max-daily-usd <n>', 'daily budget in USD (env MAX_DAILY_USD; default 5)')
    .option('--max-monthly-usd <n>', 'monthly budget in USD (env MAX_MONTHLY_USD; default none)')
    .option('--warn-at <fraction>', 'fraction of the budget at which status becomes warning (default 0.8)');
  withOptions(cmd, 'timezone', 'now', 'pricing', 'pricingMode').option('--no-alert', 'never send alerts in this run');
  withOptions(cmd, 'json')
    .option(
      '-q, --quiet',
      'for timers and cron: no summary on stdout, one log line on stderr (plus warnings and errors)',
    )
    .option('-v, --verbose', 'log the run line plus per-source and per-model detail on stderr')
    .action(
      ctx.action(async (opts: FlagValues) => {
        const { env, stdout } = ctx.io;
        const log = ctx.logger(Boolean(opts.verbose));
        // Per gateway on a terminal only; a message meanwhile erases it first.
        const progress = progressLine({ stream: ctx.io.stderr, env, unattended: Boolean(opts.quiet) || log.journal });
        const erasing =
          (write: (m: string) => void) =>
          (m: string): void => {
            progress.clear();
            write(m);
          };
        const nowMs = parseNow(stringOr(opts.now));
        const { config, configPath, source, container } = await loadConfig(opts, env);
        log.debug(`config ${configPath ?? '(none: defaults, environment and flags)'}`);
        const stop = new AbortController();
        const listening = ctx.io.onStop?.((signal) => stop.abort(signal));
        const update = await startPriceUpdate(config, resolveStateDir(config, env)).catch(() => undefined);
        const { summary, errors, stateDir, tookOverLockFrom } = await runCheck({
          config,
          source,
          ...(container ? { container } : {}),
          nowMs,
          env,
          warn: erasing(log.warn),
          info: erasing(log.info),
          configPath,
          progress: (gateway) => progress.task(gateway),
          signal: stop.signal,
        }).finally(() => {
          listening?.();
          progress.done();
        });
        if (tookOverLockFrom)
          log.warn(`took over a stale lock left by pid ${tookOverLockFrom.pid} (no longer running)`);
        log.debug(
          `state dir ${stateDir}; textfile dir ${config.textfileDir ?? '(none)'}; flag file ${resolveFlagFile(config, env) ?? '(none)'}`,
        );
        // --json always prints: a script that asked for JSON gets it, --quiet or not.
        if (opts.json) stdout.write(`${JSON.stringify(toJsonSummary(summary))}\n`);
        else if (!opts.quiet) stdout.write(renderSummary(summary, useColor(stdout, env)));
        for (const line of verboseLines(summary)) log.debug(line);
        for (const e of errors) log.error(e);
        // Unattended runs (--quiet, as the units and cron use it, or stderr being the journal) log one line instead
        // of the summary; an interactive or --json run keeps stderr for problems only.
        if (opts.quiet || opts.verbose || log.journal) {
          log.line(
            errors.length > 0 ? 'error' : summary.status === 'ok' && summary.complete ? 'info' : 'warning',
            runLogLine(summary, errors.length),
          );
        }
        // Only now, with every output written and printed: a slow or failing update cannot change this run. A
        // failure is for doctor and the metrics to show (the last good prices stay in use), not for every tick's log.
        const stored = await update?.store().catch((err: unknown) => ({ ok: false, error: String(err) }));
        if (stored)
          log.debug(
            stored.ok
              ? 'price update: stored the latest catalog prices'
              : `price update: ${stored.error ?? 'failed'}; the prices in use are kept`,
          );
        return errors.length > 0 ? EXIT_FAILED : EXIT_OK;
      }),
    );
}
