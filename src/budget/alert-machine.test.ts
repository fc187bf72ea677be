import { describe, expect, it } from 'vitest';
import {
  type AlertMachineState,
  AlertMachineStateSchema,
  type AlertPolicy,
  freshAlertMachineState,
  type Observation,
  type Period,
  stepAlerts,
} from './alert-machine.js';
import { type BudgetStatus, budgetStatus } from './status.js';

const HOUR = 3_600_000;

function day(id: string): Period {
  const startMs = Date.parse(`${id}T00:00:00Z`);
  return { kind: 'day', id, startMs, endMs: startMs + 24 * HOUR };
}

/** Spend that puts a $10 budget (warn at 0.8) at each level. */
const SPEND: Record<BudgetStatus, number> = { ok: 5, warning: 8.5, exceeded: 12 };

interface Obs {
  /** "2026-11-20 14:00" */
  at: string;
  spend: number;
  budget?: number;
  complete?: boolean;
  scope?: string;
  period?: Period;
}

function observation(o: Obs): Observation {
  const [date, time] = o.at.split(' ') as [string, string];
  return {
    scope: o.scope ?? 'home',
    period: o.period ?? day(date),
    spendUsd: o.spend,
    budgetUsd: o.budget ?? 10,
    status: budgetStatus(o.spend, o.budget ?? 10, 0.8),
    complete: o.complete ?? true,
    nowMs: Date.parse(`${date}T${time}:00Z`),
  };
}

/** Run observations in order, each after a restart (the state goes through JSON and the schema). */
function run(steps: readonly Obs[], policy: AlertPolicy = {}, start: AlertMachineState = freshAlertMachineState()) {
  let state = start;
  const out: string[][] = [];
  for (const s of steps) {
    const step = stepAlerts(state, observation(s), policy);
    state = AlertMachineStateSchema.parse(JSON.parse(JSON.stringify(step.state)));
    out.push(step.transitions.map((t) => `${t.scope} ${t.period.id} ${t.kind}#${t.occurrence}`));
  }
  return { out, state };
}

const LEVELS: readonly BudgetStatus[] = ['ok', 'warning', 'exceeded'];

describe('alert state machine: every change of level within a day', () => {
  const expected: Record<BudgetStatus, Record<BudgetStatus, string[]>> = {
    ok: { ok: [], warning: ['warning#1'], exceeded: ['exceeded#1'] },
    warning: { ok: [], warning: [], exceeded: ['exceeded#1'] },
    exceeded: { ok: ['recovered#1'], warning: ['recovered#1'], exceeded: [] },
  };
  for (const from of LEVELS) {
    for (const to of LEVELS) {
      it(`${from} -> ${to}`, () => {
        const { out } = run([
          { at: '2026-11-20 10:00', spend: SPEND[from] },
          { at: '2026-11-20 12:00', spend: SPEND[to] },
        ]);
        expect(out[1]).toEqual(expected[from][to].map((k) => `home 2026-11-20 ${k}`));
      });
    }
  }

  it('the first observation alerts for the level it finds', () => {
    expect(run([{ at: '2026-11-20 10:00', spend: SPEND.ok }]).out).toEqual([[]]);
    expect(run([{ at: '2026-11-20 10:00', spend: SPEND.warning }]).out).toEqual([['home 2026-11-20 warning#1']]);
    expect(run([{ at: '2026-11-20 10:00', spend: SPEND.exceeded }]).out).toEqual([['home 2026-11-20 exceeded#1']]);
  });
});

describe('alert state machine: a new day', () => {
  // The day before ended at `from`; the new day's first run finds `to`.
  const expected: Record<BudgetStatus, Record<BudgetStatus, string[]>> = {
    ok: { ok: [], warning: ['2026-11-21 warning#1'], exceeded: ['2026-11-21 exceeded#1'] },
    warning: { ok: [], warning: ['2026-11-21 warning#1'], exceeded: ['2026-11-21 exceeded#1'] },
    exceeded: {
      ok: ['2026-11-20 recovered#1'],
      warning: ['2026-11-20 recovered#1', '2026-11-21 warning#1'],
      exceeded: ['2026-11-21 exceeded#1'],
    },
  };
  for (const from of LEVELS) {
    for (const to of LEVELS) {
      it(`ended ${from}, starts ${to}`, () => {
        const { out } = run([
          { at: '2026-11-20 22:00', spend: SPEND[from] },
          { at: '2026-11-21 00:05', spend: SPEND[to] },
        ]);
        expect(out[1]).toEqual(expected[from][to].map((k) => `home ${k}`));
      });
    }
  }

  it('re-arms: each day warns and exceeds once', () => {
    const { out } = run([
      { at: '2026-11-20 10:00', spend: 8.5 },
      { at: '2026-11-20 11:00', spend: 12 },
      { at: '2026-11-21 10:00', spend: 8.5 },
      { at: '2026-11-21 11:00', spend: 12 },
      { at: '2026-11-21 12:00', spend: 13 },
    ]);
    expect(out).toEqual([
      ['home 2026-11-20 warning#1'],
      ['home 2026-11-20 exceeded#1'],
      ['home 2026-11-20 recovered#1', 'home 2026-11-21 warning#1'],
      ['home 2026-11-21 exceeded#1'],
      [],
    ]);
  });

  it('a recovery by a new day reports the ended day and how long it was over (until the day ended)', () => {
    let state = freshAlertMachineState();
    state = stepAlerts(state, observation({ at: '2026-11-20 20:00', spend: 12 })).state;
    const step = stepAlerts(state, observation({ at: '2026-11-21 06:00', spend: 0 }));
    expect(step.transitions).toHaveLength(1);
    expect(step.transitions[0]).toMatchObject({
      kind: 'recovered',
      period: { id: '2026-11-20' },
      spendUsd: 12,
      budgetUsd: 10,
      from: 'exceeded',
      to: 'ok',
      periodEnded: true,
      exceededForMs: 4 * HOUR,
    });
  });

  it('an observation of an earlier day (a backfill) never recovers a later one', () => {
    const { out } = run([
      { at: '2026-11-21 10:00', spend: 12 },
      { at: '2026-11-20 10:00', spend: 0 },
      { at: '2026-11-21 10:05', spend: 12 },
    ]);
    expect(out).toEqual([['home 2026-11-21 exceeded#1'], [], []]);
  });
});

