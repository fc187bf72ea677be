// Prices that stay right, end to end: the real gpt-5.4 sample, price drift, `pricing show`, and catalog updates
// served over loopback (a modified copy of the catalog's own data), including ones that fail.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runCliAwait } from '../support/cli.js';
import { tempDir } from '../support/sample.js';

const REAL = join(ROOT, 'test', 'fixtures', 'real');
const NOW = ['--now', '2026-03-22T23:00:00Z', '--timezone', 'UTC'];
const SESSION = '35ac9401-24a3-483d-bc98-65ec480e3ab6.jsonl';
// gpt-5.4's list price: $2.50 in, $15 out, $0.25 cached (per 1M tokens).
const LIST = (163 * 2.5 + 125 * 15 + 49152 * 0.25 + 243 * 2.5 + 552 * 15 + 49280 * 0.25) / 1e6;

function stateWith(fixture: string): string {
  const dir = tempDir('ocb-pricing-e2e-');
  mkdirSync(join(dir, 'src', 'agents', 'main', 'sessions'), { recursive: true });
  copyFileSync(join(REAL, fixture), join(dir, 'src', 'agents', 'main', 'sessions', SESSION));
  return dir;
}

interface Row {
  provider: string;
  model: string;
  calls: number;
  failedCalls: number;
  costUsd: number;
  unpriced: boolean;
  billing: string;
  priceKeys: string[];
  priceSources: string[];
  drift?: number;
}

async function check(dir: string, args: string[] = [], env = cleanEnv()) {
  const r = await runCliAwait(
    ['check', '--source', join(dir, 'src'), '--state-dir', join(dir, 'state'), ...NOW, '--json', ...args],
    env,
  );
  expect(r.stderr.replace(/^openclaw-budget: (config|state dir|source|model|prices|2026).*\n/gm, '')).not.toMatch(
    /error/i,
  );
  return {
    ...r,
    json: JSON.parse(r.stdout) as {
      totalCostUsd: number;
      failedCalls: number;
      models: Row[];
      prices: { catalog: string; catalogDate: string; updateError?: string };
    },
  };
}

