import { describe, expect, it } from 'vitest';
import { normalizeModel, normalizeProvider } from '../transcripts/names.js';
import { bundledSource, Catalog } from './catalog.js';
import { loadPricing } from './load.js';
import { isLocalUrl, modelIdVariants, PROVIDER_ROUTES } from './providers.js';
import { costAt } from './rate.js';
import { PriceResolver } from './resolve.js';

const AT = Date.parse('2026-11-20T10:00:00Z');
const resolver = async () => new PriceResolver({ ...(await loadPricing()), catalog: new Catalog(bundledSource()) });

/** Provider and model as OpenClaw writes them -> what prices it, its billing class, and the $ per 1M input + 1M output (short prompts). */
const ROWS: Record<string, [raw: string, key: string, billing: string, inOut: number]> = {
  anthropic: ['anthropic/claude-opus-4-7', 'catalog:anthropic/claude-opus-4-7', 'api', 30],
  'anthropic-vertex': ['anthropic-vertex/claude-sonnet-4-5@20250929', 'catalog:anthropic/claude-sonnet-4-5', 'api', 18],
  openai: ['openai/gpt-5.4-2026-03-05', 'catalog:openai/gpt-5.4', 'api', 17.5],
  'openai-codex': ['openai-codex/gpt-5.3-codex', 'catalog:openai/gpt-5.3-codex', 'subscription', 15.75],
  azure: ['azure/gpt-5.2', 'catalog:azure/gpt-5.2', 'api', 15.75],
  'azure-openai': ['azure-openai/gpt-4.1', 'catalog:azure/gpt-4.1', 'api', 10],
  google: ['google/gemini-3.1-pro-preview', 'catalog:google/gemini-3.1-pro-preview', 'api', 14],
  'google-vertex': ['google-vertex/gemini-2.5-pro', 'catalog:google/gemini-2.5-pro', 'api', 11.25],
  'google-gemini-cli': [
    'google-gemini-cli/gemini-3-pro-preview',
    'catalog:google/gemini-3-pro-preview',
    'subscription',
    14,
  ],
  'google-antigravity': [
    'google-antigravity/claude-opus-4-5-thinking',
    'catalog:anthropic/claude-opus-4-5',
    'subscription',
    30,
  ],
  'amazon-bedrock': [
    'amazon-bedrock/jp.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'catalog:aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'api',
    19.8,
  ],
  openrouter: ['openrouter/moonshotai/kimi-k2.5', 'catalog:moonshotai/kimi-k2.5', 'api', 3.6],
  'vercel-ai-gateway': [
    'vercel-ai-gateway/anthropic/claude-sonnet-4.5',
    'catalog:anthropic/claude-sonnet-4-5',
    'api',
    18,
  ],
  'github-copilot': ['github-copilot/claude-opus-4.6', 'catalog:anthropic/claude-opus-4-6', 'subscription', 30],
  xai: ['xai/grok-4.1-fast', 'catalog:x-ai/grok-4-1-fast-reasoning', 'api', 0.7],
  zai: ['zai/glm-5', 'overlay:zai/glm-5', 'api', 4.2],
  moonshot: ['moonshot/kimi-k2.6', 'catalog:moonshotai/kimi-k2.6', 'api', 4.95],
  kimi: ['kimi-coding/k2p5', 'catalog:moonshotai/kimi-k2.5', 'subscription', 3.6],
  'kimi-for-coding': ['kimi-for-coding/k2p6', 'catalog:moonshotai/kimi-k2.6', 'subscription', 4.95],
  minimax: ['minimax/MiniMax-M2.5', 'catalog:minimax/MiniMax-M2', 'api', 1.5],
  'minimax-portal': ['minimax-portal/MiniMax-M2.7', 'catalog:minimax/MiniMax-M2.7', 'subscription', 1.5],
  deepseek: ['deepseek/deepseek-chat', 'overlay:deepseek/deepseek-chat', 'api', 0.7],
  mistral: ['mistral/mistral-medium-latest', 'catalog:mistral/mistral-medium-latest', 'api', 9],
  groq: ['groq/llama-3.3-70b-versatile', 'catalog:groq/llama-3.3-70b-versatile', 'api', 1.38],
  cerebras: ['cerebras/gpt-oss-120b', 'catalog:cerebras/gpt-oss-120b', 'api', 1.1],
  together: [
    'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    'catalog:together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    'api',
    1.76,
  ],
  fireworks: ['fireworks/accounts/fireworks/models/kimi-k2p5', 'catalog:fireworks/kimi-k2p5', 'api', 3.6],
  'qwen-portal': ['qwen-portal/coder-model', 'local:qwen-portal', 'free', 0],
  bailian: ['bailian/qwen3-max', 'overlay:qwen/qwen3-max', 'api', 7.2],
  dashscope: ['dashscope/qwen-plus', 'overlay:qwen/qwen-plus', 'api', 1.6],
  qwen: ['qwen/qwen3-coder-plus', 'overlay:qwen/qwen3-coder-plus', 'api', 6],
  opencode: ['opencode/claude-opus-4-5', 'catalog:anthropic/claude-opus-4-5', 'api', 30],
  ollama: ['ollama/qwen3:8b', 'local:ollama', 'free', 0],
  lmstudio: ['lmstudio/qwen/qwen3-30b', 'local:lmstudio', 'free', 0],
  'lm-studio': ['lm-studio/gemma-3', 'local:lm-studio', 'free', 0],
  vllm: ['vllm/Qwen/Qwen3-8B', 'local:vllm', 'free', 0],
  llamacpp: ['llamacpp/qwen3-8b-q4', 'local:llamacpp', 'free', 0],
  'llama-cpp': ['llama-cpp/qwen3-8b-q4', 'local:llama-cpp', 'free', 0],
  local: ['local/anything', 'local:local', 'free', 0],
};

