// A minimal OpenClaw state dir for end-to-end tests: one agent session whose assistant calls carry a cost.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class OpenClawState {
  private n = 0;
  private readonly file: string;

  constructor(readonly dir: string) {
    const sessions = join(dir, 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    this.file = join(sessions, 'a1b2c3d4-0000-4000-8000-000000000001.jsonl');
    writeFileSync(this.file, `${JSON.stringify({ type: 'session', version: 3, id: 'a1b2c3d4-0000-4000-8000-000000000001', timestamp: '2026-11-20T00:00:01.000Z', cwd: '/home/node' })}\n`);
  }

  /** One assistant call at `iso` costing `usd` (OpenClaw's own cost, used in auto pricing mode). */
  call(iso: string, usd: number, model = 'claude-opus-4-5', provider = 'anthropic'): this {
    this.n++;
    const ms = Date.parse(iso);
    const line = {
      type: 'message',
      id: `m${this.n}`,
      parentId: `p${this.n}`,
      timestamp: iso,
      message: { role: 'assistant', provider, model, usage: { input: 10 + this.n, output: 100, cacheRead: 0, cacheWrite: 0, totalTokens: 110 + this.n, cost: { total: usd } }, timestamp: ms },
    };
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
    return this;
  }
}
