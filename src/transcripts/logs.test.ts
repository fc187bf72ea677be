import { describe, expect, it } from 'vitest';
import { classifyLog, findAgentMeta, parseLogLine } from './logs.js';

const file = { agent: 'main', session: 'log-2026-11-20', archive: 'live' as const, compressed: false };
const usage = { input: 5, output: 50, cacheRead: 100, cacheWrite: 10, total: 165 };

describe('gateway logs', () => {
  it('classifies only openclaw-YYYY-MM-DD.log', () => {
    expect(classifyLog('openclaw-2026-11-20.log')?.session).toBe('log-2026-11-20');
    expect(classifyLog('./openclaw-2026-11-20.log')).not.toBeNull();
    expect(classifyLog('other.log')).toBeNull();
  });

  it('reads agentMeta from pretty-printed CLI output in a positional arg', () => {
    const text = JSON.stringify(
      { payloads: [], meta: { agentMeta: { sessionId: 's', provider: 'Anthropic', model: 'claude-opus-4.5', usage } } },
      null,
      2,
    );
    const line = Buffer.from(
      JSON.stringify({ 0: `agent finished:\n${text}`, _meta: { date: '2026-11-20T10:00:00.000Z' } }),
    );
    const v = parseLogLine(line, {}, file);
    expect(v.kind).toBe('call');
    if (v.kind !== 'call') return;
    expect(v.call).toMatchObject({
      at: Date.parse('2026-11-20T10:00:00.000Z'),
      provider: 'anthropic',
      model: 'claude-opus-4-5',
      input: 5,
      output: 50,
      cacheRead: 100,
      cacheWrite: 10,
      session: 's',
      transcriptCostUsd: null,
    });
  });

  it('reads agentMeta nested as an object, ignores lines without it or without usage', () => {
    expect(findAgentMeta({ 1: { result: { agentMeta: { usage } } } })).toEqual({ usage });
    expect(parseLogLine(Buffer.from('{"0":"started"}'), {}, file).kind).toBe('none');
    expect(
      parseLogLine(Buffer.from('{"0":{"agentMeta":{"sessionId":"x"}},"time":"2026-11-20T10:00:00Z"}'), {}, file).kind,
    ).toBe('none');
    expect(parseLogLine(Buffer.from('{"0":{"agentMeta":{"usage":{}}}}'), {}, file)).toEqual({
      kind: 'skip',
      reason: 'undated',
    });
  });
});
