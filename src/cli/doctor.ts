import { homedir } from 'node:os';
import type { Command } from 'commander';
import { type FlagValues, loadConfig } from '../config/load.js';
import { runDoctor } from '../doctor/probe.js';
import { type CheckStatus, type DoctorCheck, doctorOk } from '../doctor/result.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import { chalkFor, createLogger, useColor } from './log.js';

function render(checks: readonly DoctorCheck[], color: boolean): string {
  const c = chalkFor(color);
  const label: Record<CheckStatus, string> = { pass: c.green('PASS'), warn: c.yellow('WARN'), fail: c.red.bold('FAIL'), skip: c.dim('SKIP') };
  const width = Math.max(...checks.map((k) => k.name.length));
  const lines = checks.flatMap((k) => [
    `${label[k.status]}  ${k.name.padEnd(width)}  ${k.detail}`,
    ...(k.fix && k.status !== 'pass' ? [`      ${' '.repeat(width)}  ${c.bold('fix:')} ${k.fix}`] : []),
  ]);
  const failed = checks.filter((k) => k.status === 'fail').length;
  const warned = checks.filter((k) => k.status === 'warn').length;
  lines.push(failed ? c.red(`${failed} check${failed === 1 ? '' : 's'} failed`) : c.green(`all checks passed${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}`));
  return `${lines.join('\n')}\n`;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the setup: config, state dir, textfile dir and node_exporter, flag file, systemd unit, each gateway, pricing')
    .option('--config <file>', 'config file (default: $OPENCLAW_BUDGET_CONFIG, else ~/.config/openclaw-budget/config.json or /etc/openclaw-budget/config.json, the first that exists)')
    .option('--source <src>', 'check this OpenClaw state dir instead of the configured gateways')
    .option('--state-dir <dir>', 'state dir to check')
    .option('--textfile-dir <dir>', 'textfile dir to check')
    .option('--flag-file <path>', 'flag file to check')
    .option('--pricing <file>', 'pricing override to check against the ledger')
    .option('--json', 'print the checks as one JSON object on stdout')
    .action(async (opts: FlagValues) => {
      try {
        const checks = await runDoctor({
          load: () => loadConfig(opts, process.env),
          env: process.env,
          home: homedir(),
          uid: process.getuid?.() ?? 0,
          nowMs: Date.now(),
        });
        const ok = doctorOk(checks);
        if (opts.json) process.stdout.write(`${JSON.stringify({ ok, checks })}\n`);
        else process.stdout.write(render(checks, useColor(process.stdout, process.env)));
        process.exitCode = ok ? EXIT_OK : EXIT_FAILED;
      } catch (err) {
        createLogger({ verbose: false, env: process.env }).error(err instanceof Error ? err.message : String(err));
        process.exitCode = EXIT_FAILED;
      }
    });
}
