// Day digests must give the figures the calls themselves give, follow the day file, and be rebuilt when they do not.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tablePricing } from '../../test/helpers/pricing.js';
import type { PricingMode } from '../pricing/cost.js';
import { computeFacts, type FactsRequest, factsSpan } from '../reports/facts.js';
import { forecastSpend } from '../reports/forecast.js';
import { computeWindows } from '../reports/windows.js';
import { DIGEST_DIR, Ledger } from './ledger.js';
import type { LedgerRecord } from './record.js';
import { type ModelTotal, totalsByModel } from './totals.js';

const table = { 'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 } };
const pricingOf = (mode: PricingMode) => tablePricing(table, { mode });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-11-01T00:00:00Z');

let n = 0;
function rec(
  at: number,
  provider: string,
  model: string,
  cost: number | null,
  gateway = 'a',
  file = 'agents/main/sessions/s.jsonl',
): LedgerRecord {
  n++;
  return {
    at,
    msgTs: at + 3,
    agent: n % 2 ? 'main' : 'ops',
    session: `s${n % 3}`,
    provider,
    model,
    rawProvider: provider,
    rawModel: `${model}${n % 2 ? '' : '-raw'}`,
    input: n * 7,
    output: n * 3,
    cacheRead: n * 101,
    cacheWrite: n,
    transcriptCostUsd: cost,
    gateway,
    costUsd: 0,
    costSource: 'none',
    file,
  };
}

/** Twelve days of calls every 37 minutes, three providers, two gateways, OpenClaw costs above 0, 0 and absent. */
function calls(): LedgerRecord[] {
  const out: LedgerRecord[] = [];
  for (let at = START + 5 * 60_000, i = 0; at < START + 12 * DAY; at += 37 * 60_000, i++) {
    if (i % 3 === 0) out.push(rec(at, 'anthropic', 'claude-opus-4-5', i % 2 ? 0.01 * (i % 7) : 0));
    else if (i % 3 === 1) out.push(rec(at, 'ollama', 'qwen3:8b', null, 'b'));
    else out.push(rec(at, 'acme', 'mystery', i % 2 ? 0.5 : null));
  }
  return out;
}

const modes = ['auto', 'calculate', 'display'] as const;

describe('Ledger.tallies with computeFacts', () => {
  for (const mode of modes) {
    it(`gives the figures the calls give (${mode}), whatever hours and days now and the zone cut`, async () => {
      const pricing = pricingOf(mode);
      const all = calls();
      const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-tally-')));
      // In interleaved batches, as ticks append late calls: each hour's lines are spread through the call list.
      for (let i = 0; i < 7; i++) await l.add(all.filter((_, j) => j % 7 === (i * 3) % 7));
      // Local days starting at 23:00 UTC (Rome), 00:00 (UTC) and 18:30 (Kolkata); now mid-hour or on the hour.
      // (A local day of the zone holds `now`; the expected figures are the calls' own.)
      for (const [tz, offset, now] of [
        ['Europe/Rome', -HOUR, START + 10 * DAY + 13 * HOUR + 17 * 60_000 + 123],
        ['UTC', 0, START + 10 * DAY + 13 * HOUR],
        ['Asia/Kolkata', -5.5 * HOUR, START + 10 * DAY + 2 * HOUR + 29 * 60_000],
        ['Europe/Rome', -HOUR, START + 10 * DAY + 22 * HOUR + 59 * 60_000],
      ] as const) {
        const day = { start: START + 10 * DAY + offset, end: START + 11 * DAY + offset };
        const month = { start: START + offset, end: START + 30 * DAY + offset, key: '2026-11' };
        const req: FactsRequest = {
          day,
          month,
          nowMs: now,
          pricing,
          accountOf: (g) => g,
          limits: [{ window: '5h', tokens: 1e6 }],
        };
        for (const ledger of [l, new Ledger(l.dir)]) {
          const span = factsSpan(req);
          const tallies = await ledger.tallies(span.from, span.to, span.cuts);
          expect(tallies.length).toBeLessThan(all.length / 2);
          const facts = computeFacts(tallies, req);

          const today = all.filter((r) => r.at >= day.start && r.at < day.end && r.at <= now); // --now: later calls are not spent
          const want = totalsByModel(today, pricing, (r) => r.gateway);
          // Sums of floats (costs, drift) are compared to 10 digits apart.
          const exact = ({ costUsd, openclawCostUsd, listCostUsd, drift, ...m }: ModelTotal) => m;
          const rows = totalsByModel(today, pricing).get('')!.models;
          expect(facts.today.models.map(exact)).toEqual(rows.map(exact));
          for (const [i, m] of facts.today.models.entries())
            expect(m.listCostUsd).toBeCloseTo(rows[i]!.listCostUsd, 10);
          expect(facts.today.totalCostUsd).toBeCloseTo(totalsByModel(today, pricing).get('')!.totalCostUsd, 10);
          expect([...facts.byGateway.keys()].sort()).toEqual([...want.keys()].sort());
          for (const [g, t] of want) expect(facts.byGateway.get(g)!.totalCostUsd).toBeCloseTo(t.totalCostUsd, 10);

          const inMonth = all.filter((r) => r.at >= month.start && r.at < month.end && r.at <= now);
          expect(facts.monthTotalUsd).toBeCloseTo(totalsByModel(inMonth, pricing).get('')!.totalCostUsd, 9);
          const f = forecastSpend(all, { nowMs: now, timezone: tz, pricing });
          for (const k of [
            'todayUsd',
            'monthToDateUsd',
            'burnUsdPerHour1h',
            'burnUsdPerHour7d',
            'endOfDayUsd',
            'endOfMonthUsd',
          ] as const)
            expect(facts.forecast[k]).toBeCloseTo(f[k], 9);
          const w = computeWindows(all, { nowMs: now, pricing, accountOf: (g) => g, limits: req.limits });
          expect(facts.windows.map(({ costUsd, burn, ...x }) => x)).toEqual(w.map(({ costUsd, burn, ...x }) => x));
          for (const [i, x] of facts.windows.entries()) expect(x.costUsd).toBeCloseTo(w[i]!.costUsd, 10);
        }
      }
    });
  }

  it("counts a gateway's log calls only on a day without its transcript calls", async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-tally-')));
    const at = START + 3 * HOUR;
    await l.add([
      rec(at, 'acme', 'm', 1, 'a'),
      rec(at + 1, 'acme', 'm', 1, 'a', 'openclaw-2026-11-01.log'),
      rec(at + 2, 'acme', 'm', 1, 'b', 'openclaw-2026-11-01.log'),
    ]);
    const req: FactsRequest = {
      day: { start: START, end: START + DAY },
      month: { start: START, end: START + 30 * DAY },
      nowMs: START + 12 * HOUR,
      pricing: pricingOf('auto'),
      accountOf: (g) => g,
      limits: [],
    };
    const span = factsSpan(req);
    const facts = computeFacts(await new Ledger(l.dir).tallies(span.from, span.to, span.cuts), req);
    expect(facts.today.models[0]?.calls).toBe(2);
    expect([...facts.byGateway].map(([g, t]) => [g, t.totalCostUsd])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    // The month holds today as check prints it: gateway a's log copy of its transcript call is not counted there either.
    expect(facts.monthTotalUsd).toBe(2);
  });
});

describe('Ledger.tallies with a price that changes within the day', () => {
  // DeepSeek chat: 00:30-16:30 UTC off-peak (changes inside hours 0 and 16); V4 flash, from 2026-08-17: 01:00-04:00
  // and 06:00-10:00 (changes on the hour only). Calls on both sides of each change, in whole hours, in the hours the
  // price changes inside, in the hour now cuts, today and on a day long past.
  for (const [model, iso, minutes] of [
    ['deepseek-chat', '2026-07-01', ['10:05', '16:10', '16:50', '00:10', '00:40', '17:01', '17:05', '17:40']],
    [
      'deepseek-v4-flash',
      '2026-09-01',
      ['00:50', '01:10', '03:59', '04:01', '05:30', '06:00', '09:59', '17:01', '17:40'],
    ],
  ] as const) {
    it(`prices ${model}'s calls at the price of their own time of day`, async () => {
      const pricing = pricingOf('calculate');
      const day = Date.parse(`${iso}T00:00:00Z`);
      const at = (hm: string) => Date.parse(`${iso}T${hm}:00Z`);
      const all = minutes.flatMap((hm) => [
        rec(at(hm), 'deepseek', model, null),
        rec(at(hm) + 17_000, 'deepseek', model, null),
        rec(at(hm) - 3 * DAY, 'deepseek', model, null),
      ]);
      const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-tally-')));
      await l.add(all);
      const now = at('17:20');
      const req: FactsRequest = {
        day: { start: day, end: day + DAY },
        month: { start: day - 5 * DAY, end: day + 31 * DAY },
        nowMs: now,
        pricing,
        accountOf: (g) => g,
        limits: [],
      };
      const span = factsSpan(req);
      const timeOfDay = (p: string, m: string, d: number) => pricing.resolver.timeOfDay(p, m, d);
      const price = (t: number) => pricing.resolver.resolve('a', 'deepseek', model, t).price;
      expect(new Set(minutes.map((hm) => JSON.stringify(price(at(hm))))).size).toBeGreaterThan(1); // prices differ
      const facts = computeFacts(await l.tallies(span.from, span.to, span.cuts, timeOfDay), req);
      const spent = (from: number) =>
        totalsByModel(
          all.filter((r) => r.at >= from && r.at <= now),
          pricing,
        ).get('')!;
      expect(facts.today.totalCostUsd).toBeCloseTo(spent(day).totalCostUsd, 12);
      expect(facts.monthTotalUsd).toBeCloseTo(spent(day - 5 * DAY).totalCostUsd, 12);
      expect(facts.forecast.burnUsdPerHour7d * 168).toBeCloseTo(spent(now - 7 * DAY).totalCostUsd, 12);
    });
  }

  it('knows which hours a time-of-day price changes inside', () => {
    const { resolver } = pricingOf('calculate');
    expect([...(resolver.timeOfDay('deepseek', 'deepseek-chat', Date.parse('2026-07-01')) ?? [])].sort()).toEqual([
      0, 16,
    ]);
    expect(resolver.timeOfDay('deepseek', 'deepseek-v4-flash', Date.parse('2026-09-01'))?.size).toBe(0);
    expect(resolver.timeOfDay('anthropic', 'claude-opus-4-5', Date.parse('2026-07-01'))).toBeUndefined();
  });
});

describe('day digests', () => {
  const req = (nowMs: number): FactsRequest => ({
    day: { start: START, end: START + DAY },
    month: { start: START, end: START + 30 * DAY },
    nowMs,
    pricing: pricingOf('calculate'),
    accountOf: (g) => g,
    limits: [],
  });
  const callsToday = async (l: Ledger, now: number) => {
    const span = factsSpan(req(now));
    return computeFacts(await l.tallies(span.from, span.to, span.cuts), req(now)).today.models.reduce(
      (s, m) => s + m.calls,
      0,
    );
  };

  it('follow every append (recorded size = day file size) without a rebuild', async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-digest-')));
    await l.add([rec(START + HOUR, 'anthropic', 'claude-opus-4-5', null)]);
    await l.add([rec(START + 2 * HOUR, 'anthropic', 'claude-opus-4-5', null)]);
    const j = JSON.parse(readFileSync(join(l.dir, DIGEST_DIR, '2026-11-01.json'), 'utf8'));
    expect(j.size).toBe(statSync(join(l.dir, '2026-11-01.jsonl')).size);
    expect(j.whole.reduce((s: number, b: number[]) => s + b[3]!, 0)).toBe(2);
    const hours = readFileSync(join(l.dir, DIGEST_DIR, '2026-11-01.hours.json'));
    expect(j.hoursSize).toBe(hours.length);
    expect(JSON.parse(hours.toString()).map((b: number[]) => [b[1], b[3]])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(await callsToday(new Ledger(l.dir), START + 20 * HOUR)).toBe(2);
  });

  it('read a day no question cuts from its summary alone, and the hours only for a day that is cut', async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-digest-')));
    await l.add([rec(START + HOUR, 'anthropic', 'claude-opus-4-5', null)]);
    await l.add([rec(START + 2 * HOUR, 'anthropic', 'claude-opus-4-5', null)]);
    const hours = join(l.dir, DIGEST_DIR, '2026-11-01.hours.json');
    const summary = join(l.dir, DIGEST_DIR, '2026-11-01.json');
    const before = readFileSync(summary, 'utf8');
    // A week later the day is whole: its hours are never opened (gone, they would have forced a rebuild).
    rmSync(hours);
    const week = START + 6 * 24 * HOUR;
    const span = factsSpan(req(week));
    const facts = computeFacts(await new Ledger(l.dir).tallies(span.from, span.to, span.cuts), req(week));
    expect(facts.windows.find((w) => w.window === '7d')?.calls).toBe(2);
    expect(existsSync(hours)).toBe(false);
    expect(readFileSync(summary, 'utf8')).toBe(before);
    // The same day cut (now inside it): hours missing, so the digest is rebuilt from the day file, and right.
    expect(await callsToday(new Ledger(l.dir), START + 20 * HOUR)).toBe(2);
    expect(existsSync(hours)).toBe(true);
    // Hours that do not match the summary (a run killed between the two writes): rebuilt too.
    writeFileSync(hours, '[[0,1,2,5,1,1,1,1,0,0]]');
    expect(await callsToday(new Ledger(l.dir), START + 20 * HOUR)).toBe(2);
  });

  it('are rebuilt from the day file when it changed behind them, or when they are damaged', async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-digest-')));
    const a = rec(START + HOUR, 'anthropic', 'claude-opus-4-5', null);
    await l.add([a]);
    // A run killed after the ledger append, before the digest: the day file holds a call the digest does not.
    appendFileSync(join(l.dir, '2026-11-01.jsonl'), `${JSON.stringify({ ...a, msgTs: 1, at: START + 5 * HOUR })}\n`);
    expect(await callsToday(new Ledger(l.dir), START + 20 * HOUR)).toBe(2);
    // Dedupe sees the rebuilt digest's keys too.
    expect(await new Ledger(l.dir).add([{ ...a, msgTs: 1, at: START + 5 * HOUR }])).toHaveLength(0);
    writeFileSync(join(l.dir, DIGEST_DIR, '2026-11-01.json'), '{"version":2,"size":');
    expect(await callsToday(new Ledger(l.dir), START + 20 * HOUR)).toBe(2);
    writeFileSync(join(l.dir, DIGEST_DIR, '2026-11-01.calls'), 'garbage\n');
    // Now in the first call's hour (a cut: the call list is read): the 05:00 call is after now, so not yet spent.
    expect(await callsToday(new Ledger(l.dir), START + 1 * HOUR + 30 * 60_000)).toBe(1);
  });

  it('count corrupt ledger lines once, also when read from the digest', async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-digest-')));
    await l.add([rec(START + HOUR, 'anthropic', 'claude-opus-4-5', null)]);
    appendFileSync(join(l.dir, '2026-11-01.jsonl'), 'garbage\n');
    const first = new Ledger(l.dir);
    await callsToday(first, START + 20 * HOUR);
    expect(first.corruptLines).toBe(1);
    const second = new Ledger(l.dir);
    await callsToday(second, START + 20 * HOUR);
    expect(second.corruptLines).toBe(1);
  });

  it('work from memory when they cannot be written, and count every call', async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-digest-')));
    await l.add([rec(START + HOUR, 'anthropic', 'claude-opus-4-5', null)]);
    rmSync(join(l.dir, DIGEST_DIR), { recursive: true });
    writeFileSync(join(l.dir, DIGEST_DIR), 'not a directory');
    const again = new Ledger(l.dir);
    expect(await callsToday(again, START + 1 * HOUR + 30 * 60_000)).toBe(1);
    await again.add([rec(START + HOUR + 60_000, 'anthropic', 'claude-opus-4-5', null)]);
    expect(await callsToday(again, START + 1 * HOUR + 30 * 60_000)).toBe(2);
    expect(await callsToday(new Ledger(l.dir), START + 20 * HOUR)).toBe(2);
  });
});

