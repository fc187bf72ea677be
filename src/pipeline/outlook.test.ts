import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICING, rec } from '../../test/helpers/records.js';
import { localDay, periodAt } from '../budget/day.js';
import { Ledger } from '../ledger/ledger.js';
import { type Countable, totalsByModel } from '../ledger/totals.js';
import { accountResolver } from '../reports/accounts.js';
import { computeFacts, factsSpan } from '../reports/facts.js';
import { outlookOf } from './outlook.js';

const dayTotals = (records: readonly Countable[], pricing: typeof PRICING) =>
  totalsByModel(records, pricing).get('') ?? { totalCostUsd: 0, models: [] };

const HOUR = 3_600_000;
const ZONES = [
  'UTC',
  'Europe/Rome',
  'Asia/Tokyo',
  'Pacific/Kiritimati',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/New_York',
  'Pacific/Pago_Pago',
  'America/St_Johns',
];
const config = { maxMonthlyUsd: 100, warnAt: 0.8 };

/** What `check` computes: the facts from the ledger's tallies, then the outlook (month, forecast, windows). */
async function computeOutlook(ledger: Ledger, req: { nowMs: number; timezone: string; pricing: typeof PRICING }) {
  const day = localDay(req.nowMs, req.timezone);
  const month = periodAt('month', req.nowMs, req.timezone);
  const factsReq = { day, month, nowMs: req.nowMs, pricing: req.pricing, accountOf: accountResolver([]), limits: [] };
  const span = factsSpan(factsReq);
  const facts = computeFacts(await ledger.tallies(span.from, span.to, span.cuts), factsReq);
  return { ...outlookOf(facts, month, config), today: facts.today.totalCostUsd };
}

/** Small deterministic PRNG (mulberry32): the same cases on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What `check` does: today's total from the exact ledger, up to now. */
async function checkToday(ledger: Ledger, nowMs: number, tz: string): Promise<number> {
  const day = localDay(nowMs, tz);
  return dayTotals(await ledger.between(day.start, Math.min(day.end, nowMs + 1)), PRICING).totalCostUsd;
}

describe('computeOutlook: one coherent forecast over every zone', () => {
  it('east of UTC, the calls between local and UTC midnight stay in today and in the month once (digests warm)', async () => {
    const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'ocb-outlook-')), 'ledger'));
    // Tokyo is UTC+9: 2026-11-20 local starts at 2026-11-19T15:00Z. Two calls today before UTC midnight, one earlier.
    await ledger.add([
      rec('2026-11-19T10:00:00Z'),
      rec('2026-11-19T16:00:00Z'),
      rec('2026-11-19T20:00:00Z'),
      rec('2026-11-20T05:00:00Z'),
    ]);
    const nowMs = Date.parse('2026-11-20T06:30:00Z'); // 15:30 in Tokyo: the 19th's partition is far from "now"
    const todayUsd = await checkToday(ledger, nowMs, 'Asia/Tokyo');
    expect(todayUsd).toBe(3);
    for (let pass = 0; pass < 2; pass++) {
      const o = await computeOutlook(new Ledger(ledger.dir), { nowMs, timezone: 'Asia/Tokyo', pricing: PRICING });
      expect(o.forecast.todayUsd).toBe(3);
      expect(o.today).toBe(3);
      expect(o.month.totalCostUsd).toBe(4);
      expect(o.forecast.endOfDayUsd).toBeGreaterThanOrEqual(3);
    }
  });

  it('--now cuts everything: calls after it count nowhere (day, month, windows, forecast)', async () => {
    const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'ocb-outlook-')), 'ledger'));
    await ledger.add([rec('2026-11-20T08:00:00Z'), rec('2026-11-20T21:00:00Z'), rec('2026-11-25T10:00:00Z')]);
    const nowMs = Date.parse('2026-11-20T12:00:00Z');
    const todayUsd = await checkToday(ledger, nowMs, 'UTC');
    expect(todayUsd).toBe(1);
    const o = await computeOutlook(ledger, { nowMs, timezone: 'UTC', pricing: PRICING });
    expect(o.month.totalCostUsd).toBe(1);
    expect(o.forecast.monthToDateUsd).toBe(1);
    expect(o.windows.every((w) => w.costUsd === 1)).toBe(true);
    expect(o.today).toBe(todayUsd);
  });

  it('property: end of day >= today; end of month >= month to date + the rest of today; month = exact sum to now', async () => {
    const rnd = prng(20261120);
    for (let round = 0; round < 36; round++) {
      const tz = ZONES[round % ZONES.length] as string;
      const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'ocb-outlook-')), 'ledger'));
      const base = Date.parse('2026-11-01T00:00:00Z') - 2 * 24 * HOUR;
      const calls = Array.from({ length: 60 + Math.floor(rnd() * 60) }, () =>
        rec(new Date(base + Math.floor(rnd() * 34 * 24 * HOUR)).toISOString(), {
          input: Math.floor(rnd() * 3_000_000),
          provider: rnd() < 0.2 ? 'openai' : 'anthropic',
        }),
      );
      await ledger.add(calls);
      const nowMs = base + 2 * 24 * HOUR + Math.floor(rnd() * 28 * 24 * HOUR);
      // Warm the digests with an earlier tick, as a timer would, then evaluate with a fresh reader.
      await computeOutlook(ledger, { nowMs: nowMs - 6 * HOUR, timezone: tz, pricing: PRICING });
      const fresh = new Ledger(ledger.dir);
      const todayUsd = await checkToday(fresh, nowMs, tz);
      const o = await computeOutlook(fresh, { nowMs, timezone: tz, pricing: PRICING });
      const month = periodAt('month', nowMs, tz);
      const exactMonth = dayTotals(await fresh.between(month.start, nowMs + 1), PRICING).totalCostUsd;
      const f = o.forecast;
      const ctx = `${tz} now=${new Date(nowMs).toISOString()}`;
      expect(o.today, ctx).toBeCloseTo(todayUsd, 9);
      expect(f.todayUsd, ctx).toBe(o.today);
      expect(o.month.totalCostUsd, ctx).toBeCloseTo(exactMonth, 6);
      expect(f.monthToDateUsd, ctx).toBe(o.month.totalCostUsd);
      expect(f.monthToDateUsd, ctx).toBeGreaterThanOrEqual(todayUsd - 1e-9);
      expect(f.endOfDayUsd, ctx).toBeGreaterThanOrEqual(todayUsd);
      expect(f.endOfMonthUsd, ctx).toBeGreaterThanOrEqual(f.monthToDateUsd + (f.endOfDayUsd - f.todayUsd) - 1e-9);
      expect(f.endOfMonthUsd, ctx).toBeGreaterThanOrEqual(f.endOfDayUsd - 1e-9);
    }
  });
});
