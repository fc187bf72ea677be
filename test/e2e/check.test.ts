import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, runCliAsync } from '../support/cli.js';
import { Corpus, expectedRows, type TruthCall } from '../support/corpus.js';
import { runInProcess } from '../support/in-process.js';

const DAY = { date: '2026-11-20', start: Date.parse('2026-11-19T23:00:00Z'), end: Date.parse('2026-11-20T23:00:00Z') };
const NOW = '2026-11-20T21:30:00Z';
/** --now means "as if the clock read this instant": the day's totals stop there (12.8). */
const UP_TO_NOW = Date.parse(NOW) + 1;

// Test prices, independent of the shipped table. Resellers are priced through their vendor's key.
const PRICES: Record<string, { input: number; output: number; cacheRead: number; cacheWrite: number }> = {
  'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'anthropic/claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic/claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'anthropic/claude-opus-4-6': { input: 6, output: 30, cacheRead: 0.6, cacheWrite: 7.5 },
  'openai/gpt-5.2': { input: 1.75, output: 14, cacheRead: 0.175, cacheWrite: 0 },
  'openai/gpt-5.2-codex': { input: 2, output: 16, cacheRead: 0.2, cacheWrite: 0 },
  'zai/glm-4.7': { input: 0.6, output: 2.2, cacheRead: 0.11, cacheWrite: 0 },
  'google/gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0 },
};
const PRICE_KEY: Record<string, string | 'free' | null> = {
  'anthropic/claude-opus-4-5': 'anthropic/claude-opus-4-5',
  'anthropic/claude-sonnet-4-5': 'anthropic/claude-sonnet-4-5',
  'anthropic/claude-haiku-4-5': 'anthropic/claude-haiku-4-5',
  'openai/gpt-5.2': 'openai/gpt-5.2',
  'openai-codex/gpt-5.2-codex': 'openai/gpt-5.2-codex',
  'github-copilot/claude-opus-4-6': 'anthropic/claude-opus-4-6',
  'zai/glm-4.7': 'zai/glm-4.7',
  'openrouter/anthropic/claude-opus-4-6': 'anthropic/claude-opus-4-6',
  'amazon-bedrock/us.anthropic.claude-opus-4-5-20251101-v1:0': 'anthropic/claude-opus-4-5',
  'google/gemini-2.5-flash': 'google/gemini-2.5-flash',
  'ollama/qwen3:8b': 'free',
  'acme-labs/mystery-1': null,
};

function tableCost(c: TruthCall): number | null {
  const key = PRICE_KEY[`${c.provider}/${c.model}`];
  if (key === 'free') return 0;
  if (key === null || key === undefined) return null;
  const p = PRICES[key];
  if (!p) throw new Error(`test has no price for ${key}`);
  return (c.input * p.input + c.output * p.output + c.cacheRead * p.cacheRead + c.cacheWrite * p.cacheWrite) / 1e6;
}

interface JsonSummary {
  date: string;
  timezone: string;
  totalCostUsd: number;
  budgetUsd: number;
  status: string;
  models: {
    provider: string;
    model: string;
    calls: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    costUsd: number;
    unpriced: boolean;
    billing: string;
  }[];
  sources: { name: string; ok: boolean; bytesRead: number; callsAdded: number; skippedLines: Record<string, number> }[];
}

let work: string;
let corpus: Corpus;
let pricingFile: string;

/** `check --json` in-process (most tests here); the few that must see the real binary's exit status and output spawn it. */
async function check(extra: string[] = [], env = cleanEnv()) {
  const r = await runInProcess(
    [
      'check',
      '--json',
      '--source',
      corpus.dir,
      '--state-dir',
      join(work, 'state'),
      '--textfile-dir',
      join(work, 'prom'),
      '--flag-file',
      join(work, 'flag'),
      '--now',
      NOW,
      '--timezone',
      'Europe/Rome',
      '--pricing',
      pricingFile,
      ...extra,
    ],
    env,
  );
  return { ...r, json: r.stdout ? (JSON.parse(r.stdout) as JsonSummary) : undefined };
}

function prom(): string {
  return readFileSync(join(work, 'prom', 'openclaw_budget.prom'), 'utf8');
}

function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ocb-e2e-'));
  corpus = new Corpus(join(work, 'openclaw'), {
    seed: 42,
    fromMs: Date.parse('2026-11-19T20:00:00Z'),
    toMs: Date.parse('2026-11-21T01:00:00Z'),
    sessions: 14,
    callsPerSession: 12,
  }).build();
  pricingFile = join(work, 'prices.json');
  writeFileSync(pricingFile, JSON.stringify({ models: PRICES }));
});

