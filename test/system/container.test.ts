// Container mode against a real container: a gateway container run by podman (runc) from the bookworm rootfs, its
// state dir bind-mounted read-only at /home/node/.openclaw as the official compose file does, reached over a real
// sshd. Two `docker` clients, as users have them: Docker's own CLI (this machine's /usr/local/bin/docker) talking to
// `podman system service` through DOCKER_HOST, and Debian's podman-docker (`docker` runs podman itself). The CLI runs
// as a black box (bin/openclaw-budget), whatever the SSH source does inside.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runCli } from '../support/cli.js';
import {
  claimContainerEngine,
  type DockerApi,
  type GatewayContainer,
  gatewayImage,
  runGatewayContainer,
  startDockerApi,
} from './support/podman.js';
import { copyAsGateway } from './support/rootfs.js';
import { requireBinary } from './support/servers.js';
import { type Sshd, startSshd } from './support/sshd.js';

const NOW = '2026-11-20T21:30:00Z';
// The container name README's quick start tells users to pass (compose project "openclaw"): tested as written.
const README_CONTAINER = /--container (\S+)/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1];
const TZ = 'Europe/Rome';

interface Summary {
  totalCostUsd: number;
  models: { model: string; calls: number; costUsd: number }[];
  sources: { name: string; ok: boolean; bytesRead: number; callsAdded: number; error?: string }[];
}

let work: string;
let api: DockerApi | undefined;
let release: (() => void) | undefined;
const clients: { name: string; sshd: Sshd }[] = [];
let gateway: GatewayContainer | undefined;
let state: string;
let local: Summary;

function check(args: string[]): { status: number | null; json: Summary | undefined; stderr: string } {
  const r = runCli(
    ['check', '--json', '--no-alert', '--now', NOW, '--timezone', TZ, ...args],
    cleanEnv({ HOME: work }),
  );
  let json: Summary | undefined;
  try {
    json = JSON.parse(r.stdout) as Summary;
  } catch {
    json = undefined;
  }
  return { status: r.status, json, stderr: r.stderr };
}

