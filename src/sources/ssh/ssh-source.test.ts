// The SSH source against an in-process ssh2 Server whose exec handler runs commands with the local sh.

import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDockerShim, type DockerShim } from '../../../test/support/docker-shim.js';
import { type FakeSshd, generateKey, startFakeSshd } from '../../../test/support/fake-sshd.js';
import { callLine, fillerLine, sessionHeader } from '../../../test/support/transcripts.js';
import { ConfigError } from '../../config/errors.js';
import { type ConfigInput, ConfigSchema } from '../../config/schema.js';
import { freshCursors } from '../../ledger/cursors.js';
import { runCheck } from '../../pipeline/check.js';
import { ingest } from '../../pipeline/ingest.js';
import { fingerprint } from './known-hosts.js';
import { SshSource, type SshSourceOptions } from './source.js';

const clientKey = generateKey();
let sshd: FakeSshd;
let shim: DockerShim;
let base: string;
let keyPath: string;
let knownHosts: string;

function hostKeyBlob(pub: string): Buffer {
  return Buffer.from(pub.split(' ')[1] as string, 'base64');
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'ocb-ssh-'));
  chmodSync(base, 0o755);
  keyPath = join(base, 'id_ed25519');
  writeFileSync(keyPath, clientKey.private, { mode: 0o600 });
  sshd = await startFakeSshd(clientKey.public);
  knownHosts = join(base, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
  shim = createDockerShim(join(base, 'docker'));
  sshd.path = [shim.binDir];
});

afterAll(async () => {
  await sshd.close();
  rmSync(base, { recursive: true, force: true });
});

beforeEach(() => {
  sshd.uid = undefined;
  sshd.hang = false;
  sshd.path = [shim.binDir];
  sshd.basePath = undefined;
  shim.setContainers([{ name: 'proj-openclaw-gateway-1', status: 'Up 2 hours', service: 'openclaw-gateway' }]);
});