function split(raw: string): [string, string] {
  const slash = raw.indexOf('/');
  const provider = normalizeProvider(raw.slice(0, slash));
  return [provider, normalizeModel(raw.slice(slash + 1), provider)];
}

describe('OpenClaw provider ids mapped to the catalog', () => {
  it('every row of the table has a case below, and every case a row', () => {
    expect(Object.keys(ROWS).sort()).toEqual(Object.keys(PROVIDER_ROUTES).sort());
  });

  for (const [route, [raw, key, billing, inOut]] of Object.entries(ROWS)) {
    it(`${route}: ${raw} -> ${key} (${billing})`, async () => {
      const [provider, model] = split(raw);
      expect(provider).toBe(route);
      const r = (await resolver()).resolve(undefined, provider, model, AT);
      expect(r.key).toBe(key);
      expect(r.billing).toBe(billing);
      expect(costAt(r.price ?? {}, { input: 10_000, output: 10_000, cacheRead: 0, cacheWrite: 0 }) * 100).toBeCloseTo(
        inOut,
        6,
      );
    });
  }
});

describe('model ids normalized to the ids the catalog knows', () => {
  it.each([
    ['openai', 'gpt-5.2-2025-12-11', 'catalog:openai/gpt-5.2'],
    ['google-antigravity', 'gemini-3-pro-high', 'catalog:google/gemini-3-pro-preview'],
    ['google-antigravity', 'gemini-3-pro-low', 'catalog:google/gemini-3-pro-preview'],
    ['google-antigravity', 'claude-sonnet-4-5-thinking', 'catalog:anthropic/claude-sonnet-4-5'],
    ['openai', 'gpt-5-chat-latest', 'catalog:openai/gpt-5'],
    ['openrouter', 'z-ai/glm-4.7', 'catalog:openrouter/z-ai/glm-4.7'],
    ['openrouter', 'x-ai/grok-4', 'catalog:x-ai/grok-4-0709'],
    ['openrouter', 'mistralai/devstral-medium', 'overlay:mistral/devstral-medium'],
    ['openrouter', 'qwen/qwen3-max', 'catalog:openrouter/qwen/qwen3-max'],
    ['openrouter', 'qwen/qwen3.5-plus', 'overlay:qwen/qwen3.5-plus'],
    ['openrouter', 'anthropic/claude-opus-4-6:thinking', 'catalog:anthropic/claude-opus-4-6'],
    ['openrouter', 'auto', 'overlay:openrouter/auto'],
    ['openrouter', 'meta-llama/llama-3.3-70b-instruct:free', 'free:openrouter/meta-llama/llama-3.3-70b-instruct:free'],
    [
      'amazon-bedrock',
      'au.anthropic.claude-haiku-4-5-20251001-v1:0',
      'catalog:aws/regional.anthropic.claude-haiku-4-5-20251001-v1:0',
    ],
    [
      'amazon-bedrock',
      'global.anthropic.claude-opus-4-5-20251101-v1:0',
      'catalog:aws/global.anthropic.claude-opus-4-5-v1:0',
    ],
    ['kimi', 'k2p5', 'catalog:moonshotai/kimi-k2.5'],
    ['kimi', 'k2p6', 'catalog:moonshotai/kimi-k2.6'],
    ['kimi', 'k3', 'catalog:moonshotai/kimi-k3'],
    ['opencode', 'kimi-k2.5-free', 'free:opencode/kimi-k2.5-free'],
    ['opencode', 'big-pickle', 'overlay:opencode/big-pickle'],
    ['mistral', 'codestral-latest', 'overlay:mistral/codestral-latest'],
    ['xai', 'grok-code-fast-1', 'catalog:x-ai/grok-code-fast-1'],
  ])('%s/%s -> %s', async (provider, model, key) => {
    expect((await resolver()).resolve(undefined, provider, model, AT).key).toBe(key);
  });

  it('tries the id as written first, then without suffixes', () => {
    expect(modelIdVariants('gemini-3-pro-high')).toEqual(['gemini-3-pro-high', 'gemini-3-pro', 'gemini-3-pro-preview']);
    expect(modelIdVariants('k2p5')).toEqual(['k2p5', 'kimi-k2.5']);
  });

  it('knows a localhost baseUrl', () => {
    for (const u of [
      'http://localhost:11434/v1',
      'http://127.0.0.1:1234',
      'http://[::1]:8000/v1',
      'http://host.docker.internal:11434',
    ])
      expect(isLocalUrl(u), u).toBe(true);
    for (const u of ['https://api.openai.com/v1', 'http://10.0.0.5:8000', 'not a url', undefined])
      expect(isLocalUrl(u), String(u)).toBe(false);
  });
});
