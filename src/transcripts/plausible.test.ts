import { describe, expect, it } from 'vitest';
import { LedgerRecordSchema } from '../ledger/record.js';
import { parseLogLine } from './logs.js';
import { parseLine } from './parse.js';
import { MAX_PLAUSIBLE_TOKENS, plausibleCall } from './plausible.js';

const file = { agent: 'main', session: 's1' };
const line = (usage: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      type: 'message',
      timestamp: '2026-11-20T08:15:09.844Z',
      message: { role: 'assistant', provider: 'anthropic', model: 'claude-opus-4-5', usage, timestamp: 1763626502135 },
    }),
  );

describe('the plausibility bound', () => {
  it('skips a line with 1e308 tokens (or a cost no call has) under its own reason', () => {
    expect(parseLine(line({ input: 1e308, output: 1 }), {}, file)).toEqual({ kind: 'skip', reason: 'implausible' });
    expect(parseLine(line({ input: 1, output: MAX_PLAUSIBLE_TOKENS + 1 }), {}, file)).toEqual({
      kind: 'skip',
      reason: 'implausible',
    });
    expect(parseLine(line({ input: 1, cacheRead: 2e10 }), {}, file)).toEqual({ kind: 'skip', reason: 'implausible' });
    expect(parseLine(line({ input: 1, cost: { total: 1e300 } }), {}, file)).toEqual({
      kind: 'skip',
      reason: 'implausible',
    });
  });

  it('keeps the contract normalization: non-finite or negative counts are 0, and the bound itself is accepted', () => {
    const v = parseLine(
      Buffer.from(
        '{"type":"message","timestamp":"2026-11-20T08:15:09.844Z","message":{"role":"assistant","provider":"anthropic","model":"m","usage":{"input":-5,"output":"NaN","cacheRead":10000000000}}}',
      ),
      {},
      file,
    );
    expect(v.kind).toBe('call');
    if (v.kind === 'call') expect([v.call.input, v.call.output, v.call.cacheRead]).toEqual([0, 0, 1e10]);
  });

  it('applies to gateway log lines too', () => {
    const log = Buffer.from(
      JSON.stringify({
        '0': { agentMeta: { provider: 'anthropic', model: 'm', usage: { input: 1e300, output: 1 } } },
        _meta: { date: '2026-11-20T08:00:00Z' },
      }),
    );
    expect(parseLogLine(log, {}, { agent: 'main', session: 'log', archive: 'live', compressed: false })).toEqual({
      kind: 'skip',
      reason: 'implausible',
    });
  });

  it('whatever the parser accepts survives being written to the ledger and read back (never rejected later)', () => {
    for (const usage of [
      {
        input: MAX_PLAUSIBLE_TOKENS,
        output: MAX_PLAUSIBLE_TOKENS,
        cacheRead: MAX_PLAUSIBLE_TOKENS,
        cacheWrite: MAX_PLAUSIBLE_TOKENS,
        cost: { total: 1e6 },
      },
      { input: 1 },
    ]) {
      const v = parseLine(line(usage), {}, file);
      expect(v.kind).toBe('call');
      if (v.kind !== 'call') continue;
      const rec = { ...v.call, gateway: 'g', costUsd: 1, costSource: 'transcript', file: 'f' };
      const back = LedgerRecordSchema.parse(JSON.parse(JSON.stringify(rec)));
      expect(plausibleCall(back)).toBe(true);
    }
  });
});
