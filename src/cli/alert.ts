import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { type FlagValues, loadConfig } from '../config/load.js';
import { runAlertTest } from '../pipeline/alert-test.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import { reportFailure, warn } from './options.js';

export function registerAlert(program: Command): void {
  const alert = program.command('alert').description('alert channels (Matrix, webhook)');
  alert
    .command('test')
    .description('send a test message through every configured alert channel and report success or the exact failure (hooks are not run)')
    .option('--config <file>', 'config file (default: $OPENCLAW_BUDGET_CONFIG, else ~/.config/openclaw-budget/config.json or /etc/openclaw-budget/config.json, the first that exists)')
    .action(async (opts: FlagValues) => {
      try {
        const { config, configPath } = await loadConfig(opts, process.env);
        if (!config.alerts.matrix && !config.alerts.webhook) {
          throw new ConfigError('no alert channel configured: add alerts.matrix or alerts.webhook to the config file (see docs/alerts-and-hooks.md)');
        }
        const results = await runAlertTest(config, process.env, configPath, warn);
        for (const r of results) process.stdout.write(`${r.channel}: ${r.ok ? 'ok' : 'FAILED'}: ${r.detail}\n`);
        process.exitCode = results.every((r) => r.ok) ? EXIT_OK : EXIT_FAILED;
      } catch (err) {
        reportFailure(err);
      }
    });
}
