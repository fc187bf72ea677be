// Ledger records and a pricing table with round numbers, so tests can state costs by hand.
import type { LedgerRecord } from '../../src/ledger/record.js';
import type { PricingOptions } from '../../src/pricing/cost.js';
import { tablePricing } from './pricing.js';

/** $1 per 1M input tokens for anthropic, $2 for openai, ollama free, nothing for "mystery". */
export const PRICING: PricingOptions = tablePricing({
  'anthropic/claude-opus-4-5': { input: 1, output: 1, cacheRead: 1, cacheWrite: 1 },
  'openai/gpt-5.2': { input: 2, output: 2 },
});

let seq = 0;

/** A call at ISO instant `at`; `input` defaults to 1M tokens (= $1 for anthropic). */
export function rec(at: string, over: Partial<LedgerRecord> = {}): LedgerRecord {
  const t = Date.parse(at);
  const provider = over.provider ?? 'anthropic';
  const model =
    over.model ?? (provider === 'openai' ? 'gpt-5.2' : provider === 'ollama' ? 'qwen3:8b' : 'claude-opus-4-5');
  return {
    at: t,
    msgTs: t + (seq++ % 1000) / 1000,
    gateway: 'home',
    agent: 'main',
    session: 's1',
    provider,
    model,
    rawProvider: provider,
    rawModel: model,
    input: 1_000_000,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    transcriptCostUsd: null,
    costUsd: 0,
    costSource: 'table',
    file: 'agents/main/sessions/s1.jsonl',
    ...over,
  };
}
