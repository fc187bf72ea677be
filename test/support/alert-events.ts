import type { AlertEvent } from '../../src/budget/alert-event.js';

/** An exceeded alert on 2026-11-20 (UTC) with plausible figures. */
export function sampleEvent(over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: 'openclaw-budget:host1:home:day:2026-11-20:exceeded:1',
    kind: 'exceeded',
    scope: 'home',
    gateways: ['home'],
    host: 'host1',
    period: { kind: 'day', id: '2026-11-20', timezone: 'UTC' },
    at: Date.parse('2026-11-20T15:00:00Z'),
    spendUsd: 6.25,
    budgetUsd: 5,
    warnAt: 0.8,
    percent: 125,
    projectedUsd: 10,
    topModels: [
      { provider: 'anthropic', model: 'claude-opus-4-5', costUsd: 5 },
      { provider: 'openai', model: 'gpt-5.2', costUsd: 1.25 },
    ],
    unpricedCalls: 0,
    exceededSince: Date.parse('2026-11-20T15:00:00Z'),
    ...over,
  };
}
