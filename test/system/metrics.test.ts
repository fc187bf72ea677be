import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runCli } from '../support/cli.js';
import { promtoolCheckMetrics, type Running, startNodeExporter } from './support/servers.js';

let work: string;
let textfiles: string;
let exporter: Running & { scrape(): Promise<string> };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocb-sys-metrics-'));
  textfiles = join(work, 'textfile');
  const r = runCli(
    [
      'check',
      '--source',
      join(ROOT, 'fixtures', 'openclaw-state'),
      '--state-dir',
      join(work, 'state'),
      '--textfile-dir',
      textfiles,
      '--now',
      '2026-11-20T21:30:00Z',
      '--timezone',
      'Europe/Rome',
      '--max-daily-usd',
      '2',
      '--json',
    ],
    cleanEnv(),
  );
  expect(r.status, r.stderr).toBe(0);
  exporter = await startNodeExporter(textfiles);
});

afterAll(async () => {
  await exporter?.stop();
});

describe('the .prom file with real Prometheus tools', () => {
  it('passes promtool check metrics with no warnings', () => {
    const out = promtoolCheckMetrics(readFileSync(join(textfiles, 'openclaw_budget.prom'), 'utf8'));
    expect(out.trim()).toBe('');
  });

  it('the golden file (every metric the tool can write) passes promtool check metrics with no warnings', () => {
    const out = promtoolCheckMetrics(readFileSync(join(ROOT, 'test', 'e2e', 'golden', 'openclaw_budget.prom'), 'utf8'));
    expect(out.trim()).toBe('');
  });

  it('is served by node_exporter with the figures of the check', async () => {
    const summary = JSON.parse(
      runCli([
        'check',
        '--json',
        '--source',
        join(ROOT, 'fixtures', 'openclaw-state'),
        '--state-dir',
        join(work, 'state'),
        '--textfile-dir',
        textfiles,
        '--now',
        '2026-11-20T21:30:00Z',
        '--timezone',
        'Europe/Rome',
        '--max-daily-usd',
        '2',
      ]).stdout,
    ) as { totalCostUsd: number; models: { provider: string; model: string; calls: number; costUsd: number }[] };
    const body = await exporter.scrape();
    expect(body).toMatch(/^node_textfile_scrape_error 0$/m);
    const value = (series: string) => {
      const line = body.split('\n').find((l) => l.startsWith(`${series} `));
      if (!line) throw new Error(`${series} not served:\n${body}`);
      return Number(line.slice(series.length + 1));
    };
    expect(value('openclaw_daily_cost_usd')).toBeCloseTo(summary.totalCostUsd, 9);
    expect(value('openclaw_budget_max_usd')).toBe(2);
    expect(value('openclaw_budget_exceeded')).toBe(summary.totalCostUsd >= 2 ? 1 : 0);
    expect(value('openclaw_budget_check_success')).toBe(1);
    const opus = summary.models.find((m) => m.provider === 'anthropic' && m.model === 'claude-opus-4-5')!;
    expect(
      value(`openclaw_budget_daily_model_calls{gateway="local",model="claude-opus-4-5",provider="anthropic"}`),
    ).toBe(opus.calls);
    expect(body).toMatch(
      /openclaw_budget_daily_model_tokens\{gateway="local",model="qwen3:8b",provider="ollama",type="cache_read"\} \d+/,
    );
  });
});
