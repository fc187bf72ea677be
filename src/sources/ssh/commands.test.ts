import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commandLine,
  composeService,
  encodeLine,
  execRequest,
  explainFailure,
  listRequest,
  parseListing,
  pickGatewayContainer,
  SESSION_ARGV,
  shQuote,
  splitListing,
} from './commands.js';

const ctx = { target: 'sam@gw:22', what: 'listing /s', path: '/s', container: undefined, sudo: false, user: 'sam' };

describe('remote commands', () => {
  it('quotes any argument so that sh sees it unchanged', () => {
    for (const arg of ["a'b", '$(id)', '`id`', 'a b\nc', '\'"\\;&|', '']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shQuote(arg)}`], { encoding: 'utf8' })).toBe(arg);
    }
  });

  it('wraps for docker exec and sudo', () => {
    expect(commandLine(['tail', '-c', '+1', '/x'], { container: 'gw-1', sudo: true })).toBe(
      "'sudo' '-n' '--' 'docker' 'exec' 'gw-1' 'tail' '-c' '+1' '/x'",
    );
    expect(commandLine(['sh'], { container: 'gw-1', sudo: false }, { stdin: true })).toBe(
      "'docker' 'exec' '-i' 'gw-1' 'sh'",
    );
  });

  it('passes any argument through the session script unchanged, never as shell syntax', () => {
    const hostile = ["a'b", '$(id)', '`id`', 'a b\nc\r', '\\0101 \\n %s %b', '', '  lead and trail  ', 'ünïcødé'];
    const [cmd, ...args] = SESSION_ARGV('/nonexistent');
    const input = `NONCE\n${execRequest(['printf', '[%s]', ...hostile])}`;
    for (const sh of ['sh', 'dash', 'bash', 'busybox']) {
      const argv = sh === 'busybox' ? ['busybox', 'sh', ...args] : [sh, ...args];
      if (spawnSync('sh', ['-c', `command -v ${argv[0]}`]).status !== 0) continue;
      const out = spawnSync(argv[0] as string, argv.slice(1), { input, encoding: 'utf8' }).stdout;
      expect(out, sh).toBe(`${hostile.map((h) => `[${h}]`).join('')}#ocb-NONCE# 0 \n`);
    }
    expect(cmd).toBe('sh');
    expect(() => encodeLine('a\0b')).toThrow(/NUL/);
  });

  it('parses NUL-separated and line listings', () => {
    const gnu = Buffer.from(
      'r 10 1763626502.5 42 1000 600 agents/a/sessions/x.jsonl\0u 5 1763626502 43 0 600 ./openclaw-2026-11-20.log\0',
    );
    expect(parseListing(gnu, '/s/')).toEqual([
      {
        id: '/s/agents/a/sessions/x.jsonl',
        rel: 'agents/a/sessions/x.jsonl',
        size: 10,
        mtimeMs: 1763626502500,
        ino: 42,
        uid: 1000,
        mode: '600',
        readable: true,
      },
      {
        id: '/s/openclaw-2026-11-20.log',
        rel: 'openclaw-2026-11-20.log',
        size: 5,
        mtimeMs: 1763626502000,
        ino: 43,
        uid: 0,
        mode: '600',
        readable: false,
      },
    ]);
    expect(parseListing(Buffer.from('r 1 2 3 4 644 sessions/a b.jsonl\n'), '/s')[0]?.rel).toBe('sessions/a b.jsonl');
  });

  it('finds the gateway container by its compose service', () => {
    const svc = (s: string) => `com.docker.compose.project=app,com.docker.compose.service=${s}`;
    expect(
      pickGatewayContainer(
        `db-1\tUp 1 hour\t${svc('db')}\napp-openclaw-gateway-1\tUp 2 hours\t${svc('openclaw-gateway')}\n`,
        'gw',
      ),
    ).toEqual({ ok: true, name: 'app-openclaw-gateway-1' });
    expect(pickGatewayContainer(`old-moltbot-gateway-1\tUp 2 hours\t${svc('moltbot-gateway')}\n`, 'gw')).toEqual({
      ok: true,
      name: 'old-moltbot-gateway-1',
    });
    const two = pickGatewayContainer(
      `a\tUp 1\t${svc('openclaw-gateway')}\nb\tUp 2\t${svc('openclaw-gateway')}\n`,
      'gw',
    );
    expect(two.ok).toBe(false);
    // A container without compose labels, and a service whose name only ends like ours.
    expect(pickGatewayContainer('x\tUp 1\t\ny\tUp 1\tcom.docker.compose.service=my-openclaw-gateway\n', 'gw').ok).toBe(
      false,
    );
  });

  it("reads the compose service from Docker's and from Podman's `docker ps` label formats", () => {
    // Docker CLI 28 and podman-docker 4.3 (`{{.Labels}}`), as each printed them for the same container.
    expect(composeService('com.docker.compose.project=proj,com.docker.compose.service=openclaw-gateway,org.x=1')).toBe(
      'openclaw-gateway',
    );
    expect(
      composeService('map[com.docker.compose.project:proj com.docker.compose.service:openclaw-gateway org.x:1]'),
    ).toBe('openclaw-gateway');
    expect(composeService('map[com.docker.compose.service:openclaw-gateway]')).toBe('openclaw-gateway');
    expect(composeService('x.com.docker.compose.service=evil')).toBeUndefined();
    expect(composeService('')).toBeUndefined();
  });

  it('explains sudo and docker failures', () => {
    expect(explainFailure(1, 'sudo: a password is required\n', { ...ctx, sudo: true })).toContain('passwordless sudo');
    expect(
      explainFailure(
        1,
        'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock',
        { ...ctx, container: 'c' },
      ),
    ).toContain('docker group');
    expect(explainFailure(2, 'boom\n', ctx)).toBe('listing /s failed in sam@gw:22 (exit 2): boom');
    // A stopped container, as Docker and as Podman's Docker API (podman-docker) say it.
    for (const err of [
      'Error response from daemon: container 0123456789ab is not running',
      'Error response from daemon: can only create exec sessions on running containers: container state improper',
    ]) {
      expect(explainFailure(1, `${err}\n`, { ...ctx, container: 'gw-1' })).toBe(
        'the container gw-1 on sam@gw:22 is not running: start it (docker compose up -d)',
      );
    }
  });

  it("carries the gateway's openclaw.json on the listing's answer, never through a symlink", () => {
    const root = mkdtempSync(join(tmpdir(), 'ocb-list-'));
    mkdirSync(join(root, 'agents', 'main', 'sessions'), { recursive: true });
    writeFileSync(join(root, 'agents', 'main', 'sessions', 'a.jsonl'), '{}\n');
    const [cmd, ...args] = SESSION_ARGV(root);
    const list = () => {
      const out = spawnSync(cmd as string, args, {
        input: `NONCE\n${listRequest(['agents/*/sessions'], 0, Date.now())}`,
      }).stdout;
      const trailer = out.indexOf('#ocb-NONCE# ok\n');
      expect(trailer).toBeGreaterThan(0);
      return splitListing(out.subarray(0, trailer));
    };
    expect(list().gatewayConfig).toBeUndefined();
    expect(parseListing(list().listing, root).map((f) => f.rel)).toEqual(['agents/main/sessions/a.jsonl']);
    const config = '{ // comments and\n"models": {},\n}\n';
    writeFileSync(join(root, 'openclaw.json'), config);
    expect(list().gatewayConfig).toBe(config);
    expect(parseListing(list().listing, root).map((f) => f.rel)).toEqual(['agents/main/sessions/a.jsonl']);
    const other = mkdtempSync(join(tmpdir(), 'ocb-list-'));
    writeFileSync(join(other, 'secret.json'), '{"not": "yours"}');
    const linked = mkdtempSync(join(tmpdir(), 'ocb-list-'));
    symlinkSync(join(other, 'secret.json'), join(linked, 'openclaw.json'));
    const [c2, ...a2] = SESSION_ARGV(linked);
    const out = spawnSync(c2 as string, a2, {
      input: `NONCE\n${listRequest(['agents/*/sessions'], 0, Date.now())}`,
    }).stdout;
    expect(out.toString()).toBe('#ocb-NONCE# ok\n');
  });
});
