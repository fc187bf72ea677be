import { describe, expect, it } from 'vitest';
import { evaluateBudget } from './period.js';
import { type CheckFacts, planCheck, type RunMemory } from './plan.js';

const NOW = Date.parse('2026-11-20T15:00:00Z');
const CLOCK = Date.parse('2026-11-20T15:00:03Z');
const EARLIER = Date.parse('2026-11-20T09:30:00Z');

const read = (name: string) => ({ name, ok: true });
const unread = (name: string) => ({ name, ok: false, error: `${name}: ssh: connection refused` });

function facts(over: Partial<CheckFacts> = {}): CheckFacts {
  return {
    nowMs: NOW,
    clockMs: CLOCK,
    date: '2026-11-20',
    timezone: 'Europe/Rome',
    spendUsd: 2,
    budgetUsd: 5,
    warnAt: 0.8,
    month: null,
    sources: [read('local'), read('vps')],
    previous: {},
    flagFile: true,
    alertsEnabled: true,
    ...over,
  };
}

describe('planCheck: the flag', () => {
  it('raises it when every source was read and spend is at or over the budget, saying since when', () => {
    const plan = planCheck(facts({ spendUsd: 5 }));
    expect(plan.flag).toEqual({
      kind: 'raise',
      line: 'openclaw-budget: spend $5.00 >= budget $5.00 on 2026-11-20 (Europe/Rome), exceeded since 2026-11-20T15:00:00.000Z',
    });
    expect(plan.state.exceededSince).toBe(NOW);
  });

  it('keeps the first "since" while it stays up', () => {
    const plan = planCheck(facts({ spendUsd: 7, previous: { exceededSince: EARLIER } }));
    expect(plan.flag).toMatchObject({
      kind: 'raise',
      line: expect.stringContaining('exceeded since 2026-11-20T09:30:00.000Z'),
    });
    expect(plan.state.exceededSince).toBe(EARLIER);
  });

  it('lowers it when every source was read and spend is under the budget (warning included)', () => {
    for (const spendUsd of [0, 4.5]) {
      const plan = planCheck(facts({ spendUsd, previous: { exceededSince: EARLIER } }));
      expect(plan.flag).toEqual({ kind: 'lower' });
      expect(plan.state.exceededSince).toBeUndefined();
    }
  });

  it('with a source unread may raise it: the spend read so far is already over', () => {
    const plan = planCheck(facts({ spendUsd: 6, sources: [read('local'), unread('vps')] }));
    expect(plan.flag.kind).toBe('raise');
    expect(plan.state.exceededSince).toBe(NOW);
  });

  it('with a source unread never lowers it: the spend can only be understated', () => {
    const plan = planCheck(
      facts({ spendUsd: 1, sources: [read('local'), unread('vps')], previous: { exceededSince: EARLIER } }),
    );
    expect(plan.flag).toEqual({ kind: 'keep' });
    expect(plan.state.exceededSince).toBe(EARLIER);
  });

  it('with no flag file configured does nothing with it, nor with its "since"', () => {
    expect(planCheck(facts({ spendUsd: 9, flagFile: false }))).toMatchObject({ flag: { kind: 'none' }, state: {} });
    expect(
      planCheck(facts({ spendUsd: 1, flagFile: false, previous: { exceededSince: EARLIER } })).state.exceededSince,
    ).toBe(EARLIER);
  });

  it('judges the flag by the day only, not the month', () => {
    const month = evaluateBudget({
      scope: 'all',
      period: 'month',
      periodKey: '2026-11',
      spendUsd: 200,
      budgetUsd: 100,
      warnAt: 0.8,
    });
    expect(planCheck(facts({ spendUsd: 1, month })).flag).toEqual({ kind: 'lower' });
  });
});

