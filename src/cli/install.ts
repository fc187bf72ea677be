import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { machineTimeZone } from '../budget/day.js';
import { ConfigError } from '../config/errors.js';
import { applyInstall, applyUninstall, type FileActionKind, planInstall, planUninstall } from '../install/install.js';
import type { InstallMode } from '../install/paths.js';
import { UNIT_NAME } from '../install/units.js';
import { type Env, homeOf } from '../shared/env.js';
import type { CommandContext } from './context.js';
import { EXIT_OK } from './exit.js';
import type { Io } from './io.js';

interface InstallFlags {
  user?: boolean;
  root?: string;
  dryRun?: boolean;
  textfileDir?: string;
}

const lines =
  (io: Io) =>
  (line = '') =>
    io.stdout.write(`${line}\n`);
const uid = () => process.getuid?.() ?? 0;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function modeOf(flags: InstallFlags): InstallMode {
  return flags.user ? 'user' : 'system';
}

/** systemctl only for a real install on a machine where systemd runs; otherwise the step is printed instead. */
function systemdRunning(mode: InstallMode, flags: InstallFlags, env: Env): boolean {
  if (flags.dryRun || (flags.root !== undefined && resolve(flags.root) !== '/')) return false;
  if (mode === 'system') return existsSync('/run/systemd/system');
  const rt = env.XDG_RUNTIME_DIR;
  return Boolean(rt && existsSync(join(rt, 'systemd')));
}

function systemctl(mode: InstallMode, args: string[]): { ok: boolean; text: string } {
  const full = [...(mode === 'user' ? ['--user'] : []), ...args];
  const r = spawnSync('systemctl', full, { encoding: 'utf8', timeout: 60_000 });
  const text = `systemctl ${full.join(' ')}`;
  return {
    ok: r.status === 0,
    text: r.status === 0 ? text : `${text} failed: ${(r.stderr || r.error?.message || '').trim()}`,
  };
}

function requireRoot(mode: InstallMode, flags: InstallFlags, verb: string): void {
  if (mode !== 'system' || flags.dryRun || flags.root !== undefined || uid() === 0) return;
  throw new ConfigError(
    `${verb}ing the system unit needs root: run \`sudo openclaw-budget ${verb}\`, or \`openclaw-budget ${verb} --user\` for a user unit`,
  );
}

const VERB: Record<FileActionKind, [string, string]> = {
  create: ['created', 'would create'],
  update: ['updated', 'would update'],
  unchanged: ['unchanged', 'unchanged'],
  keep: ['kept', 'would keep'],
};

async function install(flags: InstallFlags, io: Io): Promise<void> {
  const out = lines(io);
  const mode = modeOf(flags);
  requireRoot(mode, flags, 'install');
  const root = resolve(flags.root ?? '/');
  const plan = await planInstall({
    mode,
    root,
    env: io.env,
    home: homeOf(io.env),
    uid: uid(),
    timezone: machineTimeZone(),
    nodePath: realpathSync(process.execPath),
    nodeRuns: executable(realpathSync(process.execPath)),
    cliPath: realpathSync(fileURLToPath(new URL('../../bin/openclaw-budget', import.meta.url))),
    ...(flags.textfileDir ? { textfileDir: resolve(flags.textfileDir) } : {}),
  });
  const dry = Boolean(flags.dryRun);
  // A real install refuses a unit that could never start; a dry run and --root (packaging, tests) print why.
  if (plan.problems.length > 0 && !dry && root === '/') {
    throw new Error(`install refused, nothing was written:\n${plan.problems.map((p) => `  ${p}`).join('\n')}`);
  }
  out(
    `openclaw-budget install (${mode} unit${root === '/' ? '' : `, under ${root}`}${dry ? ', dry run: nothing written' : ''})`,
  );
  for (const p of plan.problems) out(`PROBLEM (an install into / refuses): ${p}`);
  for (const f of plan.files) {
    out(`  ${VERB[f.kind][dry ? 1 : 0].padEnd(12)} ${f.path} (${f.what})`);
    if (dry && (f.kind === 'create' || f.kind === 'update')) out(f.content.replace(/^/gm, '      | '));
  }
  for (const d of plan.dirs)
    out(`  ${(dry ? 'would create' : 'created').padEnd(12)} ${d}/ (the service writes there but cannot create it)`);
  if (!dry) await applyInstall(plan);
  const changed = plan.files.some((f) => f.kind === 'create' || f.kind === 'update');
  const live = systemdRunning(mode, flags, io.env);
  if (live && changed) out(`  ran          ${systemctl(mode, ['daemon-reload']).text}`);
  for (const n of plan.notes) out(`note: ${n.replace(/\n/g, '\n      ')}`);

  const sc = mode === 'user' ? 'systemctl --user' : 'systemctl';
  const config = plan.files.find((f) => f.what.startsWith('config'));
  const steps = [
    ...(config?.kind === 'create' ? [`review ${plan.paths.configPath} (budget, timezone, gateways)`] : []),
    ...(!live && changed ? [`${sc} daemon-reload`] : []),
    `${sc} enable --now ${UNIT_NAME}.timer`,
    'openclaw-budget doctor',
    mode === 'user'
      ? `loginctl enable-linger ${io.env.USER ?? '$USER'}   # keep running while you are logged out`
      : `journalctl -u ${UNIT_NAME}.service   # one line per run`,
  ];
  out('next steps:');
  for (const [i, s] of steps.entries()) out(`  ${i + 1}. ${s}`);
}