describe('the real gpt-5.4 sample', () => {
  it('costs the list price in calculate mode, as a subscription, with the failed request counted apart', async () => {
    const { json, status } = await check(stateWith('gpt-5.4.jsonl'), ['--pricing-mode', 'calculate']);
    expect(status).toBe(0);
    const row = json.models.find((m) => m.model === 'gpt-5.4')!;
    expect(row).toMatchObject({
      provider: 'openai-codex',
      calls: 2,
      failedCalls: 1,
      unpriced: false,
      billing: 'subscription',
      priceKeys: ['catalog:openai/gpt-5.4'],
    });
    expect(row.costUsd).toBeCloseTo(LIST, 12);
    expect(json.totalCostUsd).toBeCloseTo(LIST, 12);
    expect(json.failedCalls).toBe(1);
  });

  it('OpenClaw costed these real calls at the list price: no drift', async () => {
    const { json } = await check(stateWith('gpt-5.4.jsonl'));
    const row = json.models.find((m) => m.model === 'gpt-5.4')!;
    expect(row.costUsd).toBeCloseTo(0.0145705 + 0.0212075, 12);
    expect(Math.abs(row.drift ?? 1)).toBeLessThan(1e-9);
  });

  it("in auto mode, OpenClaw's stale gpt-5.2 rates are counted but flagged as drift (check --verbose, JSON, metric)", async () => {
    const dir = stateWith('gpt-5.4-stale-cost.jsonl');
    mkdirSync(join(dir, 'prom'));
    const r = await check(dir, ['--verbose', '--textfile-dir', join(dir, 'prom')]);
    const row = r.json.models.find((m) => m.model === 'gpt-5.4')!;
    expect(row.priceSources).toEqual(['transcript']);
    expect(row.drift).toBeCloseTo(0.0274141 / LIST - 1, 6); // -23%
    expect(r.stderr).toMatch(/price drift openai-codex\/gpt-5\.4: OpenClaw's own cost is -23\.4% off the list price/);
    expect(readFileSync(join(dir, 'prom', 'openclaw_budget.prom'), 'utf8')).toMatch(
      /^openclaw_budget_price_drift_ratio\{gateway="local",provider="openai-codex",model="gpt-5\.4"\} -0\.23/m,
    );
    // doctor looks at the ledger's last 7 days by the clock: the same calls, dated yesterday.
    const recent = stateWith('gpt-5.4-stale-cost.jsonl');
    const file = join(recent, 'src', 'agents', 'main', 'sessions', SESSION);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('2026-03-22T', `${yesterday}T`));
    await runCliAwait(['check', '--source', join(recent, 'src'), '--state-dir', join(recent, 'state')], cleanEnv());
    const doctor = await runCliAwait(
      ['doctor', '--source', join(recent, 'src'), '--state-dir', join(recent, 'state'), '--json'],
      cleanEnv(),
    );
    const pricing = (
      JSON.parse(doctor.stdout) as { checks: { name: string; status: string; fix?: string }[] }
    ).checks.find((c) => c.name === 'pricing');
    expect(pricing).toMatchObject({ status: 'warn' });
    expect(pricing?.fix).toMatch(/openai-codex\/gpt-5\.4 -23%/);
  });

  it('pricing show says what prices each model and where that comes from', async () => {
    const dir = stateWith('gpt-5.4.jsonl');
    await check(dir);
    const shown = await runCliAwait(
      ['pricing', 'show', '--state-dir', join(dir, 'state'), '--now', '2026-03-23T00:00:00Z'],
      cleanEnv(),
    );
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(
      /^local: openai-codex\/gpt-5\.4 {2}\[subscription\] {2}catalog @pydantic\/genai-prices, data of \d{4}-\d{2}-\d{2} {2}\(catalog:openai\/gpt-5\.4\)$/m,
    );
    expect(shown.stdout).toMatch(/USD per 1M tokens: in \$2\.5, \$5 above 271,999 prompt tokens, out \$15/);
    const one = await runCliAwait(['pricing', 'show', 'acme/mystery-2', '--state-dir', join(dir, 'state')], cleanEnv());
    expect(one.stdout).toContain('UNPRICED');
    expect(one.stdout).toContain('{"models":{"acme/mystery-2":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0}}}');
  });
});

