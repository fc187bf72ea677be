// The monitoring kit through Prometheus's own tool: the rules check and pass their unit tests, and every
// dashboard query parses. (The metrics file itself is checked in metrics.test.ts.)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { tempDir } from '../support/sample.js';
import { PROMTOOL, requireBinary } from './support/servers.js';

function promtool(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(requireBinary(PROMTOOL, 'prometheus'), args, { encoding: 'utf8', ...opts });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const MONITORING = join(ROOT, 'monitoring');

describe('promtool', () => {
  it('check rules accepts the alert rules', () => {
    const r = promtool(['check', 'rules', 'openclaw-budget.rules.yml'], { cwd: MONITORING });
    expect(r.output).toContain('SUCCESS: 7 rules found');
    expect(r.status).toBe(0);
  });

  it('test rules passes the rule unit tests', () => {
    const r = promtool(['test', 'rules', 'openclaw-budget.rules.test.yml'], { cwd: MONITORING });
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('test rules fails when a rule is broken (so the test above can fail)', () => {
    const dir = tempDir('ocb-promtool-');
    const rules = readFileSync(join(MONITORING, 'openclaw-budget.rules.yml'), 'utf8').replace('> 900', '> 9000');
    writeFileSync(join(dir, 'openclaw-budget.rules.yml'), rules);
    writeFileSync(
      join(dir, 'openclaw-budget.rules.test.yml'),
      readFileSync(join(MONITORING, 'openclaw-budget.rules.test.yml')),
    );
    const r = promtool(['test', 'rules', 'openclaw-budget.rules.test.yml'], { cwd: dir });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('alertname: OpenClawBudgetCheckStale');
  });

  it('every dashboard query is valid PromQL (checked as recording rules)', () => {
    const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const exprs = dashboard.panels
      .flatMap((p) => p.targets ?? [])
      .map((t) => t.expr.replace(/\$(instance|gateway)/g, '.*'));
    expect(exprs.length).toBeGreaterThan(10);
    const dir = tempDir('ocb-promql-');
    const yaml = `groups:\n  - name: dashboard\n    rules:\n${exprs.map((e, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`;
    writeFileSync(join(dir, 'dashboard.rules.yml'), yaml);
    const r = promtool(['check', 'rules', join(dir, 'dashboard.rules.yml')]);
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
  });
});
