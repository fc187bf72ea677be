// The alert step of a check: the state machine decides, the transitions are saved as pending deliveries before
// anything is sent, the channels deliver, and what failed stays pending for the next run.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { alertEvent } from '../budget/alert-event.js';
import {
  type AlertMachineState,
  AlertMachineStateSchema,
  freshAlertMachineState,
  stepAlerts,
  type Transition,
} from '../budget/alert-machine.js';
import { periodAt } from '../budget/day.js';
import type { BudgetEvaluation } from '../budget/period.js';
import type { Config } from '../config/schema.js';
import { inlineSecretWarnings } from '../config/secrets.js';
import { readJsonState, writeJsonState } from '../ledger/json-state.js';
import type { ModelTotal } from '../ledger/totals.js';
import type { Env } from '../shared/env.js';
import { errorMessage } from '../shared/errors.js';
import {
  type ChannelName,
  type Clock,
  deliver,
  type PendingDelivery,
  PendingDeliverySchema,
  realClock,
} from '../sinks/delivery.js';
import type { HookRunner, Log } from '../sinks/hooks.js';
import { alertChannels, closeChannels } from './alert-channels.js';

export const ALERT_STATE_FILE = 'alerts.json';

export const AlertFileSchema = z.object({
  version: z.literal(1),
  machine: AlertMachineStateSchema,
  /** Deliveries not yet made, oldest first; sent on the next run. */
  pending: z.array(PendingDeliverySchema),
});
export type AlertFile = z.infer<typeof AlertFileSchema>;

const freshAlertFile = (): AlertFile => ({ version: 1, machine: freshAlertMachineState(), pending: [] });

/** More than this many undelivered alerts per channel: the oldest are dropped (and said so). */
const MAX_PENDING_PER_CHANNEL = 100;

export interface AlertStageInput {
  config: Config;
  configPath?: string;
  env: Env;
  warn: Log;
  /** Hook output, line by line (default: `warn`). */
  info?: Log;
  stateDir: string;
  nowMs: number;
  timezone: string;
  /** Every budget evaluated in this run (the day's, the month's when set): one alert series each. */
  budgets: readonly BudgetEvaluation[];
  /** The gateways read (named in messages). */
  gateways: string[];
  /** Today's models and unpriced calls (listed in the day's messages). */
  models: readonly ModelTotal[];
  unpricedCalls: number;
  /** The run's one forecast, by period kind: what the messages quote as "projected" (the figures `check` prints). */
  projections: { day: number; month: number };
  /** Every source was read. */
  complete: boolean;
  clock?: Clock;
  hookRunner?: HookRunner;
}

export interface AlertReport {
  /** Transitions this run, e.g. "exceeded 2026-11-20". */
  transitions: string[];
  sent: { channel: ChannelName; kind: string; day: string; receipt: string }[];
  pending: { channel: ChannelName; kind: string; day: string; attempts: number; error: string }[];
  hookFailures: string[];
}

export interface AlertStageResult {
  report: AlertReport;
  /** Problems that make the check's exit status 1. */
  errors: string[];
}

function capPending(pending: PendingDelivery[], warn: Log): PendingDelivery[] {
  const out: PendingDelivery[] = [];
  const byChannel = new Map<ChannelName, PendingDelivery[]>();
  for (const p of pending) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p]);
  for (const [channel, items] of byChannel) {
    const drop = items.length - MAX_PENDING_PER_CHANNEL;
    if (drop > 0)
      warn(
        `dropped the ${drop} oldest undelivered alert(s) for ${channel}: more than ${MAX_PENDING_PER_CHANNEL} were waiting; fix the channel (see the errors above)`,
      );
    out.push(...items.slice(Math.max(0, drop)));
  }
  return out;
}

/** Step the machine once per budget; a failed run changes nothing. */
function stepBudgets(
  machine: AlertMachineState,
  input: AlertStageInput,
): { machine: AlertMachineState; transitions: Transition[] } {
  const reminderHours = input.config.alerts.reminderHours;
  const policy = reminderHours === undefined ? {} : { reminderEveryMs: reminderHours * 3_600_000 };
  const transitions: Transition[] = [];
  for (const b of input.budgets) {
    const p = periodAt(b.period, input.nowMs, input.timezone);
    const step = stepAlerts(
      machine,
      {
        scope: b.scope,
        period: { kind: b.period, id: b.periodKey, startMs: p.start, endMs: p.end },
        spendUsd: b.spendUsd,
        budgetUsd: b.budgetUsd,
        status: b.status,
        complete: input.complete,
        nowMs: input.nowMs,
      },
      policy,
    );
    machine = step.state;
    transitions.push(...step.transitions);
  }
  return { machine, transitions };
}

