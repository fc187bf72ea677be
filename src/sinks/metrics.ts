// What openclaw-budget exports, built from one check's results. Pure.
import type { BudgetStatus } from '../budget/status.js';
import type { Totals } from '../ledger/totals.js';
import type { SkipCounts } from '../transcripts/parse.js';
import type { Metric, Sample } from './prom.js';

export interface SourceMetrics {
  name: string;
  ok: boolean;
  bytesRead: number;
  callsAdded: number;
  /** Bytes of remote listing output (SSH sources): what a tick with no new data costs. */
  listingBytes: number;
  durationSeconds: number;
  skippedLines: SkipCounts;
}

export interface MetricsInput {
  totalCostUsd: number;
  budgetUsd: number;
  warnAt: number;
  status: BudgetStatus;
  /** Today's totals per gateway. */
  byGateway: ReadonlyMap<string, Totals>;
  sources: readonly SourceMetrics[];
  success: boolean;
  /** Every source and file was read: the spend figures are the whole spend, not a lower bound. */
  complete: boolean;
  lastSuccessSeconds: number | undefined;
  runSeconds: number;
  durationSeconds: number;
  /** Alerts not yet delivered (kept for the next run); undefined when alerts are off. */
  alertsPending?: number;
  /** The price data in use. */
  prices?: { dataAgeSeconds: number; updateError?: string };
}

const STATUSES: readonly BudgetStatus[] = ['ok', 'warning', 'exceeded'];

