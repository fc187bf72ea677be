// The pricing side of a check: each gateway's own config as its listing carried it, the catalog lookups to keep,
// and the daily price update after the outputs are written.
import type { Config } from '../config/schema.js';
import type { PricingOptions } from '../pricing/cost.js';
import { parseGatewayConfig } from '../pricing/gateway-config.js';
import { readUpdateState, saveGatewayPricing, saveLookups } from '../pricing/store.js';
import { fetchCatalog, settle, storeFetched, type UpdateResult, updateDue } from '../pricing/update.js';
import type { Source } from '../sources/source.js';

/** Price this gateway's calls with what its openclaw.json configures (and remember it for report and doctor). */
export async function adoptGatewayConfig(
  pricing: PricingOptions,
  stateDir: string,
  source: Source,
  warn: (msg: string) => void,
): Promise<void> {
  const text = source.gatewayConfig;
  if (text === undefined) return;
  const parsed = parseGatewayConfig(text);
  if (!parsed.ok) {
    warn(`${source.name}: openclaw.json: ${parsed.error}`);
    return;
  }
  const known = pricing.resolver.knownGateway(source.name);
  pricing.resolver.setGateway(source.name, parsed.pricing);
  if (JSON.stringify(known) !== JSON.stringify(parsed.pricing)) {
    await saveGatewayPricing(stateDir, source.name, parsed.pricing).catch((err: unknown) =>
      warn(`${source.name}: cannot keep its configured prices: ${String(err)}`),
    );
  }
}

/** Keep the catalog lookups this run made, so the next tick needs no catalog load. */
export function keepLookups(pricing: PricingOptions, stateDir: string, warn: (msg: string) => void): Promise<void> {
  return saveLookups(stateDir, pricing.resolver.catalog).catch((err: unknown) =>
    warn(`cannot keep price lookups in ${stateDir}: ${String(err)}`),
  );
}

/**
 * `pricing.autoUpdate`: at most one attempt a day (by the real clock, not --now), failures counted. The fetch starts
 * with the run, so it overlaps the run's own work; `store` keeps its outcome, and is called only once the run's
 * outputs are written: the prices of this run are never the fetched ones.
 */
export async function startPriceUpdate(
  config: Config,
  stateDir: string,
): Promise<{ store: () => Promise<UpdateResult> } | undefined> {
  if (!config.pricing.autoUpdate) return undefined;
  const now = Date.now();
  if (!updateDue(await readUpdateState(stateDir), now)) return undefined;
  const url = config.pricing.updateUrl;
  const fetched = settle(fetchCatalog(url));
  return { store: async () => storeFetched(stateDir, url, now, await fetched) };
}

export interface PriceStatus {
  /** The catalog in use: its bundled data, or the copy `pricing update` stored. */
  catalog: 'bundled' | 'update';
  /** The date of its data (UTC day). */
  catalogDate: string;
  /** Seconds since that date: what a failing update lets grow. */
  dataAgeSeconds: number;
  /** Why the last update attempt failed, while the prices in use are older. */
  updateError?: string;
}

export async function priceStatus(pricing: PricingOptions, stateDir: string, clockMs: number): Promise<PriceStatus> {
  const source = pricing.resolver.catalog.source;
  const update = await readUpdateState(stateDir);
  const dated =
    update.fetchedAt !== undefined && source.origin === 'update'
      ? update.fetchedAt
      : Date.parse(`${source.date}T00:00:00Z`);
  const status: PriceStatus = {
    catalog: source.origin,
    catalogDate: source.date,
    dataAgeSeconds: Math.max(0, (clockMs - dated) / 1000),
  };
  if (update.lastError) status.updateError = update.lastError;
  return status;
}
