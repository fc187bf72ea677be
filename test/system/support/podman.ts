// A real gateway container for the system suite: the cached bookworm rootfs (with this machine's node and the rootfs'
// sqlite3) `podman import`ed as an image, run with runc like a compose service, and a Docker API socket
// (`podman system service`) that the `docker` CLI on the test sshd's PATH reaches through DOCKER_HOST.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installNode, overlayOf, requireRootfs } from './rootfs.js';
import { requireBinary, waitFor } from './servers.js';

export const PODMAN = '/usr/bin/podman';
/** Every container the suite starts carries it, so a crashed run's leftovers can be told apart and removed. */
const OWN_LABEL = 'org.openclaw-budget.test=1';

function podman(args: string[]): string {
  const r = spawnSync(requireBinary(PODMAN, 'podman'), args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0)
    throw new Error(`podman ${args.join(' ')} failed (${r.status ?? r.error?.message}):\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

const IMAGE_REPO = 'localhost/openclaw-budget-ci/gateway';

/**
 * The gateway image: the rootfs plus this machine's node, imported once and reused (the tag names the rootfs build
 * and the node version, so either changing makes a new one, and the outdated ones are removed). Call it holding
 * claimContainerEngine().
 */
export function gatewayImage(): string {
  const rootfs = requireRootfs();
  requireBinary('/usr/sbin/runc', 'runc');
  const built = Math.floor(statSync(join(rootfs, '.openclaw-budget-ready')).mtimeMs / 1000);
  const image = `${IMAGE_REPO}:bookworm-${built}-node${process.versions.node}`;
  if (spawnSync(PODMAN, ['image', 'exists', image]).status === 0) return image;
  const outdated = podman(['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=${IMAGE_REPO}`])
    .split('\n')
    .filter((i) => i.startsWith(`${IMAGE_REPO}:`));
  if (outdated.length) spawnSync(PODMAN, ['rmi', '-f', ...outdated]);
  const overlay = overlayOf(rootfs);
  try {
    installNode(overlay.root);
    execFileSync(
      'sh',
      ['-c', 'tar -C "$1" -cf - . | "$2" import -q - "$3" >/dev/null', 'sh', overlay.root, PODMAN, image],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } finally {
    overlay.dispose();
  }
  return image;
}

const LOCK = join(existsSync('/run/lock') ? '/run/lock' : tmpdir(), 'openclaw-budget-test-containers.lock');

/**
 * The container engine for this test alone, until the returned release is called: root's podman is one per machine,
 * and two suites at once (two checkouts) would see each other's gateway containers when discovering by label. Waits
 * for a lock (flock(1), held by a child that exits when this process does), then removes containers an earlier run
 * left behind when it died before its cleanup.
 */
export async function claimContainerEngine(waitMs = 90_000): Promise<() => void> {
  const holder = spawn(
    requireBinary('/usr/bin/flock', 'util-linux'),
    ['-w', String(Math.ceil(waitMs / 1000)), LOCK, 'sh', '-c', 'echo locked; exec cat'],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  ) as ChildProcess & { log: string };
  holder.log = '';
  holder.stderr?.on('data', (d: Buffer) => (holder.log += d.toString()));
  let locked = false;
  holder.stdout?.on('data', (d: Buffer) => (locked ||= d.toString().includes('locked')));
  try {
    await waitFor(
      `the container engine (${LOCK}, held by another test run)`,
      async () => (locked ? true : undefined),
      waitMs + 5_000,
      holder,
    );
  } catch (err) {
    holder.kill('SIGKILL');
    throw err;
  }
  const ids = podman(['ps', '-aq', '--filter', `label=${OWN_LABEL}`])
    .split('\n')
    .filter(Boolean);
  if (ids.length) podman(['rm', '-f', '-t', '0', ...ids]);
  return () => holder.stdin?.end();
}

export interface GatewayContainer {
  name: string;
  stop(): void;
  start(): void;
  remove(): void;
}

/** `docker compose up` of one gateway, as far as openclaw-budget can tell: the compose label, the state dir mounted read-only. */
export function runGatewayContainer(
  image: string,
  name: string,
  stateDir: string,
  service = 'openclaw-gateway',
): GatewayContainer {
  podman([
    'run',
    '-d',
    '--runtime',
    'runc',
    '--ulimit',
    'nofile=1024:1024',
    '--ulimit',
    'nproc=4096:4096',
    '--label',
    `com.docker.compose.service=${service}`,
    '--label',
    OWN_LABEL,
    '--name',
    name,
    '-v',
    `${stateDir}:/home/node/.openclaw:ro`,
    image,
    'sleep',
    '600',
  ]);
  return {
    name,
    stop: () => void podman(['stop', '-t', '0', name]),
    start: () => void podman(['start', name]),
    remove: () => void spawnSync(PODMAN, ['rm', '-f', '-t', '0', name]),
  };
}

export interface DockerApi {
  /** For DOCKER_HOST. */
  host: string;
  stop(): Promise<void>;
}

function ping(socketPath: string): Promise<true | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? true : undefined);
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** `podman system service` on a socket of its own; ready once it answers the Docker API's /_ping. */
export async function startDockerApi(): Promise<DockerApi> {
  requireBinary(PODMAN, 'podman');
  const dir = mkdtempSync(join(tmpdir(), 'ocb-podman-'));
  const socket = join(dir, 'docker.sock');
  const p = spawn(PODMAN, ['system', 'service', '--time=0', `unix://${socket}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { log: string };
  p.log = '';
  p.stdout?.on('data', (d: Buffer) => (p.log += d.toString()));
  p.stderr?.on('data', (d: Buffer) => (p.log += d.toString()));
  try {
    await waitFor(
      'podman system service',
      () => (existsSync(socket) ? ping(socket) : Promise.resolve(undefined)),
      20_000,
      p,
    );
  } catch (err) {
    p.kill('SIGKILL');
    throw err;
  }
  return {
    host: `unix://${socket}`,
    async stop() {
      if (p.exitCode === null && p.signalCode === null) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
