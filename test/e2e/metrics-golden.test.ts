// The whole metrics file, pinned: `check` over the shipped sample (fixtures/openclaw-state) at a fixed instant, with
// every kind of metric switched on, compared byte for byte with test/e2e/golden/openclaw_budget.prom (the style of
// node_exporter's own collector fixtures). Any change to a metric's name, help, labels, order or value shows up as a
// diff of that file in review. After an intended change, regenerate it and commit the diff:
//   npx vitest run test/e2e/metrics-golden.test.ts -u
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PROM_FILE } from '../../src/sinks/prom.js';
import { cleanEnv, ROOT, type Run } from '../support/cli.js';
import { runInProcess } from '../support/in-process.js';
import { tempDir } from '../support/sample.js';

const FIXTURE = join(ROOT, 'fixtures', 'openclaw-state');
// Prices pinned here (USD per 1M tokens) for every priced model of the sample, so that an update of the shipped table
// does not move the file: it pins what the metrics are, not what the models cost this month.
const PRICES = {
  'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'anthropic/claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic/claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'anthropic/claude-opus-4-6': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'openai/gpt-5.2': { input: 1.75, output: 14, cacheRead: 0.175, cacheWrite: 0 },
  'openai/gpt-5.2-codex': { input: 1.75, output: 14, cacheRead: 0.175, cacheWrite: 0 },
  'zai/glm-4.7': { input: 0.6, output: 2.2, cacheRead: 0.11, cacheWrite: 0 },
  'google/gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0 },
};

describe('the metrics file', () => {
  let run: Run;
  let prom: string;

  beforeAll(async () => {
    const work = tempDir('ocb-golden-');
    const pricing = join(work, 'prices.json');
    writeFileSync(pricing, JSON.stringify({ models: PRICES }));
    const config = join(work, 'config.json');
    // A monthly budget and window limits, so that every metric the tool can write is written.
    writeFileSync(
      config,
      JSON.stringify({
        maxDailyUsd: 2,
        pricing: { file: pricing, mode: 'calculate' },
        maxMonthlyUsd: 30,
        windows: {
          limits: [
            { window: '5h', usd: 1 },
            { window: '7d', tokens: 5_000_000, provider: 'anthropic' },
          ],
        },
      }),
    );
    // The wall clock (last run, last success) and the stopwatch (durations) stand still, so every value is fixed.
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: Date.parse('2026-11-20T22:50:07Z') });
    try {
      const args = [
        'check',
        '--config',
        config,
        '--source',
        FIXTURE,
        '--state-dir',
        join(work, 'state'),
        '--textfile-dir',
        work,
      ];
      run = await runInProcess(
        [...args, '--now', '2026-11-20T22:50:00Z', '--timezone', 'Europe/Rome', '--no-alert', '--quiet'],
        cleanEnv(),
      );
    } finally {
      vi.useRealTimers();
    }
    prom = readFileSync(join(work, PROM_FILE), 'utf8');
  });

  it('matches the golden file for the sample state dir', async () => {
    expect(run.stderr).toMatch(/^openclaw-budget: 2026-11-20 .*exceeded/);
    expect(run.status).toBe(0);
    await expect(prom).toMatchFileSnapshot('golden/openclaw_budget.prom');
  });

  it('names every metric openclaw_budget_*, but the three the old script exported', () => {
    const names = [...prom.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !n.startsWith('openclaw_budget_'))).toEqual(['openclaw_daily_cost_usd']);
    expect(names).toEqual(expect.arrayContaining(['openclaw_budget_max_usd', 'openclaw_budget_exceeded']));
  });
});
