import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { machineTimeZone } from '../budget/day.js';
import { applyInstall, applyUninstall, type FileActionKind, planInstall, planUninstall } from '../install/install.js';
import type { InstallMode } from '../install/paths.js';
import { UNIT_NAME } from '../install/units.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit.js';
import { createLogger } from './log.js';

interface InstallFlags {
  user?: boolean;
  root?: string;
  dryRun?: boolean;
  textfileDir?: string;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
const uid = () => process.getuid?.() ?? 0;

function modeOf(flags: InstallFlags): InstallMode {
  return flags.user ? 'user' : 'system';
}

/** systemctl only for a real install on a machine where systemd runs; otherwise the step is printed instead. */
function systemdRunning(mode: InstallMode, flags: InstallFlags): boolean {
  if (flags.dryRun || (flags.root !== undefined && resolve(flags.root) !== '/')) return false;
  if (mode === 'system') return existsSync('/run/systemd/system');
  const rt = process.env.XDG_RUNTIME_DIR;
  return Boolean(rt && existsSync(join(rt, 'systemd')));
}

function systemctl(mode: InstallMode, args: string[]): { ok: boolean; text: string } {
  const full = [...(mode === 'user' ? ['--user'] : []), ...args];
  const r = spawnSync('systemctl', full, { encoding: 'utf8', timeout: 60_000 });
  const text = `systemctl ${full.join(' ')}`;
  return { ok: r.status === 0, text: r.status === 0 ? text : `${text} failed: ${(r.stderr || r.error?.message || '').trim()}` };
}

function needsRoot(mode: InstallMode, flags: InstallFlags, verb: string): boolean {
  if (mode !== 'system' || flags.dryRun || flags.root !== undefined || uid() === 0) return false;
  createLogger({ verbose: false, env: process.env }).error(
    `${verb}ing the system unit needs root: run \`sudo openclaw-budget ${verb}\`, or \`openclaw-budget ${verb} --user\` for a user unit`,
  );
  process.exitCode = EXIT_USAGE;
  return true;
}

const VERB: Record<FileActionKind, [string, string]> = {
  create: ['created', 'would create'],
  update: ['updated', 'would update'],
  unchanged: ['unchanged', 'unchanged'],
  keep: ['kept', 'would keep'],
};

async function install(flags: InstallFlags): Promise<void> {
  const mode = modeOf(flags);
  if (needsRoot(mode, flags, 'install')) return;
  const root = resolve(flags.root ?? '/');
  const plan = await planInstall({
    mode,
    root,
    env: process.env,
    home: homedir(),
    uid: uid(),
    timezone: machineTimeZone(),
    nodePath: realpathSync(process.execPath),
    nodeRuns: executable(realpathSync(process.execPath)),
    cliPath: realpathSync(fileURLToPath(new URL('../../bin/openclaw-budget', import.meta.url))),
    ...(flags.textfileDir ? { textfileDir: resolve(flags.textfileDir) } : {}),
  });
  const dry = Boolean(flags.dryRun);
  // A real install refuses; a dry run and --root (packaging, tests: not this machine's unit) print them.
  if (plan.problems.length > 0 && !dry && root === '/') {
    const log = createLogger({ verbose: false, env: process.env });
    for (const p of plan.problems) log.error(`install refused: ${p}`);
    log.error('nothing was written');
    process.exitCode = EXIT_FAILED;
    return;
  }
  out(`openclaw-budget install (${mode} unit${root === '/' ? '' : `, under ${root}`}${dry ? ', dry run: nothing written' : ''})`);
  for (const p of plan.problems) out(`PROBLEM (an install into / refuses): ${p}`);
  for (const f of plan.files) {
    out(`  ${VERB[f.kind][dry ? 1 : 0].padEnd(12)} ${f.path} (${f.what})`);
    if (dry && (f.kind === 'create' || f.kind === 'update')) out(f.content.replace(/^/gm, '      | '));
  }
  if (!dry) await applyInstall(plan);
  const changed = plan.files.some((f) => f.kind === 'create' || f.kind === 'update');
  const live = systemdRunning(mode, flags);
  if (live && changed) out(`  ran          ${systemctl(mode, ['daemon-reload']).text}`);
  for (const n of plan.notes) out(`note: ${n.replace(/\n/g, '\n      ')}`);

  const sc = mode === 'user' ? 'systemctl --user' : 'systemctl';
  const config = plan.files.find((f) => f.what.startsWith('config'));
  const steps = [
    ...(config?.kind === 'create' ? [`review ${plan.paths.configPath} (budget, timezone, gateways)`] : []),
    ...(!live && changed ? [`${sc} daemon-reload`] : []),
    `${sc} enable --now ${UNIT_NAME}.timer`,
    'openclaw-budget doctor',
    mode === 'user' ? `loginctl enable-linger ${process.env.USER ?? '$USER'}   # keep running while you are logged out` : `journalctl -u ${UNIT_NAME}.service   # one line per run`,
  ];
  out('next steps:');
  steps.forEach((s, i) => out(`  ${i + 1}. ${s}`));
}

async function uninstall(flags: InstallFlags): Promise<void> {
  const mode = modeOf(flags);
  if (needsRoot(mode, flags, 'uninstall')) return;
  const root = resolve(flags.root ?? '/');
  const plan = await planUninstall(mode, root, process.env, homedir(), uid());
  const dry = Boolean(flags.dryRun);
  const live = systemdRunning(mode, flags);
  out(`openclaw-budget uninstall (${mode} unit${root === '/' ? '' : `, under ${root}`}${dry ? ', dry run: nothing removed' : ''})`);
  if (live && plan.remove.length) out(`  ran          ${systemctl(mode, ['disable', '--now', `${UNIT_NAME}.timer`]).text}`);
  if (!dry) await applyUninstall(plan);
  for (const p of plan.remove) out(`  ${dry ? 'would remove' : 'removed'.padEnd(12)} ${p}`);
  for (const p of plan.foreign) out(`  ${'left alone'.padEnd(12)} ${p} (not written by openclaw-budget install)`);
  if (plan.remove.length === 0 && plan.foreign.length === 0) out('  nothing to remove: no unit installed');
  if (live && plan.remove.length) out(`  ran          ${systemctl(mode, ['daemon-reload']).text}`);
  out(`kept: the config ${plan.paths.configPath} and the ledger in ${plan.paths.stateDir}; delete them yourself if you no longer need the history`);
}

export function registerInstall(program: Command): void {
  const run = (fn: (f: InstallFlags) => Promise<void>) => async (flags: InstallFlags) => {
    try {
      await fn(flags);
      process.exitCode ??= EXIT_OK;
    } catch (err) {
      createLogger({ verbose: false, env: process.env }).error(err instanceof Error ? err.message : String(err));
      process.exitCode = EXIT_FAILED;
    }
  };
  program
    .command('install')
    .description('install the systemd service and 5-minute timer (and a config from the template if there is none); idempotent')
    .option('--user', 'install a user unit (~/.config/systemd/user) instead of the system unit')
    .option('--root <dir>', 'write every file under this directory (packaging, tests); runs no systemctl')
    .option('--dry-run', 'print what would be written, write nothing')
    .option('--textfile-dir <dir>', 'node_exporter textfile dir for a newly created config (default: a running node_exporter\'s, else Debian\'s if present)')
    .action(run(install));
  program
    .command('uninstall')
    .description('stop the timer and remove the units that install wrote (the config and the ledger are kept)')
    .option('--user', 'remove the user unit')
    .option('--root <dir>', 'remove files under this directory; runs no systemctl')
    .option('--dry-run', 'print what would be removed, remove nothing')
    .action(run(uninstall));
}
