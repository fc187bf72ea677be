// install / uninstall: plan the files (pure given what is on disk), then write them. systemctl is the CLI's job.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { STATE_DIR_NAMES } from '../pipeline/gateways.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import type { Env } from '../shared/env.js';
import { findNodeExporters, textfileDirsOf } from '../sinks/node-exporter.js';
import { renderConfigTemplate } from './config-template.js';
import { type InstallMode, type InstallPaths, installPaths, underRoot } from './paths.js';
import { INSTALLED_MARK, renderService, renderTimer, UNIT_NAME } from './units.js';

/** Debian's prometheus-node-exporter reads this directory. */
export const DEBIAN_TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';

const TEMPLATES = new URL('../../systemd/', import.meta.url);

export interface InstallRequest {
  mode: InstallMode;
  root: string;
  env: Env;
  home: string;
  uid: number;
  timezone: string;
  /** Real paths of node and of bin/openclaw-budget. */
  nodePath: string;
  cliPath: string;
  /** Whether nodePath is an executable file (checked by the caller, which knows the real system). */
  nodeRuns?: boolean;
  /** `--textfile-dir`: used when the config is created. */
  textfileDir?: string;
}

export type FileActionKind = 'create' | 'update' | 'unchanged' | 'keep';

export interface FileAction {
  /** The path as written (under --root). */
  path: string;
  kind: FileActionKind;
  content: string;
  mode: number;
  what: string;
}

export interface InstallPlan {
  paths: InstallPaths;
  files: FileAction[];
  /**
   * Missing directories the system unit writes (textfile dir, flag file's dir), as written (under --root): the
   * service cannot create them itself, ProtectSystem=strict leaves only existing ReadWritePaths= writable.
   */
  dirs: string[];
  /** Things the operator should know (an invalid existing config, no gateway found, ...). */
  notes: string[];
  /** Why the unit could not work as planned (ExecStart it cannot see): nothing is written while there are any. */
  problems: string[];
}

const TMP_DIRS = ['/tmp', '/var/tmp'];
const HOME_DIRS = ['/home', '/root', '/run/user'];
const under = (p: string, dirs: readonly string[]) => dirs.some((d) => p === d || p.startsWith(`${d}/`));

/**
 * What would keep the unit's ExecStart from running (refused): a node or CLI under /tmp (the system unit has
 * PrivateTmp=yes: its /tmp is empty; either way /tmp is cleaned), a node that is not an executable file. What may stop
 * it later (notes): a node from npx's cache, a CLI under a home directory.
 */
export function unitProblems(
  mode: InstallMode,
  nodePath: string,
  cliPath: string,
  nodeRuns: boolean,
): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const fix =
    'install from a checkout or an `npm install -g openclaw-budget` outside /tmp (e.g. under /opt or /usr/local), with a Node.js installed system-wide (e.g. /usr/bin/node)';
  for (const [what, p] of [
    ['node', nodePath],
    ['the CLI', cliPath],
  ] as const) {
    if (!under(p, TMP_DIRS)) continue;
    problems.push(
      mode === 'system'
        ? `${what} is ${p}, under ${p.startsWith('/var/tmp') ? '/var/tmp' : '/tmp'}: the unit runs with PrivateTmp=yes, so the service sees an empty /tmp and could never start it; ${fix}`
        : `${what} is ${p}, under a temporary directory that is cleaned (at reboot at the latest): the timer would fail from then on; ${fix}`,
    );
  }
  // Works today, breaks the day npm cleans its cache: said loudly, not refused (CI runs Node 22/24 from there).
  if (nodePath.includes('/_npx/'))
    notes.push(
      `WARNING: node is ${nodePath}, a temporary copy in npx's cache: the timer fails once npm cleans that cache; ${fix}`,
    );
  if (!nodeRuns) problems.push(`node ${nodePath} is not an executable file the unit could run; ${fix}`);
  if (mode === 'system' && under(cliPath, HOME_DIRS)) {
    notes.push(
      `the CLI is under a home directory (${cliPath}): the unit (ProtectHome=read-only) can read it, but it breaks if that home is encrypted, automounted or removed; a copy under /opt or /usr/local is safer`,
    );
  }
  return { problems, notes };
}

