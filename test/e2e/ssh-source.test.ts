// The built CLI reading `--source ssh://` from an in-process SSH server (no sshd needed).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeSshd, generateKey, startFakeSshd } from '../support/fake-sshd.js';
import { callLine, sessionHeader } from '../support/transcripts.js';

const BIN = fileURLToPath(new URL('../../bin/openclaw-budget', import.meta.url));
const key = generateKey();
let sshd: FakeSshd;
let dir: string;

beforeAll(async () => {
  sshd = await startFakeSshd(key.public);
  dir = mkdtempSync(join(tmpdir(), 'ocb-e2e-ssh-'));
  writeFileSync(join(dir, 'id'), key.private, { mode: 0o600 });
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
  mkdirSync(join(dir, 'state', 'agents', 'main', 'sessions'), { recursive: true });
  writeFileSync(join(dir, 'state', 'agents', 'main', 'sessions', 'a.jsonl'), sessionHeader() + callLine() + callLine());
});

afterAll(async () => {
  await sshd.close();
  rmSync(dir, { recursive: true, force: true });
});

// Asynchronous: the SSH server lives in this process and must keep answering while the CLI runs.
const check = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'check', '--json', '--no-alert', '--timezone', 'UTC', '--state-dir', join(dir, 'ledger'), ...args],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          USER: 'tester',
          OPENCLAW_BUDGET_CONFIG: '',
          OPENCLAW_BUDGET_PRICING_AUTO_UPDATE: '0',
        },
      },
      (err, stdout, stderr) => resolve({ status: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });

it('check --source ssh:// reads incrementally and reports bytes and duration per source', async () => {
  const url = `ssh://tester@127.0.0.1:${sshd.port}${join(dir, 'state')}`;
  const first = await check('--source', url, '--ssh-key', join(dir, 'id'), '--known-hosts', join(dir, 'known_hosts'));
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  const s1 = JSON.parse(first.stdout);
  expect(s1.sources[0]).toMatchObject({ name: '127.0.0.1', ok: true, callsAdded: 2 });
  expect(s1.sources[0].bytesRead).toBeGreaterThan(0);
  expect(s1.sources[0].durationSeconds).toBeGreaterThan(0);
  const s2 = JSON.parse(
    (await check('--source', url, '--ssh-key', join(dir, 'id'), '--known-hosts', join(dir, 'known_hosts'))).stdout,
  );
  expect(s2.sources[0].bytesRead).toBe(0);
  expect(s2.sources[0].listingBytes).toBeGreaterThan(0);
});

it('an unknown host key is exit status 1 with the fingerprint; a hostile --container is bad usage', async () => {
  writeFileSync(join(dir, 'empty_known_hosts'), '');
  const url = `ssh://tester@127.0.0.1:${sshd.port}${join(dir, 'state')}`;
  const r = await check('--source', url, '--ssh-key', join(dir, 'id'), '--known-hosts', join(dir, 'empty_known_hosts'));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/host key of \[127\.0\.0\.1\]:\d+ is unknown.*SHA256:/);
  const bad = await check('--source', url, '--ssh-key', join(dir, 'id'), '--container', 'x;reboot');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('expected a Docker container name');
});

it('an ssh:// source that is no state dir (an empty dir, <state>/agents) is refused in the same listing, naming what was expected', async () => {
  mkdirSync(join(dir, 'empty'), { recursive: true });
  for (const [path, message] of [
    [join(dir, 'empty'), /is empty: expected an OpenClaw state dir/],
    [join(dir, 'state', 'agents'), /agents folder of a state dir.*pass its parent/],
  ] as const) {
    const r = await check(
      '--source',
      `ssh://tester@127.0.0.1:${sshd.port}${path}`,
      '--ssh-key',
      join(dir, 'id'),
      '--known-hosts',
      join(dir, 'known_hosts'),
    );
    expect(r.status, path).toBe(1);
    expect(r.stderr, path).toMatch(message);
    expect(JSON.parse(r.stdout)).toMatchObject({ complete: false });
  }
});

it("reads the gateway's openclaw.json with the listing (no extra round trip) and prices with its configured costs", async () => {
  const root = join(dir, 'gw');
  mkdirSync(join(root, 'agents', 'main', 'sessions'), { recursive: true });
  writeFileSync(
    join(root, 'agents', 'main', 'sessions', 'a.jsonl'),
    sessionHeader() + callLine(Date.now(), 'big-1', { provider: 'acme', costUsd: 0 }),
  );
  writeFileSync(
    join(root, 'openclaw.json'),
    JSON.stringify({
      models: {
        providers: {
          acme: {
            apiKey: 'sk-secret',
            models: [{ id: 'big-1', cost: { input: 1000, output: 1000, cacheRead: 1000, cacheWrite: 1000 } }],
          },
        },
      },
    }),
  );
  const url = `ssh://tester@127.0.0.1:${sshd.port}${root}`;
  const execsBefore = sshd.commands.length;
  const r = await check(
    '--source',
    url,
    '--ssh-key',
    join(dir, 'id'),
    '--known-hosts',
    join(dir, 'known_hosts'),
    '--state-dir',
    join(dir, 'gw-ledger'),
  );
  expect(r.stderr).toBe('');
  const s = JSON.parse(r.stdout);
  const row = s.models.find((m: { provider: string }) => m.provider === 'acme');
  expect(row).toMatchObject({ priceKeys: ['gateway:acme/big-1'], unpriced: false });
  expect(row.costUsd).toBeGreaterThan(1);
  // One listing and one read: the config came with the listing.
  expect(sshd.commands.slice(execsBefore).filter((c) => c.includes('openclaw.json'))).toHaveLength(1);
  expect(r.stdout).not.toContain('sk-secret');
});
