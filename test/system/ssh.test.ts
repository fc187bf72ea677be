// The SSH source against a real OpenSSH sshd on 127.0.0.1, through the built CLI. Container mode against a real
// container is container.test.ts.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLine, fillerLine, sessionHeader } from '../support/transcripts.js';
import { keygen, type Sshd, startSshd } from './support/sshd.js';

const BIN = fileURLToPath(new URL('../../bin/openclaw-budget', import.meta.url));
let sshd: Sshd;
let work: string;
let hostDir: string;
let secondDir: string;

interface SourceJson {
  name: string;
  ok: boolean;
  bytesRead: number;
  listingBytes: number;
  callsAdded: number;
  durationSeconds: number;
  error?: string;
}
interface Summary {
  totalCostUsd: number;
  models: { model: string; calls: number; costUsd: number }[];
  sources: SourceJson[];
  durationSeconds: number;
}

function run(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; json: Summary | undefined; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, 'check', '--json', '--timezone', 'UTC', '--no-alert', ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: work,
      OPENCLAW_BUDGET_CONFIG: '',
      OPENCLAW_BUDGET_PRICING_AUTO_UPDATE: '0',
      ...env,
    },
  });
  let json: Summary | undefined;
  try {
    json = JSON.parse(r.stdout) as Summary;
  } catch {
    json = undefined;
  }
  return { code: r.status, json, stderr: r.stderr, stdout: r.stdout };
}

