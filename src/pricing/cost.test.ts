import { describe, expect, it } from 'vitest';
import { tablePricing } from '../../test/helpers/pricing.js';
import { type PricingMode, priceCall } from './cost.js';
import { parseGatewayConfig } from './gateway-config.js';

const AT = Date.parse('2026-11-20T10:00:00Z');
const call = (
  provider: string,
  model: string,
  transcriptCostUsd: number | null = null,
  over: Partial<{
    input: number;
    cacheRead: number;
    cacheWrite: number;
    at: number;
    agent: string;
    gateway: string;
  }> = {},
) => ({
  provider,
  model,
  input: 1_000_000,
  output: 100_000,
  cacheRead: 2_000_000,
  cacheWrite: 10_000,
  transcriptCostUsd,
  at: AT,
  agent: 'main',
  ...over,
});

const overrides = {
  'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'openai/gpt-5.2': { input: 2, output: 16 },
  'openai/*': { input: 100, output: 100 },
};
const opts = (mode: PricingMode, subscriptionsAsFree = false) => tablePricing(overrides, { mode, subscriptionsAsFree });

describe('priceCall', () => {
  it('computes (in*in + out*out + cr*cr + cw*cw) / 1e6 from an override entry', () => {
    expect(priceCall(call('anthropic', 'claude-opus-4-5'), opts('calculate'))).toEqual({
      costUsd: 5 + 2.5 + 1 + 0.0625,
      source: 'override',
      priceKey: 'override:anthropic/claude-opus-4-5',
      billing: 'api',
    });
  });

  it('an override entry replaces the whole price (missing fields are 0), and its wildcard wins over the catalog', () => {
    expect(priceCall(call('openai', 'gpt-5.2'), opts('calculate')).costUsd).toBeCloseTo(2 + 1.6, 12);
    expect(priceCall(call('openai', 'o3'), opts('calculate'))).toMatchObject({
      priceKey: 'override:openai/*',
      costUsd: 110,
    });
  });

  it('without an override the catalog prices the call, OpenClaw input being uncached only', () => {
    const p = priceCall(call('anthropic', 'claude-opus-4-6'), tablePricing({}));
    // Opus 4.6: $5 in, $25 out, $0.5 cache read, $6.25 5-minute cache write.
    expect(p).toMatchObject({ source: 'catalog', priceKey: 'catalog:anthropic/claude-opus-4-6', billing: 'api' });
    expect(p.costUsd).toBeCloseTo(5 + 2.5 + 1 + 0.0625, 9);
  });

  it('auto: the transcript cost when above 0, else the list price', () => {
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0.25), opts('auto'))).toMatchObject({
      costUsd: 0.25,
      source: 'transcript',
    });
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0), opts('auto'))).toMatchObject({ source: 'override' });
    expect(priceCall(call('anthropic', 'claude-opus-4-5', null), opts('auto'))).toMatchObject({ source: 'override' });
  });

  it('calculate ignores the transcript cost; display uses nothing else', () => {
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0.25), opts('calculate')).source).toBe('override');
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0.25), opts('display'))).toMatchObject({
      costUsd: 0.25,
      source: 'transcript',
    });
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0), opts('display'))).toMatchObject({
      costUsd: 0,
      source: 'none',
    });
  });

  it('an unknown model is unpriced (cost 0, source none) in every mode', () => {
    for (const mode of ['auto', 'calculate', 'display'] as const) {
      expect(priceCall(call('acme', 'mystery'), opts(mode))).toMatchObject({
        costUsd: 0,
        source: 'none',
        billing: 'api',
      });
    }
  });

  it('a local runtime is $0 in every mode, even when OpenClaw wrote a cost', () => {
    for (const mode of ['auto', 'calculate', 'display'] as const) {
      expect(priceCall(call('ollama', 'qwen3:8b', 0.04), opts(mode))).toMatchObject({
        costUsd: 0,
        source: 'free',
        billing: 'free',
      });
    }
    const local = parseGatewayConfig(
      JSON.stringify({
        models: {
          providers: { mybox: { baseUrl: 'http://127.0.0.1:8080/v1', models: [{ id: 'm', cost: { input: 3 } }] } },
        },
      }),
    );
    if (!local.ok) throw new Error(local.error);
    const withGateway = tablePricing({}, { mode: 'auto', gateways: new Map([['home', local.pricing]]) });
    expect(priceCall(call('mybox', 'm', 0.5, { gateway: 'home' }), withGateway)).toMatchObject({
      costUsd: 0,
      billing: 'free',
    });
    expect(priceCall(call('mybox', 'm', 0.5, { gateway: 'other' }), withGateway)).toMatchObject({
      costUsd: 0.5,
      billing: 'api',
    });
  });

  it('subscription providers get the API price, marked, or 0 when configured free', () => {
    // An override of the vendor's model applies to the subscription too.
    expect(priceCall(call('github-copilot', 'claude-opus-4-5'), opts('calculate'))).toMatchObject({
      priceKey: 'override:anthropic/claude-opus-4-5',
      billing: 'subscription',
    });
    expect(priceCall(call('github-copilot', 'claude-opus-4-6'), opts('calculate'))).toMatchObject({
      priceKey: 'catalog:anthropic/claude-opus-4-6',
      billing: 'subscription',
      source: 'catalog',
    });
    expect(priceCall(call('openai-codex', 'gpt-5.4'), opts('calculate')).priceKey).toBe('catalog:openai/gpt-5.4');
    expect(priceCall(call('github-copilot', 'claude-opus-4-6'), opts('calculate', true))).toMatchObject({
      costUsd: 0,
      source: 'subscription',
    });
  });

  it('the gateway configured cost wins over the catalog; the override wins over the gateway', () => {
    const cfg = parseGatewayConfig(
      JSON.stringify({
        models: {
          providers: {
            anthropic: {
              models: [{ id: 'claude-opus-4-6', cost: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 } }],
            },
          },
        },
      }),
    );
    if (!cfg.ok) throw new Error(cfg.error);
    const gateways = new Map([['home', cfg.pricing]]);
    const c = call('anthropic', 'claude-opus-4-6', null, { gateway: 'home' });
    expect(priceCall(c, tablePricing({}, { gateways }))).toMatchObject({ source: 'gateway', costUsd: 1.1 });
    expect(priceCall(c, tablePricing({ 'anthropic/claude-opus-4-6': { input: 2 } }, { gateways }))).toMatchObject({
      source: 'override',
      costUsd: 2,
    });
  });

  it('1-hour cache writes get the 1-hour rate where the gateway keeps the cache long', () => {
    const cfg = parseGatewayConfig(
      `{ // JSON5 comments and trailing commas, as OpenClaw allows
      agents: { defaults: { models: { "anthropic/claude-opus-4-6": { params: { cacheRetention: "long" } } } }, list: [{ id: "quick", params: { cacheRetention: "short" } },], },
    }`
        .replace(/(\w+):/g, '"$1":')
        .replace('"//', '//'),
    );
    if (!cfg.ok) throw new Error(cfg.error);
    const pricing = tablePricing({}, { gateways: new Map([['home', cfg.pricing]]) });
    const only = { input: 0, cacheRead: 0, cacheWrite: 1_000_000, gateway: 'home' };
    const long = priceCall({ ...call('anthropic', 'claude-opus-4-6', null, only), output: 0 }, pricing);
    const short = priceCall(
      { ...call('anthropic', 'claude-opus-4-6', null, { ...only, agent: 'quick' }), output: 0 },
      pricing,
    );
    expect(long.costUsd).toBeCloseTo(10, 9);
    expect(short.costUsd).toBeCloseTo(6.25, 9);
  });

  it('prompts above 200k tokens are billed at the long-context rate (Sonnet 4.5)', () => {
    const small = priceCall(
      { ...call('anthropic', 'claude-sonnet-4-5', null, { input: 150_000, cacheRead: 0, cacheWrite: 0 }), output: 0 },
      tablePricing({}),
    );
    const large = priceCall(
      {
        ...call('anthropic', 'claude-sonnet-4-5', null, { input: 150_000, cacheRead: 60_000, cacheWrite: 0 }),
        output: 0,
      },
      tablePricing({}),
    );
    expect(small.costUsd).toBeCloseTo(0.45, 9);
    expect(large.costUsd).toBeCloseTo(0.15 * 6 + 0.06 * 0.6, 9);
  });

  it('Bedrock regional endpoints cost 10% more than the global one', () => {
    const regional = priceCall(call('amazon-bedrock', 'us.anthropic.claude-opus-4-5-20251101-v1:0'), tablePricing({}));
    const global = priceCall(
      call('amazon-bedrock', 'global.anthropic.claude-opus-4-5-20251101-v1:0'),
      tablePricing({}),
    );
    expect(regional.costUsd / global.costUsd).toBeCloseTo(1.1, 9);
  });

  it('a call is priced at the price in force at its instant', () => {
    const before = priceCall(
      call('deepseek', 'deepseek-chat', null, { at: Date.parse('2025-06-01T03:00:00Z') }),
      tablePricing(
        {},
        {
          overlay: {
            'deepseek/deepseek-chat': {
              input: 0.28,
              output: 0.42,
              cacheRead: 0.028,
              reason: 'stale',
              since: '2025-09-29',
            },
          },
        },
      ),
    );
    const after = priceCall(
      call('deepseek', 'deepseek-chat', null, { at: Date.parse('2025-10-01T03:00:00Z') }),
      tablePricing(
        {},
        {
          overlay: {
            'deepseek/deepseek-chat': {
              input: 0.28,
              output: 0.42,
              cacheRead: 0.028,
              reason: 'stale',
              since: '2025-09-29',
            },
          },
        },
      ),
    );
    expect(before).toMatchObject({ source: 'catalog' });
    expect(after).toMatchObject({ source: 'overlay', priceKey: 'overlay:deepseek/deepseek-chat' });
  });
});