describe('updates without a release, over loopback', () => {
  const genai = createRequire(import.meta.url)('@pydantic/genai-prices') as typeof import('@pydantic/genai-prices');
  let server: Server;
  let base = '';
  let hits = 0;
  let body = '';

  beforeAll(async () => {
    // The catalog's own data, with gpt-5.4's input price raised from $2.50 to $4.
    const data = JSON.parse(JSON.stringify(await genai.waitForUpdate())) as Array<{
      id: string;
      models: Array<{ id: string; prices: Record<string, unknown> }>;
    }>;
    const gpt54 = data.find((p) => p.id === 'openai')!.models.find((m) => m.id === 'gpt-5.4')!;
    gpt54.prices = { ...gpt54.prices, input_mtok: 4 };
    body = JSON.stringify(data);
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/data.json') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      else if (req.url === '/garbage.json') res.writeHead(200).end('{"not": "prices"}');
      else res.writeHead(500).end('down');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const withInput = (input: number) =>
    (163 * input + 125 * 15 + 49152 * 0.25 + 243 * input + 552 * 15 + 49280 * 0.25) / 1e6;

  it('pricing update stores a newer catalog, and the next check prices with it', async () => {
    const dir = stateWith('gpt-5.4.jsonl');
    const before = await check(dir, ['--pricing-mode', 'calculate']);
    expect(before.json.totalCostUsd).toBeCloseTo(withInput(2.5), 12);
    const up = await runCliAwait(
      ['pricing', 'update', '--state-dir', join(dir, 'state'), '--url', `${base}/data.json`],
      cleanEnv(),
    );
    expect(up.status).toBe(0);
    expect(up.stdout).toMatch(/stored the prices of \d+ models from \d+ providers/);
    const after = await check(dir, ['--pricing-mode', 'calculate']);
    expect(after.json.totalCostUsd).toBeCloseTo(withInput(4), 12);
    expect(after.json.prices.catalog).toBe('update');
  });

  it('a failing update changes nothing: exit 1, the stored prices kept, the check the same', async () => {
    const dir = stateWith('gpt-5.4.jsonl');
    await runCliAwait(
      ['pricing', 'update', '--state-dir', join(dir, 'state'), '--url', `${base}/data.json`],
      cleanEnv(),
    );
    const good = readFileSync(join(dir, 'state', 'pricing', 'catalog.json'), 'utf8');
    for (const path of ['/garbage.json', '/down']) {
      const r = await runCliAwait(
        ['pricing', 'update', '--state-dir', join(dir, 'state'), '--url', `${base}${path}`],
        cleanEnv(),
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(path === '/down' ? /HTTP 500/ : /does not hold the catalog's price data/);
      expect(readFileSync(join(dir, 'state', 'pricing', 'catalog.json'), 'utf8')).toBe(good);
    }
    const after = await check(dir, ['--pricing-mode', 'calculate']);
    expect(after.json.totalCostUsd).toBeCloseTo(withInput(4), 12);
    expect(after.json.prices.updateError).toMatch(/HTTP 500/);
  });

  it('check updates at most once a day, after its outputs, and a failure leaves its result alone', async () => {
    const failing = stateWith('gpt-5.4.jsonl');
    const plain = await check(stateWith('gpt-5.4.jsonl'), ['--pricing-mode', 'calculate']);
    const env = (url: string) =>
      cleanEnv({ OPENCLAW_BUDGET_PRICING_AUTO_UPDATE: '1', OPENCLAW_BUDGET_PRICING_URL: url });
    const start = hits;
    const first = await check(failing, ['--pricing-mode', 'calculate'], env(`${base}/down`));
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.json.models).toEqual(plain.json.models);
    expect(hits).toBe(start + 1);
    const second = await check(failing, ['--pricing-mode', 'calculate'], env(`${base}/data.json`));
    expect(hits).toBe(start + 1); // tried today already, and failed: not again
    expect(second.json.prices.updateError).toMatch(/HTTP 500/);
    expect(second.json.totalCostUsd).toBeCloseTo(withInput(2.5), 12);

    const updating = stateWith('gpt-5.4.jsonl');
    const a = await check(updating, ['--pricing-mode', 'calculate'], env(`${base}/data.json`));
    expect(a.json.totalCostUsd).toBeCloseTo(withInput(2.5), 12); // priced before the update
    expect(existsSync(join(updating, 'state', 'pricing', 'catalog.json'))).toBe(true);
    const b = await check(updating, ['--pricing-mode', 'calculate'], env(`${base}/data.json`));
    expect(b.json.totalCostUsd).toBeCloseTo(withInput(4), 12);
    expect(hits).toBe(start + 2);
  });
});

describe("the gateway's own configured costs", () => {
  it("price a custom provider from the gateway's openclaw.json, and its localhost providers at $0", async () => {
    const dir = tempDir('ocb-gateway-cost-');
    const sessions = join(dir, 'src', 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    writeFileSync(
      join(dir, 'src', 'openclaw.json'),
      `// JSON5, as OpenClaw allows\n${JSON.stringify({
        models: {
          providers: {
            acme: {
              baseUrl: 'https://llm.acme.example/v1',
              apiKey: 'sk-secret',
              models: [{ id: 'big-1', cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 0 } }],
            },
            mybox: {
              baseUrl: 'http://127.0.0.1:8080/v1',
              models: [{ id: 'qwen3-32b', cost: { input: 1, output: 1 } }],
            },
          },
        },
      })}`,
    );
    const line = (provider: string, model: string, i: number) =>
      JSON.stringify({
        type: 'message',
        id: `a${i}`,
        timestamp: `2026-03-22T10:0${i}:00.000Z`,
        message: {
          role: 'assistant',
          provider,
          model,
          usage: { input: 1_000_000, output: 100_000, cacheRead: 0, cacheWrite: 0, cost: { total: 0.5 } },
          timestamp: Date.parse(`2026-03-22T10:0${i}:00.000Z`),
        },
      });
    writeFileSync(
      join(sessions, 's.jsonl'),
      `${[line('acme', 'big-1', 1), line('mybox', 'qwen3-32b', 2)].join('\n')}\n`,
    );
    const { json, stdout } = await check(dir, ['--pricing-mode', 'calculate']);
    expect(json.models.find((m) => m.provider === 'acme')).toMatchObject({
      costUsd: 4.5,
      priceKeys: ['gateway:acme/big-1'],
      billing: 'api',
    });
    expect(json.models.find((m) => m.provider === 'mybox')).toMatchObject({ costUsd: 0, billing: 'free' });
    expect(stdout).not.toContain('sk-secret');
    // Kept for commands that read no source.
    const shown = await runCliAwait(
      ['pricing', 'show', 'acme/big-1', '--gateway', 'local', '--state-dir', join(dir, 'state')],
      cleanEnv(),
    );
    expect(shown.stdout).toContain("the gateway's openclaw.json");
    expect(readFileSync(join(dir, 'state', 'pricing', 'gateway-local.json'), 'utf8')).not.toContain('sk-secret');
  });
});

describe('usage fields seen in the wild', () => {
  it('counts a totalTokens-only line as input (marked), reads DeepSeek cache hits, and keeps failed requests apart', async () => {
    const dir = tempDir('ocb-usage-');
    const sessions = join(dir, 'src', 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    const line = (i: number, provider: string, model: string, usage: Record<string, unknown>) =>
      JSON.stringify({
        type: 'message',
        id: `u${i}`,
        timestamp: `2026-03-22T11:0${i}:00.000Z`,
        message: { role: 'assistant', provider, model, usage, timestamp: Date.parse(`2026-03-22T11:0${i}:00.000Z`) },
      });
    writeFileSync(
      join(sessions, 's.jsonl'),
      `${[
        line(1, 'anthropic', 'claude-sonnet-4-5', { totalTokens: 333 }),
        line(2, 'deepseek', 'deepseek-chat', {
          prompt_tokens: 1200,
          completion_tokens: 80,
          total_tokens: 1280,
          prompt_cache_hit_tokens: 1024,
          prompt_cache_miss_tokens: 176,
        }),
        line(3, 'anthropic', 'claude-sonnet-4-5', {
          input: 0,
          output: 0,
          cacheRead: 0,
          cacheWrite: 0,
          totalTokens: 0,
          cost: { total: 0 },
        }),
      ].join('\n')}\n`,
    );
    const { json } = await check(dir, ['--pricing-mode', 'calculate']);
    const sonnet = json.models.find((m) => m.model === 'claude-sonnet-4-5') as Row & { inputTokens: number };
    expect(sonnet).toMatchObject({ calls: 1, failedCalls: 1, inputTokens: 333, unpriced: false });
    const deepseek = json.models.find((m) => m.model === 'deepseek-chat') as Row & {
      inputTokens: number;
      cacheReadTokens: number;
    };
    expect(deepseek).toMatchObject({ inputTokens: 176, cacheReadTokens: 1024 });
    // DeepSeek's list price since 2025-09-29: $0.28 miss, $0.028 hit, $0.42 out.
    expect(deepseek.costUsd).toBeCloseTo((176 * 0.28 + 1024 * 0.028 + 80 * 0.42) / 1e6, 12);
    expect(json.failedCalls).toBe(1);
  });
});
