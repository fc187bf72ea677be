// The units as `install` writes them, checked by systemd itself: `systemd-analyze verify` (no warnings at all)
// and `systemd-analyze security --offline=true` (exposure 2.0 or lower).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from './support/servers.js';

const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

import { cleanEnv, runCli } from '../support/cli.js';
import { tempDir } from '../support/sample.js';

function analyze(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(requireBinary(SYSTEMD_ANALYZE, 'systemd'), args, { encoding: 'utf8', env });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

let systemDir: string;
let userDir: string;
let userEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  const root = tempDir('ocb-systemd-');
  const sys = runCli(['install', '--root', root, '--textfile-dir', '/var/lib/prometheus/node-exporter']);
  if (sys.status !== 0) throw new Error(`install failed: ${sys.stderr}`);
  systemDir = join(root, 'etc', 'systemd', 'system');
  const runtime = join(root, 'xdg-runtime');
  mkdirSync(runtime, { mode: 0o700 });
  userEnv = cleanEnv({ HOME: '/home/ann', XDG_RUNTIME_DIR: runtime });
  delete userEnv.XDG_CONFIG_HOME;
  const user = runCli(['install', '--user', '--root', root], userEnv);
  if (user.status !== 0) throw new Error(`install --user failed: ${user.stderr}`);
  userDir = join(root, 'home', 'ann', '.config', 'systemd', 'user');
});

describe('systemd units', () => {
  it('the installed system service and timer pass systemd-analyze verify without a single warning', () => {
    const r = analyze(['verify', join(systemDir, 'openclaw-budget.service'), join(systemDir, 'openclaw-budget.timer')]);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the installed user service and timer pass systemd-analyze verify --user', () => {
    const r = analyze(
      ['verify', '--user', join(userDir, 'openclaw-budget.service'), join(userDir, 'openclaw-budget.timer')],
      {
        ...process.env,
        XDG_RUNTIME_DIR: userEnv.XDG_RUNTIME_DIR,
      },
    );
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('verify catches a broken unit (so the checks above can fail)', () => {
    const dir = tempDir('ocb-systemd-bad-');
    const text = readFileSync(join(systemDir, 'openclaw-budget.service'), 'utf8').replace(
      'ProtectSystem=strict',
      'ProtectSystem=very',
    );
    writeFileSync(join(dir, 'openclaw-budget.service'), text);
    expect(analyze(['verify', join(dir, 'openclaw-budget.service')]).output).toMatch(
      /Failed to parse protect system value.*very/i,
    );
  });

  it('the system service has an exposure level of 2.0 or lower', () => {
    const r = analyze(['security', '--offline=true', join(systemDir, 'openclaw-budget.service')]);
    const m = /Overall exposure level for openclaw-budget\.service: (\d+\.\d)/.exec(r.output);
    if (!m) throw new Error(`no exposure level in systemd-analyze security output:\n${r.output}`);
    expect(Number(m[1])).toBeLessThanOrEqual(2.0);
    // The hardening that matters for this service, by name.
    for (const ok of [
      'NoNewPrivileges=',
      'ProtectSystem=',
      'PrivateTmp=',
      'SystemCallFilter=~@privileged',
      'RestrictNamespaces=~user',
    ]) {
      expect(r.output).toMatch(new RegExp(`✓ ${ok.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  it('the timer fires every 5 minutes, catches up after downtime, and the service times out well under that', () => {
    const timer = readFileSync(join(systemDir, 'openclaw-budget.timer'), 'utf8');
    const next = analyze(['calendar', '--iterations=3', '*:0/5']).output;
    const times = [...next.matchAll(/(\d\d):(\d\d):00/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(((times[1] as number) - (times[0] as number) + 1440) % 1440).toBe(5);
    expect(timer).toMatch(/^OnCalendar=\*:0\/5$/m);
    expect(timer).toMatch(/^Persistent=true$/m);
    const service = readFileSync(join(systemDir, 'openclaw-budget.service'), 'utf8');
    const timeout = analyze(['timespan', /^TimeoutStartSec=(.*)$/m.exec(service)?.[1] ?? 'missing']).output;
    const us = Number(/μs: (\d+)/.exec(timeout)?.[1]);
    expect(us).toBeGreaterThan(0);
    expect(us).toBeLessThan(5 * 60 * 1e6);
    expect(service).not.toMatch(/^MemoryDenyWriteExecute/m);
  });
});
