import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_VERSION, type CatalogData, CatalogDataSchema, priceAt, unitPriceOf } from './catalog.js';
import { loadPricing } from './load.js';
import { costAt, TIER_STARTS } from './rate.js';

const require = createRequire(import.meta.url);
const genai = require('@pydantic/genai-prices') as typeof import('@pydantic/genai-prices');
const bundled = async () => (await genai.waitForUpdate()) as unknown as CatalogData;

const KNOWN = new Set(['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'cache_write_1h_mtok']);

describe('the bundled catalog', () => {
  it('is the version whose data date we state', () => {
    const pkg = JSON.parse(
      readFileSync(join(dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(
      pkg.version,
      'bump BUNDLED_VERSION and BUNDLED_DATE (the release date) in catalog.ts with the dependency',
    ).toBe(BUNDLED_VERSION);
  });

  it('passes the schema `pricing update` checks fetched data with', async () => {
    expect(CatalogDataSchema.safeParse(await bundled()).success).toBe(true);
  });

  it('uses no tier start that TIER_STARTS lacks (nor does the overlay)', async () => {
    const starts = new Set<number>();
    for (const p of await bundled()) {
      for (const m of p.models) {
        for (const prices of Array.isArray(m.prices) ? m.prices.map((c) => c.prices) : [m.prices]) {
          for (const v of Object.values(prices))
            if (v && typeof v === 'object') for (const t of v.tiers) starts.add(t.start);
        }
      }
    }
    for (const p of (await loadPricing()).overlay.models.values()) for (const t of p.tiers ?? []) starts.add(t.above);
    expect([...starts].filter((s) => !TIER_STARTS.includes(s))).toEqual([]);
  });

  it("prices every token-priced model exactly like the catalog's own calcPrice, at any instant", async () => {
    const instants = [
      '2024-06-01T12:00:00Z',
      '2025-06-01T03:00:00Z',
      '2026-08-20T02:30:00Z',
      '2026-08-20T12:00:00Z',
      '2026-11-20T07:00:00Z',
    ].map(Date.parse);
    const usages = [
      { input: 1200, output: 300, cacheRead: 0, cacheWrite: 0 },
      { input: 50_000, output: 2_000, cacheRead: 90_000, cacheWrite: 4_000 },
      { input: 10_000, output: 8_000, cacheRead: 250_000, cacheWrite: 30_000 },
      { input: 400_000, output: 1_000, cacheRead: 200_000, cacheWrite: 0 },
    ];
    let compared = 0;
    for (const provider of await bundled()) {
      for (const model of provider.models) {
        const all = Array.isArray(model.prices) ? model.prices.map((c) => c.prices) : [model.prices];
        if (all.some((p) => Object.keys(p).some((k) => !KNOWN.has(k) && k.startsWith('request')))) continue;
        const single = {
          ...provider,
          models: [{ ...model, match: { equals: 'probe' } }],
        } as unknown as import('@pydantic/genai-prices').Provider;
        for (const at of instants) {
          const price = unitPriceOf(priceAt(model.prices, at));
          if (!price) continue;
          for (const u of usages) {
            for (const long of [false, true]) {
              const usage = {
                input_tokens: u.input + u.cacheRead + u.cacheWrite,
                output_tokens: u.output,
                cache_read_tokens: u.cacheRead,
                cache_write_tokens: u.cacheWrite,
                ...(long ? { cache_write_1h_tokens: u.cacheWrite } : {}),
              };
              const theirs = genai.calcPrice(usage, 'probe', { provider: single, timestamp: new Date(at) });
              expect(theirs, `${provider.id}/${model.id}`).not.toBeNull();
              const ours = costAt(price, u, long);
              expect(
                ours,
                `${provider.id}/${model.id} at ${new Date(at).toISOString()} ${JSON.stringify(u)} long=${long}`,
              ).toBeCloseTo(theirs?.total_price ?? Number.NaN, 9);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
