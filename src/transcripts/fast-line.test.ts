// The latin1 fast path must give exactly what JSON.parse of the UTF-8 text gives: on fixtures, generated corpora and mutated lines.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompress } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { Corpus, DENSE_MIX, REALISTIC_MIX } from '../../test/support/corpus.js';
import { fastEntry } from './fast-line.js';
import { type ModelContext, parseLineAt } from './parse.js';

const file = { agent: 'main', session: 's' };

/** Lines the fast path took (did not leave to the UTF-8 parse): the agreement below must not be by default. */
let taken = 0;

/** Both paths over every line of a file, each with its own running model context: the verdicts and contexts agree. */
function agreeOnLines(lines: readonly Buffer[]): number {
  const fast: ModelContext = {};
  const whole: ModelContext = {};
  let calls = 0;
  for (const line of lines) {
    // Inside a bigger buffer, as the splitter hands lines over: the fast path must not look past the line's end.
    const buf = Buffer.concat([Buffer.from('{"x":1}\n'), line, Buffer.from('\n{"type":"message"}')]);
    const a = parseLineAt(buf, 8, 8 + line.length, fast, file);
    const b = parseLineAt(buf, 8, 8 + line.length, whole, file, true);
    expect(a, line.toString()).toEqual(b);
    expect(fast).toEqual(whole);
    if (a.kind === 'call') calls++;
    if (a.kind !== 'none' && fastEntry(buf, 8, 8 + line.length)) taken++;
  }
  return calls;
}

function linesOf(text: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let nl = text.indexOf(10); nl !== -1; nl = text.indexOf(10, start)) {
    out.push(text.subarray(start, nl));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.subarray(start));
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = {
  type: 'message',
  id: 'e5f6a7b8',
  parentId: 'd4e5f6a7',
  timestamp: '2026-11-20T08:15:09.844Z',
  message: {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'résumé "quoted" \\ → ✓' },
      { type: 'toolCall', arguments: { a: [1, 2.5e-3, true, null] } },
    ],
    api: 'anthropic-messages',
    provider: 'anthropic',
    model: 'claude-opus-4-5',
    usage: {
      input: 12,
      output: 87,
      cacheRead: 14210,
      cacheWrite: 1893,
      totalTokens: 16202,
      cost: { total: 0.02117125 },
    },
    stopReason: 'toolUse',
    timestamp: 1763626502135,
  },
};