async function readOr(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Local OpenClaw state dirs under the homes (first name found per home: newest name first). */
async function findLocalGateways(root: string, homes: readonly string[]): Promise<{ name: string; path: string }[]> {
  const dirs: string[] = [];
  for (const h of homes) {
    if (!h.endsWith('/*')) dirs.push(h);
    else {
      const parent = h.slice(0, -2);
      const names = await readdir(underRoot(root, parent)).catch(() => [] as string[]);
      dirs.push(...names.sort().map((n) => join(parent, n)));
    }
  }
  const out: { name: string; path: string }[] = [];
  for (const home of dirs) {
    const found = STATE_DIR_NAMES.map((n) => join(home, n)).find(
      (p) => existsSync(join(underRoot(root, p), 'agents')) || existsSync(join(underRoot(root, p), 'sessions')),
    );
    if (found)
      out.push({
        name:
          basename(home)
            .replace(/[^A-Za-z0-9_.-]/g, '-')
            .replace(/^[^A-Za-z0-9]/, 'g') || 'local',
        path: found,
      });
  }
  return out;
}

/** The textfile dir of a node_exporter running here, else Debian's if it exists. */
async function detectTextfileDir(root: string): Promise<string | undefined> {
  if (root === '/') {
    for (const p of await findNodeExporters()) {
      const [dir] = await textfileDirsOf(p);
      if (dir) return dir;
    }
  }
  return existsSync(underRoot(root, DEBIAN_TEXTFILE_DIR)) ? DEBIAN_TEXTFILE_DIR : undefined;
}

function fileAction(
  path: string,
  content: string,
  existing: string | undefined,
  mode: number,
  what: string,
): FileAction {
  return {
    path,
    content,
    mode,
    what,
    kind: existing === undefined ? 'create' : existing === content ? 'unchanged' : 'update',
  };
}

/**
 * Directories the system unit must be allowed to write besides its state and runtime dirs: the textfile dir, the
 * flag file's dir, and a configured state dir elsewhere than the unit's (ProtectSystem=strict and ProtectHome=read-only
 * make everything else read-only).
 */
export function writablePaths(
  paths: Pick<InstallPaths, 'stateDir' | 'flagFile'>,
  textfileDir: string | undefined,
  flagFile: string | undefined,
  stateDir?: string,
): string[] {
  const out = textfileDir ? [textfileDir] : [];
  if (stateDir && stateDir !== paths.stateDir && !out.includes(stateDir)) out.push(stateDir);
  const flagDir = flagFile ? dirname(flagFile) : undefined;
  const covered = [dirname(paths.flagFile), paths.stateDir, ...out];
  if (flagDir && !covered.some((d) => flagDir === d || flagDir.startsWith(`${d}/`))) out.push(flagDir);
  return out;
}

export async function planInstall(req: InstallRequest): Promise<InstallPlan> {
  const paths: InstallPaths = { ...installPaths(req.mode, req.env, req.home, req.uid), root: req.root };
  const notes: string[] = [];
  const configFile = underRoot(req.root, paths.configPath);
  const existingConfig = await readOr(configFile);

  let textfileDir: string | undefined;
  let flagFile: string | undefined;
  let stateDir: string | undefined;
  let configText = existingConfig;
  if (existingConfig !== undefined) {
    try {
      const { config } = await loadConfig({ config: configFile }, {});
      textfileDir = config.textfileDir;
      flagFile = config.flagFile;
      stateDir = config.stateDir;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      notes.push(
        `the existing config is invalid, so the unit uses default paths; fix it and re-run install:\n${err.message}`,
      );
      textfileDir = DEBIAN_TEXTFILE_DIR;
    }
  } else {
    textfileDir = req.textfileDir ?? (req.mode === 'system' ? await detectTextfileDir(req.root) : undefined);
    flagFile = paths.flagFile;
    const gateways = await findLocalGateways(req.root, paths.homes);
    if (req.mode === 'system' && gateways.length === 0)
      notes.push(`no OpenClaw state dir found under ${paths.homes.join(', ')}: add your gateways to the config`);
    configText = renderConfigTemplate({
      mode: req.mode,
      timezone: req.timezone,
      stateDir: paths.stateDir,
      flagFile: paths.flagFile,
      textfileDir,
      gateways,
    });
  }

  const execStart = [req.nodePath, req.cliPath, 'check', '--quiet', '--config', paths.configPath];
  const templateDir = req.mode === 'system' ? TEMPLATES : new URL('user/', TEMPLATES);
  const readWritePaths = req.mode === 'system' ? writablePaths(paths, textfileDir, flagFile, stateDir) : undefined;
  const service = renderService(await readFile(new URL(`${UNIT_NAME}.service`, templateDir), 'utf8'), {
    execStart,
    ...(readWritePaths ? { readWritePaths } : {}),
  });
  const dirs = (readWritePaths ?? []).map((d) => underRoot(req.root, d)).filter((d) => !existsSync(d));
  const timer = renderTimer(await readFile(new URL(`${UNIT_NAME}.timer`, TEMPLATES), 'utf8'));
  const servicePath = underRoot(req.root, join(paths.unitDir, `${UNIT_NAME}.service`));
  const timerPath = underRoot(req.root, join(paths.unitDir, `${UNIT_NAME}.timer`));
  const files = [
    fileAction(servicePath, service, await readOr(servicePath), 0o644, 'service'),
    fileAction(timerPath, timer, await readOr(timerPath), 0o644, 'timer'),
    existingConfig === undefined
      ? fileAction(configFile, configText ?? '', undefined, 0o600, 'config, from the template')
      : { path: configFile, content: existingConfig, mode: 0o600, what: 'config', kind: 'keep' as const },
  ];
  const checked = unitProblems(req.mode, req.nodePath, req.cliPath, req.nodeRuns ?? true);
  return { paths, files, dirs, notes: [...notes, ...checked.notes], problems: checked.problems };
}

export async function applyInstall(plan: InstallPlan): Promise<void> {
  for (const d of plan.dirs) await mkdir(d, { recursive: true, mode: 0o755 });
  for (const f of plan.files)
    if (f.kind === 'create' || f.kind === 'update') await writeFileAtomic(f.path, f.content, f.mode, true);
}

export interface UninstallPlan {
  paths: InstallPaths;
  /** Unit files to remove (ours). */
  remove: string[];
  /** Unit files at our names that install did not write: left alone. */
  foreign: string[];
}

export async function planUninstall(
  mode: InstallMode,
  root: string,
  env: Env,
  home: string,
  uid: number,
): Promise<UninstallPlan> {
  const paths: InstallPaths = { ...installPaths(mode, env, home, uid), root };
  const plan: UninstallPlan = { paths, remove: [], foreign: [] };
  for (const ext of ['timer', 'service']) {
    const p = underRoot(root, join(paths.unitDir, `${UNIT_NAME}.${ext}`));
    const text = await readOr(p);
    if (text === undefined) continue;
    (text.startsWith(INSTALLED_MARK) ? plan.remove : plan.foreign).push(p);
  }
  return plan;
}

export async function applyUninstall(plan: UninstallPlan): Promise<void> {
  for (const p of plan.remove) await unlink(p);
}
