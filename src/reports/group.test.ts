import { describe, expect, it } from 'vitest';
import { PRICING, rec } from '../../test/helpers/records.js';
import { accountResolver } from './accounts.js';
import { type Dimension, groupRecords, parseDimensions } from './group.js';
import { buildUsageReport } from './report.js';

const ctx = (timezone = 'Europe/Rome') => ({
  timezone,
  pricing: PRICING,
  accountOf: accountResolver([
    { name: 'home', account: 'personal', accounts: { openai: 'work-openai' } },
    { name: 'vps', account: undefined, accounts: undefined },
  ]),
});

const pick = (rows: ReturnType<typeof groupRecords>, ...keys: string[]) =>
  rows.map((r) =>
    Object.fromEntries([...keys.map((k) => [k, r[k as keyof typeof r]]), ['calls', r.calls], ['costUsd', r.costUsd]]),
  );

const calls = [
  rec('2026-11-20T08:00:00Z'),
  rec('2026-11-20T09:00:00Z', { provider: 'openai', agent: 'coder', session: 's2' }),
  rec('2026-11-21T10:00:00Z', { gateway: 'vps', session: 's3' }),
  rec('2026-11-21T23:30:00Z', { provider: 'ollama' }), // 00:30 on the 22nd in Rome
  rec('2026-11-22T12:00:00Z', { provider: 'mystery', model: 'x1' }), // no price
];

