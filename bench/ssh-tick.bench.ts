// One SSH gateway over loopback (real sshd): what a tick with no new data and a tick after a 1 MiB append cost.
// Targets (issue 3): a quiet tick transfers only the listing (a few KB) and takes well under a second.
import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callLine, fillerLine, sessionHeader } from '../test/support/transcripts.js';
import { type Sshd, startSshd } from '../test/system/support/sshd.js';

const BIN = fileURLToPath(new URL('../bin/openclaw-budget', import.meta.url));
const ROUNDS = 5;
let sshd: Sshd;
let work: string;

interface Src {
  bytesRead: number;
  listingBytes: number;
  durationSeconds: number;
}

beforeAll(async () => {
  sshd = await startSshd();
  work = mkdtempSync(join(tmpdir(), 'ocb-bench-'));
  chmodSync(work, 0o755);
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

function tick(state: string, config: string): Promise<{ src: Src; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, 'check', '--json', '--no-alert', '--timezone', 'UTC', '--config', config, '--state-dir', state], { env: { PATH: process.env.PATH ?? '', HOME: work } }, (err, stdout) => {
      if (err) return reject(err);
      resolve({ src: JSON.parse(stdout).sources[0] as Src, wallMs: performance.now() - started });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

it('quiet tick and 1 MiB appended tick over loopback', async () => {
  // A realistic day: 20 agents' sessions, 200 KB each.
  const dir = join(work, '.openclaw');
  for (let a = 0; a < 20; a++) {
    mkdirSync(join(dir, 'agents', `a${a}`, 'sessions'), { recursive: true });
    let text = sessionHeader();
    while (text.length < 200_000) text += callLine() + fillerLine(4000);
    writeFileSync(join(dir, 'agents', `a${a}`, 'sessions', 's.jsonl'), text);
  }
  const config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({ gateways: [{ name: 'bench', ssh: { host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.clientKey, knownHosts: sshd.knownHosts, agent: false }, path: dir }] }));
  const state = join(work, 'state');
  const first = await tick(state, config);
  const quiet: { src: Src; wallMs: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) quiet.push(await tick(state, config));
  const appended: { src: Src; wallMs: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let mb = '';
    while (mb.length < 1 << 20) mb += fillerLine(8000) + callLine();
    appendFileSync(join(dir, 'agents', 'a0', 'sessions', 's.jsonl'), mb);
    appended.push(await tick(state, config));
  }
  const row = (label: string, ts: { src: Src; wallMs: number }[]) =>
    `${label.padEnd(22)} bytesRead ${String(median(ts.map((t) => t.src.bytesRead))).padStart(8)}  listing ${String(median(ts.map((t) => t.src.listingBytes))).padStart(5)} B  source ${(median(ts.map((t) => t.src.durationSeconds)) * 1000).toFixed(0).padStart(4)} ms  whole CLI ${median(ts.map((t) => t.wallMs)).toFixed(0).padStart(4)} ms`;
  process.stdout.write(
    `\nSSH gateway over loopback (OpenSSH sshd, 20 transcripts of 200 KB; medians of ${ROUNDS}):\n${row('first tick (4 MB)', [first])}\n${row('quiet tick', quiet)}\n${row('1 MiB appended tick', appended)}\n`,
  );
  for (const t of quiet) {
    expect(t.src.bytesRead).toBe(0);
    expect(t.src.listingBytes).toBeLessThan(4096);
  }
  expect(median(quiet.map((t) => t.src.durationSeconds))).toBeLessThan(1);
  for (const t of appended) expect(t.src.bytesRead).toBeLessThan((1 << 20) + 10_000);
});
