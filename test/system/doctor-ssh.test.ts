// doctor against a real OpenSSH sshd: an SSH gateway is probed through its Source like any other, so a good one
// passes with its newest transcript's age, and an unknown host key or a wrong path fails with the source's message.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../support/cli.js';
import { tempDir } from '../support/sample.js';
import { callLine, sessionHeader } from '../support/transcripts.js';
import { type Sshd, startSshd } from './support/sshd.js';

let sshd: Sshd;
let work: string;
let stateDir: string;

beforeAll(async () => {
  work = tempDir('ocb-doctor-ssh-');
  chmodSync(work, 0o755);
  sshd = await startSshd();
  stateDir = join(work, 'openclaw');
  mkdirSync(join(stateDir, 'agents', 'main', 'sessions'), { recursive: true });
  writeFileSync(join(stateDir, 'agents', 'main', 'sessions', 'live.jsonl'), sessionHeader() + callLine(), {
    mode: 0o600,
  });
});

afterAll(async () => {
  await sshd?.stop();
});

function doctor(gateway: Record<string, unknown>, ssh: Record<string, unknown> = {}) {
  const config = join(work, `config-${Math.random().toString(36).slice(2)}.json`);
  const target = {
    host: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    identityFile: sshd.clientKey,
    knownHosts: sshd.knownHosts,
    agent: false,
    ...ssh,
  };
  writeFileSync(
    config,
    JSON.stringify({
      stateDir: join(work, 'state'),
      gateways: [{ name: 'vps', ssh: target, path: stateDir, ...gateway }],
    }),
  );
  const r = runCli(['doctor', '--json', '--config', config], cleanEnv({ HOME: work }));
  const report = JSON.parse(r.stdout) as { checks: { name: string; status: string; detail: string }[] };
  return { status: r.status, gateway: report.checks.find((c) => c.name === 'gateway vps') };
}

describe('doctor with an SSH gateway', () => {
  it('passes a reachable gateway with known host key and readable data', () => {
    const { gateway } = doctor({});
    expect(gateway).toMatchObject({ status: 'pass' });
    expect(gateway?.detail).toMatch(/^1 transcript, newest written \d+ s ago \(readable\)$/);
  });

  it('fails on an unknown host key, naming the fingerprint it was shown', () => {
    const empty = join(work, 'empty_known_hosts');
    writeFileSync(empty, '');
    const { status, gateway } = doctor({}, { knownHosts: empty });
    expect(status).toBe(1);
    expect(gateway?.status).toBe('fail');
    expect(gateway?.detail).toMatch(/SHA256:[A-Za-z0-9+/]{43}/);
  });

  it('fails when the state dir is not there', () => {
    const { status, gateway } = doctor({ path: join(work, 'nowhere') });
    expect(status).toBe(1);
    expect(gateway?.status).toBe('fail');
    expect(gateway?.detail).toContain(join(work, 'nowhere'));
  });
});