describe('check on an unseen corpus', () => {
  it('matches the ground truth for every model: calls and tokens exactly, cost to 1e-6 (calculate mode)', async () => {
    const r = await check(['--pricing-mode', 'calculate']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = r.json as JsonSummary;
    expect([s.date, s.timezone]).toEqual([DAY.date, 'Europe/Rome']);
    const want = expectedRows(corpus.truth.values(), DAY.start, UP_TO_NOW);
    expect(want.size).toBeGreaterThan(8);
    expect(s.models.map((m) => `${m.provider}/${m.model}`).sort()).toEqual([...want.keys()].sort());
    let total = 0;
    for (const m of s.models) {
      const w = want.get(`${m.provider}/${m.model}`)!;
      expect({ ...m, costUsd: 0 }).toMatchObject({
        calls: w.calls,
        inputTokens: w.inputTokens,
        outputTokens: w.outputTokens,
        cacheReadTokens: w.cacheReadTokens,
        cacheWriteTokens: w.cacheWriteTokens,
      });
      const costs = w.calls_.map(tableCost);
      const cost = costs.reduce<number>((a, c) => a + (c ?? 0), 0);
      expect(m.costUsd).toBeCloseTo(cost, 6);
      expect(m.unpriced).toBe(costs.some((c) => c === null));
      total += cost;
    }
    expect(s.totalCostUsd).toBeCloseTo(total, 6);
    expect(s.models.find((m) => m.provider === 'acme-labs')?.unpriced).toBe(true);
    expect(s.models.find((m) => m.provider === 'ollama')).toMatchObject({
      costUsd: 0,
      unpriced: false,
      billing: 'free',
    });
    expect(s.models.find((m) => m.provider === 'github-copilot')?.billing).toBe('subscription');
    // The corpus has blank, malformed and half-written lines: skipped and counted, not fatal.
    const skipped = s.sources[0]!.skippedLines;
    expect(skipped.partial).toBe(1);
    expect((skipped.malformed ?? 0) + (skipped.blank ?? 0)).toBeGreaterThan(0);
  });

  it('--now cuts the day: the corpus has calls between --now and the end of the day, and none of them count', async () => {
    const after = expectedRows(corpus.truth.values(), UP_TO_NOW, DAY.end);
    const late = [...after.values()].reduce((n, r) => n + r.calls, 0);
    expect(late).toBeGreaterThan(0);
    const s = (await check(['--pricing-mode', 'calculate'])).json as JsonSummary;
    const want = [...expectedRows(corpus.truth.values(), DAY.start, UP_TO_NOW).values()].reduce(
      (n, r) => n + r.calls,
      0,
    );
    expect(s.models.reduce((n, m) => n + m.calls, 0)).toBe(want);
    const later = (await check(['--pricing-mode', 'calculate', '--now', new Date(DAY.end - 1).toISOString()]))
      .json as JsonSummary;
    expect(later.models.reduce((n, m) => n + m.calls, 0)).toBe(want + late);
  });

  it("auto mode uses OpenClaw's cost when it is above 0, else the table; a local runtime is always free", async () => {
    const s = (await check()).json as JsonSummary;
    const want = expectedRows(corpus.truth.values(), DAY.start, UP_TO_NOW);
    for (const m of s.models) {
      const calls = want.get(`${m.provider}/${m.model}`)!.calls_;
      const local = PRICE_KEY[`${m.provider}/${m.model}`] === 'free';
      const cost = local
        ? 0
        : calls.reduce(
            (a, c) => a + (c.transcriptCost !== null && c.transcriptCost > 0 ? c.transcriptCost : (tableCost(c) ?? 0)),
            0,
          );
      expect(m.costUsd).toBeCloseTo(cost, 6);
    }
  });

  it('a second run adds nothing, reads nothing and reports the same totals', async () => {
    const first = (await check()).json as JsonSummary;
    expect(first.sources[0]!.callsAdded).toBeGreaterThan(0);
    const ledgerBefore = readdirSync(join(work, 'state', 'ledger')).map(
      (f) => statSync(join(work, 'state', 'ledger', f)).size,
    );
    const cursorFile = join(work, 'state', 'cursors', `${first.sources[0]!.name}.json`);
    const cursorsBefore = { text: readFileSync(cursorFile, 'utf8'), ino: statSync(cursorFile).ino };
    const second = (await check()).json as JsonSummary;
    // Nothing new: the cursor file is not rewritten (an fsync saved; it is refreshed hourly, see cursorsUnchanged).
    expect({ text: readFileSync(cursorFile, 'utf8'), ino: statSync(cursorFile).ino }).toEqual(cursorsBefore);
    expect(second.sources[0]).toMatchObject({ ok: true, callsAdded: 0, bytesRead: 0 });
    expect(second.models).toEqual(first.models);
    expect(second.totalCostUsd).toBe(first.totalCostUsd);
    const ledgerAfter = readdirSync(join(work, 'state', 'ledger')).map(
      (f) => statSync(join(work, 'state', 'ledger', f)).size,
    );
    expect(ledgerAfter).toEqual(ledgerBefore);
  });

  it('a fresh state dir over the same data (history lost) gives the same totals: copies are deduped, not cursors', async () => {
    const a = (await check()).json as JsonSummary;
    const other = mkdtempSync(join(tmpdir(), 'ocb-e2e-state-'));
    const b = (await check(['--state-dir', other])).json as JsonSummary;
    expect(b.models).toEqual(a.models);
  });

  it('reads only the appended bytes on the next tick', async () => {
    await check();
    const live = corpus.files.find(
      (f) =>
        f.endsWith('.jsonl') &&
        f.startsWith('agents/') &&
        !f.includes('checkpoint') &&
        !f.includes('trajectory') &&
        !f.includes('_'),
    )!;
    const path = join(corpus.dir, live);
    const before = statSync(path).size;
    corpus.append(live, 5, Date.parse('2026-11-20T20:00:00Z'));
    const appended = statSync(path).size - before;
    const s = (await check()).json as JsonSummary;
    expect(s.sources[0]!.callsAdded).toBe(5);
    // The new bytes, plus the file's head and one byte that prove the cursor still fits the file.
    expect(s.sources[0]!.bytesRead).toBeGreaterThanOrEqual(appended);
    expect(s.sources[0]!.bytesRead).toBeLessThanOrEqual(appended + 257);
    const want = expectedRows(corpus.truth.values(), DAY.start, UP_TO_NOW);
    expect(s.models.reduce((n, m) => n + m.calls, 0)).toBe([...want.values()].reduce((n, r) => n + r.calls, 0));
  });

  it('recognises a session renamed to a .deleted archive instead of reading it again', async () => {
    await check();
    const live = corpus.files.find((f) => /^agents\/[^/]+\/sessions\/[0-9a-f-]+\.jsonl$/.test(f))!;
    renameSync(join(corpus.dir, live), join(corpus.dir, `${live}.deleted.2026-11-20T22-00-00.000Z`));
    const s = (await check()).json as JsonSummary;
    expect(s.sources[0]!.callsAdded).toBe(0);
    expect(s.sources[0]!.bytesRead).toBeLessThanOrEqual(257);
  });

  it('creates the flag file at the budget and removes it when the budget is raised', async () => {
    const total = ((await check(['--max-daily-usd', '1000'])).json as JsonSummary).totalCostUsd;
    expect(existsSync(join(work, 'flag'))).toBe(false);
    const over = await check(['--max-daily-usd', String(total / 2)]);
    expect(over.json?.status).toBe('exceeded');
    expect(readFileSync(join(work, 'flag'), 'utf8')).toMatch(
      /^openclaw-budget: spend \$\d+\.\d\d >= budget \$\d+\.\d\d on 2026-11-20 \(Europe\/Rome\), exceeded since /,
    );
    expect(metric(prom(), 'openclaw_budget_exceeded')).toBe(1);
    const warn = await check(['--max-daily-usd', String(total / 0.9)]);
    expect(warn.json?.status).toBe('warning');
    expect(existsSync(join(work, 'flag'))).toBe(false);
    expect(metric(prom(), 'openclaw_budget_exceeded')).toBe(0);
    expect(metric(prom(), 'openclaw_daily_cost_usd')).toBe(total);
  });

  it('a new day clears the flag', async () => {
    await check(['--max-daily-usd', '0.0001']);
    expect(existsSync(join(work, 'flag'))).toBe(true);
    const next = await check(['--max-daily-usd', '0.0001', '--now', '2026-11-22T12:00:00Z']);
    expect(next.json).toMatchObject({ date: '2026-11-22', totalCostUsd: 0, status: 'ok' });
    expect(existsSync(join(work, 'flag'))).toBe(false);
  });

  it('a source that cannot be read: exit 1, last figures kept with success 0, flag left as it was', async () => {
    await check(['--max-daily-usd', '0.0001']);
    const good = prom();
    expect(metric(good, 'openclaw_budget_check_success')).toBe(1);
    const missing = join(work, 'nope');
    const r = await runInProcess([
      'check',
      '--source',
      missing,
      '--state-dir',
      join(work, 'state'),
      '--textfile-dir',
      join(work, 'prom'),
      '--flag-file',
      join(work, 'flag'),
      '--now',
      NOW,
      '--timezone',
      'Europe/Rome',
      '--pricing',
      pricingFile,
      '--max-daily-usd',
      '1000',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toMatch(/--source/);
    const bad = prom();
    expect(metric(bad, 'openclaw_budget_check_success')).toBe(0);
    expect(metric(bad, 'openclaw_daily_cost_usd')).toBe(metric(good, 'openclaw_daily_cost_usd'));
    expect(metric(bad, 'openclaw_budget_last_success_timestamp_seconds')).toBe(
      metric(good, 'openclaw_budget_last_success_timestamp_seconds'),
    );
    expect(existsSync(join(work, 'flag'))).toBe(true);
  });

  it('survives being killed at any point: the next run gives the right totals', async () => {
    const want = ((await check(['--state-dir', join(work, 'reference')])).json as JsonSummary).models;
    for (let i = 0; i < 6; i++) {
      const child = runCliAsync([
        'check',
        '--source',
        corpus.dir,
        '--state-dir',
        join(work, 'state'),
        '--now',
        NOW,
        '--timezone',
        'Europe/Rome',
        '--pricing',
        pricingFile,
      ]);
      // Listen before killing: a CLI that finishes before the kill lands must not leave the test waiting forever.
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 40 + i * 35));
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      // A torn append (as a kill during write would leave) must be tolerated too.
      const ledger = join(work, 'state', 'ledger');
      if (existsSync(ledger)) {
        const f = readdirSync(ledger).find((n) => n.endsWith('.jsonl'));
        if (f) appendFileSync(join(ledger, f), '{"at":17636');
      }
    }
    const after = await check();
    expect(after.status, after.stderr).toBe(0);
    expect(after.json?.models).toEqual(want);
  });
});

describe('check usage errors', () => {
  it('names an unknown config key and a bad env value, with exit 2', () => {
    const cfg = join(mkdtempSync(join(tmpdir(), 'ocb-cfg-')), 'config.json');
    writeFileSync(cfg, '// comment\n{ "maxDailyUsd": 3, "pricing": { "mdoe": "auto" } }');
    const r = runCli(['check', '--config', cfg]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('pricing.mdoe');
    expect(r.stderr).toContain(cfg);
    const e = runCli(['check', '--source', '/nonexistent'], cleanEnv({ MAX_DAILY_USD: 'ten' }));
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/maxDailyUsd \(environment MAX_DAILY_USD\)/);
  });

  it('rejects a bad --now, --timezone and --pricing-mode with exit 2', () => {
    expect(runCli(['check', '--now', 'yesterday']).status).toBe(2);
    const tz = runCli(['check', '--timezone', 'Mars/Olympus']);
    expect(tz.status).toBe(2);
    expect(tz.stderr).toContain('timezone (flag --timezone)');
    expect(runCli(['check', '--pricing-mode', 'guess']).status).toBe(2);
    expect(runCli(['check', '--bogus']).status).toBe(2);
  });
});

describe('check without --source', () => {
  it('reads $OPENCLAW_STATE_DIR, else ~/.openclaw and the legacy state-dir names', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ocb-home-'));
    const legacy = new Corpus(join(home, '.clawdbot'), {
      seed: 7,
      fromMs: Date.parse('2026-11-20T08:00:00Z'),
      toMs: Date.parse('2026-11-20T20:00:00Z'),
      sessions: 3,
      callsPerSession: 4,
    }).build();
    const args = ['check', '--json', '--state-dir', join(home, 'state'), '--now', NOW, '--timezone', 'Europe/Rome'];
    const r = await runInProcess(args, cleanEnv({ HOME: home }));
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as JsonSummary;
    expect(s.models.reduce((n, m) => n + m.calls, 0)).toBe(legacy.truth.size);

    const elsewhere = new Corpus(join(home, 'custom'), {
      seed: 8,
      fromMs: Date.parse('2026-11-20T08:00:00Z'),
      toMs: Date.parse('2026-11-20T20:00:00Z'),
      sessions: 2,
      callsPerSession: 3,
    }).build();
    const e = await runInProcess(
      [...args, '--state-dir', join(home, 'state2')],
      cleanEnv({ HOME: home, OPENCLAW_STATE_DIR: elsewhere.dir }),
    );
    expect((JSON.parse(e.stdout) as JsonSummary).models.reduce((n, m) => n + m.calls, 0)).toBe(elsewhere.truth.size);
  });

  it('prints a readable human summary', () => {
    const r = runCli([
      'check',
      '--source',
      corpus.dir,
      '--state-dir',
      join(work, 'state'),
      '--now',
      NOW,
      '--timezone',
      'Europe/Rome',
      '--max-daily-usd',
      '1000',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^2026-11-20 \(Europe\/Rome\) {2}\$\d+\.\d\d of \$1000\.00 \(\d+\.\d%\) {2}OK$/m);
    expect(r.stdout).toMatch(/acme-labs\/mystery-1 .* UNPRICED/);
    expect(r.stdout).toMatch(/^source local: ok, .* read, \d+ new calls/m);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colours when not a TTY
  });
});
