import { describe, expect, it } from 'vitest';
import { type ModelContext, parseLine } from './parse.js';

const file = { agent: 'main', session: 's1' };
const parse = (obj: unknown, ctx: ModelContext = {}) =>
  parseLine(Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj)), ctx, file);

const assistant = (over: Record<string, unknown> = {}, msg: Record<string, unknown> = {}) => ({
  type: 'message',
  id: 'e5f6a7b8',
  parentId: 'd4e5f6a7',
  timestamp: '2026-11-20T08:15:09.844Z',
  message: {
    role: 'assistant',
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
    timestamp: 1763626502135,
    ...msg,
  },
  ...over,
});

describe('parseLine', () => {
  it('turns an assistant message with usage into a call', () => {
    const v = parse(assistant());
    expect(v).toEqual({
      kind: 'call',
      call: {
        at: Date.parse('2026-11-20T08:15:09.844Z'),
        msgTs: 1763626502135,
        agent: 'main',
        session: 's1',
        provider: 'anthropic',
        model: 'claude-opus-4-5',
        rawProvider: 'anthropic',
        rawModel: 'claude-opus-4-5',
        input: 12,
        output: 87,
        cacheRead: 14210,
        cacheWrite: 1893,
        transcriptCostUsd: 0.02117125,
      },
    });
  });

  it('falls back to message.timestamp (ms, or seconds below 1e12) when the entry has no ISO timestamp', () => {
    const ms = parse(assistant({ timestamp: undefined }));
    expect(ms.kind === 'call' && ms.call.at).toBe(1763626502135);
    const secs = parse(assistant({ timestamp: undefined }, { timestamp: 1763626502 }));
    expect(secs.kind === 'call' && secs.call.at).toBe(1763626502000);
    expect(secs.kind === 'call' && secs.call.msgTs).toBe(1763626502000);
  });

  it('uses the instant as msgTs when message.timestamp is absent', () => {
    const v = parse(assistant({}, { timestamp: undefined }));
    expect(v.kind === 'call' && v.call.msgTs).toBe(Date.parse('2026-11-20T08:15:09.844Z'));
  });

  it('skips and counts a call with no time at all', () => {
    expect(parse(assistant({ timestamp: 'not a date' }, { timestamp: undefined }))).toEqual({
      kind: 'skip',
      reason: 'undated',
    });
  });

  it('takes entry-level usage, provider and model when the message lacks them', () => {
    const v = parse({
      type: 'message',
      timestamp: '2026-11-20T08:00:00Z',
      provider: 'openai',
      model: 'gpt-5.2',
      usage: { prompt_tokens: 10, completion_tokens: 5 },
      message: { role: 'assistant' },
    });
    expect(v.kind === 'call' && [v.call.provider, v.call.model, v.call.input, v.call.output]).toEqual([
      'openai',
      'gpt-5.2',
      10,
      5,
    ]);
  });

  it('falls back to the last model_change, then a later model-snapshot', () => {
    const ctx: ModelContext = {};
    expect(parse({ type: 'model_change', provider: 'z.ai', modelId: 'GLM-4.7' }, ctx)).toEqual({ kind: 'none' });
    const noModel = assistant({}, { provider: undefined, model: undefined });
    const a = parse(noModel, ctx);
    expect(a.kind === 'call' && [a.call.provider, a.call.model, a.call.rawModel]).toEqual([
      'zai',
      'glm-4.7',
      'GLM-4.7',
    ]);
    parse({ type: 'custom', customType: 'model-snapshot', data: { provider: 'moonshot', modelId: 'kimi-k2.5' } }, ctx);
    const b = parse(noModel, ctx);
    expect(b.kind === 'call' && [b.call.provider, b.call.model]).toEqual(['moonshot', 'kimi-k2.5']);
  });

  it('marks a call whose model cannot be found as unknown instead of dropping it', () => {
    const v = parse(assistant({}, { provider: undefined, model: undefined }));
    expect(v.kind === 'call' && [v.call.provider, v.call.model]).toEqual(['unknown', 'unknown']);
  });

  it('ignores provider openclaw lines (synthetic, not model calls)', () => {
    expect(parse(assistant({}, { provider: 'openclaw', model: 'delivery-mirror' }))).toEqual({ kind: 'none' });
    expect(parse(assistant({}, { provider: ' OpenClaw ', model: 'gateway-injected' }))).toEqual({ kind: 'none' });
  });

  it('ignores user lines, assistant lines without usage, headers and unknown types', () => {
    expect(
      parse({ type: 'message', timestamp: '2026-11-20T08:00:00Z', message: { role: 'user', usage: { input: 5 } } }),
    ).toEqual({ kind: 'none' });
    expect(parse({ type: 'message', message: { role: 'assistant', content: 'hi' } })).toEqual({ kind: 'none' });
    expect(parse({ type: 'session', version: 3, id: 'x', timestamp: '2026-11-20T08:00:00Z' })).toEqual({
      kind: 'none',
    });
    expect(parse({ type: 'brand_new_thing', usage: 'whatever' })).toEqual({ kind: 'none' });
  });

  it.each([
    ['', 'blank'],
    ['   \r', 'blank'],
    ['{"type":"message","message":{"role":"assistant","usage":{"input":', 'malformed'],
    ['not json at all', 'malformed'],
    ['{"usage": nope}', 'malformed'],
    ['[1,2,3]', 'malformed'],
  ])('skips and counts %j as %s', (line, reason) => expect(parse(line)).toEqual({ kind: 'skip', reason }));

  it('does not parse lines that cannot matter (prefilter), even if they are not valid JSON inside', () => {
    expect(parse('{"type":"message","message":{"role":"toolResult","content":"x" broken}')).toEqual({ kind: 'none' });
  });

  it('tolerates a trailing CR (CRLF files)', () => {
    const v = parse(`${JSON.stringify(assistant())}\r`);
    expect(v.kind).toBe('call');
  });
});
