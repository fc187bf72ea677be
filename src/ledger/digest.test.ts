import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tablePricing } from '../../test/helpers/pricing.js';
import type { PricingMode } from '../pricing/cost.js';
import { digestRecords } from './digest.js';
import { Ledger } from './ledger.js';
import type { LedgerRecord } from './record.js';
import { type ModelTotal, totalsByModel } from './totals.js';

const table = { 'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 } };
const pricingOf = (mode: PricingMode, subscriptionsAsFree: boolean) => tablePricing(table, { mode, subscriptionsAsFree });
const DAY = Date.parse('2026-11-10T00:00:00Z');

let n = 0;
function rec(i: number, provider: string, model: string, cost: number | null, gateway = 'a'): LedgerRecord {
  const at = DAY + i * 60_000;
  return { at, msgTs: at + 3, agent: i % 2 ? 'main' : 'ops', session: `s${i % 3}`, provider, model, rawProvider: provider, rawModel: model, input: ++n * 7, output: n * 3, cacheRead: n * 101, cacheWrite: n, transcriptCostUsd: cost, gateway, costUsd: 0, costSource: 'none', file: 'f' };
}

const day = [
  ...Array.from({ length: 30 }, (_, i) => rec(i, 'anthropic', 'claude-opus-4-5', i % 3 === 0 ? 0.01 * i : i % 3 === 1 ? 0 : null)),
  ...Array.from({ length: 10 }, (_, i) => rec(100 + i, 'ollama', 'qwen3:8b', null, 'b')),
  ...Array.from({ length: 5 }, (_, i) => rec(200 + i, 'acme', 'mystery', i % 2 ? 0.5 : null)),
  // Long prompts (Sonnet 4.5 costs more above 200k): summed with short ones they would cross the tier.
  ...Array.from({ length: 6 }, (_, i) => ({ ...rec(300 + i, 'anthropic', 'claude-sonnet-4-5', null), input: 150_000 + i * 20_000, cacheRead: 1000 })),
  // Failed requests: no tokens, no cost.
  ...Array.from({ length: 3 }, (_, i) => ({ ...rec(400 + i, 'anthropic', 'claude-sonnet-4-5', 0), input: 0, output: 0, cacheRead: 0, cacheWrite: 0 })),
];
const approx = ({ costUsd, rawModels, openclawCostUsd, listCostUsd, drift, ...m }: ModelTotal) => m;

describe('digestRecords', () => {
  for (const mode of ['auto', 'calculate', 'display'] as const) {
    for (const subscriptionsAsFree of [false, true]) {
      it(`prices like the calls it stands for (${mode}${subscriptionsAsFree ? ', subscriptions free' : ''})`, () => {
        const pricing = pricingOf(mode, subscriptionsAsFree);
        const want = totalsByModel(day, pricing, (r) => r.gateway);
        const got = totalsByModel(digestRecords(day), pricing, (r) => r.gateway);
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [g, t] of want) {
          const d = got.get(g)!;
          expect(d.totalCostUsd).toBeCloseTo(t.totalCostUsd, 12);
          expect(d.models.map(approx)).toEqual(t.models.map(approx));
        }
      });
    }
  }

  it('keeps the earliest instant of each group, and folds many calls into few records', () => {
    const d = digestRecords(day);
    expect(d.length).toBeLessThanOrEqual(20);
    expect(Math.min(...d.map((r) => r.at))).toBe(Math.min(...day.map((r) => r.at)));
    expect(d.reduce((s, r) => s + (r.weight ?? 1), 0)).toBe(day.length);
  });
});

describe('Ledger.digestedBetween', () => {
  it('gives the same month totals as every record, caches digests, and rebuilds one whose partition grew', async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-digest-')));
    const days = Array.from({ length: 12 }, (_, d) => day.map((r) => ({ ...r, at: r.at + d * 86_400_000, msgTs: r.msgTs + d * 86_400_000 })));
    await l.add(days.flat());
    const from = DAY;
    const to = DAY + 12 * 86_400_000;
    const pricing = pricingOf('auto', false);
    const exact = [[DAY + 5 * 86_400_000 + 1, DAY + 5 * 86_400_000 + 2]] as const;
    const all = totalsByModel(await l.between(from, to), pricing).get('')!;
    const viaDigest = await new Ledger(l.dir).digestedBetween(from, to, exact);
    expect(viaDigest.length).toBeLessThan((12 * day.length) / 2);
    expect(totalsByModel(viaDigest, pricing).get('')!.totalCostUsd).toBeCloseTo(all.totalCostUsd, 10);
    expect(readdirSync(join(l.dir, '.digest')).length).toBe(9); // 12 days less the first, the last and the exact one

    // A late call lands in an old day: its digest is rebuilt, and counts it.
    const late = { ...day[0]!, at: DAY + 3 * 86_400_000 + 5, msgTs: 42, input: 1_000_000 };
    await l.add([late]);
    const after = totalsByModel(await new Ledger(l.dir).digestedBetween(from, to, exact), pricing).get('')!;
    expect(after.models.reduce((s, m) => s + m.calls, 0)).toBe(all.models.reduce((s, m) => s + m.calls, 0) + 1);
    // A corrupt cache is rebuilt, not trusted.
    appendFileSync(join(l.dir, '.digest', readdirSync(join(l.dir, '.digest'))[0]!), 'garbage');
    const again = totalsByModel(await new Ledger(l.dir).digestedBetween(from, to, exact), pricing).get('')!;
    expect(again.totalCostUsd).toBeCloseTo(after.totalCostUsd, 10);
  });
});