async function uninstall(flags: InstallFlags, io: Io): Promise<void> {
  const out = lines(io);
  const mode = modeOf(flags);
  requireRoot(mode, flags, 'uninstall');
  const root = resolve(flags.root ?? '/');
  const plan = await planUninstall(mode, root, io.env, homeOf(io.env), uid());
  const dry = Boolean(flags.dryRun);
  const live = systemdRunning(mode, flags, io.env);
  out(
    `openclaw-budget uninstall (${mode} unit${root === '/' ? '' : `, under ${root}`}${dry ? ', dry run: nothing removed' : ''})`,
  );
  if (live && plan.remove.length)
    out(`  ran          ${systemctl(mode, ['disable', '--now', `${UNIT_NAME}.timer`]).text}`);
  if (!dry) await applyUninstall(plan);
  for (const p of plan.remove) out(`  ${dry ? 'would remove' : 'removed'.padEnd(12)} ${p}`);
  for (const p of plan.foreign) out(`  ${'left alone'.padEnd(12)} ${p} (not written by openclaw-budget install)`);
  if (plan.remove.length === 0 && plan.foreign.length === 0) out('  nothing to remove: no unit installed');
  if (live && plan.remove.length) out(`  ran          ${systemctl(mode, ['daemon-reload']).text}`);
  out(
    `kept: the config ${plan.paths.configPath} and the ledger in ${plan.paths.stateDir}; delete them yourself if you no longer need the history`,
  );
}

export function registerInstall(program: Command, ctx: CommandContext): void {
  const run = (fn: (f: InstallFlags, io: Io) => Promise<void>) =>
    ctx.action(async (flags: InstallFlags) => {
      await fn(flags, ctx.io);
      return EXIT_OK;
    });
  program
    .command('install')
    .description(
      'install the systemd service and 5-minute timer (and a config from the template if there is none); idempotent',
    )
    .option('--user', 'install a user unit (~/.config/systemd/user) instead of the system unit')
    .option('--root <dir>', 'write every file under this directory (packaging, tests); runs no systemctl')
    .option('--dry-run', 'print what would be written, write nothing')
    .option(
      '--textfile-dir <dir>',
      "node_exporter textfile dir for a newly created config (default: a running node_exporter's, else Debian's if present)",
    )
    .action(run(install));
  program
    .command('uninstall')
    .description('stop the timer and remove the units that install wrote (the config and the ledger are kept)')
    .option('--user', 'remove the user unit')
    .option('--root <dir>', 'remove files under this directory; runs no systemctl')
    .option('--dry-run', 'print what would be removed, remove nothing')
    .action(run(uninstall));
}
