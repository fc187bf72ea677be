// `alert test`: one test message through every configured message channel, with the real settings.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type AlertEvent, eventId } from '../budget/alert-event.js';
import { machineTimeZone } from '../budget/day.js';
import type { Config } from '../config/schema.js';
import { inlineSecretWarnings } from '../config/secrets.js';
import type { Env } from '../shared/env.js';
import { type ChannelName, type DeliveryOptions, deliver, realClock } from '../sinks/delivery.js';
import type { Log } from '../sinks/hooks.js';
import { alertChannels, closeChannels } from './alert-channels.js';

export interface ChannelTestResult {
  channel: ChannelName;
  ok: boolean;
  /** The receipt, or what went wrong and what to fix. */
  detail: string;
  attempts: number;
}

/** A test answers at once: one attempt per channel, a few seconds each, whatever the configured run budget. */
export const ALERT_TEST_TIMEOUT_MS = 4_000;

export function alertTestDelivery(nowMs: number): DeliveryOptions {
  return {
    deadline: nowMs + ALERT_TEST_TIMEOUT_MS,
    attemptTimeoutMs: ALERT_TEST_TIMEOUT_MS,
    maxAttempts: 1,
    clock: realClock,
    late: () => false,
  };
}

export function testEvent(config: Config, nowMs: number): AlertEvent {
  const host = hostname();
  const gateways = config.gateways.length ? config.gateways.map((g) => g.name) : ['local'];
  return {
    // Unique: every test should arrive, unlike a retried alert.
    id: eventId(['openclaw-budget', host, 'test', nowMs, randomBytes(4).toString('hex')]),
    kind: 'test',
    scope: 'all',
    gateways,
    host,
    period: {
      kind: 'day',
      id: new Date(nowMs).toISOString().slice(0, 10),
      timezone: config.timezone ?? machineTimeZone(),
    },
    at: nowMs,
    spendUsd: 0,
    budgetUsd: config.maxDailyUsd,
    warnAt: config.warnAt,
    percent: 0,
    topModels: [],
    unpricedCalls: 0,
  };
}

/** Matrix and the webhook; hooks are left out (they act, they do not notify). */
export async function runAlertTest(
  config: Config,
  env: Env,
  configPath: string | undefined,
  warn: Log,
): Promise<ChannelTestResult[]> {
  for (const w of await inlineSecretWarnings(configPath, config)) warn(w);
  const channels = alertChannels(config, env, warn);
  channels.all.delete('hook');
  const event = testEvent(config, Date.now());
  const items = [...channels.all.keys()].map((channel) => ({ channel, event, attempts: 0 }));
  const result = await deliver(items, channels.all, alertTestDelivery(Date.now()));
  await closeChannels(channels);
  return [
    ...result.sent.map((s) => ({
      channel: s.item.channel,
      ok: true,
      detail: s.receipt,
      attempts: s.item.attempts + 1,
    })),
    ...result.left.map((p) => ({
      channel: p.channel,
      ok: false,
      detail: p.lastError ?? 'not sent',
      attempts: p.attempts,
    })),
  ];
}
