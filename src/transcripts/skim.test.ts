import { describe, expect, it } from 'vitest';
import { parseLine } from './parse.js';
import { messageRole } from './skim.js';

const role = (line: string) => {
  const b = Buffer.from(line);
  return messageRole(b, 0, b.length);
};

describe('messageRole', () => {
  it('reads the role of message lines as OpenClaw writes them', () => {
    const tool = JSON.stringify({
      type: 'message',
      id: 'a1',
      parentId: 'p',
      timestamp: '2026-11-20T08:15:09.844Z',
      message: { role: 'toolResult', content: [{ type: 'text', text: '"usage": 1' }] },
    });
    expect(role(tool)).toBe('toolResult');
    expect(role('{"type":"message","id":"x","message":{"role":"assistant","usage":{}}}')).toBe('assistant');
    expect(role('{ "type" : "message" , "seq" : 12, "ok": true, "n": null, "message" : { "role" : "user" } }')).toBe(
      'user',
    );
    expect(role('{"id":"x","type":"message","message":{"role":"user"}}')).toBe('user');
  });

  it('gives up on every other shape, so the line takes the ordinary path', () => {
    for (const line of [
      '{"message":{"role":"user"}}', // no type before message
      '{"type":"model_change","message":{"role":"user"}}',
      '{"type":"custom","customType":"model-snapshot","data":{"provider":"x"}}',
      '{"type":"message","meta":{"a":1},"message":{"role":"user"}}', // an object before message
      '{"type":"message","tags":["a"],"message":{"role":"user"}}',
      '{"type":"message","id":"a\\"b","message":{"role":"user"}}', // an escape
      '{"type":"message","message":{"content":"x","role":"user"}}', // role not first
      '{"type":"message","message":"user"}',
      '{"type":"message","message":{"role":"us', // cut off
      `{"type":"message","id":"${'x'.repeat(2000)}","message":{"role":"user"}}`, // prefix too long to be the usual shape
      '{"type":"mess',
      '[1,2]',
    ]) {
      expect(role(line), line.slice(0, 80)).toBeUndefined();
    }
  });
});

describe('parseLine with the role skim', () => {
  const file = { agent: 'main', session: 's' };
  const usage = { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 };
  it('dismisses non-assistant messages even when they hold usage-like keys', () => {
    const line = JSON.stringify({
      type: 'message',
      id: 'u',
      timestamp: '2026-11-20T08:00:00Z',
      message: { role: 'user', usage, provider: 'anthropic', model: 'm' },
    });
    expect(parseLine(Buffer.from(line), {}, file)).toEqual({ kind: 'none' });
  });

  it('still counts assistant lines in shapes the skim gives up on', () => {
    const line = JSON.stringify({
      id: 'a',
      timestamp: '2026-11-20T08:00:00Z',
      meta: { x: [1] },
      type: 'message',
      message: { provider: 'anthropic', model: 'claude-opus-4-5', role: 'assistant', usage, timestamp: 1763625600000 },
    });
    expect(parseLine(Buffer.from(line), {}, file).kind).toBe('call');
  });
});