describe('alert state machine: budget raised and lowered', () => {
  it('raised while exceeded: one recovery with how long it was exceeded; lowered again: a second exceeded', () => {
    let state = freshAlertMachineState();
    const seen: string[] = [];
    const steps: Obs[] = [
      { at: '2026-11-20 10:00', spend: 12, budget: 10 },
      { at: '2026-11-20 12:30', spend: 12, budget: 20 },
      { at: '2026-11-20 12:35', spend: 12, budget: 20 },
      { at: '2026-11-20 13:00', spend: 12, budget: 10 },
      { at: '2026-11-20 14:00', spend: 12, budget: 30 },
    ];
    for (const s of steps) {
      const step = stepAlerts(state, observation(s));
      state = step.state;
      for (const t of step.transitions)
        seen.push(`${t.kind}#${t.occurrence} ${t.from}->${t.to} ${t.budgetUsd} ${t.exceededForMs ?? '-'}`);
    }
    expect(seen).toEqual([
      'exceeded#1 ok->exceeded 10 -',
      `recovered#1 exceeded->ok 20 ${2.5 * HOUR}`,
      'exceeded#2 ok->exceeded 10 -',
      `recovered#2 exceeded->ok 30 ${HOUR}`,
    ]);
  });

  it('raised out of warning is silent; a later rise into warning alerts again', () => {
    const { out } = run([
      { at: '2026-11-20 10:00', spend: 8.5, budget: 10 },
      { at: '2026-11-20 11:00', spend: 8.5, budget: 20 },
      { at: '2026-11-20 12:00', spend: 17, budget: 20 },
    ]);
    expect(out).toEqual([['home 2026-11-20 warning#1'], [], ['home 2026-11-20 warning#2']]);
  });

  it('raised from exceeded into the warning band recovers without a new warning', () => {
    const { out } = run([
      { at: '2026-11-20 10:00', spend: 12, budget: 10 },
      { at: '2026-11-20 11:00', spend: 12, budget: 14 },
      { at: '2026-11-20 12:00', spend: 12.5, budget: 14 },
    ]);
    expect(out).toEqual([['home 2026-11-20 exceeded#1'], ['home 2026-11-20 recovered#1'], []]);
  });

  it('lowered under the spend: exceeded straight from ok', () => {
    const { out } = run([
      { at: '2026-11-20 10:00', spend: 3, budget: 10 },
      { at: '2026-11-20 11:00', spend: 3, budget: 2 },
    ]);
    expect(out).toEqual([[], ['home 2026-11-20 exceeded#1']]);
  });
});

describe('alert state machine: failed runs', () => {
  for (const from of LEVELS) {
    for (const to of LEVELS) {
      it(`a failed run seeing ${to} after ${from} changes nothing`, () => {
        const first = stepAlerts(freshAlertMachineState(), observation({ at: '2026-11-20 10:00', spend: SPEND[from] }));
        const failed = stepAlerts(
          first.state,
          observation({ at: '2026-11-20 11:00', spend: SPEND[to], complete: false }),
        );
        expect(failed.transitions).toEqual([]);
        expect(failed.state).toEqual(first.state);
      });
    }
  }

  it('a failed run on a new day neither recovers the old day nor arms the new one', () => {
    const { out } = run([
      { at: '2026-11-20 20:00', spend: 12 },
      { at: '2026-11-21 00:05', spend: 0, complete: false },
      { at: '2026-11-21 00:10', spend: 12, complete: false },
      { at: '2026-11-21 00:15', spend: 1 },
    ]);
    expect(out).toEqual([['home 2026-11-20 exceeded#1'], [], [], ['home 2026-11-20 recovered#1']]);
  });

  it('the transition a failed run held back comes with the next complete run', () => {
    const { out } = run([
      { at: '2026-11-20 10:00', spend: 5 },
      { at: '2026-11-20 11:00', spend: 12, complete: false },
      { at: '2026-11-20 11:05', spend: 12 },
    ]);
    expect(out).toEqual([[], [], ['home 2026-11-20 exceeded#1']]);
  });
});

