import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPricing, PricingError } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'ocb-pricing-'));

describe('the shipped pricing.json', () => {
  it('is valid, dated, sourced, and covers the models the issue lists', async () => {
    const t = await loadPricing();
    expect(t.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const must = [
      'anthropic/claude-opus-4', 'anthropic/claude-opus-4-1', 'anthropic/claude-opus-4-5', 'anthropic/claude-opus-4-6',
      'anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4-5', 'anthropic/claude-haiku-4-5',
      'openai/gpt-5', 'openai/gpt-5.1', 'openai/gpt-5.2', 'openai/gpt-5-mini', 'openai/gpt-5-nano', 'openai/o3', 'openai/o4-mini',
      'openai/gpt-4.1', 'openai/gpt-4.1-mini', 'openai/gpt-4o', 'openai/gpt-4o-mini',
      'google/gemini-2.5-pro', 'google/gemini-2.5-flash', 'google/gemini-2.5-flash-lite', 'google/gemini-3-pro-preview',
      'moonshot/kimi-k2', 'moonshot/kimi-k2.5', 'zai/glm-4.6', 'zai/glm-4.7', 'minimax/minimax-m2', 'minimax/minimax-m2.1',
      'xai/grok-4', 'xai/grok-4-fast', 'deepseek/deepseek-chat', 'mistral/mistral-large-latest', 'ollama/*', 'lmstudio/*',
    ];
    for (const k of must) expect(t.models.has(k), k).toBe(true);
    expect(t.models.get('ollama/*')?.free).toBe(true);
  });

  it('merges an override key by key', async () => {
    const f = join(dir, 'o.json');
    writeFileSync(f, JSON.stringify({ updated: '2026-12-01', models: { 'openai/gpt-5.2': { input: 9 }, 'acme/x': { input: 1 } } }));
    const t = await loadPricing(f);
    expect(t.models.get('openai/gpt-5.2')).toEqual({ input: 9 });
    expect(t.models.get('acme/x')).toEqual({ input: 1 });
    expect(t.models.get('anthropic/claude-opus-4-5')?.output).toBe(25);
    expect(t.updated).toBe('2026-12-01');
  });

  it('explains a bad override: missing file, bad JSON, bad shape', async () => {
    await expect(loadPricing(join(dir, 'missing.json'))).rejects.toThrow(/cannot read pricing file .*missing\.json/);
    writeFileSync(join(dir, 'bad.json'), '{');
    await expect(loadPricing(join(dir, 'bad.json'))).rejects.toBeInstanceOf(PricingError);
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ models: { 'openai/gpt-5.2': { input: -1 } } }));
    await expect(loadPricing(join(dir, 'shape.json'))).rejects.toThrow(/models\.openai\/gpt-5\.2\.input/);
    writeFileSync(join(dir, 'key.json'), JSON.stringify({ models: { nokey: { input: 1 } } }));
    await expect(loadPricing(join(dir, 'key.json'))).rejects.toThrow(/<provider>\/<model>/);
  });
});
