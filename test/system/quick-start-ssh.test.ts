// README's quick-start SSH command, as written, against a real OpenSSH sshd on 127.0.0.1: only the host (and port)
// and the state dir's path are swapped for the test server's. The key and known_hosts are the defaults the README
// names (~/.ssh/id_ed25519, ~/.ssh/known_hosts) in a temp HOME; the shipped sample is dated 2026-11-20 (--now).
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';
import { quickStartCommands } from '../support/readme.js';
import { type Sshd, startSshd } from './support/sshd.js';

let sshd: Sshd;
let work: string;

beforeAll(async () => {
  sshd = await startSshd();
  work = mkdtempSync(join(tmpdir(), 'ocb-quick-start-ssh-'));
  mkdirSync(join(work, 'home', '.ssh'), { recursive: true, mode: 0o700 });
  copyFileSync(sshd.clientKey, join(work, 'home', '.ssh', 'id_ed25519'));
  copyFileSync(sshd.knownHosts, join(work, 'home', '.ssh', 'known_hosts'));
  cpSync(join(ROOT, 'fixtures', 'openclaw-state'), join(work, 'gateway', '.openclaw'), { recursive: true });
});

afterAll(async () => {
  await sshd?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("README's quick start over SSH", () => {
  it('check --source ssh://user@host/path reads the remote gateway with the default key and known_hosts', () => {
    const home = join(work, 'home');
    const shown = quickStartCommands(home).filter(
      (c) => c.args?.[0] === 'check' && c.args.some((a) => a.startsWith('ssh://')),
    );
    expect(shown).toHaveLength(1);
    const args = (shown[0]?.args ?? []).map((a) => {
      const url = a.match(/^ssh:\/\/[^@/]+@[^/]+(\/.*)$/);
      return url ? `ssh://${sshd.user}@127.0.0.1:${sshd.port}${join(work, 'gateway', '.openclaw')}` : a;
    });
    expect(args.filter((a) => a.startsWith('ssh://'))).toHaveLength(1);
    const r = spawnSync(
      process.execPath,
      [BIN, ...args, '--now', '2026-11-20T22:50:00Z', '--timezone', 'Europe/Rome'],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^2026-11-20 \(Europe\/Rome\) {2}\$2\.47 of \$5\.00/);
    expect(r.stdout).toMatch(/source 127\.0\.0\.1: ok, .* 59 new calls/);
  });
});