function stateDir(): string {
  const dir = mkdtempSync(join(base, 'openclaw-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'agents', 'main', 'sessions'), { recursive: true });
  return dir;
}

function sshTarget(extra: Record<string, unknown> = {}) {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    user: 'tester',
    identityFile: keyPath,
    knownHosts,
    agent: false,
    ...extra,
  };
}

function config(gateways: unknown[], state: string, extra: Partial<ConfigInput> = {}) {
  return ConfigSchema.parse({ stateDir: state, timezone: 'UTC', alerts: { enabled: false }, gateways, ...extra });
}

async function check(cfg: ReturnType<typeof config>) {
  return runCheck({ config: cfg, nowMs: Date.now(), env: { USER: 'tester' }, warn: () => undefined });
}

function source(
  root: string,
  over: Partial<SshSourceOptions> = {},
  endpoint: Partial<SshSourceOptions['endpoint']> = {},
): SshSource {
  return new SshSource({
    name: 'gw',
    endpoint: {
      host: '127.0.0.1',
      port: sshd.port,
      user: 'tester',
      keys: [{ path: keyPath, explicit: true }],
      agentFirst: false,
      knownHosts,
      connectTimeoutMs: 5000,
      retryDelayMs: 50,
      ...endpoint,
    },
    root,
    container: undefined,
    sudo: false,
    commandTimeoutMs: 10_000,
    timeoutMs: 30_000,
    ...over,
  });
}

async function failureOf(s: SshSource): Promise<string> {
  try {
    await s.list(['agents/*/sessions'], 0);
  } catch (err) {
    return (err as Error).message;
  } finally {
    await s.close();
  }
  throw new Error('expected the source to fail');
}

describe('SSH gateways (path and container modes)', () => {
  it('give the same totals as reading the same data locally, and a second tick transfers only the listing', async () => {
    const dir = stateDir();
    const f = join(dir, 'agents', 'main', 'sessions', 's1.jsonl');
    writeFileSync(
      f,
      sessionHeader() + callLine() + callLine() + fillerLine(5000) + callLine(Date.now(), 'claude-sonnet-4-5'),
    );
    mkdirSync(join(dir, 'agents', 'ops', 'sessions'), { recursive: true });
    writeFileSync(
      join(dir, 'agents', 'ops', 'sessions', 's2.jsonl'),
      sessionHeader() + callLine(Date.now(), 'gpt-5.2'),
    );

    const local = await check(config([{ name: 'here', path: dir }], join(base, `st-local-${Math.random()}`)));
    expect(local.errors).toEqual([]);

    // The same data twice, through two gateways: the ledger dedupes across gateways, so compare per gateway.
    const viaPath = await check(
      config([{ name: 'bypath', ssh: sshTarget(), path: dir }], join(base, `st-p-${Math.random()}`)),
    );
    const before = sshd.commands.length;
    const viaContainer = await check(
      config(
        [{ name: 'bycontainer', ssh: sshTarget(), container: true, path: dir }],
        join(base, `st-c-${Math.random()}`),
      ),
    );
    // One remote command for the whole tick: it finds the container, then reads inside it (docker exec -i).
    const container = sshd.commands.slice(before);
    expect(container).toHaveLength(1);
    expect(container[0]).toContain('exec docker exec -i "$name"');
    for (const r of [viaPath, viaContainer]) {
      expect(r.errors).toEqual([]);
      expect(r.summary.totalCostUsd).toBe(local.summary.totalCostUsd);
      expect(r.summary.models).toEqual(local.summary.models);
      expect(r.summary.sources[0]?.bytesRead).toBe(local.summary.sources[0]?.bytesRead);
    }
    expect(local.summary.models.reduce((n, m) => n + m.calls, 0)).toBe(4);
  });

  it('two gateways in one run: path and container, both counted', async () => {
    const a = stateDir();
    const b = stateDir();
    writeFileSync(join(a, 'agents', 'main', 'sessions', 'a.jsonl'), sessionHeader() + callLine());
    writeFileSync(join(b, 'agents', 'main', 'sessions', 'b.jsonl'), sessionHeader() + callLine() + callLine());
    const st = join(base, `st-two-${Math.random()}`);
    const cfg = config(
      [
        { name: 'host', ssh: sshTarget(), path: a },
        { name: 'docker', ssh: sshTarget(), container: 'proj-openclaw-gateway-1', path: b },
      ],
      st,
    );
    const first = await check(cfg);
    expect(first.errors).toEqual([]);
    expect(first.summary.sources.map((s) => [s.name, s.ok, s.callsAdded])).toEqual([
      ['host', true, 1],
      ['docker', true, 2],
    ]);
    const before = sshd.stdoutBytes;
    const second = await check(cfg);
    expect(second.summary.sources.map((s) => s.bytesRead)).toEqual([0, 0]);
    for (const s of second.summary.sources) expect(s.listingBytes).toBeGreaterThan(0);
    // Only the two listings crossed the wire: a few hundred bytes.
    const listing = second.summary.sources.reduce((n, s) => n + s.listingBytes, 0);
    expect(sshd.stdoutBytes - before).toBe(listing);
    expect(listing).toBeLessThan(2048);
    expect(second.summary.totalCostUsd).toBe(first.summary.totalCostUsd);
  });

  it('one gateway down while another is up: the other is counted, the run reports the failure', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'agents', 'main', 'sessions', 'a.jsonl'), sessionHeader() + callLine());
    const closed = await freePort();
    const textfile = mkdtempSync(join(base, 'prom-'));
    const r = await check(
      config(
        [
          { name: 'down', ssh: sshTarget({ port: closed }), path: dir },
          { name: 'up', ssh: sshTarget(), path: dir },
        ],
        join(base, `st-down-${Math.random()}`),
        { textfileDir: textfile },
      ),
    );
    expect(r.summary.sources.map((s) => [s.name, s.ok])).toEqual([
      ['down', false],
      ['up', true],
    ]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/cannot reach tester@127\.0\.0\.1:\d+ \(ECONNREFUSED\).*after one retry/);
    expect(r.summary.models[0]?.calls).toBe(1);
    const prom = readFileSync(join(textfile, 'openclaw_budget.prom'), 'utf8');
    expect(prom).toContain('openclaw_budget_source_up{gateway="down"} 0');
    expect(prom).toContain('openclaw_budget_source_up{gateway="up"} 1');
    expect(prom).toMatch(/openclaw_budget_source_duration_seconds\{gateway="up"\} [0-9.e-]+/);
    expect(prom).toMatch(/openclaw_budget_source_listing_bytes\{gateway="up"\} [1-9]/);
  });
});