describe('day digests and prices that are not linear in tokens', () => {
  it('keep long-context calls and failed requests apart, so a bucket prices and counts like its calls', async () => {
    const l = new Ledger(mkdtempSync(join(tmpdir(), 'ocb-tally-')));
    const at = START + 5 * DAY + 3 * HOUR;
    const sonnet = (i: number, input: number) => ({
      ...rec(at + i * 60_000, 'anthropic', 'claude-sonnet-4-5', null),
      input,
      cacheRead: 1000,
      cacheWrite: 0,
      output: 100,
    });
    // Claude Sonnet 4.5 costs more above 200k prompt tokens: summed, these would all cross it.
    const all = [
      sonnet(1, 150_000),
      sonnet(2, 170_000),
      sonnet(3, 190_000),
      sonnet(4, 230_000),
      { ...sonnet(5, 0), output: 0, cacheRead: 0 },
    ];
    await l.add(all);
    const pricing = pricingOf('calculate');
    const req: FactsRequest = {
      day: { start: START + 5 * DAY, end: START + 6 * DAY },
      month: { start: START, end: START + 30 * DAY },
      nowMs: START + 20 * DAY,
      pricing,
      accountOf: (g) => g,
      limits: [],
    };
    const span = factsSpan(req);
    const facts = computeFacts(await new Ledger(l.dir).tallies(span.from, span.to, span.cuts), req);
    const want = totalsByModel(all, pricing).get('')!;
    expect(facts.today.totalCostUsd).toBeCloseTo(want.totalCostUsd, 10);
    expect(facts.today.models[0]).toMatchObject({ calls: 4, failedCalls: 1 });
    expect(facts.monthTotalUsd).toBeCloseTo(want.totalCostUsd, 10);
  });
});
