// A synthetic OpenClaw state dir covering every era and trap, with the ground truth of what must be counted.
// The truth is recorded as the lines are written, independently of the code under test.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TruthCall {
  key: string;
  /** Normalized, as the contract defines it. */
  provider: string;
  model: string;
  at: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  transcriptCost: number | null;
}

export interface CorpusOptions {
  seed: number;
  /** Calls are spread over this UTC window. */
  fromMs: number;
  toMs: number;
  sessions: number;
  callsPerSession: number;
  /** Bytes of tool output between calls, roughly. */
  fillerBytes?: number;
}

interface ModelDef {
  rawProvider: string;
  rawModel: string;
  provider: string;
  model: string;
}

// Raw ids as OpenClaw writes them, with their normalized forms written out by hand.
export const MODELS: readonly ModelDef[] = [
  { rawProvider: 'anthropic', rawModel: 'claude-opus-4-5', provider: 'anthropic', model: 'claude-opus-4-5' },
  { rawProvider: 'Anthropic', rawModel: 'claude-sonnet-4-5-20250929', provider: 'anthropic', model: 'claude-sonnet-4-5' },
  { rawProvider: 'anthropic', rawModel: 'anthropic/claude-haiku-4.5', provider: 'anthropic', model: 'claude-haiku-4-5' },
  { rawProvider: 'openai', rawModel: 'gpt-5.2', provider: 'openai', model: 'gpt-5.2' },
  { rawProvider: 'openai-codex', rawModel: 'gpt-5.2-codex', provider: 'openai-codex', model: 'gpt-5.2-codex' },
  { rawProvider: 'github-copilot', rawModel: 'claude-opus-4.6', provider: 'github-copilot', model: 'claude-opus-4-6' },
  { rawProvider: 'z.ai', rawModel: 'GLM-4.7', provider: 'zai', model: 'glm-4.7' },
  { rawProvider: 'openrouter', rawModel: 'anthropic/claude-opus-4.6', provider: 'openrouter', model: 'anthropic/claude-opus-4-6' },
  { rawProvider: 'ollama', rawModel: 'qwen3:8b', provider: 'ollama', model: 'qwen3:8b' },
  { rawProvider: 'acme-labs', rawModel: 'Mystery-1', provider: 'acme-labs', model: 'mystery-1' },
  { rawProvider: 'google', rawModel: 'gemini-2.5-flash', provider: 'google', model: 'gemini-2.5-flash' },
  { rawProvider: 'aws-bedrock', rawModel: 'us.anthropic.claude-opus-4-5-20251101-v1:0', provider: 'amazon-bedrock', model: 'us.anthropic.claude-opus-4-5-20251101-v1:0' },
];

