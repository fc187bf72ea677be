// Two gateways and a month of history (October 2026 in Rome, with its 25-hour day): the report agrees with the
// daily checks, and check --json / the metrics file carry the month, forecasts and windows.
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../support/cli.js';
import { runInProcess } from '../support/in-process.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'openclaw-budget');
const TZ = 'Europe/Rome';

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built binary, for the exit statuses; the other commands here run in-process (test/support/in-process.ts). */
async function binary(args: string[], env: Record<string, string> = {}): Promise<Cli> {
  try {
    const r = await run(process.execPath, [BIN, ...args], {
      env: {
        ...process.env,
        OPENCLAW_BUDGET_CONFIG: '',
        OPENCLAW_BUDGET_PRICING_AUTO_UPDATE: '0',
        NO_COLOR: '1',
        ...env,
      },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<Cli> {
  const r = await runInProcess(args, cleanEnv({ OPENCLAW_BUDGET_CONFIG: '', ...env }));
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const MODELS = [
  { provider: 'anthropic', model: 'claude-opus-4-5' },
  { provider: 'openai', model: 'gpt-5.2' },
  { provider: 'ollama', model: 'qwen3:8b' },
  { provider: 'custom-llm', model: 'house-model' }, // unpriced
];
// 22:30Z and 23:30Z straddle local midnight in Rome (UTC+2 until 25 Oct, UTC+1 after).
const HOURS = ['00:30', '08:00', '13:15', '22:30', '23:30'];

function transcript(day: number, gateway: number): string {
  const lines = [
    JSON.stringify({ type: 'session', version: 3, id: `g${gateway}-d${day}`, timestamp: '2026-10-01T00:00:00Z' }),
  ];
  HOURS.forEach((hm, i) => {
    const ts = `2026-10-${String(day).padStart(2, '0')}T${hm}:00.000Z`;
    const { provider, model } = MODELS[(day + i + gateway) % MODELS.length] as (typeof MODELS)[number];
    const usage = {
      input: 1000 * day + i,
      output: 300 + gateway * 7,
      cacheRead: 20_000,
      cacheWrite: 500,
      ...(i === 2 ? { cost: { total: 0.0123 * day } } : {}),
    };
    lines.push(
      JSON.stringify({
        type: 'message',
        timestamp: ts,
        message: { role: 'assistant', provider, model, usage, timestamp: Date.parse(ts) },
      }),
    );
  });
  return `${lines.join('\n')}\n`;
}

let root: string;
let config: string;
const checks: {
  date: string;
  totalCostUsd: number;
  models: { provider: string; model: string; calls: number; costUsd: number }[];
}[] = [];
let lastCheck: Record<string, unknown>;

function writeGateway(dir: string, gateway: number): void {
  const sessions = join(dir, 'agents', 'main', 'sessions');
  mkdirSync(sessions, { recursive: true });
  for (let day = 1; day <= 31; day++) {
    const file = join(sessions, `g${gateway}-d${day}.jsonl${day % 3 === 0 ? '.deleted.2026-11-01T00-00-00.000Z' : ''}`);
    writeFileSync(file, transcript(day, gateway));
    // Written "in October", so the first check's listing (from the start of its day) finds them.
    utimesSync(file, new Date('2026-10-31T12:00:00Z'), new Date('2026-10-31T12:00:00Z'));
  }
  writeFileSync(
    join(sessions, 'sessions.json'),
    JSON.stringify({
      'agent:main:cron-nightly': { sessionId: 'g1-d31', label: 'Nightly digest', estimatedCostUsd: 999 },
    }),
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ocb-reports-'));
  writeGateway(join(root, 'gw-a'), 1);
  writeGateway(join(root, 'gw-b'), 2);
  config = join(root, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      timezone: TZ,
      stateDir: join(root, 'state'),
      textfileDir: join(root, 'textfile'),
      maxDailyUsd: 100,
      maxMonthlyUsd: 5,
      gateways: [
        { name: 'a', path: join(root, 'gw-a'), account: 'personal' },
        { name: 'b', path: join(root, 'gw-b'), accounts: { openai: 'work-openai' } },
      ],
      windows: { limits: [{ window: '5h', usd: 1 }] },
    }),
  );
  // Gateway a's history is backfilled by import (twice: the second adds nothing); b is read by the first check.
  const imported = await cli(['ledger', 'import', join(root, 'gw-a'), '--gateway', 'a', '--config', config, '--json']);
  expect(imported.code, imported.stderr).toBe(0);
  expect(JSON.parse(imported.stdout)).toMatchObject({
    layout: 'state-dir',
    filesTotal: 31,
    callsFound: 155,
    callsAdded: 155,
  });
  const again = await cli(['ledger', 'import', join(root, 'gw-a'), '--gateway', 'a', '--config', config, '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ callsFound: 155, callsAdded: 0 });

  // --now is "as if the clock read this instant": a day's whole spend is seen just before its local end
  // (Rome: 22:00Z while on UTC+2, 23:00Z from 25 Oct).
  const checkDay = async (day: number, time = day < 25 ? '21:59' : '22:59') => {
    const r = await cli([
      'check',
      '--config',
      config,
      '--json',
      '--no-alert',
      '--now',
      `2026-10-${String(day).padStart(2, '0')}T${time}:00Z`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  // One at a time: checks on one state dir never overlap (a second one would exit 3, see Locking).
  for (let day = 1; day <= 31; day++) checks.push(await checkDay(day));
  lastCheck = await checkDay(31, '10:00');
}, 120_000);

describe('report over a month of two gateways', () => {
  it('report --by day,model agrees with the sum of the daily check totals', async () => {
    const r = await cli([
      'report',
      '--config',
      config,
      '--by',
      'day,model',
      '--since',
      '2026-10-01',
      '--until',
      '2026-10-31',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      rows: { day: string; provider: string; model: string; calls: number; costUsd: number }[];
      totals: { costUsd: number; calls: number };
    };
    const sum = checks.reduce((s, c) => s + c.totalCostUsd, 0);
    expect(sum).toBeGreaterThan(1);
    expect(report.totals.costUsd).toBeCloseTo(sum, 9);
    expect(report.totals.calls).toBe(checks.reduce((n, c) => n + c.models.reduce((k, m) => k + m.calls, 0), 0));
    // Day by day and model by model too.
    for (const c of checks) {
      const rows = report.rows.filter((row) => row.day === c.date);
      expect(rows.map((row) => `${row.provider}/${row.model}:${row.calls}`).sort()).toEqual(
        c.models.map((m) => `${m.provider}/${m.model}:${m.calls}`).sort(),
      );
      for (const m of c.models)
        expect(rows.find((row) => row.provider === m.provider && row.model === m.model)?.costUsd).toBeCloseTo(
          m.costUsd,
          12,
        );
    }
    // October 2026 in Rome ends at 23:00Z on the 31st (UTC+1): each gateway's 23:30Z call that day is November's.
    expect(report.totals.calls).toBe(2 * 31 * 5 - 2);
  });

  it('the 25-hour day (25 Oct) keeps its extra hour', async () => {
    const day = checks.find((c) => c.date === '2026-10-25');
    const calls = day?.models.reduce((n, m) => n + m.calls, 0);
    // 25 Oct local = 24 Oct 22:00Z .. 25 Oct 23:00Z: the 24th's 22:30 and 23:30, and all five of the 25th minus none.
    expect(calls).toBe(2 * (2 + 5 - 1));
  });

  it('check --json carries the month, its budget, forecasts and windows, keeping the contract fields', () => {
    for (const k of ['date', 'timezone', 'totalCostUsd', 'budgetUsd', 'status', 'models', 'sources'])
      expect(lastCheck).toHaveProperty(k);
    expect(lastCheck).toMatchObject({ month: '2026-10', monthlyBudgetUsd: 5, monthlyStatus: 'exceeded' });
    const budgets = lastCheck.budgets as { period: string; status: string; periodKey: string }[];
    expect(budgets.map((b) => [b.period, b.periodKey])).toEqual([
      ['day', '2026-10-31'],
      ['month', '2026-10'],
    ]);
    const forecast = lastCheck.forecast as {
      method: string;
      endOfMonthUsd: number;
      monthToDateUsd: number;
      source: string;
    };
    expect(forecast.source).toBe('local-ledger');
    expect(forecast.endOfMonthUsd).toBeGreaterThanOrEqual(forecast.monthToDateUsd);
    const windows = lastCheck.windows as { source: string; definition: string; account: string; window: string }[];
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows)
      expect(w).toMatchObject({ source: 'local-ledger', definition: expect.stringMatching(/^rolling/) });
    expect(new Set(windows.map((w) => w.account))).toEqual(new Set(['personal', 'b', 'work-openai']));
  });

  it('the metrics file has the month, forecast and window series', () => {
    const prom = readFileSync(join(root, 'textfile', 'openclaw_budget.prom'), 'utf8');
    expect(prom).toMatch(/^openclaw_budget_monthly_cost_usd \d/m);
    expect(prom).toMatch(/^openclaw_budget_monthly_exceeded 1$/m);
    expect(prom).toMatch(/^openclaw_budget_forecast_cost_usd\{period="month"\} /m);
    expect(prom).toMatch(
      /^openclaw_budget_window_cost_usd\{account="personal",provider="[a-z-]+",window="5h",source="local-ledger"\} /m,
    );
    expect(prom).toMatch(/^# TYPE openclaw_budget_window_safe gauge$/m);
    expect(prom).toMatch(/^openclaw_daily_cost_usd /m);
  });

  it('report views render within 80 columns and label sessions from sessions.json', async () => {
    const range = ['--since', '2026-10', '--until', '2026-10-31'];
    for (const args of [
      ['--by', 'week,account', ...range],
      ['windows', '--now', '2026-10-31T10:00:00Z'],
      ['sessions', ...range],
    ]) {
      const r = await cli(['report', '--config', config, ...args], { COLUMNS: '80' });
      expect(r.code, r.stderr).toBe(0);
      for (const line of r.stdout.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    }
    const s = await cli(['report', 'sessions', '--config', config, '--since', '2026-10', '--json', '--limit', '40']);
    const sessions = (JSON.parse(s.stdout) as { sessions: { session: string; label: string | null }[] }).sessions;
    expect(sessions).toHaveLength(40);
    expect(sessions.find((x) => x.session === 'g1-d31')?.label).toBe('Nightly digest');
  });

  it('bad usage exits 2', async () => {
    expect((await binary(['report', '--config', config, '--by', 'hour'])).code).toBe(2);
    expect((await binary(['report', '--config', config, '--since', '2026-13-01'])).code).toBe(2);
  });

  it('ledger verify passes, then finds a corrupted line', async () => {
    const ok = await cli(['ledger', 'verify', '--config', config, '--json']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, records: 310, duplicates: 0 });
    appendFileSync(join(root, 'state', 'ledger', '2026-10-05.jsonl'), 'garbage\n');
    const bad = await cli(['ledger', 'verify', '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/2026-10-05: unreadable lines \d+/);
  });
});
