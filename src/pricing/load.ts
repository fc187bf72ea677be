import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatZodIssues } from '../shared/zod-issues.js';
import type { PricingMode, PricingOptions } from './cost.js';
import { type PricingFile, PricingFileSchema, type PricingTable, mergePricing } from './table.js';

/** The table shipped at the package root (two levels up from src/pricing or dist/pricing). */
export const SHIPPED_PRICING = fileURLToPath(new URL('../../pricing.json', import.meta.url));

export class PricingError extends Error {}

async function readPricingFile(path: string): Promise<PricingFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PricingError(`cannot read pricing file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PricingError(`pricing file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = PricingFileSchema.safeParse(json);
  if (!parsed.success) throw new PricingError(`pricing file ${path}: ${formatZodIssues(parsed.error.issues)}`);
  return parsed.data;
}

export async function loadPricing(overridePath?: string): Promise<PricingTable> {
  const base = await readPricingFile(SHIPPED_PRICING);
  return overridePath === undefined ? mergePricing(base) : mergePricing(base, await readPricingFile(overridePath));
}

/** The table (with its override) and the mode, as configured. */
export async function loadPricingOptions(p: { file?: string | undefined; mode: PricingMode; subscriptionsAsFree: boolean }): Promise<PricingOptions> {
  return { mode: p.mode, table: await loadPricing(p.file), subscriptionsAsFree: p.subscriptionsAsFree };
}
