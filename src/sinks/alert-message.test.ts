import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/support/alert-events.js';
import { alertEvent } from '../budget/alert-event.js';
import { renderAlert } from './alert-message.js';

const HOUR = 3_600_000;

describe('alert messages', () => {
  it('exceeded: figures, gateway, top models, projection; HTML escaped', () => {
    const m = renderAlert(sampleEvent({ topModels: [{ provider: 'x', model: '<b>m</b>', costUsd: 0.004 }] }), {
      late: false,
    });
    expect(m.plain).toBe(
      [
        'OpenClaw budget EXCEEDED: $6.25 of $5.00 (125.0%) on 2026-11-20 (UTC), gateway home on host1',
        'Top models: x/<b>m</b> <$0.01',
        'Projected by the end of the day: $10.00 at the recent burn rate (the forecast check prints).',
      ].join('\n'),
    );
    expect(m.html).toBe(
      '<p><b>OpenClaw budget EXCEEDED: $6.25 of $5.00 (125.0%) on 2026-11-20 (UTC), gateway home on host1</b></p>' +
        '<p>Top models:</p><ul><li>x/&lt;b&gt;m&lt;/b&gt; &lt;$0.01</li></ul>' +
        '<p>Projected by the end of the day: $10.00 at the recent burn rate (the forecast check prints).</p>',
    );
  });

  it('recovered says how long it was over; late says when it happened; unpriced says spend is understated', () => {
    const m = renderAlert(
      sampleEvent({
        kind: 'recovered',
        budgetUsd: 10,
        percent: 62.5,
        exceededForMs: 2 * HOUR + 15 * 60_000,
        unpricedCalls: 2,
        gateways: ['a', 'b'],
        projectedUsd: undefined,
      }),
      { late: true },
    );
    expect(m.plain).toContain(
      'OpenClaw budget recovered: $6.25 of $10.00 (62.5%) on 2026-11-20 (UTC), gateways a, b on host1',
    );
    expect(m.plain).toContain('It was over budget for 2h15m.');
    expect(m.plain).toContain('2 call(s) had no price and count as $0: spend is understated.');
    expect(m.plain).toContain('Delivered late: this happened at 2026-11-20 15:00 (UTC).');
    expect(
      renderAlert(
        sampleEvent({
          at: Date.parse('2026-11-20T23:30:00Z'),
          period: { kind: 'day', id: '2026-11-21', timezone: 'Europe/Rome' },
        }),
        { late: true },
      ).plain,
    ).toContain('Delivered late: this happened at 2026-11-21 00:30 (Europe/Rome).');
  });

  it('warning, reminder and test', () => {
    expect(renderAlert(sampleEvent({ kind: 'warning' }), { late: false }).plain).toContain(
      'Warning at 80% of the budget.',
    );
    expect(renderAlert(sampleEvent({ kind: 'reminder', exceededForMs: 4 * HOUR }), { late: false }).plain).toMatch(
      /^OpenClaw budget still exceeded: .*\nTop models: .*\nOver budget for 4h00m\./,
    );
    expect(
      renderAlert(sampleEvent({ kind: 'test', topModels: [], projectedUsd: undefined }), { late: false }).plain,
    ).toBe(
      'openclaw-budget test message from host1: alerts reach this room. Budget $5.00 a day, gateway home on host1',
    );
  });
});

describe('alert events', () => {
  const day = {
    kind: 'day',
    id: '2026-11-20',
    startMs: Date.parse('2026-11-20T00:00:00Z'),
    endMs: Date.parse('2026-11-21T00:00:00Z'),
  };
  const figures = {
    timezone: 'UTC',
    gateways: ['home'],
    host: 'h',
    warnAt: 0.8,
    models: [
      { provider: 'a', model: 'x', costUsd: 4 },
      { provider: 'b', model: 'y', costUsd: 2 },
    ],
    topModels: 1,
    unpricedCalls: 1,
  };

  it("quotes the run's own forecast as the projection (the figure check prints), never a second estimate", () => {
    const t = {
      kind: 'exceeded' as const,
      scope: 'home',
      period: day,
      occurrence: 1,
      atMs: day.startMs + 6 * HOUR,
      from: 'ok' as const,
      to: 'exceeded' as const,
      spendUsd: 6,
      budgetUsd: 5,
    };
    expect(alertEvent(t, { ...figures, projectedUsd: 7.25 }).projectedUsd).toBe(7.25);
    expect(alertEvent(t, { ...figures, projectedUsd: undefined }).projectedUsd).toBeUndefined();
  });

  it('has a unique, stable id per scope, period, kind and occurrence', () => {
    const t = {
      kind: 'exceeded' as const,
      scope: 'home+vps',
      period: day,
      occurrence: 2,
      atMs: day.startMs + 12 * HOUR,
      from: 'ok' as const,
      to: 'exceeded' as const,
      spendUsd: 6,
      budgetUsd: 5,
    };
    const ev = alertEvent(t, { ...figures, projectedUsd: 12 });
    expect(ev.id).toBe('openclaw-budget:h:home%2Bvps:day:2026-11-20:exceeded:2');
    expect(ev).toMatchObject({
      percent: 120,
      projectedUsd: 12,
      topModels: [{ provider: 'a', model: 'x', costUsd: 4 }],
      unpricedCalls: 1,
    });
  });

  it('a recovery by a new day carries the ended day’s figures only', () => {
    const t = {
      kind: 'recovered' as const,
      scope: 'home',
      period: day,
      occurrence: 1,
      atMs: day.endMs + HOUR,
      from: 'exceeded' as const,
      to: 'ok' as const,
      spendUsd: 7,
      budgetUsd: 5,
      periodEnded: true,
      exceededForMs: HOUR,
    };
    const ev = alertEvent(t, { ...figures, projectedUsd: 12 });
    expect(ev).toMatchObject({ periodEnded: true, topModels: [], unpricedCalls: 0, exceededForMs: HOUR });
    expect(ev.projectedUsd).toBeUndefined();
  });
});