export function buildMetrics(m: MetricsInput): Metric[] {
  const perModel = (f: (row: Totals['models'][number]) => Sample[]): Sample[] =>
    [...m.byGateway].flatMap(([gateway, t]) =>
      t.models.flatMap((row) =>
        f(row).map((s) => ({ ...s, labels: { gateway, provider: row.provider, model: row.model, ...s.labels } })),
      ),
    );
  const unpricedCalls = [...m.byGateway.values()].reduce(
    (n, t) => n + t.models.reduce((k, r) => k + r.unpricedCalls, 0),
    0,
  );
  const metrics: Metric[] = [
    {
      name: 'openclaw_daily_cost_usd',
      help: "Today's LLM spend in USD, all gateways and models.",
      type: 'gauge',
      samples: [{ value: m.totalCostUsd }],
    },
    {
      name: 'openclaw_budget_max_usd',
      help: 'The daily budget in USD.',
      type: 'gauge',
      samples: [{ value: m.budgetUsd }],
    },
    {
      name: 'openclaw_budget_exceeded',
      help: "1 while today's spend is at or over the daily budget, else 0.",
      type: 'gauge',
      samples: [{ value: m.status === 'exceeded' ? 1 : 0 }],
    },
    {
      name: 'openclaw_budget_warn_ratio',
      help: 'Fraction of the budget at which the status becomes warning.',
      type: 'gauge',
      samples: [{ value: m.warnAt }],
    },
    {
      name: 'openclaw_budget_status',
      help: 'Budget status: 1 for the current one of ok, warning, exceeded.',
      type: 'gauge',
      samples: STATUSES.map((s) => ({ labels: { status: s }, value: m.status === s ? 1 : 0 })),
    },
    {
      name: 'openclaw_budget_daily_model_cost_usd',
      help: "Today's spend in USD per gateway and model (unpriced calls count 0).",
      type: 'gauge',
      samples: perModel((r) => [{ labels: { billing: r.billing }, value: r.costUsd }]),
    },
    {
      name: 'openclaw_budget_daily_model_tokens',
      help: "Today's tokens per gateway, model and type (input excludes cache).",
      type: 'gauge',
      samples: perModel((r) => [
        { labels: { type: 'input' }, value: r.inputTokens },
        { labels: { type: 'output' }, value: r.outputTokens },
        { labels: { type: 'cache_read' }, value: r.cacheReadTokens },
        { labels: { type: 'cache_write' }, value: r.cacheWriteTokens },
      ]),
    },
    {
      name: 'openclaw_budget_daily_model_calls',
      help: "Today's model calls per gateway and model.",
      type: 'gauge',
      samples: perModel((r) => [{ value: r.calls }]),
    },
    {
      name: 'openclaw_budget_daily_model_unpriced_calls',
      help: "Today's calls per gateway and model that had no price (counted as 0 USD).",
      type: 'gauge',
      samples: perModel((r) => [{ value: r.unpricedCalls }]),
    },
    {
      name: 'openclaw_budget_daily_model_failed_calls',
      help: "Today's failed requests per gateway and model (no tokens, no cost; not in the calls count).",
      type: 'gauge',
      samples: perModel((r) => [{ value: r.failedCalls }]),
    },
    {
      name: 'openclaw_budget_price_drift_ratio',
      help: "OpenClaw's own cost of today's calls over their list price, minus 1, per gateway and model (beyond +-0.05 its model catalog is stale).",
      type: 'gauge',
      samples: perModel((r) => (r.drift === undefined ? [] : [{ value: r.drift }])),
    },
    {
      name: 'openclaw_budget_daily_unpriced_calls',
      help: "Today's calls with no price, all models; above 0 means spend is understated.",
      type: 'gauge',
      samples: [{ value: unpricedCalls }],
    },
    {
      name: 'openclaw_budget_complete',
      help: '1 if the last check read every source, file and ledger line; 0 if its spend figures are a lower bound.',
      type: 'gauge',
      samples: [{ value: m.complete ? 1 : 0 }],
    },
    {
      name: 'openclaw_budget_check_success',
      help: '1 if the last check read every source and wrote its outputs, else 0.',
      type: 'gauge',
      samples: [{ value: m.success ? 1 : 0 }],
    },
    {
      name: 'openclaw_budget_last_run_timestamp_seconds',
      help: 'Unix time of the last check, successful or not.',
      type: 'gauge',
      samples: [{ value: m.runSeconds }],
    },
    {
      name: 'openclaw_budget_check_duration_seconds',
      help: 'Wall time of the last check.',
      type: 'gauge',
      samples: [{ value: m.durationSeconds }],
    },
    {
      name: 'openclaw_budget_source_up',
      help: '1 if the gateway was read in the last check, else 0.',
      type: 'gauge',
      samples: m.sources.map((s) => ({ labels: { gateway: s.name }, value: s.ok ? 1 : 0 })),
    },
    {
      name: 'openclaw_budget_source_bytes_read',
      help: 'Transcript bytes read or transferred from the gateway in the last check.',
      type: 'gauge',
      samples: m.sources.map((s) => ({ labels: { gateway: s.name }, value: s.bytesRead })),
    },
    {
      name: 'openclaw_budget_source_listing_bytes',
      help: 'Bytes of remote file listing transferred from the gateway in the last check (SSH sources).',
      type: 'gauge',
      samples: m.sources.map((s) => ({ labels: { gateway: s.name }, value: s.listingBytes })),
    },
    {
      name: 'openclaw_budget_source_duration_seconds',
      help: 'Wall time spent reading the gateway in the last check, connection included.',
      type: 'gauge',
      samples: m.sources.map((s) => ({ labels: { gateway: s.name }, value: s.durationSeconds })),
    },
    {
      name: 'openclaw_budget_source_calls_added',
      help: 'Calls new to the ledger from the gateway in the last check.',
      type: 'gauge',
      samples: m.sources.map((s) => ({ labels: { gateway: s.name }, value: s.callsAdded })),
    },
    {
      name: 'openclaw_budget_skipped_lines',
      help: 'Transcript lines skipped in the last check, by reason (blank, malformed, oversize, partial, undated, implausible).',
      type: 'gauge',
      samples: m.sources.flatMap((s) =>
        Object.entries(s.skippedLines).map(([reason, n]) => ({ labels: { gateway: s.name, reason }, value: n })),
      ),
    },
  ];
  if (m.alertsPending !== undefined) {
    metrics.push({
      name: 'openclaw_budget_alerts_pending',
      help: 'Alert deliveries (Matrix, webhook, hooks) that failed and wait for the next run.',
      type: 'gauge',
      samples: [{ value: m.alertsPending }],
    });
  }
  metrics.push(
    {
      name: 'openclaw_budget_price_data_age_seconds',
      help: 'Age of the price catalog data in use (bundled or last updated); grows while updates fail.',
      type: 'gauge',
      samples: m.prices ? [{ value: m.prices.dataAgeSeconds }] : [],
    },
    {
      name: 'openclaw_budget_price_update_failed',
      help: '1 if the last price update attempt failed (the last good prices stay in use), else 0.',
      type: 'gauge',
      samples: m.prices ? [{ value: m.prices.updateError ? 1 : 0 }] : [],
    },
  );
  if (m.lastSuccessSeconds !== undefined) {
    metrics.push({
      name: 'openclaw_budget_last_success_timestamp_seconds',
      help: 'Unix time of the last check that read every source.',
      type: 'gauge',
      samples: [{ value: m.lastSuccessSeconds }],
    });
  }
  return metrics;
}
