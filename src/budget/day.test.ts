import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayStart,
  isCalendarDate,
  isoWeek,
  localDate,
  localDay,
  nextDate,
  periodAt,
  periodOfDate,
} from './day.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('localDay', () => {
  it('UTC days are 24 h from midnight', () => {
    const d = localDay(Date.parse('2026-11-20T23:59:59.999Z'), 'UTC');
    expect(d).toEqual({
      date: '2026-11-20',
      timezone: 'UTC',
      start: Date.parse('2026-11-20T00:00:00Z'),
      end: Date.parse('2026-11-21T00:00:00Z'),
    });
  });

  it('Europe/Rome in winter starts at 23:00 UTC the previous day', () => {
    const d = localDay(Date.parse('2026-11-20T12:00:00Z'), 'Europe/Rome');
    expect([iso(d.start), iso(d.end)]).toEqual(['2026-11-19T23:00:00.000Z', '2026-11-20T23:00:00.000Z']);
  });

  it('the spring-forward day in Rome has 23 hours', () => {
    const d = localDay(Date.parse('2026-03-29T12:00:00Z'), 'Europe/Rome');
    expect([iso(d.start), iso(d.end)]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(d.end - d.start).toBe(23 * 3600_000);
  });

  it('the fall-back day in Rome has 25 hours', () => {
    const d = localDay(Date.parse('2026-10-25T12:00:00Z'), 'Europe/Rome');
    expect([iso(d.start), iso(d.end)]).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(d.end - d.start).toBe(25 * 3600_000);
  });

  it('calls a millisecond either side of local midnight land on different days', () => {
    const midnight = Date.parse('2026-11-20T23:00:00Z'); // 00:00 on the 21st in Rome
    expect(localDate(midnight - 1, 'Europe/Rome')).toBe('2026-11-20');
    expect(localDate(midnight, 'Europe/Rome')).toBe('2026-11-21');
  });

  it('handles zones far from UTC', () => {
    const kiri = localDay(Date.parse('2026-11-20T12:00:00Z'), 'Pacific/Kiritimati'); // UTC+14
    expect(kiri.date).toBe('2026-11-21');
    expect(iso(kiri.start)).toBe('2026-11-20T10:00:00.000Z');
    const samoa = localDay(Date.parse('2026-11-20T12:00:00Z'), 'Pacific/Pago_Pago'); // UTC-11
    expect(samoa.date).toBe('2026-11-20');
    expect(iso(samoa.start)).toBe('2026-11-20T11:00:00.000Z');
  });

  it('a zone whose DST change skips midnight starts the day at 01:00', () => {
    // America/Santiago springs forward at 00:00 local on 2026-09-06 (to 01:00).
    const start = dayStart('2026-09-06', 'America/Santiago');
    expect(localDate(start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDate(start - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('nextDate crosses months and years', () => {
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
  });
});

describe('weeks and months', () => {
  it('labels ISO weeks by the year of their Thursday', () => {
    expect(isoWeek('2026-01-01')).toEqual({ monday: '2025-12-29', key: '2026-W01' }); // a Thursday
    expect(isoWeek('2027-01-01')).toEqual({ monday: '2026-12-28', key: '2026-W53' }); // 2026 has 53 weeks
    expect(isoWeek('2024-12-30')).toEqual({ monday: '2024-12-30', key: '2025-W01' });
    expect(isoWeek('2026-11-22')).toEqual({ monday: '2026-11-16', key: '2026-W47' }); // a Sunday
  });

  it('a Rome week with the spring-forward Sunday has 167 hours, its month 743', () => {
    const w = periodOfDate('week', '2026-03-29', 'Europe/Rome');
    expect([w.key, w.first, w.next]).toEqual(['2026-W13', '2026-03-23', '2026-03-30']);
    expect((w.end - w.start) / 3_600_000).toBe(167);
    const m = periodOfDate('month', '2026-03-15', 'Europe/Rome');
    expect([m.key, iso(m.start), iso(m.end)]).toEqual([
      '2026-03',
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
    expect((m.end - m.start) / 3_600_000).toBe(31 * 24 - 1);
  });

  it('the month of an instant is the local month, not the UTC one', () => {
    // 23:30 UTC on 31 October is already 1 November in Rome.
    expect(periodAt('month', Date.parse('2026-10-31T23:30:00Z'), 'Europe/Rome').key).toBe('2026-11');
    expect(periodAt('month', Date.parse('2026-10-31T23:30:00Z'), 'UTC').key).toBe('2026-10');
    const dec = periodAt('month', Date.parse('2026-12-31T12:00:00Z'), 'UTC');
    expect([dec.first, dec.next]).toEqual(['2026-12-01', '2027-01-01']);
  });

  it('validates and moves calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('zones with a fixed offset', () => {
  it('give the days Intl gives, without it', () => {
    const viaIntl = (ms: number, tz: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
    for (const tz of ['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT-14', 'Etc/GMT+12', 'Etc/GMT+5', 'Etc/GMT-5', 'Etc/GMT-0']) {
      for (let ms = Date.parse('2026-11-20T00:00:00Z'); ms < Date.parse('2026-11-22T00:00:00Z'); ms += 1_799_999)
        expect(localDate(ms, tz), `${tz} ${ms}`).toBe(viaIntl(ms, tz));
      const d = localDay(Date.parse('2026-11-20T12:00:00Z'), tz);
      expect(viaIntl(d.start, tz)).toBe(d.date);
      expect(viaIntl(d.start - 1, tz)).not.toBe(d.date);
      expect(d.end - d.start).toBe(24 * 3_600_000);
    }
  });
});
