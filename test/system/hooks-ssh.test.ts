// Enforcement hooks run on a gateway's host over its SSH connection (a real sshd), not on the checker.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../support/cli.js';
import { callLine, sessionHeader } from '../support/transcripts.js';
import { type Sshd, startSshd } from './support/sshd.js';

let sshd: Sshd;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocb-sys-hooks-'));
  chmodSync(work, 0o755);
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('hooks over SSH', () => {
  it('run once on the gateway host with the event in their environment, output logged, quotes intact', () => {
    const state = join(work, 'openclaw');
    mkdirSync(join(state, 'agents', 'main', 'sessions'), { recursive: true });
    writeFileSync(
      join(state, 'agents', 'main', 'sessions', 's.jsonl'),
      sessionHeader() + callLine(Date.now(), 'claude-opus-4-5') + callLine(Date.now() + 1, 'claude-opus-4-5'),
    );
    const marker = join(work, "it's here.txt");
    const ssh = {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      identityFile: sshd.clientKey,
      knownHosts: sshd.knownHosts,
      agent: false,
    };
    const config = join(work, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        gateways: [{ name: 'gw', ssh, path: state }],
        alerts: {
          hooks: {
            gateway: 'gw',
            exceeded: `printf '%s %s %s\\n' "$OPENCLAW_BUDGET_EVENT" "$OPENCLAW_BUDGET_GATEWAY" "$SSH_CONNECTION" >> "${marker.replace(/"/g, '\\"')}"; echo "hook says hi"; echo "hook complains" >&2`,
            timeoutSeconds: 20,
          },
        },
      }),
    );
    const args = [
      'check',
      '--config',
      config,
      '--state-dir',
      join(work, 'st'),
      '--max-daily-usd',
      '0.000001',
      '--timezone',
      'UTC',
    ];
    const r = runCli(args, cleanEnv({ HOME: work }));
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    // $SSH_CONNECTION is set only in a session sshd started: proof the hook ran over SSH.
    expect(readFileSync(marker, 'utf8')).toMatch(/^exceeded gw 127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\n$/);
    expect(r.stderr).toContain('exceeded hook (gateway gw): hook says hi');
    expect(r.stderr).toContain('hook complains');
    // Still exceeded: no second transition, no second run.
    expect(runCli(args, cleanEnv({ HOME: work })).status).toBe(0);
    expect(readFileSync(marker, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a hook that fails or hangs is reported and the check still succeeds', () => {
    const state = join(work, 'openclaw2');
    mkdirSync(join(state, 'agents', 'main', 'sessions'), { recursive: true });
    writeFileSync(
      join(state, 'agents', 'main', 'sessions', 's.jsonl'),
      sessionHeader() + callLine(Date.now(), 'claude-opus-4-5'),
    );
    const ssh = {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      identityFile: sshd.clientKey,
      knownHosts: sshd.knownHosts,
      agent: false,
    };
    const config = join(work, 'config2.json');
    writeFileSync(
      config,
      JSON.stringify({
        gateways: [{ name: 'gw', ssh, path: state }],
        alerts: { hooks: { gateway: 'gw', exceeded: 'echo nope; exit 7', recovered: 'sleep 30', timeoutSeconds: 2 } },
      }),
    );
    const base = ['check', '--config', config, '--state-dir', join(work, 'st2'), '--timezone', 'UTC'];
    const over = runCli([...base, '--max-daily-usd', '0.000001'], cleanEnv({ HOME: work }));
    expect(over.status, over.stderr).toBe(0);
    expect(over.stderr).toMatch(/exceeded hook \(gateway gw\).*exit(ed)? (code )?7/);
    const started = Date.now();
    const back = runCli([...base, '--max-daily-usd', '1000'], cleanEnv({ HOME: work }));
    expect(back.status, back.stderr).toBe(0);
    expect(back.stderr).toMatch(/recovered hook \(gateway gw\).*timed out after 2 s/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
