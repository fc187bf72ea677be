import { describe, expect, it } from 'vitest';
import { bundledSource, Catalog, type CatalogHit } from './catalog.js';
import { PriceResolver } from './resolve.js';
import { mergePricing } from './table.js';

const at = (iso: string) => Date.parse(iso);

/** A resolver whose catalog holds `hits` (as a stored lookup would), and an overlay. */
function resolver(hits: Record<string, CatalogHit>, overlay = {}) {
  return new PriceResolver({
    override: null,
    overlay: mergePricing({ models: overlay }),
    catalog: new Catalog(bundledSource(), new Map(Object.entries(hits))),
  });
}

const base = { input_mtok: 1, output_mtok: 2 };

describe('PriceResolver price changes', () => {
  it('numbers the stretches between dated prices, so calls of one stretch can be priced together', () => {
    const r = resolver(
      {
        'openai\tx-1': {
          provider: 'openai',
          model: 'x-1',
          prices: [
            { prices: base },
            { constraint: { start_date: '2026-07-30', type: 'start_date' }, prices: { input_mtok: 0.5 } },
          ],
        },
      },
      { 'openai/x-1': { input: 9, reason: 'known stale', since: '2026-09-01', source: 'test', date: '2026-09-01' } },
    );
    const epochs = ['2026-07-29T23:59:59Z', '2026-07-30T00:00:00Z', '2026-08-31T12:00:00Z', '2026-09-01T00:00:00Z'].map(
      (iso) => r.priceEpoch('openai', 'x-1', at(iso)),
    );
    expect(epochs).toEqual([0, 1, 1, 2]);
    // And the prices do differ where the epochs do (and not within one).
    const price = (iso: string) => r.resolve(undefined, 'openai', 'x-1', at(iso)).price;
    expect(price('2026-07-29T12:00:00Z')).not.toEqual(price('2026-07-30T12:00:00Z'));
    expect(price('2026-07-30T12:00:00Z')).toEqual(price('2026-08-31T12:00:00Z'));
    expect(price('2026-08-31T12:00:00Z')).not.toEqual(price('2026-09-01T12:00:00Z'));
  });

  it('says a price changes within the day while a time-of-day price is in force, not once a dated one replaces it', () => {
    const r = resolver({
      'deepseek\tx-2': {
        provider: 'deepseek',
        model: 'x-2',
        prices: [
          { prices: base },
          {
            constraint: { start_time: '00:30:00Z', end_time: '16:30:00Z', type: 'time_of_date' },
            prices: { input_mtok: 0.5 },
          },
          { constraint: { start_date: '2026-08-17', type: 'start_date' }, prices: { input_mtok: 3 } },
        ],
      },
    });
    expect(r.timeOfDay('deepseek', 'x-2', at('2026-08-16T00:00:00Z'))).toEqual(new Set([0, 16]));
    expect(r.timeOfDay('deepseek', 'x-2', at('2026-08-17T00:00:00Z'))).toBeUndefined();
    const price = (iso: string) => r.resolve(undefined, 'deepseek', 'x-2', at(iso)).price;
    expect(price('2026-08-16T10:00:00Z')).not.toEqual(price('2026-08-16T20:00:00Z'));
    expect(price('2026-08-18T10:00:00Z')).toEqual(price('2026-08-18T20:00:00Z'));
  });
});
