// The monitoring kit uses exactly the metric names the tool writes and docs/metrics-and-monitoring.md documents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMetrics } from '../../src/sinks/metrics.js';
import { emptySkips } from '../../src/transcripts/parse.js';
import { ROOT } from '../support/cli.js';

const NODE_EXPORTER_METRICS = ['node_textfile_scrape_error'];
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const namesIn = (text: string) => new Set(text.match(/\b(?:openclaw_[a-z_]+|node_textfile_[a-z_]+)\b/g) ?? []);

/** The metric names in the Metrics table of docs/metrics-and-monitoring.md. */
function documented(): Set<string> {
  const readme = read('docs/metrics-and-monitoring.md');
  const section = readme.slice(readme.indexOf('## Metrics'), readme.indexOf('\n## ', readme.indexOf('## Metrics') + 1));
  return new Set([...section.matchAll(/^\| `(openclaw_[a-z_]+)/gm)].map((m) => m[1] as string));
}

/** The metric names the tool writes, with a last success so that every metric is present. */
function written(): Set<string> {
  const metrics = buildMetrics({
    totalCostUsd: 1,
    budgetUsd: 5,
    warnAt: 0.8,
    status: 'ok',
    byGateway: new Map(),
    sources: [
      {
        name: 'g',
        ok: true,
        bytesRead: 1,
        callsAdded: 1,
        skippedLines: emptySkips(),
        listingBytes: 1,
        durationSeconds: 1,
      },
    ],
    success: true,
    complete: true,
    lastSuccessSeconds: 1,
    runSeconds: 1,
    durationSeconds: 1,
  });
  return new Set(metrics.map((m) => m.name));
}

describe('monitoring kit', () => {
  const rules = read('monitoring/openclaw-budget.rules.yml');
  const dashboard = read('monitoring/grafana-dashboard.json');

  it('docs/metrics-and-monitoring.md documents every metric the tool writes', () => {
    expect([...written()].sort()).toEqual([...documented()].sort());
  });

  it('the alert rules and the dashboard use only documented metric names', () => {
    const known = new Set([...documented(), ...NODE_EXPORTER_METRICS]);
    for (const name of [...namesIn(rules), ...namesIn(dashboard)])
      expect(known, `${name} is not a documented metric`).toContain(name);
    for (const needed of [
      'openclaw_daily_cost_usd',
      'openclaw_budget_max_usd',
      'openclaw_budget_last_success_timestamp_seconds',
      'node_textfile_scrape_error',
    ]) {
      expect(namesIn(rules)).toContain(needed);
    }
  });

  it('has the alerts the runbook promises', () => {
    for (const a of [
      'OpenClawBudgetExceeded',
      'OpenClawBudgetWarning',
      'OpenClawBudgetCheckStale',
      'OpenClawBudgetCheckFailing',
      'OpenClawBudgetTextfileScrapeError',
      'OpenClawBudgetUnpricedCalls',
    ]) {
      expect(rules).toContain(`- alert: ${a}\n`);
    }
  });

  it('the dashboard is valid Grafana JSON with spend vs budget, per-model cost, tokens, calls, burn rate and check health', () => {
    const d = JSON.parse(dashboard) as {
      uid: string;
      panels: { id: number; type: string; title: string; targets?: { expr: string }[] }[];
    };
    expect(d.uid).toBe('openclaw-budget');
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byTitle = new Map(d.panels.map((p) => [p.title, p]));
    for (const t of [
      'Spend today vs budget',
      'Cost per model',
      'Tokens by type',
      'Calls per model',
      'Burn rate (USD per hour)',
      'Last successful check',
      'Gateways up',
    ]) {
      expect(byTitle.get(t)?.targets?.length, t).toBeGreaterThan(0);
    }
    for (const p of d.panels.filter((x) => x.type !== 'row'))
      expect(
        p.targets?.every((t) => t.expr.length > 0),
        p.title,
      ).toBe(true);
  });
});
