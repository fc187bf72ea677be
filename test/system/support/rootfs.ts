// The cached Debian bookworm rootfs (scripts/ci/prepare-systemd-rootfs.sh) for the system suite: an overlay of it per
// run (the cache stays clean), this machine's node and this checkout's package npm-installed into it, a systemd-nspawn
// boot with a hard time limit, and a tarball of it for `podman import`.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../../support/cli.js';
import { requireBinary } from './servers.js';

export const SYSTEMD_ROOTFS =
  process.env.OPENCLAW_BUDGET_SYSTEMD_ROOTFS ?? '/var/cache/openclaw-budget-ci/bookworm-systemd-v2';
const NSPAWN = '/usr/bin/systemd-nspawn';

/** The cached rootfs, or a loud error saying how to build it. */
export function requireRootfs(): string {
  if (!existsSync(join(SYSTEMD_ROOTFS, '.openclaw-budget-ready'))) {
    throw new Error(
      `${SYSTEMD_ROOTFS} is missing or incomplete: run scripts/ci/prepare-systemd-rootfs.sh as root (.ci/run does)`,
    );
  }
  return SYSTEMD_ROOTFS;
}

export interface Overlay {
  root: string;
  dispose(): void;
}

/** A writable view of `lower`: an overlayfs mount, or a plain copy where overlayfs cannot stack (e.g. /tmp on overlayfs). */
export function overlayOf(lower: string): Overlay {
  const dir = mkdtempSync(join(tmpdir(), 'ocb-rootfs-'));
  const root = join(dir, 'root');
  for (const d of ['upper', 'work', 'root']) mkdirSync(join(dir, d));
  const mount = spawnSync('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${lower},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`,
    root,
  ]);
  const mounted = mount.status === 0;
  if (!mounted) execFileSync('cp', ['-a', `${lower}/.`, root]);
  chmodSync(root, 0o755);
  return {
    root,
    dispose() {
      if (mounted) spawnSync('umount', ['-R', root]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A copy of an OpenClaw state dir as the gateway leaves it: owned by its user (uid 1000, "node" in Docker), dirs 0700, files 0600. */
export function copyAsGateway(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  cpSync(src, dest, { recursive: true });
  const walk = (p: string, dir: boolean) => {
    chmodSync(p, dir ? 0o700 : 0o600);
    if (dir) for (const e of readdirSync(p, { withFileTypes: true })) walk(join(p, e.name), e.isDirectory());
  };
  walk(dest, true);
  const r = spawnSync('chown', ['-R', '1000:1000', dest], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chown -R 1000:1000 ${dest} failed: ${r.stderr}`);
}

/** Copy this machine's node into the rootfs, with any shared library it links against that the rootfs lacks. */
export function installNode(root: string, at = '/usr/local/bin/node'): void {
  mkdirSync(dirname(join(root, at)), { recursive: true });
  copyFileSync(process.execPath, join(root, at));
  chmodSync(join(root, at), 0o755);
  const ldd = spawnSync('ldd', [process.execPath], { encoding: 'utf8' });
  for (const m of (ldd.stdout ?? '').matchAll(/=> (\/\S+)/g)) {
    const lib = m[1] as string;
    if (existsSync(join(root, lib))) continue;
    mkdirSync(dirname(join(root, lib)), { recursive: true });
    copyFileSync(lib, join(root, lib));
  }
}

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0)
    throw new Error(
      `npm ${args.join(' ')} failed (${r.status ?? r.error?.message}) in ${cwd}:\n${r.stdout}${r.stderr}`,
    );
  return r.stdout.trim();
}

/**
 * `npm install -g` of this checkout into `<root>/usr/local`, as a user installs the published package, but offline:
 * `npm pack` the checkout (built by `npm run test:system`), install its production dependencies from the npm cache
 * that `npm ci` filled (`npm ci --offline` with our lockfile), repack with those bundled, and install that tarball.
 */
export function npmInstallGlobal(root: string): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.bundle.cjs')))
    throw new Error('dist/ is not built: run npm run build (npm run test:system does)');
  const work = mkdtempSync(join(tmpdir(), 'ocb-pack-'));
  try {
    const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', work], ROOT).split('\n').pop() as string;
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
    const pkgDir = join(work, 'package');
    copyFileSync(join(ROOT, 'package-lock.json'), join(pkgDir, 'package-lock.json'));
    try {
      npm(['ci', '--omit=dev', '--offline', '--ignore-scripts'], pkgDir);
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nthe npm cache lacks a dependency: run npm ci in the checkout first (.ci/run does)`,
      );
    }
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete pkg.scripts;
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ ...pkg, bundleDependencies: true }));
    rmSync(join(pkgDir, 'package-lock.json'));
    mkdirSync(join(work, 'bundled'));
    const bundled = npm(['pack', '--ignore-scripts', '--pack-destination', join(work, 'bundled')], pkgDir)
      .split('\n')
      .pop() as string;
    npm(
      [
        'install',
        '-g',
        '--offline',
        '--ignore-scripts',
        '--prefix',
        join(root, 'usr', 'local'),
        join(work, 'bundled', bundled),
      ],
      work,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface Boot {
  code: number | null;
  /** The container's console (systemd's boot and shutdown messages). */
  console: string;
  timedOut: boolean;
}

/** Children of a process, from /proc (the container's PID 1 is nspawn's child). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = (() => {
      try {
        return readFileSync(`/proc/${d}/stat`, 'utf8');
      } catch {
        return '';
      }
    })();
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(d));
  }
  return out;
}

/**
 * Boot the rootfs with systemd as PID 1 until it powers itself off. Past `timeoutMs` the container is killed (its
 * PID 1 with SIGKILL takes its whole PID namespace along) and the boot reports timedOut: a hung boot fails, it never
 * hangs the suite.
 */
export function boot(root: string, binds: readonly string[], timeoutMs: number): Promise<Boot> {
  requireBinary(NSPAWN, 'systemd-container');
  const args = [
    '--register=no',
    '--keep-unit',
    '-q',
    '--console=pipe',
    '-D',
    root,
    ...binds.map((b) => `--bind=${b}`),
    '-b',
  ];
  const p: ChildProcess = spawn(NSPAWN, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SYSTEMD_COLORS: '0' },
  });
  let log = '';
  p.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  p.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (p.pid !== undefined) for (const c of childrenOf(p.pid)) spawnSync('kill', ['-KILL', String(c)]);
    p.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    p.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    p.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, console: log, timedOut });
    });
  });
}

/** `systemctl show` output as a map (the last of repeated keys wins). */
export function parseShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
