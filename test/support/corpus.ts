// A synthetic OpenClaw state dir covering every era and trap, with the ground truth of what must be counted.
// The truth is recorded as the lines are written, independently of the code under test.
import { appendFileSync, closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
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
  /** Lines as big and as mixed as real ones (benchmarks); absent, the compact mix the tests are written against. */
  mix?: LineMix;
  /** Instead of `sessions`, write sessions until the state dir holds this many bytes. */
  targetBytes?: number;
}

/** Sizes of a realistic transcript: what the bench generates. */
export interface LineMix {
  /** Each assistant line (one per call, with usage) carries thinking, text and a tool call: [min, max] bytes. */
  assistantBytes: [number, number];
  /** Tool results after each call: how many... */
  toolResults: [number, number];
  /** ...and their size, skewed towards the small end: [min, max] bytes. */
  toolResultBytes: [number, number];
}

/** About 15% of lines carry usage; tool output is most of the bytes. */
export const REALISTIC_MIX: LineMix = {
  assistantBytes: [1024, 4096],
  toolResults: [3, 8],
  toolResultBytes: [200, 40_000],
};

/** The dense profile (issue 13): fewer, smaller tool results, so about 3.4x more assistant JSON per MB. */
export const DENSE_MIX: LineMix = { assistantBytes: [512, 3200], toolResults: [2, 4], toolResultBytes: [200, 13_000] };

// Tool output and model prose: shell, code and log fragments, with quotes, backslashes, newlines and non-ASCII.
const WORDS = [
  'const',
  'return',
  'await',
  'function',
  'src/index.ts',
  'npm',
  'ERR!',
  'warning:',
  '{',
  '}',
  '=>',
  'true',
  'null',
  '0x7f3a',
  'the',
  'a',
  'of',
  'file',
  'line',
  '42',
  '"quoted"',
  'C:\\path',
  'résumé',
  '→',
  '✓',
  'café',
  'import',
  'from',
  '\n',
  'usage',
  'model',
  'tokens',
  'ok',
  'FAIL',
  'at',
  'Object.<anonymous>',
  '(node:internal/modules)',
  'SELECT',
  '*',
  'WHERE',
  'id',
  '=',
  '1;',
];

interface ModelDef {
  rawProvider: string;
  rawModel: string;
  provider: string;
  model: string;
}

// Raw ids as OpenClaw writes them, with their normalized forms written out by hand.
export const MODELS: readonly ModelDef[] = [
  { rawProvider: 'anthropic', rawModel: 'claude-opus-4-5', provider: 'anthropic', model: 'claude-opus-4-5' },
  {
    rawProvider: 'Anthropic',
    rawModel: 'claude-sonnet-4-5-20250929',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
  },
  {
    rawProvider: 'anthropic',
    rawModel: 'anthropic/claude-haiku-4.5',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
  },
  { rawProvider: 'openai', rawModel: 'gpt-5.2', provider: 'openai', model: 'gpt-5.2' },
  { rawProvider: 'openai-codex', rawModel: 'gpt-5.2-codex', provider: 'openai-codex', model: 'gpt-5.2-codex' },
  { rawProvider: 'github-copilot', rawModel: 'claude-opus-4.6', provider: 'github-copilot', model: 'claude-opus-4-6' },
  { rawProvider: 'z.ai', rawModel: 'GLM-4.7', provider: 'zai', model: 'glm-4.7' },
  {
    rawProvider: 'openrouter',
    rawModel: 'anthropic/claude-opus-4.6',
    provider: 'openrouter',
    model: 'anthropic/claude-opus-4-6',
  },
  { rawProvider: 'ollama', rawModel: 'qwen3:8b', provider: 'ollama', model: 'qwen3:8b' },
  { rawProvider: 'acme-labs', rawModel: 'Mystery-1', provider: 'acme-labs', model: 'mystery-1' },
  { rawProvider: 'google', rawModel: 'gemini-2.5-flash', provider: 'google', model: 'gemini-2.5-flash' },
  {
    rawProvider: 'aws-bedrock',
    rawModel: 'us.anthropic.claude-opus-4-5-20251101-v1:0',
    provider: 'amazon-bedrock',
    model: 'us.anthropic.claude-opus-4-5-20251101-v1:0',
  },
];

