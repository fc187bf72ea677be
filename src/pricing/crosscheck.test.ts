// Our prices against an independent source: LiteLLM's price table of 2026-07-24 (/work/shared/prices, copied into
// test/fixtures/litellm-prices-2026-07-24.json with only the rows used here). Every real model id below (as OpenClaw
// writes it) is priced at that date; a rate more than 1% off LiteLLM's is a failure unless it is explained below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../test/support/cli.js';
import { normalizeModel, normalizeProvider } from '../transcripts/names.js';
import { bundledSource, Catalog } from './catalog.js';
import { loadPricing } from './load.js';
import { baseRate, costAt, type Rate } from './rate.js';
import { PriceResolver } from './resolve.js';

const AT = Date.parse('2026-07-24T12:00:00Z');
type LiteLLM = Record<string, Record<string, number | undefined>>;
const litellm = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'litellm-prices-2026-07-24.json'), 'utf8'),
) as LiteLLM;

/** OpenClaw id (provider/model as written in transcripts) -> LiteLLM key, and the billing class it must have. */
export const CROSSCHECK: ReadonlyArray<[openclaw: string, litellm: string, billing: 'api' | 'subscription' | 'free']> =
  [
    ['anthropic/claude-opus-4-8', 'claude-opus-4-8', 'api'],
    ['anthropic/claude-opus-4-7', 'claude-opus-4-7', 'api'],
    ['anthropic/claude-opus-4-6', 'claude-opus-4-6', 'api'],
    ['anthropic/claude-opus-4-5', 'claude-opus-4-5', 'api'],
    ['anthropic/claude-opus-4-1', 'claude-opus-4-1', 'api'],
    ['anthropic/claude-sonnet-4-6', 'claude-sonnet-4-6', 'api'],
    ['anthropic/claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 'api'],
    ['anthropic/claude-haiku-4-5', 'claude-haiku-4-5', 'api'],
    ['anthropic-vertex/claude-opus-4-6', 'claude-opus-4-6', 'api'],
    ['github-copilot/claude-opus-4.6', 'claude-opus-4-6', 'subscription'],
    ['github-copilot/claude-sonnet-4.5', 'claude-sonnet-4-5', 'subscription'],
    ['github-copilot/gpt-5.2', 'gpt-5.2', 'subscription'],
    ['google-antigravity/claude-opus-4-5-thinking', 'claude-opus-4-5', 'subscription'],
    ['google-antigravity/gemini-3-pro-high', 'gemini-3-pro-preview', 'subscription'],
    ['google-antigravity/gemini-3-flash', 'gemini-3-flash-preview', 'subscription'],
    ['openai/gpt-5.5', 'gpt-5.5', 'api'],
    ['openai/gpt-5.4', 'gpt-5.4', 'api'],
    ['openai/gpt-5.4-2026-03-05', 'gpt-5.4-2026-03-05', 'api'],
    ['openai/gpt-5.4-mini', 'gpt-5.4-mini', 'api'],
    ['openai/gpt-5.2', 'gpt-5.2', 'api'],
    ['openai/gpt-5.1', 'gpt-5.1', 'api'],
    ['openai/gpt-5', 'gpt-5', 'api'],
    ['openai/gpt-5-mini', 'gpt-5-mini', 'api'],
    ['openai/gpt-5-nano', 'gpt-5-nano', 'api'],
    ['openai/o3', 'o3', 'api'],
    ['openai/o4-mini', 'o4-mini', 'api'],
    ['openai/gpt-4.1', 'gpt-4.1', 'api'],
    ['openai-codex/gpt-5.4', 'gpt-5.4', 'subscription'],
    ['openai-codex/gpt-5.3-codex', 'gpt-5.3-codex', 'subscription'],
    ['openai-codex/gpt-5.2-codex', 'gpt-5.2-codex', 'subscription'],
    ['openai-codex/gpt-5.1-codex-max', 'gpt-5.1-codex-max', 'subscription'],
    ['openai-codex/gpt-5.1-codex-mini', 'gpt-5.1-codex-mini', 'subscription'],
    ['google/gemini-3.1-pro-preview', 'gemini-3.1-pro-preview', 'api'],
    ['google/gemini-3-pro-preview', 'gemini-3-pro-preview', 'api'],
    ['google/gemini-3-flash-preview', 'gemini-3-flash-preview', 'api'],
    ['google/gemini-3.5-flash', 'gemini-3.5-flash', 'api'],
    ['google/gemini-2.5-pro', 'gemini-2.5-pro', 'api'],
    ['google/gemini-2.5-flash', 'gemini-2.5-flash', 'api'],
    ['google/gemini-2.5-flash-lite', 'gemini-2.5-flash-lite', 'api'],
    ['google-gemini-cli/gemini-2.5-pro', 'gemini-2.5-pro', 'subscription'],
    ['amazon-bedrock/us.anthropic.claude-opus-4-5-20251101-v1:0', 'us.anthropic.claude-opus-4-5-20251101-v1:0', 'api'],
    [
      'amazon-bedrock/global.anthropic.claude-opus-4-5-20251101-v1:0',
      'global.anthropic.claude-opus-4-5-20251101-v1:0',
      'api',
    ],
    [
      'amazon-bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'api',
    ],
    [
      'amazon-bedrock/jp.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'jp.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'api',
    ],
    [
      'amazon-bedrock/au.anthropic.claude-haiku-4-5-20251001-v1:0',
      'au.anthropic.claude-haiku-4-5-20251001-v1:0',
      'api',
    ],
    ['amazon-bedrock/anthropic.claude-opus-4-5-20251101-v1:0', 'anthropic.claude-opus-4-5-20251101-v1:0', 'api'],
    ['xai/grok-4', 'xai/grok-4', 'api'],
    ['xai/grok-4-1-fast-reasoning', 'xai/grok-4-1-fast-reasoning', 'api'],
    ['xai/grok-4.1-fast', 'xai/grok-4-1-fast', 'api'],
    ['xai/grok-4.3', 'xai/grok-4.3', 'api'],
    ['xai/grok-code-fast-1', 'xai/grok-code-fast-1', 'api'],
    ['zai/glm-5.1', 'zai/glm-5.1', 'api'],
    ['zai/glm-5', 'zai/glm-5', 'api'],
    ['zai/glm-4.7', 'zai/glm-4.7', 'api'],
    ['zai/glm-4.6', 'zai/glm-4.6', 'api'],
    ['zai/glm-4.5-air', 'zai/glm-4.5-air', 'api'],
    ['moonshot/kimi-k2.6', 'moonshot/kimi-k2.6', 'api'],
    ['moonshot/kimi-k2.5', 'moonshot/kimi-k2.5', 'api'],
    ['moonshot/kimi-k2-thinking', 'moonshot/kimi-k2-thinking', 'api'],
    ['kimi-coding/k2p5', 'moonshot/kimi-k2.5', 'subscription'],
    ['minimax/MiniMax-M2.5', 'minimax/MiniMax-M2.5', 'api'],
    ['minimax/MiniMax-M2.1', 'minimax/MiniMax-M2.1', 'api'],
    ['minimax-portal/MiniMax-M2.5', 'minimax/MiniMax-M2.5', 'subscription'],
    ['deepseek/deepseek-chat', 'deepseek/deepseek-chat', 'api'],
    ['deepseek/deepseek-reasoner', 'deepseek/deepseek-reasoner', 'api'],
    ['deepseek/deepseek-v3.2', 'deepseek/deepseek-v3.2', 'api'],
    ['openrouter/deepseek/deepseek-v3.2', 'openrouter/deepseek/deepseek-v3.2', 'api'],
    ['moonshot/kimi-latest', 'moonshot/kimi-latest', 'api'],
    ['deepseek/deepseek-v4-flash', 'deepseek/deepseek-v4-flash', 'api'],
    ['deepseek/deepseek-v4-pro', 'deepseek/deepseek-v4-pro', 'api'],
    ['mistral/mistral-medium-latest', 'mistral/mistral-medium-latest', 'api'],
    ['mistral/mistral-small-latest', 'mistral/mistral-small-latest', 'api'],
    ['mistral/mistral-large-latest', 'mistral/mistral-large-latest', 'api'],
    ['mistral/codestral-latest', 'mistral/codestral-latest', 'api'],
    ['mistral/devstral-medium-latest', 'mistral/devstral-medium-latest', 'api'],
    ['mistral/magistral-medium-latest', 'mistral/magistral-medium-latest', 'api'],
    ['bailian/qwen3-max', 'dashscope/qwen3-max', 'api'],
    ['dashscope/qwen3-coder-plus', 'dashscope/qwen3-coder-plus', 'api'],
    ['dashscope/qwen-plus', 'dashscope/qwen-plus', 'api'],
    ['qwen/qwen3.5-plus', 'dashscope/qwen3.5-plus', 'api'],
    ['openrouter/anthropic/claude-opus-4.6', 'openrouter/anthropic/claude-opus-4.6', 'api'],
    ['openrouter/moonshotai/kimi-k2.5', 'openrouter/moonshotai/kimi-k2.5', 'api'],
    ['openrouter/x-ai/grok-4', 'openrouter/x-ai/grok-4', 'api'],
    ['openrouter/z-ai/glm-4.7', 'openrouter/z-ai/glm-4.7', 'api'],
    ['openrouter/qwen/qwen3-coder', 'openrouter/qwen/qwen3-coder', 'api'],
    ['vercel-ai-gateway/anthropic/claude-opus-4.5', 'vercel_ai_gateway/anthropic/claude-opus-4.5', 'api'],
  ];

/** Each remaining difference beyond 1%, and why ours is the price to use. */
export const EXPLAINED: Readonly<Record<string, string>> = {
  'amazon-bedrock/anthropic.claude-opus-4-5-20251101-v1:0':
    "in-region Bedrock endpoints of Claude 4.5 and later cost 10% more than global ones, like the us./eu./jp./au. profiles (AWS's regional pricing; the catalog's `regional.` entry); LiteLLM lists the bare id at the global price",
  'openrouter/z-ai/glm-4.7':
    "OpenRouter's own price, which changes with its providers: the catalog's (2026-09, $1.75 out) is newer than LiteLLM's (2026-07, $1.50)",
  'openrouter/qwen/qwen3-coder':
    "OpenRouter's own price: the catalog's (2026-09, $1.80 out) is newer than LiteLLM's (2026-07, $0.95)",
};

const KINDS = [
  ['input', 'input_cost_per_token'],
  ['output', 'output_cost_per_token'],
  ['cacheRead', 'cache_read_input_token_cost'],
  ['cacheWrite', 'cache_creation_input_token_cost'],
] as const;

describe('prices against LiteLLM (2026-07-24)', async () => {
  const resolver = new PriceResolver({ ...(await loadPricing()), catalog: new Catalog(bundledSource()) });
  const mismatches: string[] = [];
  for (const [id, key, billing] of CROSSCHECK) {
    it(`${id} ~ ${key}`, () => {
      const slash = id.indexOf('/');
      const provider = normalizeProvider(id.slice(0, slash));
      const r = resolver.resolve(undefined, provider, normalizeModel(id.slice(slash + 1), provider), AT);
      expect(r.billing, id).toBe(billing);
      const theirs = litellm[key];
      expect(theirs, `${key} in the LiteLLM snapshot`).toBeDefined();
      const off: string[] = [];
      for (const [ours, field] of KINDS) {
        const t = theirs?.[field];
        if (t === undefined || (ours !== 'input' && ours !== 'output' && t === 0)) continue;
        const mine = baseRate(r.price?.[ours] as Rate | undefined) ?? 0;
        const want = t * 1e6;
        if (Math.abs(mine - want) > Math.max(0.01 * want, 1e-9))
          off.push(`${ours} ${mine} vs ${Number(want.toPrecision(6))}`);
      }
      // The 1-hour cache write and the long-context input rate, where LiteLLM has them.
      const h1 = theirs?.cache_creation_input_token_cost_above_1hr;
      if (
        h1 &&
        r.price &&
        Math.abs(costAt(r.price, { input: 0, output: 0, cacheRead: 0, cacheWrite: 100_000 }, true) * 10 - h1 * 1e6) >
          0.01 * h1 * 1e6
      )
        off.push(`1h cache write vs ${h1 * 1e6}`);
      const long = theirs?.input_cost_per_token_above_200k_tokens;
      if (
        long &&
        r.price &&
        Math.abs(costAt(r.price, { input: 300_000, output: 0, cacheRead: 0, cacheWrite: 0 }) - long * 300_000) >
          0.01 * long * 300_000
      )
        off.push(`input above 200k vs ${long * 1e6}`);
      // Whole calls too: a typical agent turn must cost within 1% (with cache tokens where LiteLLM prices them).
      if (theirs?.input_cost_per_token !== undefined && r.price) {
        // LiteLLM's cache write of 0 means "not billed apart" (DeepSeek, Z.ai report no cache writes at all).
        const t = {
          input: 2_000,
          output: 800,
          cacheRead: theirs.cache_read_input_token_cost === undefined ? 0 : 30_000,
          cacheWrite: theirs.cache_creation_input_token_cost ? 1_500 : 0,
        };
        const want =
          t.input * theirs.input_cost_per_token +
          t.output * (theirs.output_cost_per_token ?? 0) +
          t.cacheRead * (theirs.cache_read_input_token_cost ?? 0) +
          t.cacheWrite * (theirs.cache_creation_input_token_cost ?? 0);
        const mine = costAt(r.price, t);
        if (Math.abs(mine - want) > 0.01 * want)
          off.push(`a typical call ${mine.toPrecision(4)} vs ${want.toPrecision(4)}`);
      }
      if (off.length) mismatches.push(`${id}: ${off.join(', ')}`);
      if (EXPLAINED[id] === undefined)
        expect(off.join('; '), `${id} (${r.key}) differs from LiteLLM's ${key}`).toBe('');
      else
        expect(off.length, `${id} is explained as differing, but agrees now: drop it from EXPLAINED`).toBeGreaterThan(
          0,
        );
    });
  }
});
