// A gateway whose remote command never finishes, next to a healthy one, over real sshds (issue 12.1): every
// deadline ends the run on time, the healthy gateway is recorded and written, SIGTERM writes what is known. And a
// remote that floods its listing (issue 12.2): that gateway fails with a clear error, memory stays bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../support/cli.js';
import { callLine, sessionHeader } from '../support/transcripts.js';
import { type Sshd, startSshd } from './support/sshd.js';

/** How long the hung remote command would run: far longer than any deadline below. */
const HANG_SECONDS = 90;

let work: string;
let healthy: Sshd;
let hung: Sshd;
let flood: Sshd;
let state: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocb-sys-hung-'));
  chmodSync(work, 0o755);
  // On the hung host, `find` (the listing) never returns.
  const bin = join(work, 'hang-bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'find'), `#!/bin/sh\nexec sleep ${HANG_SECONDS}\n`, { mode: 0o755 });
  // On the flooding host, `find` is not GNU find (so the portable listing runs) and lists one file forever.
  const floodBin = join(work, 'flood-bin');
  mkdirSync(floodBin);
  writeFileSync(
    join(floodBin, 'find'),
    `#!/bin/sh\ncase "$*" in *'-maxdepth 0'*) exit 1 ;; esac\nexec yes 'r 1 1763626502 42 0 644 agents/main/sessions/x.jsonl'\n`,
    { mode: 0o755 },
  );
  healthy = await startSshd();
  hung = await startSshd({ pathDirs: [bin] });
  flood = await startSshd({ pathDirs: [floodBin] });
  state = join(work, 'openclaw');
  mkdirSync(join(state, 'agents', 'main', 'sessions'), { recursive: true });
  writeFileSync(
    join(state, 'agents', 'main', 'sessions', 's.jsonl'),
    sessionHeader() + callLine(Date.now(), 'claude-opus-4-5') + callLine(Date.now(), 'claude-opus-4-5'),
  );
});

afterAll(async () => {
  await healthy?.stop();
  await hung?.stop();
  await flood?.stop();
  rmSync(work, { recursive: true, force: true });
});

