// Pricing options for tests: prices given by hand (as an override file would), over the bundled catalog.
import { bundledSource, Catalog } from '../../src/pricing/catalog.js';
import type { PricingMode, PricingOptions } from '../../src/pricing/cost.js';
import type { GatewayPricing } from '../../src/pricing/gateway-config.js';
import { PriceResolver } from '../../src/pricing/resolve.js';
import { mergePricing, type PricingFile } from '../../src/pricing/table.js';

export function tablePricing(
  models: PricingFile['models'],
  opts: {
    mode?: PricingMode;
    subscriptionsAsFree?: boolean;
    overlay?: PricingFile['models'];
    gateways?: Map<string, GatewayPricing>;
  } = {},
): PricingOptions {
  const resolver = new PriceResolver({
    override: mergePricing({ models }),
    overlay: mergePricing({ models: opts.overlay ?? {} }),
    catalog: new Catalog(bundledSource()),
    ...(opts.gateways ? { gateways: opts.gateways } : {}),
  });
  return { mode: opts.mode ?? 'calculate', subscriptionsAsFree: opts.subscriptionsAsFree ?? false, resolver };
}