type Style = 'message' | 'entry' | 'context' | 'snapshot' | 'openai' | 'anthropicSnake' | 'seconds';
const STYLES: readonly Style[] = [
  'message',
  'message',
  'message',
  'entry',
  'context',
  'snapshot',
  'openai',
  'anthropicSnake',
  'seconds',
];

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
  /** Bytes written by build() so far. */
  bytes = 0;
  private readonly rand: () => number;
  private n = 0;
  private pool = '';

  constructor(
    readonly dir: string,
    private readonly opts: CorpusOptions,
  ) {
    this.rand = rng(opts.seed);
    if (opts.mix) this.pool = textPool(opts.seed, 1 << 20);
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)] as T;
  }

  private uuid(): string {
    const h = () =>
      Math.floor(this.rand() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
  }

  private write(rel: string, lines: string[], newlineAtEnd = true): string {
    const path = join(this.dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    const text = lines.join('\n') + (newlineAtEnd ? '\n' : '');
    writeFileSync(path, text, { mode: 0o600 });
    this.bytes += Buffer.byteLength(text);
    this.files.push(rel);
    return path;
  }

  /** Lines of one assistant call in a given era's style, recording it in the truth. */
  callLines(m: ModelDef, at: number, style: Style, record = true): string[] {
    const msgTs = style === 'seconds' ? Math.floor(at / 1000) : at + this.int(0, 900);
    const instant = style === 'seconds' ? Math.floor(at / 1000) * 1000 : at;
    const t = {
      input: this.int(0, 5000),
      output: this.int(1, 4000),
      cacheRead: this.int(0, 60000),
      cacheWrite: this.int(0, 8000),
    };
    const cost = this.rand() < 0.5 ? Math.round(this.rand() * 1e6) / 1e7 : this.rand() < 0.5 ? 0 : null;
    const camel = {
      ...t,
      totalTokens: t.input + t.output + t.cacheRead + t.cacheWrite,
      ...(cost === null ? {} : { cost: { total: cost } }),
    };
    const id = (this.n++).toString(16).padStart(8, '0');
    const iso = new Date(instant).toISOString();
    const lines: string[] = [];
    let usage: Record<string, unknown> = camel;
    let recorded = { ...t };
    let message: Record<string, unknown> = {
      role: 'assistant',
      provider: m.rawProvider,
      model: m.rawModel,
      usage,
      timestamp: msgTs,
    };
    let entry: Record<string, unknown> = { type: 'message', id, parentId: 'p', timestamp: iso, message };
    switch (style) {
      case 'entry':
        message = { role: 'assistant', timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, provider: m.rawProvider, model: m.rawModel, usage, message };
        break;
      case 'context':
        lines.push(
          JSON.stringify({
            type: 'model_change',
            id: `${id}m`,
            timestamp: iso,
            provider: m.rawProvider,
            modelId: m.rawModel,
          }),
        );
        message = { role: 'assistant', usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      case 'snapshot':
        lines.push(
          JSON.stringify({
            type: 'custom',
            customType: 'model-snapshot',
            id: `${id}s`,
            timestamp: iso,
            data: { provider: m.rawProvider, modelId: m.rawModel },
          }),
        );
        message = { role: 'assistant', usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      case 'openai': {
        // Cached tokens are inside the prompt figure and must be subtracted from it.
        usage = {
          prompt_tokens: t.input + t.cacheRead,
          completion_tokens: t.output,
          prompt_tokens_details: { cached_tokens: t.cacheRead },
          total_tokens: 1,
        };
        recorded = { ...t, cacheWrite: 0 };
        message = { role: 'assistant', provider: m.rawProvider, model: m.rawModel, usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      }
      case 'anthropicSnake':
        usage = {
          input_tokens: t.input,
          output_tokens: t.output,
          cache_read_input_tokens: t.cacheRead,
          cache_creation_input_tokens: t.cacheWrite,
        };
        message = { role: 'assistant', provider: m.rawProvider, model: m.rawModel, usage, timestamp: msgTs };
        entry = { type: 'message', id, timestamp: iso, message };
        break;
      case 'seconds':
        entry = { type: 'message', id, message };
        break;
      case 'message':
        break;
    }
    if (this.opts.mix) this.padAssistant(entry, message);
    lines.push(JSON.stringify(entry));
    if (record) {
      const usedCost = style === 'openai' || style === 'anthropicSnake' ? null : cost;
      const truth: TruthCall = {
        key: '',
        provider: m.provider,
        model: m.model,
        at: instant,
        ...recorded,
        transcriptCost: usedCost,
      };
      truth.key = [
        m.provider,
        m.model,
        style === 'seconds' ? msgTs * 1000 : msgTs,
        recorded.input,
        recorded.output,
        recorded.cacheRead,
        recorded.cacheWrite,
      ].join('|');
      if (!this.truth.has(truth.key)) this.truth.set(truth.key, truth);
    }
    return lines;
  }

  /** Prose from the pool, `size` characters long. */
  private text(size: number): string {
    const at = this.int(0, this.pool.length - 1);
    let t = this.pool.slice(at, at + size);
    while (t.length < size) t += this.pool.slice(0, size - t.length);
    return t;
  }

  /** Gives an assistant line the content real ones carry (before its usage, as OpenClaw writes it). */
  private padAssistant(entry: Record<string, unknown>, message: Record<string, unknown>): void {
    const [lo, hi] = (this.opts.mix as LineMix).assistantBytes;
    const room = this.int(lo, hi) - JSON.stringify(entry).length - 160;
    const thinking = Math.max(0, Math.floor(room * 0.5));
    const content = [
      { type: 'thinking', thinking: this.text(thinking), thinkingSignature: 'EqQBCkYIBxgCKkDx' },
      { type: 'text', text: this.text(Math.max(0, room - thinking)) },
      { type: 'toolCall', id: `toolu_${this.n}`, name: 'exec', arguments: { command: 'ls -la' } },
    ];
    const rest = { ...message };
    for (const k of Object.keys(message)) delete message[k];
    Object.assign(message, { role: rest.role, content, api: 'anthropic-messages', ...rest, stopReason: 'toolUse' });
  }

  /** Tool results as an agent produces them: several per call, mostly small, some tens of KB. */
  private toolResults(mix: LineMix): string[] {
    const out: string[] = [];
    const [lo, hi] = mix.toolResultBytes;
    for (let i = this.int(...mix.toolResults); i > 0; i--) {
      const size = lo + Math.floor((hi - lo) * this.rand() ** 3);
      // Now and then output that names the prefilter's needles, so some lines are parsed for nothing.
      const text = this.rand() < 0.03 ? `{"type":"model_change"} ${this.text(size)}` : this.text(size);
      out.push(
        JSON.stringify({
          type: 'message',
          id: `t${this.n++}`,
          parentId: 'p',
          timestamp: '2026-11-20T00:00:00.000Z',
          message: {
            role: 'toolResult',
            toolCallId: `toolu_${this.n}`,
            toolName: 'exec',
            content: [{ type: 'text', text }],
            isError: false,
            timestamp: 1763600000000,
          },
        }),
      );
    }
    return out;
  }

  private filler(): string[] {
    const out: string[] = this.opts.mix ? this.toolResults(this.opts.mix) : [];
    const n = this.opts.mix ? 0 : this.int(0, 3);
    for (let i = 0; i < n; i++) {
      const size = this.int(50, this.opts.fillerBytes ?? 2000);
      // Tool output mentioning "usage" and models, to exercise the prefilter's false positives.
      const text = `ran: du -sh; usage: ${'x'.repeat(size)} "model_change" done`;
      out.push(
        JSON.stringify({
          type: 'message',
          id: `f${this.n++}`,
          timestamp: '2026-11-20T00:00:00Z',
          message: { role: 'toolResult', content: [{ type: 'text', text }] },
        }),
      );
    }
    if (this.rand() < 0.1) out.push('');
    if (this.rand() < 0.05) out.push('{"type":"message","message":{"role":"assistant","usage":{"input":5,');
    if (this.rand() < 0.1) {
      out.push(
        JSON.stringify({
          type: 'message',
          id: `o${this.n++}`,
          timestamp: '2026-11-20T01:00:00Z',
          message: {
            role: 'assistant',
            provider: 'openclaw',
            model: 'delivery-mirror',
            usage: { input: 0, output: 0 },
            timestamp: 1,
          },
        }),
      );
    }
    return out;
  }

  /** A whole session file's lines. */
  session(id: string): string[] {
    const lines = [
      JSON.stringify({
        type: 'session',
        version: 3,
        id,
        timestamp: new Date(this.opts.fromMs).toISOString(),
        cwd: '/home/node',
      }),
    ];
    const span = this.opts.toMs - this.opts.fromMs;
    const times = Array.from(
      { length: this.opts.callsPerSession },
      () => this.opts.fromMs + Math.floor(this.rand() * span),
    ).sort((a, b) => a - b);
    for (const at of times) {
      lines.push(
        JSON.stringify({
          type: 'message',
          id: `u${this.n++}`,
          timestamp: new Date(at - 1000).toISOString(),
          message: { role: 'user', content: 'do the thing' },
        }),
      );
      lines.push(...this.callLines(this.pick(MODELS), at, this.pick(STYLES)));
      lines.push(...this.filler());
    }
    return lines;
  }

  /** Writes the whole state dir: agents, legacy layout, archives, copies and side files. */
  build(): this {
    const agents = ['main', 'ops', 'cron-bot'];
    const more = (i: number) =>
      this.opts.targetBytes === undefined ? i < this.opts.sessions : this.bytes < this.opts.targetBytes;
    for (let i = 0; more(i); i++) {
      const agent = this.pick(agents);
      const id = this.uuid();
      const lines = this.session(id);
      const r = this.rand();
      const dir = i === 0 ? 'sessions' : `agents/${agent}/sessions`; // one pre-2026 layout session
      const ts = '2026-11-20T10-11-12.345Z';
      const rel =
        r < 0.15
          ? `${dir}/${id}.jsonl.deleted.${ts}`
          : r < 0.25
            ? `${dir}/${id}.jsonl.reset.${ts}`
            : `${dir}/${id}.jsonl`;
      this.write(rel, lines);
      // Copies that must never add anything: a checkpoint, a backup, a fork re-using some calls.
      if (this.rand() < 0.3) this.write(`${dir}/${id}.checkpoint.${this.uuid()}.jsonl`, lines);
      if (this.rand() < 0.2) this.write(`${dir}/${id}.jsonl.bak.1763600000`, lines);
      if (this.rand() < 0.3) {
        // A fork copies the conversation up to the branch point unchanged, then goes on with calls of its own.
        const fork = lines.slice(0, this.int(1, lines.length));
        this.write(`${dir}/2026-11-20T09-00-00-000Z_${this.uuid()}.jsonl`, [
          ...fork,
          ...this.session(this.uuid()).slice(1),
        ]);
      }
    }
    this.write('agents/main/sessions/sessions.json', [
      JSON.stringify({ 'agent:main:main': { sessionId: 'x', estimatedCostUsd: 999 } }),
    ]);
    this.write('agents/main/sessions/locked.jsonl.lock', ['{}']);
    this.write(
      'agents/main/sessions/t.trajectory.jsonl',
      this.callLines(MODELS[0] as ModelDef, this.opts.fromMs + 1000, 'message', false),
    );
    // A live file whose last line is still being written: not counted yet.
    const partial = this.callLines(MODELS[3] as ModelDef, this.opts.fromMs + 5000, 'message', false)[0] as string;
    this.write(
      `agents/main/sessions/${this.uuid()}.jsonl`,
      [this.session(this.uuid())].flat().concat(partial.slice(0, 60)),
      false,
    );
    return this;
  }

  /** Append more calls to a live file (a later tick's new data). */
  append(rel: string, calls: number, at: number): void {
    const lines: string[] = [];
    for (let i = 0; i < calls; i++)
      lines.push(...this.callLines(this.pick(MODELS), at + i * 1000, this.pick(STYLES)), ...this.filler());
    appendFileSync(join(this.dir, rel), `${lines.join('\n')}\n`);
  }

  /** Append calls and their tool output to a file until at least `bytes` were added; returns the bytes added. */
  appendBytes(rel: string, bytes: number, at: number): number {
    const lines: string[] = [];
    let size = 0;
    const add = (l: string) => {
      lines.push(l);
      size += Buffer.byteLength(l) + 1;
    };
    for (let i = 0; size < bytes; i++) {
      this.callLines(this.pick(MODELS), at + i, this.pick(STYLES)).forEach(add);
      // Tool output stops where the size is reached, so the file grows by about `bytes`, not a whole call more.
      for (const l of this.filler()) if (size < bytes) add(l);
    }
    const path = join(this.dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
    return size;
  }

  /** A session whose middle line (tool output) is `bytes` long: a call before it and one after it count. */
  longLine(rel: string, bytes: number, at: number): void {
    const path = join(this.dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'w', 0o600);
    try {
      const before = [
        JSON.stringify({ type: 'session', version: 3, id: rel, timestamp: new Date(at).toISOString(), cwd: '/' }),
        ...this.callLines(MODELS[0] as ModelDef, at, 'message'),
      ];
      writeSync(
        fd,
        `${before.join('\n')}\n{"type":"message","message":{"role":"toolResult","content":[{"type":"text","text":"`,
      );
      const block = 'x'.repeat(1 << 20);
      for (let left = bytes; left > 0; left -= block.length)
        writeSync(fd, left >= block.length ? block : block.slice(0, left));
      writeSync(fd, `"}]}}\n${this.callLines(MODELS[1] as ModelDef, at + 1000, 'message').join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
    this.bytes += statSync(path).size;
  }
}

/** Deterministic prose of `size` characters, independent of the corpus's own random sequence. */
function textPool(seed: number, size: number): string {
  const rand = rng(seed ^ 0x5eed);
  const parts: string[] = [];
  let len = 0;
  while (len < size) {
    const w = WORDS[Math.floor(rand() * WORDS.length)] as string;
    const sep = rand() < 0.08 ? '\n' : ' ';
    parts.push(w, sep);
    len += w.length + 1;
  }
  return parts.join('');
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
export function expectedRows(
  truth: Iterable<TruthCall>,
  start: number,
  end: number,
): Map<string, ExpectedRow & { calls_: TruthCall[] }> {
  const rows = new Map<string, ExpectedRow & { calls_: TruthCall[] }>();
  for (const c of truth) {
    if (c.at < start || c.at >= end) continue;
    const k = `${c.provider}/${c.model}`;
    let r = rows.get(k);
    if (!r)
      rows.set(
        k,
        (r = {
          provider: c.provider,
          model: c.model,
          calls: 0,
          inputTokens: 0,
          outputTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          calls_: [],
        }),
      );
    r.calls++;
    r.inputTokens += c.input;
    r.outputTokens += c.output;
    r.cacheReadTokens += c.cacheRead;
    r.cacheWriteTokens += c.cacheWrite;
    r.calls_.push(c);
  }
  return rows;
}
