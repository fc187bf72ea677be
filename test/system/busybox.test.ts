// The SSH session script on a BusyBox userland (Alpine-based images, routers): BusyBox sh, find without -printf,
// stat, head, tail, cat and tr, first on the remote PATH of a real sshd.
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../support/cli.js';
import { callLine, fillerLine, sessionHeader } from '../support/transcripts.js';
import { requireBinary } from './support/servers.js';
import { type Sshd, startSshd } from './support/sshd.js';

const BUSYBOX = requireBinary('/bin/busybox', 'busybox');

let work: string;
let sshd: Sshd;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocb-sys-busybox-'));
  chmodSync(work, 0o755);
  const bin = join(work, 'bin');
  mkdirSync(bin);
  for (const applet of ['sh', 'find', 'stat', 'head', 'tail', 'cat', 'tr', 'ls', 'printf'])
    symlinkSync(BUSYBOX, join(bin, applet));
  sshd = await startSshd({ pathDirs: [bin] });
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Summary {
  totalCostUsd: number;
  models: { model: string; calls: number }[];
  sources: { ok: boolean; bytesRead: number; callsAdded: number; error?: string }[];
}

describe('a BusyBox remote', () => {
  it('counts what a local read counts, reads only appended bytes, and a quiet tick reads nothing', () => {
    const dir = join(work, "it's .openclaw");
    const sessions = join(dir, 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    writeFileSync(
      join(sessions, 'a.jsonl'),
      sessionHeader() + callLine() + fillerLine(3000) + callLine(Date.now(), 'claude-sonnet-4-5'),
    );
    writeFileSync(join(sessions, 'we ird\\name.jsonl'), sessionHeader() + callLine());
    const args = (state: string, source: string) => [
      'check',
      '--json',
      '--no-alert',
      '--timezone',
      'UTC',
      '--source',
      source,
      '--state-dir',
      join(work, state),
    ];
    const ssh = ['--ssh-key', sshd.clientKey, '--known-hosts', sshd.knownHosts];
    const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${encodeURI(dir).replace(/'/g, '%27')}`;
    const env = cleanEnv({ HOME: work });
    const local = JSON.parse(runCli(args('st-local', dir), env).stdout) as Summary;
    const first = runCli([...args('st-ssh', url), ...ssh], env);
    expect(first.stderr).toBe('');
    const s = JSON.parse(first.stdout) as Summary;
    expect(s.models).toEqual(local.models);
    expect(s.models.reduce((n, m) => n + m.calls, 0)).toBe(3);
    expect(s.sources[0]?.bytesRead).toBe(local.sources[0]?.bytesRead);
    const more = callLine() + callLine();
    appendFileSync(join(sessions, 'a.jsonl'), more);
    const grown = JSON.parse(runCli([...args('st-ssh', url), ...ssh], env).stdout) as Summary;
    expect(grown.sources[0]?.callsAdded).toBe(2);
    expect(grown.sources[0]?.bytesRead).toBeGreaterThanOrEqual(Buffer.byteLength(more));
    expect(grown.sources[0]?.bytesRead).toBeLessThan(Buffer.byteLength(more) + 400);
    const quiet = JSON.parse(runCli([...args('st-ssh', url), ...ssh], env).stdout) as Summary;
    expect(quiet.sources[0]).toMatchObject({ ok: true, bytesRead: 0, callsAdded: 0 });
  });
});
