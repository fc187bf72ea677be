import { z } from 'zod';

/** USD per 1M tokens; a missing field is 0. `free` marks local or free models (priced at 0, not unpriced). */
export const PriceSchema = z
  .object({
    input: z.number().nonnegative().optional(),
    output: z.number().nonnegative().optional(),
    cacheRead: z.number().nonnegative().optional(),
    cacheWrite: z.number().nonnegative().optional(),
    free: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();
export type Price = z.infer<typeof PriceSchema>;

const KEY = /^[^/\s]+\/\S+$/;

export const PricingFileSchema = z
  .object({
    updated: z.string().optional(),
    unit: z.literal('USD per 1M tokens').optional(),
    /** Where each provider's prices come from, for the humans who keep the table current. */
    sources: z.record(z.string(), z.string()).optional(),
    models: z.record(
      z.string().regex(KEY, 'keys are "<provider>/<model>" or "<provider>/*"'),
      PriceSchema,
    ),
  })
  .strict();
export type PricingFile = z.infer<typeof PricingFileSchema>;

export interface PricingTable {
  updated: string | undefined;
  models: ReadonlyMap<string, Price>;
}

/** The shipped table with override files merged over it, key by key (an override entry replaces that entry). */
export function mergePricing(base: PricingFile, ...overrides: PricingFile[]): PricingTable {
  const models = new Map<string, Price>();
  let updated = base.updated;
  for (const file of [base, ...overrides]) {
    for (const [key, price] of Object.entries(file.models)) models.set(key.trim().toLowerCase(), price);
    if (file !== base && file.updated !== undefined) updated = file.updated;
  }
  return { updated, models };
}
