// Runs the real CLI (bin/openclaw-budget) as a child process, with bench/probe.mjs preloaded to report start-up,
// peak RSS and CPU time of that process.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout: the nearest directory above this file holding bin/openclaw-budget (works from bench/out/build too). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'openclaw-budget'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find bin/openclaw-budget above the bench');
    dir = up;
  }
  return dir;
})();
const BIN = join(ROOT, 'bin', 'openclaw-budget');
const PROBE = join(ROOT, 'bench', 'probe.mjs');

export interface SourceJson {
  name: string;
  ok: boolean;
  bytesRead: number;
  callsAdded: number;
  filesRead: number;
  listingBytes?: number;
  skippedLines: Record<string, number>;
  error?: string;
}

export interface CheckJson {
  totalCostUsd: number;
  models: { provider: string; model: string; calls: number }[];
  sources: SourceJson[];
}

export interface Probe {
  /** performance.now() in the child when it first touched the source: start-up. */
  firstReadMs?: number;
  exitMs: number;
  maxRssKB: number;
  userMs: number;
  sysMs: number;
}

export interface CliRun {
  status: number | null;
  wallMs: number;
  stderr: string;
  json?: CheckJson;
  probe?: Probe;
}

/** The caller's environment without the tool's own settings or an SSH agent, so only the flags given count. */
export function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('OPENCLAW_') || k === 'MAX_DAILY_USD' || k === 'STATE_DIRECTORY' || k === 'SSH_AUTH_SOCK')
      continue;
    env[k] = v;
  }
  // The daily price-catalog fetch is off: a bench measures the check, not this machine's network (every cold run
  // starts from a fresh state dir, where an update would be due).
  return { ...env, NO_COLOR: '1', OPENCLAW_BUDGET_PRICING_AUTO_UPDATE: '0' };
}

let seq = 0;

/** `openclaw-budget check --json <args>`; `sourceRoot` is what the probe watches for the first read. */
export async function runCheck(args: readonly string[], sourceRoot: string): Promise<CliRun> {
  const probeFile = join(tmpdir(), `ocb-bench-probe-${process.pid}-${seq++}.json`);
  const env = { ...benchEnv(), BENCH_SOURCE: sourceRoot, BENCH_PROBE_OUT: probeFile };
  const r = await runTimed(process.execPath, ['--import', PROBE, BIN, 'check', '--json', ...args], env);
  let probe: Probe | undefined;
  if (existsSync(probeFile)) {
    probe = JSON.parse(readFileSync(probeFile, 'utf8')) as Probe;
    rmSync(probeFile);
  }
  let json: CheckJson | undefined;
  try {
    json = r.stdout ? (JSON.parse(r.stdout) as CheckJson) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, wallMs: r.wallMs, stderr: r.stderr, json, probe };
}

/** A program run to its end, timed from spawn to exit (the CLI, the Python baseline, a bare `node`). */
export function runTimed(
  cmd: string,
  args: readonly string[],
  env = benchEnv(),
): Promise<{ status: number | null; wallMs: number; stdout: string; stderr: string }> {
  const started = performance.now();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, wallMs: performance.now() - started, stdout, stderr }));
  });
}