describe('groupRecords', () => {
  it('by day uses the local day, and fills empty days of the range with zero rows', () => {
    const rows = groupRecords(calls, ['day'], ctx(), { since: '2026-11-19', until: '2026-11-23' });
    expect(pick(rows, 'day')).toEqual([
      { day: '2026-11-19', calls: 0, costUsd: 0 },
      { day: '2026-11-20', calls: 2, costUsd: 3 },
      { day: '2026-11-21', calls: 1, costUsd: 1 },
      { day: '2026-11-22', calls: 2, costUsd: 0 },
      { day: '2026-11-23', calls: 0, costUsd: 0 },
    ]);
    const nov22 = rows.find((r) => r.day === '2026-11-22');
    expect(nov22).toMatchObject({ unpriced: true, unpricedCalls: 1, billing: ['api', 'free'] });
  });

  it('by week labels ISO weeks and keeps their Monday', () => {
    const rows = groupRecords(calls, ['week'], ctx(), { since: '2026-11-20', until: '2026-11-23' });
    expect(pick(rows, 'week', 'weekStart')).toEqual([
      { week: '2026-W47', weekStart: '2026-11-16', calls: 5, costUsd: 4 },
      { week: '2026-W48', weekStart: '2026-11-23', calls: 0, costUsd: 0 },
    ]);
  });

  it('by month follows the zone: a call at 23:30 UTC on 31 Oct is November in Rome', () => {
    const edge = [rec('2026-10-31T23:30:00Z'), rec('2026-10-31T22:30:00Z')];
    expect(pick(groupRecords(edge, ['month'], ctx()), 'month')).toEqual([
      { month: '2026-10', calls: 1, costUsd: 1 },
      { month: '2026-11', calls: 1, costUsd: 1 },
    ]);
    expect(pick(groupRecords(edge, ['month'], ctx('UTC')), 'month')).toEqual([
      { month: '2026-10', calls: 2, costUsd: 2 },
    ]);
  });

  it('on the Rome spring-forward day (23 h) calls an instant either side of local midnight split correctly', () => {
    const dst = [
      rec('2026-03-28T22:59:59.999Z'), // 23:59:59.999 on the 28th (UTC+1)
      rec('2026-03-28T23:00:00Z'), // 00:00 on the 29th
      rec('2026-03-29T21:59:59.999Z'), // 23:59:59.999 on the 29th (UTC+2)
      rec('2026-03-29T22:00:00Z'), // 00:00 on the 30th
    ];
    expect(pick(groupRecords(dst, ['day'], ctx()), 'day')).toEqual([
      { day: '2026-03-28', calls: 1, costUsd: 1 },
      { day: '2026-03-29', calls: 2, costUsd: 2 },
      { day: '2026-03-30', calls: 1, costUsd: 1 },
    ]);
  });

  it('on the Rome fall-back day (25 h) the repeated hour stays on the same day', () => {
    const dst = [
      rec('2026-10-25T00:30:00Z'),
      rec('2026-10-25T01:30:00Z'),
      rec('2026-10-25T22:59:00Z'),
      rec('2026-10-25T23:00:00Z'),
    ];
    expect(pick(groupRecords(dst, ['day'], ctx()), 'day')).toEqual([
      { day: '2026-10-25', calls: 3, costUsd: 3 },
      { day: '2026-10-26', calls: 1, costUsd: 1 },
    ]);
  });

  it('by model and by provider', () => {
    expect(pick(groupRecords(calls, ['model'], ctx()), 'provider', 'model')).toEqual([
      // equal costs: by name
      { provider: 'anthropic', model: 'claude-opus-4-5', calls: 2, costUsd: 2 },
      { provider: 'openai', model: 'gpt-5.2', calls: 1, costUsd: 2 },
      { provider: 'mystery', model: 'x1', calls: 1, costUsd: 0 },
      { provider: 'ollama', model: 'qwen3:8b', calls: 1, costUsd: 0 },
    ]);
    const more = [...calls, rec('2026-11-20T10:00:00Z', { provider: 'anthropic', model: 'claude-haiku-4-5' })];
    expect(pick(groupRecords(more, ['provider'], ctx()), 'provider')).toEqual([
      // claude-haiku-4-5 has no test price: the catalog's ($1 per 1M input tokens) applies.
      { provider: 'anthropic', calls: 3, costUsd: 3 },
      { provider: 'openai', calls: 1, costUsd: 2 },
      { provider: 'mystery', calls: 1, costUsd: 0 },
      { provider: 'ollama', calls: 1, costUsd: 0 },
    ]);
  });

  it('by agent, session, gateway and account', () => {
    expect(pick(groupRecords(calls, ['agent'], ctx()), 'agent')).toEqual([
      { agent: 'coder', calls: 1, costUsd: 2 },
      { agent: 'main', calls: 4, costUsd: 2 },
    ]);
    expect(pick(groupRecords(calls, ['session'], ctx()), 'gateway', 'agent', 'session')).toEqual([
      { gateway: 'home', agent: 'coder', session: 's2', calls: 1, costUsd: 2 },
      { gateway: 'home', agent: 'main', session: 's1', calls: 3, costUsd: 1 },
      { gateway: 'vps', agent: 'main', session: 's3', calls: 1, costUsd: 1 },
    ]);
    expect(pick(groupRecords(calls, ['gateway'], ctx()), 'gateway')).toEqual([
      { gateway: 'home', calls: 4, costUsd: 3 },
      { gateway: 'vps', calls: 1, costUsd: 1 },
    ]);
    // home's openai calls have their own account; vps has no label and is its own account.
    expect(pick(groupRecords(calls, ['account'], ctx()), 'account')).toEqual([
      { account: 'work-openai', calls: 1, costUsd: 2 },
      { account: 'personal', calls: 3, costUsd: 1 },
      { account: 'vps', calls: 1, costUsd: 1 },
    ]);
  });

  it('combines dimensions: day,model (periods in order, costliest first within a day), no filler rows', () => {
    const rows = groupRecords(calls, ['day', 'model'], ctx(), { since: '2026-11-19', until: '2026-11-22' });
    expect(pick(rows, 'day', 'model')).toEqual([
      { day: '2026-11-20', model: 'gpt-5.2', calls: 1, costUsd: 2 },
      { day: '2026-11-20', model: 'claude-opus-4-5', calls: 1, costUsd: 1 },
      { day: '2026-11-21', model: 'claude-opus-4-5', calls: 1, costUsd: 1 },
      { day: '2026-11-22', model: 'x1', calls: 1, costUsd: 0 },
      { day: '2026-11-22', model: 'qwen3:8b', calls: 1, costUsd: 0 },
    ]);
  });

  it('an empty ledger gives zero rows for every period, and none for other groupings', () => {
    expect(
      groupRecords([], ['month'], ctx(), { since: '2026-10-15', until: '2026-12-01' }).map((r) => [r.month, r.calls]),
    ).toEqual([
      ['2026-10', 0],
      ['2026-11', 0],
      ['2026-12', 0],
    ]);
    expect(groupRecords([], ['model'], ctx(), { since: '2026-10-15', until: '2026-12-01' })).toEqual([]);
  });

  it('sums tokens of all four kinds', () => {
    const [row] = groupRecords(
      [rec('2026-11-20T08:00:00Z', { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 })],
      ['gateway'],
      ctx(),
    );
    expect(row).toMatchObject({
      inputTokens: 1,
      outputTokens: 2,
      cacheReadTokens: 3,
      cacheWriteTokens: 4,
      totalTokens: 10,
    });
  });
});

describe('parseDimensions', () => {
  it('accepts a comma list and rejects unknown or repeated names', () => {
    expect(parseDimensions('day, Model')).toEqual<Dimension[]>(['day', 'model']);
    expect(() => parseDimensions('day,hour')).toThrow(/unknown grouping "hour"/);
    expect(() => parseDimensions('day,day')).toThrow(/once/);
    expect(() => parseDimensions('')).toThrow(/at least one/);
  });
});

describe('buildUsageReport JSON shape', () => {
  it('matches the snapshot', () => {
    const range = { since: '2026-11-20', until: '2026-11-22' };
    const report = buildUsageReport(calls, ['week', 'account'], ctx(), {
      range,
      from: Date.parse('2026-11-19T23:00:00Z'),
      to: Date.parse('2026-11-22T23:00:00Z'),
      gateways: null,
    });
    expect(report).toMatchSnapshot();
  });
});