type Style = 'message' | 'entry' | 'context' | 'snapshot' | 'openai' | 'anthropicSnake' | 'seconds';
const STYLES: readonly Style[] = ['message', 'message', 'message', 'entry', 'context', 'snapshot', 'openai', 'anthropicSnake', 'seconds'];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Corpus {
  readonly truth = new Map<string, TruthCall>();
  readonly files: string[] = [];
  private readonly rand: () => number;
  private n = 0;

  constructor(
    readonly dir: string,
    private readonly opts: CorpusOptions,
  ) {
    this.rand = rng(opts.seed);
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)] as T;
  }

  private uuid(): string {
    const h = () => Math.floor(this.rand() * 0x10000).toString(16).padStart(4, '0');
    return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
  }

  private write(rel: string, lines: string[], newlineAtEnd = true): string {
    const path = join(this.dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines.join('\n') + (newlineAtEnd ? '\n' : ''), { mode: 0o600 });
    this.files.push(rel);
    return path;
  }

  /** Lines of one assistant call in a given era's style, recording it in the truth. */
  callLines(m: ModelDef, at: number, style: Style, record = true): string[] {
    const msgTs = style === 'seconds' ? Math.floor(at / 1000) : at + this.int(0, 900);
    const instant = style === 'seconds' ? Math.floor(at / 1000) * 1000 : at;
    const t = { input: this.int(0, 5000), output: this.int(1, 4000), cacheRead: this.int(0, 60000), cacheWrite: this.int(0, 8000) };
    const cost = this.rand() < 0.5 ? Math.round(this.rand() * 1e6) / 1e7 : this.rand() < 0.5 ? 0 : null;
    const camel = { ...t, totalTokens: t.input + t.output + t.cacheRead + t.cacheWrite, ...(cost === null ? {} : { cost: { total: cost } }) };
    const id = (this.n++).toString(16).padStart(8, '0');
    const iso = new Date(instant).toISOString();
    const lines: string[] = [];
    let usage: Record<string, unknown> = camel;
    let recorded = { ...t };
    let message: Record<string, unknown> = { role: 'assistant', provider: m.rawProvider, model: m.rawModel, usage, timestamp: msgTs };
    let entry: Record<string, unknown> = { type: 'message', id, parentId: 'p', timestamp: iso, message };
    switch (style) {
      case 'entry':
        message = { role: 'assistant', timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, provider: m.rawProvider, model: m.rawModel, usage, message };
        break;
      case 'context':
        lines.push(JSON.stringify({ type: 'model_change', id: `${id}m`, timestamp: iso, provider: m.rawProvider, modelId: m.rawModel }));
        message = { role: 'assistant', usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      case 'snapshot':
        lines.push(JSON.stringify({ type: 'custom', customType: 'model-snapshot', id: `${id}s`, timestamp: iso, data: { provider: m.rawProvider, modelId: m.rawModel } }));
        message = { role: 'assistant', usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      case 'openai': {
        // Cached tokens are inside the prompt figure and must be subtracted from it.
        usage = { prompt_tokens: t.input + t.cacheRead, completion_tokens: t.output, prompt_tokens_details: { cached_tokens: t.cacheRead }, total_tokens: 1 };
        recorded = { ...t, cacheWrite: 0 };
        message = { role: 'assistant', provider: m.rawProvider, model: m.rawModel, usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      }
      case 'anthropicSnake':
        usage = { input_tokens: t.input, output_tokens: t.output, cache_read_input_tokens: t.cacheRead, cache_creation_input_tokens: t.cacheWrite };
        message = { role: 'assistant', provider: m.rawProvider, model: m.rawModel, usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      case 'seconds':
        entry = { type: 'message', id, message };
        break;
      case 'message':
        break;
    }
    lines.push(JSON.stringify(entry));
    if (record) {
      const usedCost = style === 'openai' || style === 'anthropicSnake' ? null : cost;
      const truth: TruthCall = { key: '', provider: m.provider, model: m.model, at: instant, ...recorded, transcriptCost: usedCost };
      truth.key = [m.provider, m.model, style === 'seconds' ? msgTs * 1000 : msgTs, recorded.input, recorded.output, recorded.cacheRead, recorded.cacheWrite].join('|');
      if (!this.truth.has(truth.key)) this.truth.set(truth.key, truth);
    }
    return lines;
  }

  private filler(): string[] {
    const out: string[] = [];
    const n = this.int(0, 3);
    for (let i = 0; i < n; i++) {
      const size = this.int(50, this.opts.fillerBytes ?? 2000);
      // Tool output mentioning "usage" and models, to exercise the prefilter's false positives.
      const text = `ran: du -sh; usage: ${'x'.repeat(size)} "model_change" done`;
      out.push(JSON.stringify({ type: 'message', id: `f${this.n++}`, timestamp: '2026-11-20T00:00:00Z', message: { role: 'toolResult', content: [{ type: 'text', text }] } }));
    }
    if (this.rand() < 0.1) out.push('');
    if (this.rand() < 0.05) out.push('{"type":"message","message":{"role":"assistant","usage":{"input":5,');
    if (this.rand() < 0.1) {
      out.push(JSON.stringify({ type: 'message', id: `o${this.n++}`, timestamp: '2026-11-20T01:00:00Z', message: { role: 'assistant', provider: 'openclaw', model: 'delivery-mirror', usage: { input: 0, output: 0 }, timestamp: 1 } }));
    }
    return out;
  }

  /** A whole session file's lines. */
  session(id: string): string[] {
    const lines = [JSON.stringify({ type: 'session', version: 3, id, timestamp: new Date(this.opts.fromMs).toISOString(), cwd: '/home/node' })];
    const span = this.opts.toMs - this.opts.fromMs;
    const times = Array.from({ length: this.opts.callsPerSession }, () => this.opts.fromMs + Math.floor(this.rand() * span)).sort((a, b) => a - b);
    for (const at of times) {
      lines.push(JSON.stringify({ type: 'message', id: `u${this.n++}`, timestamp: new Date(at - 1000).toISOString(), message: { role: 'user', content: 'do the thing' } }));
      lines.push(...this.callLines(this.pick(MODELS), at, this.pick(STYLES)));
      lines.push(...this.filler());
    }
    return lines;
  }

  /** Writes the whole state dir: agents, legacy layout, archives, copies and side files. */
  build(): this {
    const agents = ['main', 'ops', 'cron-bot'];
    for (let i = 0; i < this.opts.sessions; i++) {
      const agent = this.pick(agents);
      const id = this.uuid();
      const lines = this.session(id);
      const r = this.rand();
      const dir = i === 0 ? 'sessions' : `agents/${agent}/sessions`; // one pre-2026 layout session
      const ts = '2026-11-20T10-11-12.345Z';
      const rel = r < 0.15 ? `${dir}/${id}.jsonl.deleted.${ts}` : r < 0.25 ? `${dir}/${id}.jsonl.reset.${ts}` : `${dir}/${id}.jsonl`;
      this.write(rel, lines);
      // Copies that must never add anything: a checkpoint, a backup, a fork re-using some calls.
      if (this.rand() < 0.3) this.write(`${dir}/${id}.checkpoint.${this.uuid()}.jsonl`, lines);
      if (this.rand() < 0.2) this.write(`${dir}/${id}.jsonl.bak.1763600000`, lines);
      if (this.rand() < 0.3) {
        // A fork copies the conversation up to the branch point unchanged, then goes on with calls of its own.
        const fork = lines.slice(0, this.int(1, lines.length));
        this.write(`${dir}/2026-11-20T09-00-00-000Z_${this.uuid()}.jsonl`, [...fork, ...this.session(this.uuid()).slice(1)]);
      }
    }
    this.write('agents/main/sessions/sessions.json', [JSON.stringify({ 'agent:main:main': { sessionId: 'x', estimatedCostUsd: 999 } })]);
    this.write('agents/main/sessions/locked.jsonl.lock', ['{}']);
    this.write('agents/main/sessions/t.trajectory.jsonl', this.callLines(MODELS[0] as ModelDef, this.opts.fromMs + 1000, 'message', false));
    // A live file whose last line is still being written: not counted yet.
    const partial = this.callLines(MODELS[3] as ModelDef, this.opts.fromMs + 5000, 'message', false)[0] as string;
    this.write(`agents/main/sessions/${this.uuid()}.jsonl`, [this.session(this.uuid())].flat().concat(partial.slice(0, 60)), false);
    return this;
  }

  /** Append more calls to a live file (a later tick's new data). */
  append(rel: string, calls: number, at: number): void {
    const lines: string[] = [];
    for (let i = 0; i < calls; i++) lines.push(...this.callLines(this.pick(MODELS), at + i * 1000, this.pick(STYLES)), ...this.filler());
    appendFileSync(join(this.dir, rel), `${lines.join('\n')}\n`);
  }
}

export interface ExpectedRow {
  provider: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Expected per-model totals for calls with start <= at < end. */
export function expectedRows(truth: Iterable<TruthCall>, start: number, end: number): Map<string, ExpectedRow & { calls_: TruthCall[] }> {
  const rows = new Map<string, ExpectedRow & { calls_: TruthCall[] }>();
  for (const c of truth) {
    if (c.at < start || c.at >= end) continue;
    const k = `${c.provider}/${c.model}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { provider: c.provider, model: c.model, calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, calls_: [] }));
    r.calls++;
    r.inputTokens += c.input;
    r.outputTokens += c.output;
    r.cacheReadTokens += c.cacheRead;
    r.cacheWriteTokens += c.cacheWrite;
    r.calls_.push(c);
  }
  return rows;
}
