import type { Command } from 'commander';
import { type FlagValues, loadConfig } from '../config/load.js';
import { runDoctor } from '../doctor/probe.js';
import { type CheckStatus, type DoctorCheck, doctorOk } from '../doctor/result.js';
import { homeOf } from '../shared/env.js';
import type { CommandContext } from './context.js';
import { EXIT_FAILED, EXIT_OK } from './exit.js';
import { chalkFor, useColor } from './log.js';
import { withOptions } from './options.js';

function render(checks: readonly DoctorCheck[], color: boolean): string {
  const c = chalkFor(color);
  const label: Record<CheckStatus, string> = {
    pass: c.green('PASS'),
    warn: c.yellow('WARN'),
    fail: c.red.bold('FAIL'),
    skip: c.dim('SKIP'),
  };
  const width = Math.max(...checks.map((k) => k.name.length));
  const lines = checks.flatMap((k) => [
    `${label[k.status]}  ${k.name.padEnd(width)}  ${k.detail}`,
    ...(k.fix && k.status !== 'pass' ? [`      ${' '.repeat(width)}  ${c.bold('fix:')} ${k.fix}`] : []),
  ]);
  const failed = checks.filter((k) => k.status === 'fail').length;
  const warned = checks.filter((k) => k.status === 'warn').length;
  lines.push(
    failed
      ? c.red(`${failed} check${failed === 1 ? '' : 's'} failed`)
      : c.green(`all checks passed${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}`),
  );
  return `${lines.join('\n')}\n`;
}

export function registerDoctor(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('doctor')
    .description(
      'check the setup: config, state dir, textfile dir and node_exporter, flag file, systemd unit, each gateway, pricing',
    );
  withOptions(cmd, 'config', 'source', 'stateDir', 'textfileDir', 'flagFile', 'pricing', 'json').action(
    ctx.action(async (opts: FlagValues) => {
      const { env, stdout } = ctx.io;
      const checks = await runDoctor({
        load: () => loadConfig(opts, env),
        env,
        home: homeOf(env),
        uid: process.getuid?.() ?? 0,
        nowMs: Date.now(),
      });
      const ok = doctorOk(checks);
      if (opts.json) stdout.write(`${JSON.stringify({ ok, checks })}\n`);
      else stdout.write(render(checks, useColor(stdout, env)));
      return ok ? EXIT_OK : EXIT_FAILED;
    }),
  );
}
