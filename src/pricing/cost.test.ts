import { describe, expect, it } from 'vitest';
import { type PricingOptions, priceCall } from './cost.js';
import { mergePricing } from './table.js';

const table = mergePricing(
  {
    models: {
      'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
      'openai/gpt-5.2': { input: 1.75, output: 14, cacheRead: 0.175 },
      'openai/*': { input: 100, output: 100 },
      'ollama/*': { free: true },
      'anthropic/claude-opus-4-6': { input: 5, output: 25 },
    },
  },
  { models: { 'openai/gpt-5.2': { input: 2, output: 16 }, 'zai/glm-4.7': { input: 0.6, output: 2.2 } } },
);

const call = (provider: string, model: string, transcriptCostUsd: number | null = null) => ({
  provider,
  model,
  input: 1_000_000,
  output: 100_000,
  cacheRead: 2_000_000,
  cacheWrite: 10_000,
  transcriptCostUsd,
});

const opts = (mode: PricingOptions['mode'], subscriptionsAsFree = false): PricingOptions => ({ mode, table, subscriptionsAsFree });

describe('priceCall', () => {
  it('computes (in*in + out*out + cr*cr + cw*cw) / 1e6 from the table', () => {
    expect(priceCall(call('anthropic', 'claude-opus-4-5'), opts('calculate'))).toEqual({
      costUsd: 5 + 2.5 + 1 + 0.0625,
      source: 'table',
      priceKey: 'anthropic/claude-opus-4-5',
      billing: 'api',
    });
  });

  it('an override entry replaces the whole shipped entry (missing fields are 0)', () => {
    expect(priceCall(call('openai', 'gpt-5.2'), opts('calculate')).costUsd).toBeCloseTo(2 + 1.6, 12);
  });

  it('an exact key wins over the wildcard; the wildcard catches the rest', () => {
    expect(priceCall(call('openai', 'o3'), opts('calculate'))).toMatchObject({ priceKey: 'openai/*', costUsd: 110 });
  });

  it('auto: the transcript cost when above 0, else the table', () => {
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0.25), opts('auto'))).toMatchObject({ costUsd: 0.25, source: 'transcript' });
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0), opts('auto'))).toMatchObject({ source: 'table' });
    expect(priceCall(call('anthropic', 'claude-opus-4-5', null), opts('auto'))).toMatchObject({ source: 'table' });
  });

  it('calculate ignores the transcript cost; display uses nothing else', () => {
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0.25), opts('calculate')).source).toBe('table');
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0.25), opts('display'))).toMatchObject({ costUsd: 0.25, source: 'transcript' });
    expect(priceCall(call('anthropic', 'claude-opus-4-5', 0), opts('display'))).toMatchObject({ costUsd: 0, source: 'none' });
  });

  it('an unknown model is unpriced (cost 0, source none) in every mode', () => {
    for (const mode of ['auto', 'calculate', 'display'] as const) {
      expect(priceCall(call('acme', 'mystery'), opts(mode))).toMatchObject({ costUsd: 0, source: 'none' });
    }
  });

  it('free entries price at 0 and are not unpriced; a transcript cost > 0 still wins in auto', () => {
    expect(priceCall(call('ollama', 'qwen3:8b'), opts('calculate'))).toMatchObject({ costUsd: 0, source: 'free', billing: 'free' });
    expect(priceCall(call('ollama', 'qwen3:8b', 0.5), opts('auto'))).toMatchObject({ costUsd: 0.5, source: 'transcript' });
    expect(priceCall(call('ollama', 'qwen3:8b'), opts('display'))).toMatchObject({ source: 'free' });
  });

  it('subscription providers get the API-equivalent price, marked, or 0 when configured free', () => {
    expect(priceCall(call('github-copilot', 'claude-opus-4-6'), opts('calculate'))).toMatchObject({
      priceKey: 'anthropic/claude-opus-4-6',
      billing: 'subscription',
      source: 'table',
      costUsd: 7.5,
    });
    expect(priceCall(call('openai-codex', 'gpt-5.2'), opts('calculate')).priceKey).toBe('openai/gpt-5.2');
    expect(priceCall(call('github-copilot', 'claude-opus-4-6'), opts('calculate', true))).toMatchObject({ costUsd: 0, source: 'subscription' });
  });

  it('OpenRouter models price like their vendor; :free variants cost nothing', () => {
    expect(priceCall(call('openrouter', 'anthropic/claude-opus-4-5'), opts('calculate')).priceKey).toBe('anthropic/claude-opus-4-5');
    expect(priceCall(call('openrouter', 'anthropic/claude-opus-4-5:thinking'), opts('calculate')).priceKey).toBe('anthropic/claude-opus-4-5');
    expect(priceCall(call('openrouter', 'meta-llama/llama-4:free'), opts('calculate'))).toMatchObject({ costUsd: 0, source: 'free' });
  });

  it('Bedrock ids price like the Anthropic model they wrap', () => {
    expect(priceCall(call('amazon-bedrock', 'us.anthropic.claude-opus-4-5-20251101-v1:0'), opts('calculate')).priceKey).toBe('anthropic/claude-opus-4-5');
    expect(priceCall(call('amazon-bedrock', 'anthropic.claude-opus-4-5-20251101-v1:0'), opts('calculate')).priceKey).toBe('anthropic/claude-opus-4-5');
  });
});
