import { describe, expect, it } from 'vitest';
import { normalizeModel, normalizeProvider } from './names.js';

describe('normalizeProvider', () => {
  it.each([
    ['Anthropic', 'anthropic'],
    ['  openai ', 'openai'],
    ['z.ai', 'zai'],
    ['Z-AI', 'zai'],
    ['kimi-code', 'kimi'],
    ['kimi-coding', 'kimi'],
    ['bedrock', 'amazon-bedrock'],
    ['AWS-Bedrock', 'amazon-bedrock'],
    ['opencode-zen', 'opencode'],
    ['moonshot', 'moonshot'],
  ])('%s -> %s', (raw, want) => expect(normalizeProvider(raw)).toBe(want));
});

describe('normalizeModel', () => {
  it.each([
    ['claude-opus-4-5', 'anthropic', 'claude-opus-4-5'],
    [' Claude-Sonnet-4-5-20250929 ', 'anthropic', 'claude-sonnet-4-5'],
    ['anthropic/claude-opus-4.5', 'anthropic', 'claude-opus-4-5'],
    ['claude-opus-4.6', 'github-copilot', 'claude-opus-4-6'],
    ['anthropic/claude-opus-4.6', 'openrouter', 'anthropic/claude-opus-4-6'],
    ['openai/gpt-5.2', 'openrouter', 'openai/gpt-5.2'],
    ['openai/gpt-5.2', 'openai', 'gpt-5.2'],
    ['gpt-5.2', 'openai', 'gpt-5.2'],
    ['MiniMax-M2.1', 'minimax', 'minimax-m2.1'],
    ['qwen3:8b', 'ollama', 'qwen3:8b'],
    ['anthropic.claude-opus-4-5-20251101-v1:0', 'amazon-bedrock', 'anthropic.claude-opus-4-5-20251101-v1:0'],
    ['gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
    ['claude-3-5-sonnet-20241022', 'anthropic', 'claude-3-5-sonnet'],
  ])('%s (%s) -> %s', (raw, provider, want) => expect(normalizeModel(raw, provider)).toBe(want));

  it('keeps a 7- or 9-digit suffix (only 8-digit dates are dropped)', () => {
    expect(normalizeModel('model-1234567', 'x')).toBe('model-1234567');
    expect(normalizeModel('model-123456789', 'x')).toBe('model-123456789');
  });
});
