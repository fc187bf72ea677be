// The daily look at `report` over the shipped sample (calls on 2026-11-19 and 2026-11-20, Europe/Rome): only days
// with spend by default, --empty, --last, today/yesterday, repeated --by, options that do not apply refused, ids
// shortened from the middle, one number format per column.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/sample.js';

const CLOCK = ['--now', '2026-11-20T22:50:00Z', '--timezone', 'Europe/Rome'];
const work = tempDir('ocb-report-daily-');
const state = join(work, 'state');
const env = (extra: Record<string, string> = {}) => cleanEnv({ HOME: join(work, 'home'), ...extra });
const report = (args: string[], extra: Record<string, string> = {}) =>
  runCli(['report', ...args, '--state-dir', state, ...CLOCK], env(extra));
const dayRows = (out: string) => out.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2} /.test(l));

beforeAll(() => {
  mkdirSync(join(work, 'home'));
  cpSync(join(ROOT, 'fixtures', 'openclaw-state'), join(work, 'home', '.openclaw'), { recursive: true });
  const r = runCli(['check', '--source', join(work, 'home', '.openclaw'), '--state-dir', state, ...CLOCK], env());
  expect(r.status).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('report for the daily look', () => {
  it('with no options lists only the days with spend; --empty lists every day of the range', () => {
    const plain = report([]);
    expect(plain.status).toBe(0);
    expect(dayRows(plain.stdout).map((l) => l.slice(0, 10))).toEqual(['2026-11-19', '2026-11-20']);
    const all = report(['--empty']);
    expect(dayRows(all.stdout)).toHaveLength(20);
    expect(all.stdout).toMatch(/^2026-11-01 +0 +0 .* \$0\.00/m);
    expect(JSON.parse(report(['--json']).stdout).rows.map((r: { day: string }) => r.day)).toEqual([
      '2026-11-19',
      '2026-11-20',
    ]);
  });

  it('--last counts days, ISO weeks or calendar months back from the last day, which it includes', () => {
    const since = (args: string[]) =>
      JSON.parse(report([...args, '--json']).stdout) as { since: string; until: string };
    expect(since(['--last', '3'])).toMatchObject({ since: '2026-11-18', until: '2026-11-20' });
    expect(since(['--last', '7d'])).toMatchObject({ since: '2026-11-14' });
    expect(since(['--last', '2w'])).toMatchObject({ since: '2026-11-09' });
    expect(since(['--last', '3m'])).toMatchObject({ since: '2026-09-01' });
    expect(since(['--last', '2', '--until', 'yesterday'])).toMatchObject({ since: '2026-11-18', until: '2026-11-19' });
    for (const bad of [
      ['--last', '0'],
      ['--last', '3y'],
      ['--last', '3', '--since', '2026-11-01'],
    ]) {
      const r = report(bad);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--last/);
    }
  });

  it('today and yesterday show that day by model', () => {
    const today = report(['today']);
    expect(today.stdout).toMatch(/^usage 2026-11-20 \.\. 2026-11-20 .* by model/);
    expect(today.stdout).toMatch(/^total .* \$2\.47/m);
    const yesterday = report(['yesterday', '--json']);
    const json = JSON.parse(yesterday.stdout) as {
      since: string;
      by: string[];
      totals: { costUsd: number; calls: number };
    };
    expect(json).toMatchObject({ since: '2026-11-19', by: ['model'], totals: { calls: 5 } });
  });

  it('repeated --by is merged, a repeated grouping refused', () => {
    expect(report(['--by', 'day', '--by', 'model']).stdout).toBe(report(['--by', 'day,model']).stdout);
    const twice = report(['--by', 'day', '--by', 'day']);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('--by: each grouping may appear once');
  });

  it('refuses options that do not apply to the view, saying what it takes', () => {
    const cases: [string[], RegExp][] = [
      [['windows', '--by', 'model'], /report windows: --by does not apply .*; it takes --gateway/],
      [['--limit', '3'], /report usage: --limit does not apply; it takes --by, --since/],
      [['sessions', '--by', 'day', '--empty'], /report sessions: --by, --empty do not apply/],
      [['today', '--since', '2026-11-01'], /report today: --since does not apply \(the range is today\)/],
    ];
    for (const [args, message] of cases) {
      const r = report(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('shortens session ids from the middle, so a fork keeps both its date and its uuid end', () => {
    const r = report(['sessions', '--limit', '20'], { COLUMNS: '60' });
    expect(r.status).toBe(0);
    const ids = r.stdout
      .split('\n')
      .slice(2)
      .map((l) => l.split(' ')[0] ?? '')
      .filter((id) => id.includes('…'));
    expect(ids.length).toBeGreaterThan(3);
    expect(ids.filter((id) => /^2026…[0-9a-f]+$/.test(id))).toHaveLength(1); // 2026-11-20T09-00-00-000Z_f5e4…51bc1
    for (const id of ids) expect(id).toMatch(/^[0-9a-f2]{2,}.*…[0-9a-f]{2,}$/);
    // No sessions.json label for any of them: no column of "-".
    expect(r.stdout).not.toMatch(/ - /);
  });

  it('keeps one number format per token column', () => {
    const out = report(['today']).stdout;
    const rows = out.split('\n').filter((l) => /\$\d/.test(l) && !l.startsWith('usage'));
    // input column: every value in thousands once the column reaches 10k (no "9724" among "26.6k").
    const inputs = rows.map((l) => {
      const cells = l.trim().split(/\s+/);
      return cells[cells.findIndex((c) => c.startsWith('$')) - 4];
    });
    expect(
      inputs.every((v) => /^(\d+\.\dk|0)$/.test(v ?? '')),
      inputs.join(' '),
    ).toBe(true);
  });

  it('under subscriptionsAsFree a subscription at $0.00 is not called API-equivalent', () => {
    const free = { OPENCLAW_BUDGET_SUBSCRIPTIONS_AS_FREE: 'true' };
    const out = report(['today'], free).stdout;
    expect(out).toMatch(/^openai-codex +gpt-5\.2-codex .* \$0\.00 *$/m);
    expect(out).not.toMatch(/API-equivalent|~/);
    const check = runCli(
      ['check', '--source', join(work, 'home', '.openclaw'), '--state-dir', state, ...CLOCK],
      env(free),
    ).stdout;
    expect(check).toMatch(/openai-codex\/gpt-5\.2-codex .* \$0\.00 subscription, counted as \$0$/m);
    expect(check).not.toContain('API-equivalent');
  });
});
