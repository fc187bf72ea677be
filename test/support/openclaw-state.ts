// A minimal OpenClaw state dir for end-to-end tests: one agent session whose calls carry OpenClaw's own cost.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callLine, sessionHeader } from './transcripts.js';

export class OpenClawState {
  private readonly file: string;

  constructor(readonly dir: string) {
    const sessions = join(dir, 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    this.file = join(sessions, 'a1b2c3d4-0000-4000-8000-000000000001.jsonl');
    writeFileSync(this.file, sessionHeader(Date.parse('2026-11-20T00:00:01Z')));
  }

  /** One assistant call at `iso` costing `usd` (used as is in the default auto pricing mode). */
  call(iso: string, usd: number, model = 'claude-opus-4-5', provider = 'anthropic'): this {
    appendFileSync(this.file, callLine(Date.parse(iso), model, { costUsd: usd, provider }));
    return this;
  }
}
