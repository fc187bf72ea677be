// The alert state machine: ok -> warning -> exceeded -> recovered, one transition per change, per scope and
// budget period. Pure: the caller loads and saves the state and sends what the transitions say.
import { z } from 'zod';
import { byCodeUnit } from '../shared/strings.js';
import { type BudgetStatus, BudgetStatusSchema } from './status.js';

export const AlertKindSchema = z.enum(['warning', 'exceeded', 'recovered', 'reminder']);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** A budget period: a local day today; a month or week would be another `kind`. Ids sort by time within a kind. */
export const PeriodSchema = z.object({
  kind: z.string(),
  id: z.string(),
  startMs: z.number(),
  endMs: z.number(),
});
export type Period = z.infer<typeof PeriodSchema>;

const CountsSchema = z.object({
  warning: z.number(),
  exceeded: z.number(),
  recovered: z.number(),
  reminder: z.number(),
});

/** What the machine remembers about one (scope, period kind, period id). */
export const PeriodStateSchema = z.object({
  scope: z.string(),
  period: PeriodSchema,
  level: BudgetStatusSchema,
  /** The last figures seen, for the message when a new period ends this one. */
  spendUsd: z.number(),
  budgetUsd: z.number(),
  exceededSince: z.number().optional(),
  /** Last exceeded or reminder alert, for the reminder interval. */
  lastExceededAlertAt: z.number().optional(),
  /** Transitions of each kind so far: makes every transition's key unique. */
  counts: CountsSchema,
});
export type PeriodState = z.infer<typeof PeriodStateSchema>;

export const AlertMachineStateSchema = z.object({ periods: z.array(PeriodStateSchema) });
export type AlertMachineState = z.infer<typeof AlertMachineStateSchema>;

export const freshAlertMachineState = (): AlertMachineState => ({ periods: [] });

export interface Observation {
  scope: string;
  period: Period;
  spendUsd: number;
  budgetUsd: number;
  /** The budget's status at this spend (see budgetStatus). */
  status: BudgetStatus;
  /** False when a source could not be read: the spend may be understated, so nothing changes. */
  complete: boolean;
  nowMs: number;
}

export interface AlertPolicy {
  /** While exceeded, alert again this often; undefined: never. */
  reminderEveryMs?: number;
  /** Periods kept per scope and kind (older ones are forgotten). */
  keepPeriods?: number;
}

export interface Transition {
  kind: AlertKind;
  scope: string;
  period: Period;
  /** 1 for the first transition of this kind in this scope and period, then 2, ... */
  occurrence: number;
  atMs: number;
  from: BudgetStatus;
  to: BudgetStatus;
  spendUsd: number;
  budgetUsd: number;
  exceededSince?: number;
  /** Recovered and reminder: how long spend has been (or was) at or over the budget. */
  exceededForMs?: number;
  /** Recovered because a new period began (the figures are the ended period's last ones). */
  periodEnded?: boolean;
}

export interface Step {
  state: AlertMachineState;
  transitions: Transition[];
}

const DEFAULT_KEEP = 3;

const sameSeries = (p: PeriodState, o: Observation) => p.scope === o.scope && p.period.kind === o.period.kind;

function fresh(o: Observation): PeriodState {
  return {
    scope: o.scope,
    period: o.period,
    level: 'ok',
    spendUsd: 0,
    budgetUsd: o.budgetUsd,
    counts: { warning: 0, exceeded: 0, recovered: 0, reminder: 0 },
  };
}

function transition(
  p: PeriodState,
  kind: AlertKind,
  to: BudgetStatus,
  atMs: number,
  extra: Partial<Transition> = {},
): Transition {
  p.counts[kind]++;
  return {
    kind,
    scope: p.scope,
    period: p.period,
    occurrence: p.counts[kind],
    atMs,
    from: p.level,
    to,
    spendUsd: p.spendUsd,
    budgetUsd: p.budgetUsd,
    ...(p.exceededSince !== undefined ? { exceededSince: p.exceededSince } : {}),
    ...extra,
  };
}

/** Earlier periods still exceeded: a new period under the budget recovers them; one over it just closes them. */
function closeEarlier(periods: PeriodState[], o: Observation, level: BudgetStatus): Transition[] {
  const out: Transition[] = [];
  for (const p of periods) {
    if (!sameSeries(p, o) || p.period.id >= o.period.id || p.level !== 'exceeded') continue;
    if (level !== 'exceeded') {
      const until = Math.min(o.nowMs, p.period.endMs);
      const extra = p.exceededSince === undefined ? {} : { exceededForMs: Math.max(0, until - p.exceededSince) };
      out.push(transition(p, 'recovered', 'ok', o.nowMs, { ...extra, periodEnded: true }));
    }
    p.level = 'ok';
    delete p.exceededSince;
  }
  return out;
}

function stepPeriod(p: PeriodState, o: Observation, level: BudgetStatus, policy: AlertPolicy): Transition[] {
  p.spendUsd = o.spendUsd;
  p.budgetUsd = o.budgetUsd;
  const out: Transition[] = [];
  if (level === 'exceeded' && p.level !== 'exceeded') {
    p.exceededSince = o.nowMs;
    p.lastExceededAlertAt = o.nowMs;
    out.push(transition(p, 'exceeded', level, o.nowMs));
  } else if (level === 'warning' && p.level === 'ok') {
    out.push(transition(p, 'warning', level, o.nowMs));
  } else if (level !== 'exceeded' && p.level === 'exceeded') {
    const extra = p.exceededSince === undefined ? {} : { exceededForMs: Math.max(0, o.nowMs - p.exceededSince) };
    out.push(transition(p, 'recovered', level, o.nowMs, extra));
    delete p.exceededSince;
    delete p.lastExceededAlertAt;
  } else if (
    level === 'exceeded' &&
    policy.reminderEveryMs !== undefined &&
    o.nowMs - (p.lastExceededAlertAt ?? o.nowMs) >= policy.reminderEveryMs
  ) {
    p.lastExceededAlertAt = o.nowMs;
    const extra = p.exceededSince === undefined ? {} : { exceededForMs: Math.max(0, o.nowMs - p.exceededSince) };
    out.push(transition(p, 'reminder', level, o.nowMs, extra));
  }
  // A budget raised from warning back to ok is silent; the level still follows, so a later rise alerts again.
  p.level = level;
  return out;
}

/** Keep the newest `keep` periods of each scope and kind. */
function prune(periods: PeriodState[], keep: number): PeriodState[] {
  const bySeries = new Map<string, PeriodState[]>();
  for (const p of periods) {
    const key = JSON.stringify([p.scope, p.period.kind]);
    bySeries.set(key, [...(bySeries.get(key) ?? []), p]);
  }
  return [...bySeries.values()].flatMap((ps) => ps.sort((a, b) => byCodeUnit(a.period.id, b.period.id)).slice(-keep));
}

export function stepAlerts(state: AlertMachineState, o: Observation, policy: AlertPolicy = {}): Step {
  if (!o.complete) return { state, transitions: [] };
  const periods: PeriodState[] = structuredClone(state.periods);
  const level = o.status;
  const transitions = closeEarlier(periods, o, level);
  let current = periods.find((p) => sameSeries(p, o) && p.period.id === o.period.id);
  if (!current) periods.push((current = fresh(o)));
  transitions.push(...stepPeriod(current, o, level, policy));
  return { state: { periods: prune(periods, policy.keepPeriods ?? DEFAULT_KEEP) }, transitions };
}