describe('incremental reads over SSH', () => {
  it('an appended file sends only the new bytes (plus the head check); a MB appended sends about a MB', async () => {
    const dir = stateDir();
    const f = join(dir, 'agents', 'main', 'sessions', 's.jsonl');
    const first = sessionHeader() + callLine() + fillerLine(3000);
    writeFileSync(f, first);
    const s = source(dir);
    const r1 = await ingest(s, freshCursors(), { dayStartMs: 0, clockMs: Date.now() });
    expect(r1.bytesRead).toBe(Buffer.byteLength(first));
    expect(r1.calls).toHaveLength(1);

    let appended = '';
    while (appended.length < 1 << 20) appended += fillerLine(16_000) + callLine();
    appendFileSync(f, appended);
    const wire = sshd.stdoutBytes;
    const listed = s.listingBytes;
    const r2 = await ingest(s, r1.cursors, { dayStartMs: 0, clockMs: Date.now() });
    const head = r1.cursors.files[f]?.headLen ?? 0;
    expect(r2.bytesRead).toBe(Buffer.byteLength(appended) + head + 1);
    expect(r2.calls.length).toBe(appended.split('"role":"assistant"').length - 1);
    // On the wire: exactly those bytes plus the listing.
    expect(sshd.stdoutBytes - wire).toBe(r2.bytesRead + s.listingBytes - listed);
    await s.close();
  });

  it('a truncated and rewritten file is read again from the start', async () => {
    const dir = stateDir();
    const f = join(dir, 'agents', 'main', 'sessions', 's.jsonl');
    writeFileSync(f, sessionHeader() + callLine() + callLine());
    const s = source(dir);
    const r1 = await ingest(s, freshCursors(), { dayStartMs: 0, clockMs: Date.now() });
    const rewritten = sessionHeader() + callLine() + callLine() + callLine();
    writeFileSync(f, rewritten);
    const r2 = await ingest(s, r1.cursors, { dayStartMs: 0, clockMs: Date.now() });
    expect(r2.calls).toHaveLength(3);
    expect(r2.cursors.files[f]?.offset).toBe(Buffer.byteLength(rewritten));
    await s.close();
  });

  it('a file renamed to a .deleted. archive is recognised, not transferred again', async () => {
    const dir = stateDir();
    const live = join(dir, 'agents', 'main', 'sessions', 'cron.jsonl');
    const text = sessionHeader() + callLine() + fillerLine(20_000) + callLine();
    writeFileSync(live, text);
    const s = source(dir);
    const r1 = await ingest(s, freshCursors(), { dayStartMs: 0, clockMs: Date.now() });
    expect(r1.bytesRead).toBe(Buffer.byteLength(text));
    const archive = `${live}.deleted.2026-11-20T10-11-12.345Z`;
    renameSync(live, archive);
    const r2 = await ingest(s, r1.cursors, { dayStartMs: 0, clockMs: Date.now() });
    expect(r2.calls).toHaveLength(0);
    expect(r2.bytesRead).toBeLessThan(300); // the head hash check and one byte, not the 20 KB
    expect(r2.cursors.files[archive]).toBeDefined();
    expect(r2.cursors.files[live]).toBeUndefined();
    await s.close();
  });

  it('a partial last line is left for the next run and counted once completed', async () => {
    const dir = stateDir();
    const f = join(dir, 'agents', 'main', 'sessions', 's.jsonl');
    const line = callLine();
    writeFileSync(f, sessionHeader() + callLine() + line.slice(0, 40));
    const s = source(dir);
    const r1 = await ingest(s, freshCursors(), { dayStartMs: 0, clockMs: Date.now() });
    expect(r1.calls).toHaveLength(1);
    expect(r1.skips.partial).toBe(1);
    appendFileSync(f, line.slice(40));
    const r2 = await ingest(s, r1.cursors, { dayStartMs: 0, clockMs: Date.now() });
    expect(r2.calls).toHaveLength(1);
    expect(r2.bytesRead).toBe(Buffer.byteLength(line) + (r1.cursors.files[f]?.headLen ?? 0) + 1);
    await s.close();
  });
});

