import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPricing, PricingError } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'ocb-pricing-'));

describe('the shipped pricing.json overlay', () => {
  it('is valid, dated, and every model entry says where its price comes from and when', async () => {
    const { overlay } = await loadPricing();
    expect(overlay.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(overlay.models.size).toBeGreaterThan(10);
    for (const [key, p] of overlay.models) {
      expect(p.source, key).toBeTruthy();
      expect(p.date, key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('stays thin: it holds no model the catalog prices, unless the entry says why it must win', async () => {
    const { overlay } = await loadPricing();
    const { bundledSource, Catalog } = await import('./catalog.js');
    const { lookupsFor } = await import('./providers.js');
    const catalog = new Catalog(bundledSource());
    for (const [key, p] of overlay.models) {
      if (p.reason !== undefined || p.free) continue;
      const [provider, ...rest] = key.split('/');
      const found = lookupsFor(provider as string, rest.join('/')).catalog.find((c) =>
        catalog.find(c.provider, c.model),
      );
      expect(found, `${key} is in the catalog as ${JSON.stringify(found)}`).toBeUndefined();
    }
  });

  it('reads an override file', async () => {
    const f = join(dir, 'o.json');
    writeFileSync(
      f,
      JSON.stringify({
        updated: '2026-12-01',
        models: { 'openai/gpt-5.2': { input: 9 }, 'acme/x': { input: 1, tiers: [{ above: 200000, input: 2 }] } },
      }),
    );
    const { override } = await loadPricing(f);
    expect(override?.models.get('openai/gpt-5.2')).toEqual({ input: 9 });
    expect(override?.models.get('acme/x')?.tiers).toEqual([{ above: 200000, input: 2 }]);
    expect(override?.updated).toBe('2026-12-01');
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
