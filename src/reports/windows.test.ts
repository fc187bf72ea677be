import { describe, expect, it } from 'vitest';
import { PRICING, rec } from '../../test/helpers/records.js';
import type { WindowLimit } from '../config/accounts.js';
import { accountResolver } from './accounts.js';
import { computeWindows, type WindowFigure } from './windows.js';

const H = 3_600_000;
// 02:00 in Rome: the 5-hour window reaches back across local midnight into the 20th.
const now = Date.parse('2026-11-21T01:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();
const accountOf = accountResolver([{ name: 'home', account: 'personal', accounts: { openai: 'work-openai' } }]);

const records = [
  rec(at(now - 7 * 24 * H)), // exactly 7 d old: out of the 7d window
  rec(at(now - 7 * 24 * H + 1)), // 1 ms younger: in
  rec(at(now - 5 * H)), // exactly 5 h old: out of the 5h window, in the 7d one
  rec(at(now - 5 * H + 1)), // in
  rec('2026-11-20T23:30:00Z'), // 00:30 local on the 21st, not in the last hour
  rec(at(now - 30 * 60_000), { input: 600_000 }), // last hour
  rec(at(now), { input: 600_000 }), // exactly now: in
  rec(at(now + 1)), // the future: out
  rec(at(now - 30 * 60_000), { provider: 'openai' }), // $2
  rec(at(now - 10 * 60_000), { provider: 'openai' }), // $2
  rec(at(now - 2 * H), { provider: 'ollama', input: 2_000_000 }),
  rec(at(now - 3 * H), { gateway: 'vps' }),
];

const limits: WindowLimit[] = [
  { window: '5h', usd: 5 },
  { window: '7d', tokens: 6_000_000 },
  { window: '5h', account: 'work-openai', provider: 'openai', usd: 6 },
  { window: '5h', provider: 'ollama', tokens: 1_000_000 },
  { window: '7d', account: 'spare', provider: 'anthropic', usd: 50 }, // no calls: still reported
];

const windows = computeWindows(records, { nowMs: now, pricing: PRICING, accountOf, limits });
const find = (account: string, provider: string, window: string) =>
  windows.find((w) => w.account === account && w.provider === provider && w.window === window) as WindowFigure;

describe('computeWindows', () => {
  it('has one figure per account, provider and window, each saying where it comes from and how', () => {
    expect(windows.map((w) => `${w.account}/${w.provider}/${w.window}`)).toEqual([
      'personal/anthropic/5h',
      'personal/anthropic/7d',
      'personal/ollama/5h',
      'personal/ollama/7d',
      'spare/anthropic/5h',
      'spare/anthropic/7d',
      'vps/anthropic/5h',
      'vps/anthropic/7d',
      'work-openai/openai/5h',
      'work-openai/openai/7d',
    ]);
    for (const w of windows) {
      expect(w.source).toBe('local-ledger');
      expect(w.definition).toMatch(
        w.window === '5h' ? /^rolling 5 h: .*now - 5 h < t <= now/ : /^rolling 7 d: .*now - 7 d < t <= now/,
      );
    }
  });

  it('includes a call exactly at now, excludes one exactly at the window edge, across local midnight', () => {
    const w = find('personal', 'anthropic', '5h');
    expect(w).toMatchObject({ calls: 4, totalTokens: 3_200_000, costUsd: 3.2, start: now - 5 * H, end: now });
    // The oldest call in the window is 1 ms inside it: the window resets 1 ms from now.
    expect(w.resetAt).toBe(now + 1);
    const week = find('personal', 'anthropic', '7d');
    expect(week).toMatchObject({ calls: 6, totalTokens: 5_200_000, resetAt: now + 1 });
    expect(week.costUsd).toBeCloseTo(5.2, 12);
  });

  it('burn is over the last hour: tokens per minute and USD per hour', () => {
    const w = find('personal', 'anthropic', '5h');
    expect(w.burn.tokensPerMinute).toBe(1_200_000 / 60);
    expect(w.burn.usdPerHour).toBeCloseTo(1.2, 12);
    expect(find('personal', 'anthropic', '7d').burn).toEqual(w.burn);
  });

  it('time to limit and safe, by hand', () => {
    // $3.20 of $5 used, $1.20/h: 1.5 h to go; the window resets first (1 ms from now).
    const w5 = find('personal', 'anthropic', '5h');
    expect(w5.limit).toEqual({ tokens: null, usd: 5 });
    expect(w5.secondsToLimit).toBeCloseTo(5400, 6);
    expect(w5.limitAt).toBeCloseTo(now + 5_400_000, 0);
    expect(w5.safe).toBe(true);
    // 5.2M of 6M tokens, 20k tokens/min: 40 min.
    expect(find('personal', 'anthropic', '7d').secondsToLimit).toBeCloseTo(2400, 6);
    // work-openai's own limit wins over the generic one: $4 of $6 at $4/h is 30 min away, the reset 4.5 h.
    const o = find('work-openai', 'openai', '5h');
    expect(o).toMatchObject({ costUsd: 4, limit: { tokens: null, usd: 6 }, resetAt: now - 30 * 60_000 + 5 * H });
    expect(o.secondsToLimit).toBeCloseTo(1800, 6);
    expect(o.safe).toBe(false);
  });

  it('a limit already reached is 0 s away and not safe; no burn means never, and safe', () => {
    const ollama = find('personal', 'ollama', '5h');
    expect(ollama).toMatchObject({ totalTokens: 2_000_000, costUsd: 0, secondsToLimit: 0, limitAt: now, safe: false });
    const idle = find('vps', 'anthropic', '5h');
    expect(idle).toMatchObject({
      calls: 1,
      burn: { tokensPerMinute: 0, usdPerHour: 0 },
      secondsToLimit: null,
      limitAt: null,
      safe: true,
    });
  });

  it('an empty window has no reset time; without a limit there is no verdict', () => {
    const spare = find('spare', 'anthropic', '5h');
    expect(spare).toMatchObject({
      calls: 0,
      totalTokens: 0,
      resetAt: null,
      limit: { tokens: null, usd: 5 },
      secondsToLimit: null,
      safe: true,
    });
    const none = computeWindows([rec(at(now - H))], { nowMs: now, pricing: PRICING, accountOf, limits: [] });
    expect(none.map((w) => [w.window, w.limit, w.secondsToLimit, w.safe])).toEqual([
      ['5h', null, null, null],
      ['7d', null, null, null],
    ]);
    expect(computeWindows([], { nowMs: now, pricing: PRICING, accountOf, limits: [] })).toEqual([]);
  });
});
