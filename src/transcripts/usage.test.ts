import { describe, expect, it } from 'vitest';
import { readTokens, readTranscriptCost } from './usage.js';

describe('readTokens', () => {
  it('reads the current field names', () => {
    expect(readTokens({ input: 12, output: 87, cacheRead: 14210, cacheWrite: 1893, totalTokens: 16202 })).toEqual({
      input: 12,
      output: 87,
      cacheRead: 14210,
      cacheWrite: 1893,
    });
  });

  it.each([
    [
      { inputTokens: 5, outputTokens: 6 },
      { input: 5, output: 6, cacheRead: 0, cacheWrite: 0 },
    ],
    [
      { input_tokens: 5, output_tokens: 6, cache_read_input_tokens: 7, cache_creation_input_tokens: 8 },
      { input: 5, output: 6, cacheRead: 7, cacheWrite: 8 },
    ],
    [
      { promptTokens: 5, completionTokens: 6 },
      { input: 5, output: 6, cacheRead: 0, cacheWrite: 0 },
    ],
    [
      { prompt_tokens: 5, completion_tokens: 6 },
      { input: 5, output: 6, cacheRead: 0, cacheWrite: 0 },
    ],
    [
      { input: 1, cache_read: 2, cache_write: 3 },
      { input: 1, output: 0, cacheRead: 2, cacheWrite: 3 },
    ],
    [
      { input: 1, cached_tokens: 9 },
      { input: 1, output: 0, cacheRead: 9, cacheWrite: 0 },
    ],
  ])('aliases %j', (usage, want) => expect(readTokens(usage)).toEqual(want));

  it('subtracts an OpenAI-style cached detail from the prompt figure', () => {
    expect(
      readTokens({ prompt_tokens: 1000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 800 } }),
    ).toEqual({
      input: 200,
      output: 10,
      cacheRead: 800,
      cacheWrite: 0,
    });
    expect(readTokens({ input_tokens: 100, output_tokens: 1, input_tokens_details: { cached_tokens: 40 } })).toEqual({
      input: 60,
      output: 1,
      cacheRead: 40,
      cacheWrite: 0,
    });
  });

  it('never goes below 0 when cached exceeds the prompt', () => {
    expect(readTokens({ prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 50 } }).input).toBe(0);
  });

  it('does not subtract from the native input field, which already excludes cache', () => {
    expect(readTokens({ input: 10, prompt_tokens_details: { cached_tokens: 50 } })).toEqual({
      input: 10,
      output: 0,
      cacheRead: 50,
      cacheWrite: 0,
    });
  });

  it('counts non-finite, non-numeric and negative values as 0', () => {
    expect(readTokens({ input: '12', output: Number.NaN, cacheRead: -5, cacheWrite: null })).toEqual({
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
    });
    expect(readTokens({ input: -3 }).input).toBe(0);
  });

  it('prefers a positive alias over a zero one, like OpenClaw', () => {
    expect(readTokens({ input: 0, input_tokens: 42 }).input).toBe(42);
  });
});

describe('readTranscriptCost', () => {
  it('reads cost.total', () => expect(readTranscriptCost({ cost: { total: 0.25 } })).toBe(0.25));
  it('is null when absent or not a number', () => {
    expect(readTranscriptCost({})).toBeNull();
    expect(readTranscriptCost({ cost: { total: '1' } })).toBeNull();
    expect(readTranscriptCost({ cost: 3 })).toBeNull();
  });
});

describe('usage fields seen in the wild', () => {
  it('DeepSeek: prompt_cache_hit_tokens are cache reads, prompt_cache_miss_tokens the uncached input', () => {
    // A real DeepSeek API usage object: prompt_tokens = hit + miss.
    const u = {
      prompt_tokens: 1200,
      completion_tokens: 80,
      total_tokens: 1280,
      prompt_cache_hit_tokens: 1024,
      prompt_cache_miss_tokens: 176,
    };
    expect(readTokens(u)).toEqual({ input: 176, output: 80, cacheRead: 1024, cacheWrite: 0 });
    expect(readTokens({ prompt_tokens: 1200, completion_tokens: 80, prompt_cache_hit_tokens: 1024 })).toEqual({
      input: 176,
      output: 80,
      cacheRead: 1024,
      cacheWrite: 0,
    });
  });

  it('a usage with only a total counts it as input, marked', () => {
    expect(readTokens({ totalTokens: 333 })).toEqual({
      input: 333,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      totalOnly: true,
    });
    expect(readTokens({ input: 0, output: 0, total_tokens: 50 })).toMatchObject({ input: 50, totalOnly: true });
    expect(readTokens({ input: 10, output: 5, totalTokens: 15 })).toEqual({
      input: 10,
      output: 5,
      cacheRead: 0,
      cacheWrite: 0,
    });
  });

  it('all four counts 0 and no total stays all 0 (a failed request: see isFailedCall)', () => {
    expect(readTokens({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0 })).toEqual({
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
    });
  });
});
