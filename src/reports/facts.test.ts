import { describe, expect, it } from 'vitest';
import { tablePricing } from '../../test/helpers/pricing.js';
import { localDay, periodAt } from '../budget/day.js';
import type { Tally } from '../ledger/day-digest.js';
import { accountResolver } from './accounts.js';
import { computeFacts, type FactsRequest, factsOf, foldTallies } from './facts.js';

const H = 3_600_000;
const MODELS = [
  ['anthropic', 'claude-opus-4-5'],
  ['openai', 'gpt-5.2'],
  ['deepseek', 'deepseek-chat'], // the catalog's off-peak price: changes at 16:30 and 00:30 UTC
  ['openai', 'gpt-5.6-luna'], // the catalog's price drops on 2026-07-30
  ['mystery', 'nobody-prices-this'],
] as const;

/** A small deterministic generator, so a failure names its seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function tallies(seed: number, nowMs: number, n: number): Tally[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  return Array.from({ length: n }, () => {
    const [provider, model] = pick(MODELS);
    const failed = r() < 0.05;
    const weight = r() < 0.3 ? 1 + Math.floor(r() * 20) : 1;
    // Prompts on both sides of the long-context tier starts (200k, 272k), per call.
    const prompt = pick([1_000, 150_000, 210_000, 300_000]) * weight;
    const cost = !failed && r() < 0.4 ? r() * weight : null;
    return {
      gateway: pick(['home', 'vps']),
      provider,
      model,
      rawModel: r() < 0.2 ? `${model}-raw` : model,
      log: r() < 0.1,
      // Within 9 days of now, and a little after it (--now in the past).
      at: Math.floor(nowMs - r() * 9 * 24 * H + 2 * H * r()),
      weight,
      input: failed ? 0 : Math.floor(prompt * 0.2),
      output: failed ? 0 : Math.floor(r() * 5000 * weight),
      cacheRead: failed ? 0 : Math.floor(prompt * 0.7),
      cacheWrite: failed ? 0 : Math.floor(prompt * 0.1),
      transcriptCostUsd: cost,
    };
  });
}

/** `a` and `b` alike, numbers within 1e-9 of each other (relative): the fold only reorders float additions. */
function expectAlike(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) expect(a, path).toBe(b);
    return;
  }
  if (a instanceof Map && b instanceof Map) {
    expectAlike(Object.fromEntries(a), Object.fromEntries(b), path);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a), path).toEqual(Object.keys(b));
    for (const k of Object.keys(a))
      expectAlike((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toEqual(b);
}

/** A request at `nowMs` in `zone`, no accounts or limits. */
function request(nowMs: number, zone: string, pricing = tablePricing({})): FactsRequest {
  return {
    day: localDay(nowMs, zone),
    month: periodAt('month', nowMs, zone),
    nowMs,
    pricing,
    accountOf: accountResolver([]),
    limits: [],
  };
}

/** One call of 1,000 input and 10 output tokens at `iso`. */
const call = (provider: string, model: string, iso: string): Tally => ({
  gateway: 'home',
  provider,
  model,
  rawModel: model,
  log: false,
  at: Date.parse(iso),
  weight: 1,
  input: 1000,
  output: 10,
  cacheRead: 0,
  cacheWrite: 0,
  transcriptCostUsd: null,
});

describe('foldTallies', () => {
  it('changes no figure, in any mode, zone or instant', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed * 7919);
      const zone = ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Etc/GMT-6', 'Pacific/Chatham'][seed % 5] as string;
      // Any instant, not only on the minute: cuts fall inside hours.
      // Every fourth seed across the catalog's 2026-07-30 price change.
      const base = seed % 4 === 0 ? '2026-07-28T00:00:00Z' : '2026-11-20T00:00:00Z';
      const nowMs = Date.parse(base) + Math.floor(r() * (seed % 4 === 0 ? 8 : 20) * 24 * H);
      const pricing = tablePricing(
        {
          'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
          'openai/gpt-5.2': {
            input: 1.75,
            output: 14,
            cacheRead: 0.175,
            tiers: [{ above: 272_000, input: 3.5, output: 21, cacheRead: 0.35 }],
          },
        },
        { mode: (['calculate', 'auto', 'display'] as const)[seed % 3] },
      );
      const req: FactsRequest = {
        day: localDay(nowMs, zone),
        month: periodAt('month', nowMs, zone),
        nowMs,
        pricing,
        accountOf: accountResolver([{ name: 'home', account: 'personal' }]),
        limits: [{ window: '5h', usd: 5 }],
      };
      const input = tallies(seed, nowMs, 3000);
      expect(foldTallies(input, req).length, `seed ${seed}`).toBeLessThan(input.length);
      expectAlike(computeFacts(input, req), factsOf(input, req), `seed ${seed}`);
    }
  });

  it('keeps the minutes of a price that changes within the day apart, and everything else per side of each cut', () => {
    const nowMs = Date.parse('2026-11-20T18:10:00Z');
    const req = request(nowMs, 'UTC', tablePricing({ 'anthropic/claude-opus-4-5': { input: 1, output: 1 } }));
    const hours = ['01:05', '02:05', '03:05', '04:05'].map((h) => `2026-11-20T${h}:00Z`);
    const folded = foldTallies(
      [
        ...hours.map((iso) => call('deepseek', 'deepseek-chat', iso)),
        ...hours.map((iso) => call('anthropic', 'claude-opus-4-5', iso)),
        call('anthropic', 'claude-opus-4-5', '2026-11-20T17:30:00Z'), // the last hour: a side of its own
      ],
      req,
    );
    expect(folded.filter((t) => t.provider === 'deepseek').map((t) => t.weight)).toEqual([1, 1, 1, 1]);
    expect(
      folded.filter((t) => t.provider === 'anthropic').map((t) => [t.weight, new Date(t.at).toISOString()]),
    ).toEqual([
      [4, '2026-11-20T01:05:00.000Z'],
      [1, '2026-11-20T17:30:00.000Z'],
    ]);
  });

  it("folds a busy day's calls into a few tallies per model and side", () => {
    const nowMs = Date.parse('2026-11-20T18:10:07Z');
    const req = request(nowMs, 'Asia/Kolkata');
    const input = Array.from(
      { length: 10_000 },
      (_, i): Tally => ({
        gateway: 'home',
        provider: 'anthropic',
        model: ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5'][i % 3] as string,
        rawModel: ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5'][i % 3] as string,
        log: false,
        at: nowMs - Math.floor((i / 10_000) * 20 * H),
        weight: 1,
        input: 10 + (i % 7),
        output: 100,
        cacheRead: 20_000,
        cacheWrite: 100,
        transcriptCostUsd: 0.01,
      }),
    );
    // 3 models x (the 1-hour, 5-hour and rest-of-today sides, and two UTC days) at most.
    expect(foldTallies(input, req).length).toBeLessThanOrEqual(3 * 5);
  });

  it('sums days the same price holds across, and keeps the days either side of a price change apart', () => {
    const nowMs = Date.parse('2026-08-06T12:00:00Z');
    const req = request(nowMs, 'UTC');
    // Three whole days before the 7-day window starts (07-30 12:00), on either side of luna's price change.
    const days = ['2026-07-28T10:00:00Z', '2026-07-29T10:00:00Z', '2026-07-30T01:00:00Z'];
    const folded = foldTallies(
      [...days.map((d) => call('openai', 'gpt-5.6-luna', d)), ...days.map((d) => call('openai', 'gpt-5.2', d))],
      req,
    );
    expect(folded.filter((t) => t.model === 'gpt-5.2').map((t) => t.weight)).toEqual([3]);
    expect(folded.filter((t) => t.model === 'gpt-5.6-luna').map((t) => t.weight)).toEqual([2, 1]);
  });
});
