// Reading the overlay and the override file, and putting a run's pricing together.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatZodIssues } from '../shared/zod-issues.js';
import { Catalog } from './catalog.js';
import type { PricingMode, PricingOptions } from './cost.js';
import type { GatewayPricing } from './gateway-config.js';
import { PriceResolver } from './resolve.js';
import { catalogSource, ONCE, readGatewayPricings, readLookups, readUpdateState } from './store.js';
import { mergePricing, type PricingFile, PricingFileSchema, type PricingTable } from './table.js';

/** The overlay shipped at the package root (two levels up from src/pricing or dist/pricing). */
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
  const parsed = PricingFileSchema.safeParse(json, ONCE);
  if (!parsed.success) throw new PricingError(`pricing file ${path}: ${formatZodIssues(parsed.error.issues)}`);
  return parsed.data;
}

export interface PricingTables {
  overlay: PricingTable;
  override: PricingTable | null;
}

export async function loadPricing(overridePath?: string): Promise<PricingTables> {
  const overlay = mergePricing(await readPricingFile(SHIPPED_PRICING));
  return { overlay, override: overridePath === undefined ? null : mergePricing(await readPricingFile(overridePath)) };
}

export interface PricingContext {
  /** Where `pricing update` stores its copy and where lookups are remembered; none: the bundled catalog only. */
  stateDir?: string;
  /** Each gateway's own configured costs (its openclaw.json), by gateway name; default: as check last stored them. */
  gateways?: Map<string, GatewayPricing>;
}

/** The mode, the override, the overlay and the catalog in force, as configured. */
export async function loadPricingOptions(
  p: { file?: string | undefined; mode: PricingMode; subscriptionsAsFree: boolean },
  ctx: PricingContext = {},
): Promise<PricingOptions> {
  const { stateDir } = ctx;
  const [tables, update, stored] = await Promise.all([
    loadPricing(p.file),
    stateDir === undefined ? {} : readUpdateState(stateDir),
    ctx.gateways ?? (stateDir === undefined ? new Map() : readGatewayPricings(stateDir)),
  ]);
  const source = catalogSource(stateDir, update);
  const memo = stateDir === undefined ? new Map() : await readLookups(stateDir, source);
  const gateways = new Map(stored);
  const resolver = new PriceResolver({ ...tables, catalog: new Catalog(source, memo), gateways });
  return { mode: p.mode, resolver, subscriptionsAsFree: p.subscriptionsAsFree };
}