// Hand-picked odd lines: each is a case where a shortcut could differ from JSON.parse.
const ODD: string[] = [
  JSON.stringify(BASE),
  // duplicate keys: the last wins
  JSON.stringify(BASE).replace('"provider":"anthropic"', '"provider":"anthropic","provider":"openai"'),
  JSON.stringify(BASE).replace('"stopReason"', '"usage":{"input":1},"stopReason"'),
  JSON.stringify(BASE).replace('"stopReason"', '"role":"user","stopReason"'),
  `${JSON.stringify(BASE).slice(0, -1)},"message":{"role":"assistant","usage":{"output":3},"timestamp":5}}`,
  `${JSON.stringify(BASE).slice(0, -1)},"message":"text"}`,
  `${JSON.stringify(BASE).slice(0, -1)},"type":"model_change","provider":"x","modelId":"y"}`,
  `${JSON.stringify(BASE).slice(0, -1)},"timestamp":17636265021}`,
  // escapes in keys and values
  JSON.stringify(BASE).replace('"usage":', '"us\\u0061ge":'),
  JSON.stringify(BASE).replace('"model":"claude-opus-4-5"', '"model":"claude\\u002dopus-4.5"'),
  JSON.stringify(BASE).replace('"provider":"anthropic"', '"provider":"  "'),
  JSON.stringify(BASE).replace('"provider":"anthropic"', '"provider":"Anthröpic"'),
  JSON.stringify(BASE).replace('"model":"claude-opus-4-5"', '"model":"claude-opus-4-5 ✓"'),
  JSON.stringify(BASE).replace('"model":"claude-opus-4-5"', '"model":"claude\\u00e9"'),
  JSON.stringify(BASE).replace(
    '"timestamp":"2026-11-20T08:15:09.844Z"',
    '"timestamp":"2026-11-20T08:15:09.844Z\u00a0"',
  ),
  JSON.stringify(BASE).replace('"stopReason"', '"usagé":{"input":1},"stopReason"'),
  JSON.stringify(BASE).replace('"api"', '\u00a0"api"'),
  JSON.stringify(BASE).replace('"provider":"anthropic"', '"provider":{"a":1}'),
  JSON.stringify(BASE).replace('"provider":"anthropic"', '"provider":null'),
  JSON.stringify(BASE).replace('"timestamp":1763626502135', '"timestamp":"2026-11-20T08:15:09Z"'),
  JSON.stringify(BASE).replace('"timestamp":"2026-11-20T08:15:09.844Z"', '"timestamp":12'),
  JSON.stringify(BASE).replace('"timestamp":"2026-11-20T08:15:09.844Z",', ''),
  // numbers JSON allows and does not
  JSON.stringify(BASE).replace('"input":12', '"input":1.2e1'),
  JSON.stringify(BASE).replace('"input":12', '"input":-0'),
  JSON.stringify(BASE).replace('"input":12', '"input":1E+400'),
  JSON.stringify(BASE).replace('"input":12', '"input":012'),
  JSON.stringify(BASE).replace('"input":12', '"input":1.'),
  JSON.stringify(BASE).replace('"input":12', '"input":.5'),
  JSON.stringify(BASE).replace('"input":12', '"input":+1'),
  JSON.stringify(BASE).replace('"input":12', '"input":0x10'),
  JSON.stringify(BASE).replace('"input":12', '"input":1e'),
  JSON.stringify(BASE).replace('"input":12', '"input":"12"'),
  // whitespace JSON allows, and bytes it does not
  JSON.stringify(BASE, null, '\t').replace(/\n/g, ' '),
  JSON.stringify(BASE).replace('"api"', ' \r "api" '),
  JSON.stringify(BASE).replace('résumé', 'r\x01sum'),
  JSON.stringify(BASE).replace('résumé', 'bad \\x escape'),
  JSON.stringify(BASE).replace('résumé', 'short \\u12 escape'),
  JSON.stringify(BASE).replace('résumé', 'lone \\ud800 surrogate'),
  JSON.stringify(BASE).replace('[1,', '[1,,'),
  JSON.stringify(BASE).replace('[1,', '[1 2,'),
  JSON.stringify(BASE).replace('true', 'tru'),
  JSON.stringify(BASE).replace('null', 'nul'),
  JSON.stringify(BASE).replace('"api":', '"api"'),
  JSON.stringify(BASE).replace('"stopReason"', '"stopReason":1,}'),
  `${JSON.stringify(BASE).slice(0, -1)}}}`,
  `${JSON.stringify(BASE).slice(0, -2)}`,
  `${JSON.stringify(BASE)} x}`,
  `${JSON.stringify(BASE).slice(0, -1)},"deep":${'['.repeat(200)}${']'.repeat(200)}}`,
  `${JSON.stringify(BASE).slice(0, -1)},"deep":${'['.repeat(200)}${']'.repeat(199)}}`,
];

describe('fastEntry', () => {
  it('gives what interpret reads as JSON.parse gives it (only the thinking text, never read, is latin1)', () => {
    const line = JSON.stringify(BASE);
    const { content, ...rest } = BASE.message;
    const entry = fastEntry(Buffer.from(line), 0, Buffer.byteLength(line));
    expect(entry).toMatchObject({ ...BASE, message: rest });
    expect(JSON.stringify(entry)).not.toBe(line);
  });

  it('declines lines that are not valid JSON, leaving them to the UTF-8 parse', () => {
    for (const bad of [
      '{"type":"message","message":{"role":"assistant"}',
      '{"type":"message",}',
      '{"type":"message","x":"\x02"}',
    ]) {
      expect(fastEntry(Buffer.from(bad), 0, Buffer.byteLength(bad))).toBeUndefined();
    }
  });

  it('declines a kept string that is not ASCII (latin1 would misread it), and entries of another type', () => {
    for (const odd of [
      JSON.stringify(BASE).replace('"provider":"anthropic"', '"provider":"Anthröpic"'),
      JSON.stringify(BASE).replace('"model":"claude-opus-4-5"', '"model":"claude\\u00e9"'),
      JSON.stringify(BASE).replace('"timestamp":1763626502135', '"timestamp":"2026-11-20T08:15:09\u2009Z"'),
      `${JSON.stringify(BASE).slice(0, -1)},"provider":"é"}`,
      `${JSON.stringify(BASE).slice(0, -1)},"type":"custom"}`,
    ]) {
      expect(fastEntry(Buffer.from(odd), 0, Buffer.byteLength(odd)), odd).toBeUndefined();
    }
    // Non-ASCII anywhere else (thinking, text) is fine: interpret never reads it.
    expect(fastEntry(Buffer.from(JSON.stringify(BASE)), 0, Buffer.byteLength(JSON.stringify(BASE)))).toBeDefined();
  });
});