/** Never throws: a broken alert step must not cost the metrics and the flag file. */
export async function runAlertStage(input: AlertStageInput): Promise<AlertStageResult> {
  try {
    return await alertStage(input);
  } catch (err) {
    const report: AlertReport = { transitions: [], sent: [], pending: [], hookFailures: [] };
    return { report, errors: [`alerts: ${errorMessage(err)}`] };
  }
}

async function alertStage(input: AlertStageInput): Promise<AlertStageResult> {
  const { config, warn } = input;
  for (const w of await inlineSecretWarnings(input.configPath, config)) warn(w);
  const path = join(input.stateDir, ALERT_STATE_FILE);
  const file = await readJsonState(path, AlertFileSchema, freshAlertFile, warn);
  const step = stepBudgets(file.machine, input);
  const channels = alertChannels(config, input.env, warn, input.hookRunner, input.info);
  const host = hostname();
  const events = step.transitions.map((t) =>
    alertEvent(t, {
      timezone: input.timezone,
      gateways: input.gateways,
      host,
      warnAt: config.warnAt,
      // Only the day's models are at hand: a month's message lists none rather than the wrong ones.
      models: t.period.kind === 'day' ? input.models : [],
      topModels: config.alerts.topModels,
      unpricedCalls: t.period.kind === 'day' ? input.unpricedCalls : 0,
      projectedUsd:
        t.period.kind === 'day'
          ? input.projections.day
          : t.period.kind === 'month'
            ? input.projections.month
            : undefined,
    }),
  );
  const report: AlertReport = {
    transitions: events.map((e) => `${e.kind} ${e.period.id}`),
    sent: [],
    pending: [],
    hookFailures: [],
  };

  let pending = file.pending.filter((p) => {
    if (channels.all.has(p.channel)) return true;
    warn(
      `dropped an undelivered ${p.event.kind} alert for ${p.event.period.id}: the ${p.channel} channel is no longer configured`,
    );
    return false;
  });
  for (const event of events) {
    for (const channel of channels.all.values())
      if (channel.accepts(event)) pending.push({ channel: channel.name, event, attempts: 0 });
  }
  pending = capPending(pending, warn);

  // Saved before sending: a run killed mid-send resends next time, and the same idempotency key keeps it single.
  const errors: string[] = [];
  try {
    await writeJsonState(path, { version: 1, machine: step.machine, pending } satisfies AlertFile);
  } catch (err) {
    errors.push(`alert state ${path}: ${errorMessage(err)}; nothing was sent (check that the state dir is writable)`);
    return { report, errors };
  }
  if (pending.length === 0) return { report, errors };

  const clock = input.clock ?? realClock;
  const result = await deliver(pending, channels.all, {
    deadline: clock.now() + config.alerts.timeoutSeconds * 1000,
    clock,
    late: (ev) => ev.at !== input.nowMs,
  });
  await closeChannels(channels);
  report.hookFailures = channels.hooks?.failures ?? [];
  report.sent = result.sent.map((s) => ({
    channel: s.item.channel,
    kind: s.item.event.kind,
    day: s.item.event.period.id,
    receipt: s.receipt,
  }));
  report.pending = result.left.map((p) => ({
    channel: p.channel,
    kind: p.event.kind,
    day: p.event.period.id,
    attempts: p.attempts,
    error: p.lastError ?? 'not tried: an earlier alert to this channel failed',
  }));
  for (const p of report.pending) {
    errors.push(
      `${p.kind} alert for ${p.day} not delivered to ${p.channel}: ${p.error}; kept pending in ${path}, the next check sends it`,
    );
  }
  try {
    await writeJsonState(path, { version: 1, machine: step.machine, pending: result.left } satisfies AlertFile);
  } catch (err) {
    errors.push(
      `alert state ${path}: ${errorMessage(err)}; alerts already sent may be sent again (same idempotency key)`,
    );
  }
  return { report, errors };
}