describe('host keys', () => {
  it('accepts a hashed known_hosts entry', async () => {
    const salt = randomBytes(20);
    const name = `[127.0.0.1]:${sshd.port}`;
    const hash = createHmac('sha1', salt).update(name).digest('base64');
    const kh = join(base, 'known_hosts_hashed');
    writeFileSync(kh, `|1|${salt.toString('base64')}|${hash} ${sshd.hostPublicKey}\n`);
    const dir = stateDir();
    const s = source(dir, {}, { knownHosts: kh });
    expect(await s.list(['agents/*/sessions'], 0)).toEqual([]);
    await s.close();
  });

  it('refuses an unknown host key, showing the fingerprint and how to trust it', async () => {
    const kh = join(base, 'known_hosts_empty');
    writeFileSync(kh, '');
    const fp = fingerprint(hostKeyBlob(sshd.hostPublicKey));
    const msg = await failureOf(source(stateDir(), {}, { knownHosts: kh }));
    expect(msg).toContain('is unknown');
    expect(msg).toContain(fp);
    expect(msg).toContain(`ssh-keyscan -p ${sshd.port} -t ed25519 127.0.0.1 >> ${kh}`);
    expect(msg).toContain(`"hostKey": "${fp}"`);
  });

  it('refuses a changed host key', async () => {
    const kh = join(base, 'known_hosts_changed');
    writeFileSync(kh, `# old key\n[127.0.0.1]:${sshd.port} ${generateKey().public}\n`);
    const msg = await failureOf(source(stateDir(), {}, { knownHosts: kh }));
    expect(msg).toMatch(/^HOST KEY MISMATCH for \[127\.0\.0\.1\]:\d+/);
    expect(msg).toContain(`${kh} line 2`);
    expect(msg).toContain(fingerprint(hostKeyBlob(sshd.hostPublicKey)));
    expect(msg).toContain('ssh-keygen -R');
  });

  it('accepts a pinned fingerprint and refuses a different one', async () => {
    const good = fingerprint(hostKeyBlob(sshd.hostPublicKey));
    const ok = source(stateDir(), {}, { hostKey: good, knownHosts: '/nonexistent' });
    expect(await ok.list(['agents/*/sessions'], 0)).toEqual([]);
    await ok.close();
    const other = fingerprint(hostKeyBlob(generateKey().public));
    const msg = await failureOf(source(stateDir(), {}, { hostKey: other }));
    expect(msg).toContain('HOST KEY MISMATCH');
    expect(msg).toContain(other);
  });
});

