import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/sample.js';
import { priceCall } from './cost.js';
import { loadPricingOptions } from './load.js';
import { saveLookups, storeCatalog } from './store.js';

const call = (model: string) => ({
  provider: 'anthropic',
  model,
  input: 1000,
  output: 100,
  cacheRead: 5000,
  cacheWrite: 200,
  transcriptCostUsd: null,
  at: Date.parse('2026-11-20T10:00:00Z'),
  agent: 'main',
});
const config = { mode: 'calculate' as const, subscriptionsAsFree: false };

describe('catalog lookups kept in the state dir', () => {
  it('a run whose models are known never loads the catalog package', async () => {
    const stateDir = tempDir('ocb-lookups-');
    const first = await loadPricingOptions(config, { stateDir });
    const cost = priceCall(call('claude-opus-4-6'), first).costUsd;
    expect(first.resolver.catalog.loaded).toBe(true);
    await saveLookups(stateDir, first.resolver.catalog);

    const quiet = await loadPricingOptions(config, { stateDir });
    expect(priceCall(call('claude-opus-4-6'), quiet).costUsd).toBe(cost);
    expect(quiet.resolver.catalog.loaded).toBe(false);
    // A model not seen before: looked up (and the package loaded) only then.
    priceCall(call('claude-sonnet-4-5'), quiet);
    expect(quiet.resolver.catalog.loaded).toBe(true);
  });

  it('lookups made in another catalog are not reused after an update', async () => {
    const stateDir = tempDir('ocb-lookups-');
    const first = await loadPricingOptions(config, { stateDir });
    priceCall(call('claude-opus-4-6'), first);
    await saveLookups(stateDir, first.resolver.catalog);
    const { createRequire } = await import('node:module');
    const data = await (
      createRequire(import.meta.url)('@pydantic/genai-prices') as typeof import('@pydantic/genai-prices')
    ).waitForUpdate();
    await storeCatalog(
      stateDir,
      JSON.parse(JSON.stringify(data)),
      Date.parse('2026-11-29T00:00:00Z'),
      'http://127.0.0.1/x',
    );
    const after = await loadPricingOptions(config, { stateDir });
    expect(after.resolver.catalog.source).toMatchObject({ origin: 'update', date: '2026-11-29' });
    priceCall(call('claude-opus-4-6'), after);
    expect(after.resolver.catalog.loaded).toBe(true);
  });
});
