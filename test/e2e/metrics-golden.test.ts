// The whole metrics file, pinned: `check` over the shipped sample (fixtures/openclaw-state) at a fixed instant, with
// every kind of metric switched on, compared byte for byte with test/e2e/golden/openclaw_budget.prom (the style of
// node_exporter's own collector fixtures). Any change to a metric's name, help, labels, order or value shows up as a
// diff of that file in review. After an intended change, regenerate it and commit the diff:
//   npx vitest run -u test/e2e/metrics-golden.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PROM_FILE } from '../../src/sinks/prom.js';
import { cleanEnv, ROOT, type Run } from '../support/cli.js';
import { runInProcess } from '../support/in-process.js';
import { tempDir } from '../support/sample.js';

const FIXTURE = join(ROOT, 'fixtures', 'openclaw-state');

describe('the metrics file', () => {
  let run: Run;
  let prom: string;

  beforeAll(async () => {
    const work = tempDir('ocb-golden-');
    const config = join(work, 'config.json');
    // A monthly budget and window limits, so that every metric the tool can write is written.
    writeFileSync(
      config,
      JSON.stringify({
        maxDailyUsd: 2,
        maxMonthlyUsd: 30,
        windows: { limits: [{ window: '5h', usd: 1 }, { window: '7d', tokens: 5_000_000, provider: 'anthropic' }] },
      }),
    );
    // The wall clock (last run, last success) and the stopwatch (durations) stand still, so every value is fixed.
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: Date.parse('2026-11-20T22:50:07Z') });
    try {
      const args = ['check', '--config', config, '--source', FIXTURE, '--state-dir', join(work, 'state'), '--textfile-dir', work];
      run = await runInProcess([...args, '--now', '2026-11-20T22:50:00Z', '--timezone', 'Europe/Rome', '--no-alert', '--quiet'], cleanEnv());
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
