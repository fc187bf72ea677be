// `doctor` on a local setup (no node_exporter: that is the system suite's job).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { runInProcess } from '../support/in-process.js';
import { sampleState, tempDir } from '../support/sample.js';

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; fix?: string }[];
}

function setup() {
  const dir = tempDir('ocb-doctor-');
  const gateway = sampleState(join(dir, 'openclaw'), [{ at: new Date(Date.now() - 60_000).toISOString(), cost: 0.5 }]);
  mkdirSync(join(dir, 'textfile'));
  const config = (over: Record<string, unknown> = {}) => {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        stateDir: join(dir, 'state'),
        textfileDir: join(dir, 'textfile'),
        flagFile: join(dir, 'flag'),
        gateways: [{ name: 'home', path: gateway }],
        ...over,
      }),
    );
    return path;
  };
  return { dir, config };
}

const doctor = async (args: string[]) => {
  const r = await runInProcess(['doctor', '--json', ...args]);
  return { code: r.status, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
};
const status = (r: Report, name: string) => r.checks.find((c) => c.name === name)?.status;

describe('doctor', () => {
  it('passes a working local setup and names the gateway with its newest transcript', async () => {
    const { config } = setup();
    const { code, report } = await doctor(['--config', config()]);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'gateway home')?.detail).toMatch(
      /^1 transcript, newest written \d+ s ago \(readable\)$/,
    );
    for (const name of ['config', 'state dir', 'textfile dir', 'flag file', 'pricing'])
      expect(status(report, name)).toBe('pass');
  });

  it('fails, with a fix, on an invalid config', async () => {
    const { config } = setup();
    const { code, report } = await doctor(['--config', config({ maxDailyUsd: 'lots' })]);
    expect(code).toBe(1);
    expect(report.checks[0]).toMatchObject({ name: 'config', status: 'fail' });
    expect(report.checks[0]?.detail).toContain('maxDailyUsd');
  });

  it('fails on a gateway without data and on a state dir that cannot be created', async () => {
    const { dir, config } = setup();
    writeFileSync(join(dir, 'a-file'), '');
    mkdirSync(join(dir, 'empty', 'agents'), { recursive: true });
    const { code, report } = await doctor([
      '--config',
      config({ stateDir: join(dir, 'a-file', 'state'), gateways: [{ name: 'empty', path: join(dir, 'empty') }] }),
    ]);
    expect(code).toBe(1);
    expect(status(report, 'state dir')).toBe('fail');
    expect(report.checks.find((c) => c.name === 'gateway empty')).toMatchObject({
      status: 'fail',
      detail: 'reachable, but no transcripts found',
    });
  });

  it('fails on models in the ledger that have no price', async () => {
    const { dir, config } = setup();
    const mystery = sampleState(join(dir, 'mystery'), [
      { at: new Date(Date.now() - 60_000).toISOString(), provider: 'acme', model: 'mystery-1' },
    ]);
    const path = config({ gateways: [{ name: 'm', path: mystery }] });
    expect((await runInProcess(['check', '--config', path, '--quiet'])).status).toBe(0);
    const { code, report } = await doctor(['--config', path]);
    expect(code).toBe(1);
    expect(report.checks.find((c) => c.name === 'pricing')?.detail).toBe(
      'no price for acme/mystery-1 (1 call): they are counted as $0',
    );
  });

  it('prints PASS/FAIL lines with fixes, without colours when not on a terminal', async () => {
    const { dir, config } = setup();
    const r = runCli(['doctor', '--config', config({ textfileDir: join(dir, 'nope') })]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}textfile dir +.*nope does not exist$/m);
    expect(r.stdout).toMatch(/^ +fix: create it \(mkdir -p .*nope\)/m);
    expect(r.stdout).toMatch(/^PASS {2}config /m);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
});
