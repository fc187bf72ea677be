import { describe, expect, it } from 'vitest';
import { PRICING, rec } from '../../test/helpers/records.js';
import { forecastSpend } from './forecast.js';

describe('forecastSpend', () => {
  it("projects the day at the last hour's burn and the month at the last 7 days' average, by hand", () => {
    const nowMs = Date.parse('2026-11-20T17:00:00Z'); // 18:00 in Rome: 6 h left today, 246 h left in November
    const records = [
      rec('2026-11-20T16:30:00Z'), // last hour, today
      rec('2026-11-20T10:00:00Z'), // today
      rec('2026-11-15T10:00:00Z'), // this month, last 7 days
      rec('2026-11-01T00:00:00Z'), // 01:00 on 1 Nov in Rome: this month, not the last 7 days
      rec('2026-10-31T22:30:00Z'), // 23:30 on 31 Oct in Rome: last month
      rec('2026-11-20T17:30:00Z'), // after now: ignored
    ];
    const f = forecastSpend(records, { nowMs, timezone: 'Europe/Rome', pricing: PRICING });
    expect(f).toMatchObject({ source: 'local-ledger', todayUsd: 2, monthToDateUsd: 4, burnUsdPerHour1h: 1 });
    expect(f.burnUsdPerHour7d).toBeCloseTo(3 / 168, 12);
    expect(f.endOfDayUsd).toBeCloseTo(2 + 1 * 6, 12);
    expect(f.endOfMonthUsd).toBeCloseTo(4 + 1 * 6 + (3 / 168) * 240, 12);
    expect(new Date(f.dayEnd).toISOString()).toBe('2026-11-20T23:00:00.000Z');
    expect(new Date(f.monthEnd).toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(f.method).toMatch(/last 60 min.*last 7 days/);
  });

  it('with no history the projections are zero', () => {
    const f = forecastSpend([], { nowMs: Date.parse('2026-11-20T17:00:00Z'), timezone: 'UTC', pricing: PRICING });
    expect([f.endOfDayUsd, f.endOfMonthUsd]).toEqual([0, 0]);
  });
});