describe('authentication and failures', () => {
  it('a key the server does not accept: authentication refused', async () => {
    const wrong = join(base, 'wrong_key');
    writeFileSync(wrong, generateKey().private, { mode: 0o600 });
    const msg = await failureOf(source(stateDir(), {}, { keys: [{ path: wrong, explicit: true }] }));
    expect(msg).toContain('authentication refused for tester@127.0.0.1');
    expect(msg).toContain(`key ${wrong}`);
  });

  it('an encrypted key with a wrong passphrase fails without showing the passphrase', async () => {
    const secret = 'correct horse battery staple';
    const enc = generateKey({ passphrase: secret });
    const kp = join(base, 'enc_key');
    writeFileSync(kp, enc.private, { mode: 0o600 });
    const pf = join(base, 'enc_pass');
    writeFileSync(pf, 'not the passphrase\n');
    const msg = await failureOf(source(stateDir(), {}, { keys: [{ path: kp, explicit: true }], passphraseFile: pf }));
    expect(msg).toContain('the passphrase does not decrypt it');
    expect(msg).not.toContain('not the passphrase');
    expect(msg).not.toContain(secret);
  });

  it('an encrypted key with its passphrase file works', async () => {
    const secret = 'p4ss phrase';
    const enc = generateKey({ passphrase: secret });
    const other = await startFakeSshd(enc.public);
    try {
      const kp = join(base, 'enc_key2');
      writeFileSync(kp, enc.private, { mode: 0o600 });
      const pf = join(base, 'enc_pass2');
      writeFileSync(pf, `${secret}\n`);
      const s = source(
        stateDir(),
        {},
        {
          port: other.port,
          keys: [{ path: kp, explicit: true }],
          passphraseFile: pf,
          hostKey: fingerprint(hostKeyBlob(other.hostPublicKey)),
        },
      );
      expect(await s.list(['agents/*/sessions'], 0)).toEqual([]);
      await s.close();
    } finally {
      await other.close();
    }
  });

  it('path not found', async () => {
    const msg = await failureOf(source(join(base, 'nope', '.openclaw')));
    expect(msg).toMatch(/nope\/\.openclaw not found in tester@127\.0\.0\.1:\d+: set "path"/);
  });

  it('permission denied on the state dir suggests sudo or the right user', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'agents', 'main', 'sessions', 's.jsonl'), sessionHeader() + callLine(), { mode: 0o600 });
    chmodSync(dir, 0o700);
    if (process.getuid?.() === 0) sshd.uid = 65534;
    else chmodSync(dir, 0o000);
    const msg = await failureOf(source(dir));
    chmodSync(dir, 0o755);
    expect(msg).toContain('permission denied listing');
    expect(msg).toContain('uid 1000');
    expect(msg).toContain('"sudo": true');
  });

  it('an unreadable transcript is named with its owner and mode; the readable ones are still read', async () => {
    if (process.getuid?.() !== 0) return; // needs another uid to read as
    const dir = stateDir();
    const f = join(dir, 'agents', 'main', 'sessions', 's.jsonl');
    writeFileSync(f, sessionHeader() + callLine(), { mode: 0o600 });
    writeFileSync(join(dir, 'agents', 'main', 'sessions', 'ok.jsonl'), sessionHeader() + callLine() + callLine(), {
      mode: 0o644,
    });
    sshd.uid = 65534;
    const s = source(dir);
    const r = await ingest(s, freshCursors(), { dayStartMs: 0, clockMs: Date.now() });
    expect(r.calls).toHaveLength(2);
    expect(r.unreadable.map((u) => u.file)).toEqual([f]);
    expect(r.unreadable[0]?.reason).toMatch(
      /permission denied reading .*s\.jsonl.*owner uid 0, mode 600.*"sudo": true/,
    );
    expect(r.cursors.files[f]).toBeUndefined(); // tried again next run
    await s.close();
  });

  it('docker missing, container not running, container unknown, none discovered', async () => {
    const dir = stateDir();
    sshd.path = [];
    sshd.basePath = toolsOnly();
    const noDocker = await failureOf(source(dir, { container: 'proj-openclaw-gateway-1' }));
    expect(noDocker).toContain('docker is not installed (or not on PATH) on tester@127.0.0.1');
    sshd.path = [shim.binDir];
    sshd.basePath = undefined;
    shim.setContainers([
      { name: 'proj-openclaw-gateway-1', status: 'Exited (0) 3 minutes ago', service: 'openclaw-gateway' },
    ]);
    expect(await failureOf(source(dir, { container: 'proj-openclaw-gateway-1' }))).toContain(
      'the container proj-openclaw-gateway-1 on tester@127.0.0.1',
    );
    expect(await failureOf(source(dir, { container: true }))).toMatch(
      /gateway container proj-openclaw-gateway-1 .* is not running \(Exited/,
    );
    expect(await failureOf(source(dir, { container: 'other' }))).toContain('there is no container other on');
    shim.setContainers([]);
    expect(await failureOf(source(dir, { container: true }))).toContain(
      'no container with label com.docker.compose.service=openclaw-gateway',
    );
  });

  it('a command that hangs is cut off by the command timeout', async () => {
    sshd.hang = true;
    const msg = await failureOf(source(stateDir(), { commandTimeoutMs: 300 }));
    expect(msg).toContain('took longer than 0.3s ("commandTimeoutSeconds")');
  });

  it('a read that hangs after the listing is cut off too, and the connection with it', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'agents', 'main', 'sessions', 's.jsonl'), sessionHeader() + callLine());
    const bin = join(base, 'hang-cat');
    if (!existsSync(bin)) {
      mkdirSync(bin);
      writeFileSync(join(bin, 'cat'), '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    }
    sshd.path = [bin];
    const s = source(dir, { commandTimeoutMs: 500 });
    const started = Date.now();
    await expect(ingest(s, freshCursors(), { dayStartMs: 0, clockMs: Date.now() })).rejects.toThrow(
      /reading .*s\.jsonl on tester@127\.0\.0\.1:\d+ took longer than 0\.5s/,
    );
    expect(Date.now() - started).toBeLessThan(20_000); // not the 30 s the remote command would take
    await s.close();
  });

  it('a server that never speaks SSH hits the connect timeout (and is retried once)', async () => {
    const silent: NetServer = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    let accepted = 0;
    silent.on('connection', () => accepted++);
    try {
      const msg = await failureOf(
        source(stateDir(), {}, { port: (silent.address() as AddressInfo).port, connectTimeoutMs: 300 }),
      );
      expect(msg).toContain('no SSH handshake within 0.3s');
      expect(msg).toContain('after one retry');
      expect(accepted).toBe(2);
    } finally {
      silent.close();
    }
  });
});

