// What an alert says: a transition plus the day's figures, as one self-contained event. Pure.
// The event is what every channel receives (Matrix renders it, the webhook posts it, hooks get it as
// environment variables) and what a pending delivery keeps in the state dir.
import { z } from 'zod';
import { AlertKindSchema, type Transition } from './alert-machine.js';

export const AlertEventKindSchema = z.enum([...AlertKindSchema.options, 'test']);
export type AlertEventKind = z.infer<typeof AlertEventKindSchema>;

export const AlertEventSchema = z.object({
  /** Idempotency key: Matrix transaction id, webhook Idempotency-Key. Unique per transition. */
  id: z.string(),
  kind: AlertEventKindSchema,
  /** Whose spend the budget covers ("all" gateways together). */
  scope: z.string(),
  gateways: z.array(z.string()),
  host: z.string(),
  period: z.object({ kind: z.string(), id: z.string(), timezone: z.string() }),
  /** When the transition was seen (epoch ms; the run's --now). */
  at: z.number(),
  spendUsd: z.number(),
  budgetUsd: z.number(),
  warnAt: z.number(),
  percent: z.number(),
  /** Spend by the end of the period at the rate so far; absent early in the period or after it ended. */
  projectedUsd: z.number().optional(),
  topModels: z.array(z.object({ provider: z.string(), model: z.string(), costUsd: z.number() })),
  unpricedCalls: z.number(),
  exceededSince: z.number().optional(),
  exceededForMs: z.number().optional(),
  /** Recovered because a new period began; the figures are the ended period's. */
  periodEnded: z.boolean().optional(),
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;

export interface PeriodFigures {
  timezone: string;
  gateways: string[];
  host: string;
  warnAt: number;
  /** Costliest first. */
  models: readonly { provider: string; model: string; costUsd: number }[];
  topModels: number;
  unpricedCalls: number;
  /** The run's forecast for the end of this period (the one `check` prints), when there is one. */
  projectedUsd?: number;
}

export function eventId(parts: readonly (string | number)[]): string {
  return parts.map((p) => encodeURIComponent(String(p))).join(':');
}

export function alertEvent(t: Transition, f: PeriodFigures): AlertEvent {
  const ended = t.periodEnded === true;
  // Only for the period the run's forecast is about: a recovery by a new period reports the ended one.
  const projectedUsd = ended ? undefined : f.projectedUsd;
  return {
    id: eventId(['openclaw-budget', f.host, t.scope, t.period.kind, t.period.id, t.kind, t.occurrence]),
    kind: t.kind,
    scope: t.scope,
    gateways: f.gateways,
    host: f.host,
    period: { kind: t.period.kind, id: t.period.id, timezone: f.timezone },
    at: t.atMs,
    spendUsd: t.spendUsd,
    budgetUsd: t.budgetUsd,
    warnAt: f.warnAt,
    percent: t.budgetUsd > 0 ? (t.spendUsd / t.budgetUsd) * 100 : 0,
    ...(projectedUsd === undefined ? {} : { projectedUsd }),
    // The models of an ended period are not kept; the figures of the new one would mislead.
    topModels: ended
      ? []
      : f.models.slice(0, f.topModels).map((m) => ({ provider: m.provider, model: m.model, costUsd: m.costUsd })),
    unpricedCalls: ended ? 0 : f.unpricedCalls,
    ...(t.exceededSince === undefined ? {} : { exceededSince: t.exceededSince }),
    ...(t.exceededForMs === undefined ? {} : { exceededForMs: t.exceededForMs }),
    ...(ended ? { periodEnded: true } : {}),
  };
}
