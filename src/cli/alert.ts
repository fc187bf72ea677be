import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { type FlagValues, loadConfig } from '../config/load.js';
import { runAlertTest } from '../pipeline/alert-test.js';
import type { CommandContext } from './context.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import { withOptions } from './options.js';

export function registerAlert(program: Command, ctx: CommandContext): void {
  const alert = program.command('alert').description('alert channels (Matrix, webhook)');
  const test = alert
    .command('test')
    .description(
      'send a test message through every configured alert channel and report success or the exact failure (hooks are not run)',
    );
  withOptions(test, 'config').action(
    ctx.action(async (opts: FlagValues) => {
      const { env, stdout } = ctx.io;
      const { config, configPath } = await loadConfig(opts, env);
      if (!config.alerts.matrix && !config.alerts.webhook) {
        throw new ConfigError(
          'no alert channel configured: add alerts.matrix or alerts.webhook to the config file (see docs/alerts-and-hooks.md)',
        );
      }
      const results = await runAlertTest(config, env, configPath, ctx.logger().warn);
      for (const r of results) stdout.write(`${r.channel}: ${r.ok ? 'ok' : 'FAILED'}: ${r.detail}\n`);
      return results.every((r) => r.ok) ? EXIT_OK : EXIT_FAILED;
    }),
  );
}