describe('hostile names never reach the shell unquoted', () => {
  it('a path full of shell syntax is one argument', async () => {
    const marker = join(base, 'pwned');
    const hostile = `${base}/x'; touch ${marker}; echo '$(touch ${marker})\`touch ${marker}\``;
    const msg = await failureOf(source(hostile));
    expect(msg).toContain('not found');
    expect(existsSync(marker)).toBe(false);
  });

  it('a real directory with quotes and spaces in its name is read', async () => {
    const dir = join(base, `it's a "dir" $(x) ;`);
    mkdirSync(join(dir, 'agents', 'main', 'sessions'), { recursive: true });
    writeFileSync(join(dir, 'agents', 'main', 'sessions', 'q.jsonl'), sessionHeader() + callLine());
    const s = source(dir);
    const r = await ingest(s, freshCursors(), { dayStartMs: 0, clockMs: Date.now() });
    expect(r.calls).toHaveLength(1);
    await s.close();
  });

  it('a hostile container name is rejected by the config, and quoted if it gets through', async () => {
    const marker = join(base, 'pwned2');
    expect(() => config([{ name: 'g', ssh: sshTarget(), container: `x; touch ${marker}` }], base)).toThrow();
    const msg = await failureOf(source(stateDir(), { container: `x'; touch ${marker}; echo '` }));
    expect(msg).toContain('there is no container');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('logs mode over SSH', () => {
  it('reads agentMeta usage from the gateway log, not transcripts', async () => {
    const logDir = mkdtempSync(join(base, 'logs-'));
    const at = new Date().toISOString();
    const day = at.slice(0, 10);
    const cli = JSON.stringify(
      {
        result: 'ok',
        meta: {
          agentMeta: {
            sessionId: 's1',
            provider: 'anthropic',
            model: 'claude-opus-4-5',
            usage: { input: 5, output: 50, cacheRead: 100, cacheWrite: 10, total: 165 },
          },
        },
      },
      null,
      2,
    );
    writeFileSync(
      join(logDir, `openclaw-${day}.log`),
      `${JSON.stringify({ 0: cli, _meta: { date: at, logLevelName: 'INFO' }, time: at })}\n${JSON.stringify({ 0: 'gateway started', _meta: { date: at } })}\n`,
    );
    const r = await check(
      config([{ name: 'logs', ssh: sshTarget(), read: 'logs', logDir }], join(base, `st-logs-${Math.random()}`)),
    );
    expect(r.errors).toEqual([]);
    expect(r.summary.models.map((m) => [m.model, m.calls, m.inputTokens, m.outputTokens])).toEqual([
      ['claude-opus-4-5', 1, 5, 50],
    ]);
  });
});

describe('--source ssh:// with --container', () => {
  it('reads one ad-hoc source with the contract flags', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'agents', 'main', 'sessions', 'a.jsonl'), sessionHeader() + callLine());
    const cfg = config([], join(base, `st-url-${Math.random()}`), {
      ssh: { identityFile: keyPath, knownHosts, agent: false },
    });
    const r = await runCheck({
      config: cfg,
      source: `ssh://tester@127.0.0.1:${sshd.port}${dir}`,
      container: 'proj-openclaw-gateway-1',
      nowMs: Date.now(),
      env: {},
      warn: () => undefined,
    });
    expect(r.errors).toEqual([]);
    expect(r.summary.sources[0]?.name).toBe('127.0.0.1');
    expect(r.summary.models[0]?.calls).toBe(1);
    await expect(
      runCheck({ config: cfg, source: dir, container: 'x', nowMs: Date.now(), env: {}, warn: () => undefined }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});

/** A PATH with the tools the remote scripts use, and no docker. */
function toolsOnly(): string {
  const dir = join(base, 'tools');
  if (existsSync(dir)) return dir;
  mkdirSync(dir);
  for (const tool of ['sh', 'find', 'head', 'tail', 'cat', 'ls', 'stat']) {
    const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(real, join(dir, tool));
  }
  return dir;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