function sshConfig(sshd: Sshd, gateways: Record<string, unknown>[]): string {
  const ssh = {
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    identityFile: sshd.clientKey,
    knownHosts: sshd.knownHosts,
    agent: false,
  };
  const file = join(work, `config-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify({ gateways: gateways.map((g) => ({ ssh, ...g })) }));
  return file;
}

const stateDir = () => mkdtempSync(join(work, 'st-'));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocb-container-'));
  chmodSync(work, 0o755);
  // The shipped fixtures as the gateway leaves them in its volume.
  state = join(work, 'openclaw');
  copyAsGateway(join(ROOT, 'fixtures', 'openclaw-state'), state);
  const l = check(['--source', state, '--state-dir', stateDir()]);
  if (l.status !== 0 || !l.json) throw new Error(`local check failed: ${l.stderr}`);
  local = l.json;

  release = await claimContainerEngine();
  const image = gatewayImage();
  api = await startDockerApi();
  requireBinary('/usr/local/bin/docker', 'the Docker CLI (part of this machine kind)');
  clients.push({ name: 'Docker CLI + DOCKER_HOST', sshd: await startSshd({ env: { DOCKER_HOST: api.host } }) });
  // podman-docker's `docker` first on PATH, ahead of /usr/local/bin.
  const podmanDocker = join(work, 'podman-docker');
  mkdirSync(podmanDocker);
  symlinkSync(requireBinary('/usr/bin/docker', 'podman-docker'), join(podmanDocker, 'docker'));
  clients.push({ name: 'podman-docker', sshd: await startSshd({ pathDirs: [podmanDocker] }) });
  if (!README_CONTAINER) throw new Error('README.md no longer shows a --container NAME example: update this test');
  gateway = runGatewayContainer(image, README_CONTAINER, state);
}, 180_000);

afterAll(async () => {
  gateway?.remove();
  for (const c of clients) await c.sshd.stop();
  await api?.stop();
  release?.();
  rmSync(work, { recursive: true, force: true });
});

describe.each(['Docker CLI + DOCKER_HOST', 'podman-docker'])(
  'container mode against a real container, %s on the remote PATH',
  (client) => {
    const sshd = () => {
      const c = clients.find((x) => x.name === client);
      if (!c) throw new Error(`no sshd for ${client}`);
      return c.sshd;
    };

    it("--container NAME (README's) reads through docker exec exactly what a local read of the same state counts", () => {
      const name = gateway?.name as string;
      const url = `ssh://${sshd().user}@127.0.0.1:${sshd().port}/home/node/.openclaw`;
      const st = stateDir();
      const args = [
        '--source',
        url,
        '--container',
        name,
        '--ssh-key',
        sshd().clientKey,
        '--known-hosts',
        sshd().knownHosts,
        '--state-dir',
        st,
      ];
      const first = check(args);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      const s = first.json as Summary;
      expect(s.totalCostUsd).toBeGreaterThan(0);
      expect(s.totalCostUsd).toBe(local.totalCostUsd);
      expect(s.models).toEqual(local.models);
      expect(s.sources[0]).toMatchObject({
        ok: true,
        bytesRead: local.sources[0]?.bytesRead,
        callsAdded: local.sources[0]?.callsAdded,
      });
      // A quiet tick: nothing new crosses the wire.
      const quiet = check(args).json as Summary;
      expect(quiet.sources[0]).toMatchObject({ ok: true, bytesRead: 0, callsAdded: 0 });
      expect(quiet.totalCostUsd).toBe(s.totalCostUsd);
    });

    it('"container": true finds the gateway by its compose label and reads /home/node/.openclaw by default', () => {
      const r = check([
        '--config',
        sshConfig(sshd(), [{ name: 'docker', container: true }]),
        '--state-dir',
        stateDir(),
      ]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.json?.sources[0]).toMatchObject({ name: 'docker', ok: true, callsAdded: local.sources[0]?.callsAdded });
      expect(r.json?.totalCostUsd).toBe(local.totalCostUsd);
    });

    it('doctor reads the discovered container gateway', () => {
      const config = sshConfig(sshd(), [{ name: 'docker', container: true }]);
      const r = runCli(['doctor', '--config', config, '--state-dir', stateDir()], cleanEnv({ HOME: work }));
      expect(r.stdout).toMatch(/^PASS +gateway docker +\d+ transcripts/m);
    });

    it('a container name that does not exist is explained', () => {
      const r = check([
        '--config',
        sshConfig(sshd(), [{ name: 'typo', container: 'openclaw-gatway-1', path: '/home/node/.openclaw' }]),
        '--state-dir',
        stateDir(),
      ]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`there is no container openclaw-gatway-1 on ${sshd().user}@127.0.0.1:${sshd().port}`);
    });

    it('a stopped gateway container is explained, found by name or by label; the other gateway still counts', () => {
      const name = gateway?.name as string;
      gateway?.stop();
      try {
        const config = sshConfig(sshd(), [
          { name: 'byname', container: name },
          { name: 'bylabel', container: true },
          { name: 'host', path: state },
        ]);
        const r = check(['--config', config, '--state-dir', stateDir()]);
        expect(r.status).toBe(1);
        expect(r.json?.sources.map((x) => [x.name, x.ok])).toEqual([
          ['byname', false],
          ['bylabel', false],
          ['host', true],
        ]);
        const target = `${sshd().user}@127.0.0.1:${sshd().port}`;
        expect(r.stderr).toContain(`the container ${name} on ${target} is not running: start it`);
        expect(r.stderr).toMatch(
          new RegExp(`the gateway container ${name} on ${target.replace(/\./g, '\\.')} is not running \\(Exited`),
        );
        expect(r.json?.totalCostUsd).toBe(local.totalCostUsd);
      } finally {
        gateway?.start();
      }
    });
  },
);