function writeState(dir: string, calls: number, model: string): void {
  mkdirSync(join(dir, 'agents', 'main', 'sessions'), { recursive: true });
  let text = sessionHeader();
  for (let i = 0; i < calls; i++) text += callLine(Date.now(), model) + fillerLine(2000);
  writeFileSync(join(dir, 'agents', 'main', 'sessions', 'live.jsonl'), text, { mode: 0o600 });
  writeFileSync(
    join(dir, 'agents', 'main', 'sessions', `old.jsonl.deleted.2026-11-20T01-02-03.456Z`),
    sessionHeader() + callLine(),
    { mode: 0o600 },
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocb-sys-ssh-'));
  chmodSync(work, 0o755);
  sshd = await startSshd();
  hostDir = join(work, 'host', '.openclaw');
  secondDir = join(work, 'second', '.openclaw');
  writeState(hostDir, 3, 'claude-opus-4-5');
  writeState(secondDir, 2, 'claude-sonnet-4-5');
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

function gatewaysConfig(): string {
  const ssh = {
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    identityFile: sshd.clientKey,
    knownHosts: sshd.knownHosts,
    agent: false,
  };
  const file = join(work, `config-${Math.random()}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      gateways: [
        { name: 'host', ssh, path: hostDir },
        { name: 'second', ssh, path: secondDir },
      ],
    }),
  );
  return file;
}

describe('two SSH gateways against a real sshd', () => {
  it('count what a local read counts; a quiet tick transfers only the listing; an appended MB about a MB', () => {
    const localHost = run(['--source', hostDir, '--state-dir', join(work, 'st-lh')]);
    const localSecond = run(['--source', secondDir, '--state-dir', join(work, 'st-lc')]);
    expect(localHost.code).toBe(0);
    const state = join(work, 'st-ssh');
    const config = gatewaysConfig();
    const first = run(['--config', config, '--state-dir', state]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const s = first.json as Summary;
    expect(s.sources.map((x) => [x.name, x.ok])).toEqual([
      ['host', true],
      ['second', true],
    ]);
    expect(s.totalCostUsd).toBeCloseTo((localHost.json?.totalCostUsd ?? 0) + (localSecond.json?.totalCostUsd ?? 0), 12);
    expect(s.models.map((m) => [m.model, m.calls])).toEqual([
      ['claude-opus-4-5', 5], // 3 + 1 archived in the first, 1 archived in the second
      ['claude-sonnet-4-5', 2],
    ]);
    expect(s.sources[0]?.bytesRead).toBe(localHost.json?.sources[0]?.bytesRead);
    expect(s.sources[1]?.bytesRead).toBe(localSecond.json?.sources[0]?.bytesRead);

    const quiet = run(['--config', config, '--state-dir', state]).json as Summary;
    expect(quiet.sources.map((x) => x.bytesRead)).toEqual([0, 0]);
    for (const x of quiet.sources) expect(x.listingBytes).toBeLessThan(1024);
    expect(quiet.totalCostUsd).toBe(s.totalCostUsd);

    let mb = '';
    while (mb.length < 1 << 20) mb += fillerLine(8000) + callLine();
    appendFileSync(join(hostDir, 'agents', 'main', 'sessions', 'live.jsonl'), mb);
    const appended = run(['--config', config, '--state-dir', state]).json as Summary;
    const host = appended.sources[0] as SourceJson;
    expect(host.bytesRead).toBeGreaterThanOrEqual(Buffer.byteLength(mb));
    expect(host.bytesRead).toBeLessThan(Buffer.byteLength(mb) + 1024);
    expect(appended.sources[1]?.bytesRead).toBe(0);
    expect(host.callsAdded).toBe(mb.split('"role":"assistant"').length - 1);
  });

  it('--source ssh:// with --ssh-key and --known-hosts', () => {
    const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${secondDir}`;
    const r = run([
      '--source',
      url,
      '--ssh-key',
      sshd.clientKey,
      '--known-hosts',
      sshd.knownHosts,
      '--state-dir',
      join(work, 'st-url'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json?.sources[0]).toMatchObject({ name: '127.0.0.1', ok: true, callsAdded: 3 });
  });

  it('a changed host key is refused with the presented fingerprint; exit status 1', () => {
    const kh = join(work, 'known_hosts_changed');
    writeFileSync(
      kh,
      `[127.0.0.1]:${sshd.port} ${keygen(join(work, `other-${Math.random()}`))
        .split(' ')
        .slice(0, 2)
        .join(' ')}\n`,
    );
    const fp = spawnSync('ssh-keygen', ['-lf', '-'], { input: sshd.hostPublicKey, encoding: 'utf8' }).stdout.split(
      ' ',
    )[1] as string;
    const r = run([
      '--source',
      `ssh://${sshd.user}@127.0.0.1:${sshd.port}${hostDir}`,
      '--ssh-key',
      sshd.clientKey,
      '--known-hosts',
      kh,
      '--state-dir',
      join(work, 'st-changed'),
    ]);
    expect(r.code).toBe(1);
    expect(r.json?.sources[0]?.ok).toBe(false);
    expect(r.stderr).toContain('HOST KEY MISMATCH');
    expect(r.stderr).toContain(fp);
  });

  it('an unknown host key is refused; pinning its fingerprint lets it through', () => {
    const empty = join(work, 'known_hosts_empty');
    writeFileSync(empty, '');
    const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${hostDir}`;
    const r = run([
      '--source',
      url,
      '--ssh-key',
      sshd.clientKey,
      '--known-hosts',
      empty,
      '--state-dir',
      join(work, 'st-unknown'),
    ]);
    expect(r.code).toBe(1);
    const fp = /"hostKey": "(SHA256:[^"]+)"/.exec(r.stderr)?.[1];
    expect(fp).toBeDefined();
    const config = join(work, 'pinned.json');
    writeFileSync(
      config,
      JSON.stringify({
        gateways: [
          {
            name: 'pinned',
            ssh: {
              host: '127.0.0.1',
              port: sshd.port,
              user: sshd.user,
              identityFile: sshd.clientKey,
              hostKey: fp,
              agent: false,
            },
            path: hostDir,
          },
        ],
      }),
    );
    expect(run(['--config', config, '--state-dir', join(work, 'st-pinned')]).code).toBe(0);
  });

  it('key and passphrase from $CREDENTIALS_DIRECTORY; the passphrase never shows', () => {
    const creds = mkdtempSync(join(work, 'creds-'));
    const secret = 'hunter2 but longer';
    sshd.authorize(keygen(join(creds, 'ssh-key'), secret));
    writeFileSync(join(creds, 'ssh-key-passphrase'), `${secret}\n`);
    const config = join(work, 'creds.json');
    writeFileSync(
      config,
      JSON.stringify({
        gateways: [
          {
            name: 'creds',
            ssh: { host: '127.0.0.1', port: sshd.port, user: sshd.user, knownHosts: sshd.knownHosts, agent: false },
            path: hostDir,
          },
        ],
      }),
    );
    const ok = run(['--config', config, '--state-dir', join(work, 'st-creds')], { CREDENTIALS_DIRECTORY: creds });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    writeFileSync(join(creds, 'ssh-key-passphrase'), 'wrong\n');
    const bad = run(['--config', config, '--state-dir', join(work, 'st-creds2')], { CREDENTIALS_DIRECTORY: creds });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('passphrase does not decrypt it');
    for (const out of [ok.stdout, ok.stderr, bad.stdout, bad.stderr]) expect(out).not.toContain(secret);
  });

  it('a path not found is explained; the other gateway still counts', () => {
    const ssh = {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      identityFile: sshd.clientKey,
      knownHosts: sshd.knownHosts,
      agent: false,
    };
    const config = join(work, 'broken.json');
    writeFileSync(
      config,
      JSON.stringify({
        gateways: [
          { name: 'missing', ssh, path: join(work, 'nope') },
          { name: 'fine', ssh, path: hostDir },
        ],
      }),
    );
    const r = run(['--config', config, '--state-dir', join(work, 'st-broken')]);
    expect(r.code).toBe(1);
    expect(r.json?.sources.map((x) => [x.name, x.ok])).toEqual([
      ['missing', false],
      ['fine', true],
    ]);
    expect(r.stderr).toMatch(/nope not found in .*: set "path"/);
    expect(r.json?.models.length).toBeGreaterThan(0);
  });
});