function config(name: string, timeouts: { commandTimeoutSeconds: number; timeoutSeconds: number }, bad = () => hung) {
  const ssh = (s: Sshd) => ({
    host: '127.0.0.1',
    port: s.port,
    user: s.user,
    identityFile: s.clientKey,
    knownHosts: s.knownHosts,
    agent: false,
  });
  const dir = join(work, name);
  mkdirSync(join(dir, 'prom'), { recursive: true });
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      stateDir: join(dir, 'state'),
      textfileDir: join(dir, 'prom'),
      flagFile: join(dir, 'flag'),
      maxDailyUsd: 0.000001,
      timezone: 'UTC',
      alerts: { enabled: false },
      gateways: [
        { name: 'hung', ssh: { ...ssh(bad()), ...timeouts }, path: state },
        { name: 'fine', ssh: ssh(healthy), path: state },
      ],
    }),
  );
  return { file, dir };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function start(configFile: string): { child: ChildProcess; exit: Promise<Exit> } {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'check', '--json', '--config', configFile], {
    env: cleanEnv({ HOME: work }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // Listening before anything is sent to it: a run that ends first cannot be missed.
  const exit = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  return { child, exit };
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a hung gateway next to a healthy one', () => {
  it('is cut off at its deadline; the healthy one is recorded, the .prom and flag written, the lock released', async () => {
    const { file, dir } = config('deadline', { commandTimeoutSeconds: 2, timeoutSeconds: 4 });
    const r = await start(file).exit;
    // The remote command would run 90 s: the run ends long before it (deadlines, not speed).
    expect(r.ms).toBeLessThan((HANG_SECONDS / 2) * 1000);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      sources: { name: string; ok: boolean; callsAdded: number; error?: string }[];
      totalCostUsd: number;
    };
    expect(json.sources.map((s) => [s.name, s.ok])).toEqual([
      ['hung', false],
      ['fine', true],
    ]);
    expect(json.sources[0]?.error).toMatch(/took longer than 2s \("commandTimeoutSeconds"\)/);
    expect(json.sources[1]?.callsAdded).toBe(2);
    expect(json.totalCostUsd).toBeGreaterThan(0);
    const prom = readFileSync(join(dir, 'prom', 'openclaw_budget.prom'), 'utf8');
    expect(prom).toContain('openclaw_budget_source_up{gateway="hung"} 0');
    expect(prom).toContain('openclaw_budget_source_up{gateway="fine"} 1');
    expect(prom).toMatch(/^openclaw_budget_check_success 0$/m);
    expect(existsSync(join(dir, 'flag'))).toBe(true); // raised on the spend that was read
    expect(existsSync(join(dir, 'state', 'lock'))).toBe(false);
  });

  it('the whole-gateway deadline holds when each command would still be within its own', async () => {
    const { file } = config('overall', { commandTimeoutSeconds: 60, timeoutSeconds: 3 });
    const r = await start(file).exit;
    expect(r.ms).toBeLessThan((HANG_SECONDS / 2) * 1000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hung: gave up after 3s for the whole gateway \("timeoutSeconds"\) while listing/);
  });

  it('on SIGTERM it writes what is known (check_success 0), releases the lock and exits', async () => {
    const { file, dir } = config('sigterm', { commandTimeoutSeconds: 600, timeoutSeconds: 600 });
    const { child, exit } = start(file);
    // The healthy gateway is recorded (its cursors written) while the hung one still waits.
    await until('the healthy gateway recorded', () => existsSync(join(dir, 'state', 'cursors', 'fine.json')), 30_000);
    child.kill('SIGTERM');
    const r = await exit;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan((HANG_SECONDS / 2) * 1000);
    expect(r.stderr).toContain('SIGTERM: stopping');
    const json = JSON.parse(r.stdout) as { sources: { name: string; ok: boolean; error?: string }[] };
    expect(json.sources.map((s) => [s.name, s.ok])).toEqual([
      ['hung', false],
      ['fine', true],
    ]);
    expect(json.sources[0]?.error).toMatch(/interrupted \(SIGTERM\)/);
    const prom = readFileSync(join(dir, 'prom', 'openclaw_budget.prom'), 'utf8');
    expect(prom).toMatch(/^openclaw_budget_check_success 0$/m);
    expect(prom).toContain('openclaw_budget_source_up{gateway="fine"} 1');
    expect(existsSync(join(dir, 'flag'))).toBe(true);
    expect(existsSync(join(dir, 'state', 'lock'))).toBe(false);
  });
});

describe('a gateway that accepts the connection and never speaks SSH', () => {
  it('does not hold up a SIGTERM: the run writes what it knows and exits', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const { file, dir } = config('silent', { commandTimeoutSeconds: 600, timeoutSeconds: 600 });
      const cfg = JSON.parse(readFileSync(file, 'utf8')) as { gateways: { ssh: Record<string, unknown> }[] };
      Object.assign(cfg.gateways[0]?.ssh ?? {}, { port, connectTimeoutSeconds: 300 });
      writeFileSync(file, JSON.stringify(cfg));
      const { child, exit } = start(file);
      await until('the healthy gateway recorded', () => existsSync(join(dir, 'state', 'cursors', 'fine.json')), 30_000);
      child.kill('SIGTERM');
      const r = await exit;
      expect(r.code).toBe(1);
      expect(r.ms).toBeLessThan(60_000);
      expect(readFileSync(join(dir, 'prom', 'openclaw_budget.prom'), 'utf8')).toMatch(
        /^openclaw_budget_check_success 0$/m,
      );
      expect(existsSync(join(dir, 'state', 'lock'))).toBe(false);
    } finally {
      silent.close();
    }
  });
});

describe('a remote that floods its listing', () => {
  it('fails that gateway with a clear error once the listing passes 64 MiB; the healthy one is recorded', async () => {
    const { file, dir } = config('flood', { commandTimeoutSeconds: 30, timeoutSeconds: 40 }, () => flood);
    const r = await start(file).exit;
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { sources: { name: string; ok: boolean; error?: string }[] };
    expect(json.sources.map((s) => [s.name, s.ok])).toEqual([
      ['hung', false],
      ['fine', true],
    ]);
    expect(json.sources[0]?.error).toMatch(
      /listing .* sent more than 64 MiB, far more than any OpenClaw state dir lists: check that "path"/,
    );
    expect(readFileSync(join(dir, 'prom', 'openclaw_budget.prom'), 'utf8')).toContain(
      'openclaw_budget_source_up{gateway="fine"} 1',
    );
  });
});
