// Helpers for end-to-end tests of the built CLI: a sample OpenClaw state dir and a way to run bin/openclaw-budget.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'openclaw-budget');

export function tempDir(prefix = 'ocb-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface SampleCall {
  at: string;
  provider?: string;
  model?: string;
  input?: number;
  output?: number;
  cost?: number;
}

/** An OpenClaw state dir with one agent session holding these assistant calls. */
export function sampleState(dir: string, calls: readonly SampleCall[]): string {
  const sessions = join(dir, 'agents', 'main', 'sessions');
  mkdirSync(sessions, { recursive: true });
  const lines = calls.map((c, i) =>
    JSON.stringify({
      type: 'message',
      id: `m${i}`,
      timestamp: c.at,
      message: {
        role: 'assistant',
        provider: c.provider ?? 'anthropic',
        model: c.model ?? 'claude-opus-4-5',
        usage: { input: c.input ?? 1000, output: c.output ?? 100, cacheRead: 0, cacheWrite: 0, cost: { total: c.cost ?? 0 } },
        timestamp: Date.parse(c.at),
      },
    }),
  );
  writeFileSync(join(sessions, 's1.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

/** Environment for a run that sees no machine config and no colours unless a test asks for them. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCLAW_BUDGET_CONFIG: '', ...extra };
  for (const k of ['JOURNAL_STREAM', 'STATE_DIRECTORY', 'RUNTIME_DIRECTORY', 'CREDENTIALS_DIRECTORY', 'NO_COLOR', 'MAX_DAILY_USD']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function start(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

export function run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return start(args, env).done;
}
