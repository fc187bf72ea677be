// The monitoring kit through Prometheus's own tool: rules check and unit-test, every dashboard query parses,
// and the metrics file a real check writes is valid.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run, sampleState, tempDir } from '../e2e/cli.js';

function promtool(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync('promtool', args, { encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}): install Debian's prometheus package (see .ci/run)`);
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

const MONITORING = join(ROOT, 'monitoring');

describe('promtool', () => {
  it('check rules accepts the alert rules', () => {
    const r = promtool(['check', 'rules', 'openclaw-budget.rules.yml'], { cwd: MONITORING });
    expect(r.output).toContain('SUCCESS: 7 rules found');
    expect(r.code).toBe(0);
  });

  it('test rules passes the rule unit tests', () => {
    const r = promtool(['test', 'rules', 'openclaw-budget.rules.test.yml'], { cwd: MONITORING });
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('test rules fails when a rule is broken (so the test above can fail)', () => {
    const dir = tempDir('ocb-promtool-');
    const rules = readFileSync(join(MONITORING, 'openclaw-budget.rules.yml'), 'utf8').replace('> 900', '> 9000');
    writeFileSync(join(dir, 'openclaw-budget.rules.yml'), rules);
    writeFileSync(join(dir, 'openclaw-budget.rules.test.yml'), readFileSync(join(MONITORING, 'openclaw-budget.rules.test.yml')));
    const r = promtool(['test', 'rules', 'openclaw-budget.rules.test.yml'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('alertname: OpenClawBudgetCheckStale');
  });

  it('every dashboard query is valid PromQL (checked as recording rules)', () => {
    const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr.replace(/\$(instance|gateway)/g, '.*'));
    expect(exprs.length).toBeGreaterThan(10);
    const dir = tempDir('ocb-promql-');
    const yaml = `groups:\n  - name: dashboard\n    rules:\n${exprs.map((e, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`;
    writeFileSync(join(dir, 'dashboard.rules.yml'), yaml);
    const r = promtool(['check', 'rules', join(dir, 'dashboard.rules.yml')]);
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
  });

  it('check metrics accepts the file a real check writes, per-model series included', async () => {
    const dir = tempDir('ocb-promtool-');
    const source = sampleState(join(dir, 'openclaw'), [
      { at: '2026-11-20T10:00:00Z', cost: 1.5 },
      { at: '2026-11-20T11:00:00Z', provider: 'acme', model: 'x-1' },
    ]);
    const textfile = join(dir, 'textfile');
    const c = await run(['check', '--source', source, '--state-dir', join(dir, 'state'), '--textfile-dir', textfile, '--now', '2026-11-20T12:00:00Z', '--timezone', 'UTC', '--quiet']);
    expect(c.code).toBe(0);
    const text = readFileSync(join(textfile, 'openclaw_budget.prom'), 'utf8');
    expect(text).toContain('openclaw_daily_model_unpriced_calls{gateway="local",provider="acme",model="x-1"} 1');
    const r = promtool(['check', 'metrics'], { input: text });
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});