describe('planCheck: partial failure', () => {
  it("a complete run records its wall-clock success and passes the run state's other fields through", () => {
    const previous: RunMemory & { version: 1 } = { version: 1, lastSuccessAt: 1 };
    const plan = planCheck({ ...facts(), previous });
    expect(plan).toMatchObject({
      complete: true,
      errors: [],
      metrics: { success: true, lastSuccessSeconds: CLOCK / 1000, runSeconds: CLOCK / 1000 },
    });
    expect(plan.state).toEqual({ version: 1, lastSuccessAt: CLOCK });
    expect(previous.lastSuccessAt).toBe(1); // the facts are not changed
  });

  it('an incomplete run keeps the last success, reports every unread source, and is no success', () => {
    const plan = planCheck(
      facts({ sources: [unread('local'), read('vps'), unread('lab')], previous: { lastSuccessAt: EARLIER } }),
    );
    expect(plan.complete).toBe(false);
    expect(plan.errors).toEqual(['local: ssh: connection refused', 'lab: ssh: connection refused']);
    expect(plan.state.lastSuccessAt).toBe(EARLIER);
    expect(plan.metrics).toEqual({ success: false, lastSuccessSeconds: EARLIER / 1000, runSeconds: CLOCK / 1000 });
  });

  it('a source that failed without a message is still named', () => {
    expect(planCheck(facts({ sources: [{ name: 'vps', ok: false }] })).errors).toEqual(['vps: not read']);
  });

  it('tells the alerts whether the figure is complete, with the day and the month', () => {
    const month = evaluateBudget({
      scope: 'all',
      period: 'month',
      periodKey: '2026-11',
      spendUsd: 90,
      budgetUsd: 100,
      warnAt: 0.8,
    });
    const plan = planCheck(facts({ month, sources: [unread('vps')] }));
    expect(plan.budgets.map((b) => `${b.period}:${b.status}`)).toEqual(['day:ok', 'month:warning']);
    expect(plan.alerts).toEqual({ budgets: plan.budgets, complete: false });
    expect(planCheck(facts({ alertsEnabled: false })).alerts).toBeNull();
  });

  it('a stopped run (SIGTERM) is incomplete even when every source was read: no lowering, no alerts, no success', () => {
    const plan = planCheck(
      facts({ spendUsd: 1, stopped: true, previous: { exceededSince: EARLIER, lastSuccessAt: EARLIER } }),
    );
    expect(plan).toMatchObject({ complete: false, flag: { kind: 'keep' }, alerts: null, metrics: { success: false } });
    expect(plan.errors).toEqual([expect.stringContaining('stopped before the run finished')]);
    expect(plan.state).toEqual({ exceededSince: EARLIER, lastSuccessAt: EARLIER });
    // With a source already failed, that error says enough.
    expect(planCheck(facts({ stopped: true, sources: [unread('vps')] })).errors).toEqual([
      'vps: ssh: connection refused',
    ]);
    // Over the budget it still raises the flag: the spend read so far is already over.
    expect(planCheck(facts({ spendUsd: 9, stopped: true })).flag.kind).toBe('raise');
  });
});

describe('planCheck: are the figures the whole spend? (issue 12.4)', () => {
  it('complete when every source, file and ledger line was read', () => {
    expect(planCheck(facts()).figures).toEqual({ complete: true, reasons: [] });
  });

  it('a lower bound, with reasons, for an unread source, an unreadable file, ledger damage or a non-finite figure', () => {
    const p = planCheck(
      facts({
        sources: [unread('vps'), { name: 'local', ok: true, unreadable: ['/s/a.jsonl'] }],
        ledgerUnreadableLines: 1,
        ledgerLost: { '2026-11-19': 3 },
        figures: { 'the month': Number.POSITIVE_INFINITY },
      }),
    );
    expect(p.figures.complete).toBe(false);
    expect(p.figures.reasons).toEqual([
      'gateway vps was not read: vps: ssh: connection refused',
      'gateway local: 1 file could not be read (/s/a.jsonl)',
      'ledger: 1 unreadable line skipped (see `openclaw-budget ledger verify`)',
      'ledger: 3 calls of 2026-11-19 were lost (day file deleted or truncated) and are no longer in the transcripts',
      'the month is not a finite number: it is unknown',
    ]);
  });

  it('lost calls on other days do not hold the flag down or silence alerts: those follow the sources', () => {
    const p = planCheck(facts({ ledgerLost: { '2026-11-19': 3 } }));
    expect(p.figures.complete).toBe(false);
    expect(p.complete).toBe(true);
    expect(p.flag.kind).toBe('lower');
  });
});
