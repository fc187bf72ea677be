// Small OpenClaw state dirs written by a test, for checks whose exact figures the test states itself.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'ocb-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface SampleCall {
  at: string;
  provider?: string;
  model?: string;
  input?: number;
  output?: number;
  /** OpenClaw's usage.cost.total (0: none, so the table prices it). */
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
        usage: {
          input: c.input ?? 1000,
          output: c.output ?? 100,
          cacheRead: 0,
          cacheWrite: 0,
          cost: { total: c.cost ?? 0 },
        },
        timestamp: Date.parse(c.at),
      },
    }),
  );
  writeFileSync(join(sessions, 's1.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}