describe('the fast path agrees with JSON.parse of the UTF-8 text', () => {
  it('on hand-picked odd lines', () => {
    agreeOnLines(ODD.map((l) => Buffer.from(l)));
  });

  it('on bytes that are not UTF-8, where latin1 and UTF-8 decode differently', () => {
    const line = JSON.stringify(BASE);
    const raw = (a: string, b: string) => Buffer.from(line.replace(a, b), 'latin1');
    const lines = [
      raw('"model":"claude-opus-4-5"', '"model":"claude\xff"'),
      raw('"provider":"anthropic"', '"provider":"\xc3"'),
      raw('"timestamp":1763626502135', '"timestamp":"2026-11-20T08:15:09Z\xe2\x82"'),
      // keys distinct as latin1 but both U+FFFD as UTF-8: the last wins only there
      raw('"input":12', '"input":12,"\xff":1,"\xfe":2'),
      raw('"cost":{', '"\xff":{"total":1},"\xfe":{"total":2},"cost":{'),
      raw('"api"', '\xff"api"'),
      Buffer.concat([
        Buffer.from(line.slice(0, -1), 'latin1'),
        Buffer.from([0x2c, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
      ]),
    ];
    agreeOnLines(lines);
  });

  it('on every fixture transcript', () => {
    let calls = 0;
    for (const path of filesUnder(join(import.meta.dirname, '../../fixtures'))) {
      const raw = readFileSync(path);
      calls += agreeOnLines(linesOf(path.endsWith('.zst') ? Buffer.from(decompress(raw)) : raw));
    }
    expect(calls).toBeGreaterThan(10);
  });

  it('on generated corpora (compact, realistic and dense mixes)', () => {
    let calls = 0;
    for (const [seed, mix] of [
      [1, undefined],
      [2, REALISTIC_MIX],
      [3, DENSE_MIX],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'ocb-fast-'));
      const now = Date.parse('2026-11-20T12:00:00Z');
      new Corpus(dir, {
        seed,
        fromMs: now - 86_400_000,
        toMs: now,
        sessions: mix ? 0 : 8,
        callsPerSession: 20,
        ...(mix ? { mix, targetBytes: 3e6 } : {}),
      }).build();
      for (const path of filesUnder(dir)) calls += agreeOnLines(linesOf(readFileSync(path)));
    }
    expect(calls).toBeGreaterThan(300);
    expect(taken).toBeGreaterThan(0.8 * calls);
  });

  it('on fuzzed lines: bytes flipped, inserted, deleted and cut', () => {
    const rand = rng(42);
    const seeds = [
      ...ODD.slice(0, 8),
      JSON.stringify({
        ...BASE,
        message: {
          ...BASE.message,
          usage: { prompt_tokens: 50, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 20 } },
        },
      }),
    ];
    const alphabet = Buffer.from('{}[]":,\\ \t\r0123456789.eE+-tfnuaslrx\x00\x1f\xc3\xa9\xe2\x82');
    const lines: Buffer[] = [];
    for (let i = 0; i < 6000; i++) {
      const line = Buffer.from(seeds[Math.floor(rand() * seeds.length)] as string);
      const bytes = [...line];
      for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
        const at = Math.floor(rand() * bytes.length);
        const b = alphabet[Math.floor(rand() * alphabet.length)] as number;
        const op = rand();
        if (op < 0.4) bytes[at] = b;
        else if (op < 0.7) bytes.splice(at, 0, b);
        else if (op < 0.95) bytes.splice(at, 1);
        else bytes.length = at;
      }
      lines.push(Buffer.from(bytes));
    }
    taken = 0;
    agreeOnLines(lines);
    expect(taken).toBeGreaterThan(1000);
  });
});
