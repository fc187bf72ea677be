// The overlay (`pricing.json`) and override files: the contract's flat prices per `<provider>/<model>`. Pure.
import { z } from 'zod';
import type { Rate, UnitPrice } from './rate.js';

const usd = z.number().nonnegative();
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** USD per 1M tokens; a missing field is 0. `free` marks local or free models (priced at 0, not unpriced). */
export const PriceSchema = z
  .object({
    input: usd.optional(),
    output: usd.optional(),
    cacheRead: usd.optional(),
    cacheWrite: usd.optional(),
    /** The 1-hour cache write rate (Anthropic `cacheRetention: "long"`); `cacheWrite` when absent. */
    cacheWrite1h: usd.optional(),
    /** Long-context prices: above `above` prompt tokens (uncached + cached), these rates replace the ones above. */
    tiers: z
      .array(
        z
          .object({
            above: z.number().int().nonnegative(),
            input: usd.optional(),
            output: usd.optional(),
            cacheRead: usd.optional(),
            cacheWrite: usd.optional(),
          })
          .strict(),
      )
      .optional(),
    free: z.boolean().optional(),
    note: z.string().optional(),
    /** Where the price was read (overlay entries must say), and when. */
    source: z.string().optional(),
    date: z.string().regex(DATE, 'expected YYYY-MM-DD').optional(),
    /** Why this overlay entry must win over the catalog (a stale catalog price); without it the catalog wins. */
    reason: z.string().optional(),
    /** The first day (UTC) the entry applies to; earlier calls keep the catalog's price of their time. */
    since: z.string().regex(DATE, 'expected YYYY-MM-DD').optional(),
  })
  .strict();
export type Price = z.infer<typeof PriceSchema>;

const KEY = /^[^/\s]+\/\S+$/;

export const PricingFileSchema = z
  .object({
    updated: z.string().optional(),
    unit: z.literal('USD per 1M tokens').optional(),
    /** Where each group of prices comes from, for the humans who keep the file current. */
    sources: z.record(z.string(), z.string()).optional(),
    models: z.record(z.string().regex(KEY, 'keys are "<provider>/<model>" or "<provider>/*"'), PriceSchema),
  })
  .strict();
export type PricingFile = z.infer<typeof PricingFileSchema>;

export interface PricingTable {
  updated: string | undefined;
  models: ReadonlyMap<string, Price>;
}

/** A file's entries under their normalized keys; later files replace earlier entries key by key. */
export function mergePricing(base: PricingFile, ...overrides: PricingFile[]): PricingTable {
  const models = new Map<string, Price>();
  let updated = base.updated;
  for (const file of [base, ...overrides]) {
    for (const [key, price] of Object.entries(file.models)) models.set(key.trim().toLowerCase(), price);
    if (file !== base && file.updated !== undefined) updated = file.updated;
  }
  return { updated, models };
}

function rate(
  base: number | undefined,
  tiers: Price['tiers'],
  kind: 'input' | 'output' | 'cacheRead' | 'cacheWrite',
): Rate | undefined {
  const steps = (tiers ?? []).flatMap((t) =>
    t[kind] === undefined ? [] : [{ start: t.above, price: t[kind] as number }],
  );
  if (steps.length === 0) return base;
  return { base: base ?? 0, tiers: steps.sort((a, b) => a.start - b.start) };
}

/** A table entry as a resolved price (the contract's rule: a missing field is 0). */
export function unitPriceOfEntry(p: Price): UnitPrice {
  if (p.free) return {};
  const out: UnitPrice = {};
  const set = (k: keyof UnitPrice, r: Rate | undefined) => {
    if (r !== undefined) out[k] = r;
  };
  set('input', rate(p.input, p.tiers, 'input'));
  set('output', rate(p.output, p.tiers, 'output'));
  set('cacheRead', rate(p.cacheRead, p.tiers, 'cacheRead'));
  set('cacheWrite', rate(p.cacheWrite, p.tiers, 'cacheWrite'));
  set('cacheWrite1h', p.cacheWrite1h);
  return out;
}