describe('alert state machine: repeat reminders', () => {
  const steps: Obs[] = [
    { at: '2026-11-20 10:00', spend: 12 },
    { at: '2026-11-20 11:55', spend: 13 },
    { at: '2026-11-20 12:00', spend: 14 },
    { at: '2026-11-20 13:00', spend: 15 },
    { at: '2026-11-20 14:05', spend: 16 },
  ];

  it('are off by default', () => {
    expect(run(steps).out.flat()).toEqual(['home 2026-11-20 exceeded#1']);
  });

  it('come every interval while exceeded, each with how long it has been exceeded', () => {
    const { out } = run(steps, { reminderEveryMs: 2 * HOUR });
    expect(out).toEqual([
      ['home 2026-11-20 exceeded#1'],
      [],
      ['home 2026-11-20 reminder#1'],
      [],
      ['home 2026-11-20 reminder#2'],
    ]);
    let state = freshAlertMachineState();
    const fors: (number | undefined)[] = [];
    for (const s of steps) {
      const step = stepAlerts(state, observation(s), { reminderEveryMs: 2 * HOUR });
      state = step.state;
      fors.push(...step.transitions.filter((t) => t.kind === 'reminder').map((t) => t.exceededForMs));
    }
    expect(fors).toEqual([2 * HOUR, 4 * HOUR + 5 * 60_000]);
  });

  it('stop with the recovery and start over with the next exceeded', () => {
    const { out } = run(
      [
        { at: '2026-11-20 10:00', spend: 12 },
        { at: '2026-11-20 11:00', spend: 12, budget: 20 },
        { at: '2026-11-20 13:30', spend: 12, budget: 10 },
        { at: '2026-11-20 14:30', spend: 12, budget: 10 },
        { at: '2026-11-20 15:30', spend: 12, budget: 10 },
      ],
      { reminderEveryMs: 2 * HOUR },
    );
    expect(out).toEqual([
      ['home 2026-11-20 exceeded#1'],
      ['home 2026-11-20 recovered#1'],
      ['home 2026-11-20 exceeded#2'],
      [],
      ['home 2026-11-20 reminder#1'],
    ]);
  });
});

describe('alert state machine: keys and scopes', () => {
  it('restarts between every run keep exactly one alert per transition', () => {
    const steps: Obs[] = [];
    for (let m = 0; m < 24 * 12; m++) {
      const h = String(Math.floor(m / 12)).padStart(2, '0');
      const min = String((m % 12) * 5).padStart(2, '0');
      steps.push({ at: `2026-11-20 ${h}:${min}`, spend: m * 0.05 });
    }
    expect(run(steps).out.flat()).toEqual(['home 2026-11-20 warning#1', 'home 2026-11-20 exceeded#1']);
  });

  it('scopes and period kinds are independent', () => {
    const month: Period = {
      kind: 'month',
      id: '2026-11',
      startMs: Date.parse('2026-11-01T00:00:00Z'),
      endMs: Date.parse('2026-12-01T00:00:00Z'),
    };
    const { out } = run([
      { at: '2026-11-20 10:00', spend: 12, scope: 'home' },
      { at: '2026-11-20 10:00', spend: 8.5, scope: 'vps' },
      { at: '2026-11-20 10:00', spend: 12, scope: 'home', budget: 100, period: month },
      { at: '2026-11-20 10:05', spend: 12, scope: 'home' },
      { at: '2026-11-21 10:00', spend: 0, scope: 'vps' },
    ]);
    expect(out).toEqual([['home 2026-11-20 exceeded#1'], ['vps 2026-11-20 warning#1'], [], [], []]);
  });

  it('keeps only the newest periods of each scope', () => {
    const steps: Obs[] = ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'].map((d) => ({
      at: `${d} 10:00`,
      spend: 1,
    }));
    const { state } = run([...steps, { at: '2026-11-22 10:00', spend: 1, scope: 'vps' }], { keepPeriods: 3 });
    expect(state.periods.map((p) => `${p.scope} ${p.period.id}`)).toEqual([
      'home 2026-11-20',
      'home 2026-11-21',
      'home 2026-11-22',
      'vps 2026-11-22',
    ]);
  });

  it('does not change the state it was given', () => {
    const first = stepAlerts(freshAlertMachineState(), observation({ at: '2026-11-20 10:00', spend: 8.5 }));
    const before = structuredClone(first.state);
    stepAlerts(first.state, observation({ at: '2026-11-20 11:00', spend: 12 }));
    expect(first.state).toEqual(before);
  });
});
