// Which price a call gets, and where it comes from. This is the one place that decides precedence:
//   local runtime ($0, always) > the --pricing override file > the gateway's configured cost (its openclaw.json)
//   > the catalog (@pydantic/genai-prices, or the newer copy `pricing update` stored), at the price in force at
//   the call's instant > the pricing.json overlay.
// An overlay entry with a `reason` outranks the catalog (from its `since` day on): the catalog is known stale there.
// Each (gateway, provider, model, UTC day) is resolved once per resolver. Pure apart from the catalog's lazy load.
import type { Billing } from './billing.js';
import { type Catalog, type ModelPrices, priceAt, secondsOfDay, unitPriceOf } from './catalog.js';
import { EMPTY_GATEWAY_PRICING, type GatewayPricing, writesLongCache } from './gateway-config.js';
import { type Lookup, lookupsFor, PROVIDER_ROUTES } from './providers.js';
import { type UnitPrice, withMultiples } from './rate.js';
import { type Price, type PricingTable, unitPriceOfEntry } from './table.js';

export type PriceOrigin = 'free' | 'override' | 'gateway' | 'catalog' | 'overlay';

export interface Resolution {
  /** Null: nothing prices this model (the call is unpriced unless OpenClaw's own cost is used). */
  price: UnitPrice | null;
  origin: PriceOrigin | null;
  billing: Billing;
  /** What priced it, e.g. `catalog:anthropic/claude-opus-4-5`, `overlay:zai/glm-5`, `gateway:acme/big-1`. */
  key: string | null;
  /** The catalog's data date, for catalog prices. */
  catalogDate?: string;
  /** The overlay or override entry's own source and date, when it gives them. */
  note?: string;
}

export interface ResolverParts {
  override: PricingTable | null;
  overlay: PricingTable;
  catalog: Catalog;
  gateways?: Map<string, GatewayPricing>;
}

const DAY_MS = 86_400_000;

/** Where a model's price may change: dated prices (`at`), and a time-of-day price until `timeOfDayUntil`. */
interface PriceChanges {
  at: number[];
  timeOfDayUntil: number;
  /** Hours (0-23 UTC) in which a time-of-day price changes off the hour. */
  splitHours: ReadonlySet<number>;
}

export class PriceResolver {
  private readonly memo = new Map<string, Resolution & { perInstant?: (at: number) => UnitPrice | null }>();
  /** Where each (provider, model) is looked up: the same on every day. */
  private readonly lookups = new Map<string, Lookup>();

  constructor(private readonly parts: ResolverParts) {}

  get catalog(): Catalog {
    return this.parts.catalog;
  }

  /** What is known of a gateway's config (stored by an earlier check), if anything. */
  knownGateway(name: string): GatewayPricing | undefined {
    return this.parts.gateways?.get(name);
  }

  /** What a gateway's config says now (read by this run's listing): replaces what was known before. */
  setGateway(name: string, p: GatewayPricing): void {
    (this.parts.gateways ??= new Map()).set(name, p);
    this.memo.clear();
  }

  gateway(name: string | undefined): GatewayPricing {
    return (name !== undefined && this.parts.gateways?.get(name)) || EMPTY_GATEWAY_PRICING;
  }

  /** Whether the call's cache writes are billed at the 1-hour rate (the gateway's `cacheRetention: "long"`). */
  longCache(gateway: string | undefined, agent: string | undefined, provider: string, model: string): boolean {
    return writesLongCache(this.gateway(gateway), agent, provider, model);
  }

  resolve(gateway: string | undefined, provider: string, model: string, atMs: number): Resolution {
    const day = Math.floor(atMs / DAY_MS);
    const key = `${gateway ?? ''}\t${provider}\t${model}\t${day}`;
    let r = this.memo.get(key);
    if (!r) this.memo.set(key, (r = this.compute(gateway, provider, model, day * DAY_MS, atMs)));
    if (!r.perInstant) return r;
    const { perInstant, ...rest } = r;
    return { ...rest, price: perInstant(atMs) };
  }

  /**
   * When (provider, model)'s price may change within the day at `atMs` (a time-of-day price in the catalog, not yet
   * replaced by a dated one): the hours (0-23 UTC) in which it changes off the hour (DeepSeek's 16:30: hour 16);
   * undefined when it holds all day.
   */
  timeOfDay(provider: string, model: string, atMs: number): ReadonlySet<number> | undefined {
    const c = this.changes(provider, model);
    return atMs < c.timeOfDayUntil ? c.splitHours : undefined;
  }

  /**
   * Which stretch between the instants where (provider, model)'s price may change `atMs` falls in: two instants of
   * the same epoch get the same price from every source (for a model without time-of-day prices), so calls in it
   * can be summed and priced once. Conservative: every dated catalog price and overlay entry counts as a change.
   */
  priceEpoch(provider: string, model: string, atMs: number): number {
    const { at } = this.changes(provider, model);
    let epoch = 0;
    while (epoch < at.length && (at[epoch] as number) <= atMs) epoch++;
    return epoch;
  }

  private readonly changeMemo = new Map<string, PriceChanges>();

  private changes(provider: string, model: string): PriceChanges {
    const memoKey = `${provider}\t${model}`;
    const known = this.changeMemo.get(memoKey);
    if (known) return known;
    const look = lookupsFor(provider, model);
    const at: number[] = [];
    let timeOfDayUntil = -Infinity;
    const splitHours = new Set<number>();
    // Every catalog entry the resolution may read (Anthropic's own, for Claude elsewhere, is one of them). The
    // catalog's prices are read last to first (priceAt): a time-of-day price holds until a later dated one starts.
    for (const c of look.catalog) {
      const prices = this.parts.catalog.find(c.provider, c.model)?.prices;
      if (!Array.isArray(prices)) continue;
      let dated = Infinity;
      for (let i = prices.length - 1; i >= 0; i--) {
        const constraint = prices[i]?.constraint;
        if (constraint?.start_time !== undefined) {
          timeOfDayUntil = Math.max(timeOfDayUntil, dated);
          for (const hms of [constraint.start_time, constraint.end_time]) {
            const sec = hms === undefined ? 0 : secondsOfDay(hms);
            if (sec % 3600 !== 0) splitHours.add(Math.floor(sec / 3600));
          }
        } else if (constraint?.start_date !== undefined) {
          const start = Date.parse(constraint.start_date);
          at.push(start);
          dated = Math.min(dated, start);
        }
      }
    }
    for (const table of [this.parts.override, this.parts.overlay])
      for (const k of look.overlay) {
        const since = table?.models.get(k)?.since;
        if (since !== undefined) at.push(Date.parse(since));
      }
    const found = { at: at.filter(Number.isFinite).sort((a, b) => a - b), timeOfDayUntil, splitHours };
    this.changeMemo.set(memoKey, found);
    return found;
  }

  private compute(
    gateway: string | undefined,
    provider: string,
    model: string,
    dayStart: number,
    atMs: number,
  ): Resolution & { perInstant?: (at: number) => UnitPrice | null } {
    const route = PROVIDER_ROUTES[provider];
    const g = this.gateway(gateway);
    const billing: Billing = route?.billing ?? 'api';
    const free = (key: string): Resolution => ({ price: {}, origin: 'free', billing: 'free', key });
    if (billing === 'free' || g.localProviders.includes(provider)) return free(`local:${provider}`);

    const lookupKey = `${provider}\t${model}`;
    let look = this.lookups.get(lookupKey);
    if (!look) this.lookups.set(lookupKey, (look = lookupsFor(provider, model)));
    if (look.freeVariant) return free(`free:${provider}/${model}`);
    const fromTable = (
      origin: 'override' | 'overlay',
      table: PricingTable,
      keys: readonly string[],
      accept: (p: Price) => boolean,
    ): Resolution | null => {
      for (const k of keys) {
        const p = table.models.get(k);
        if (!p || !accept(p)) continue;
        const note = [p.source, p.date].filter(Boolean).join(', ');
        if (p.free) return { ...free(`${origin}:${k}`), ...(note ? { note } : {}) };
        return { price: unitPriceOfEntry(p), origin, billing, key: `${origin}:${k}`, ...(note ? { note } : {}) };
      }
      return null;
    };
    const { override, overlay, catalog } = this.parts;
    const overridden = override && fromTable('override', override, look.overlay, () => true);
    if (overridden) return overridden;

    for (const k of look.overlay) {
      const cost = g.costs[k];
      if (cost) return { price: cost, origin: 'gateway', billing, key: `gateway:${k}` };
    }

    const day = new Date(dayStart).toISOString().slice(0, 10);
    const forced = fromTable(
      'overlay',
      overlay,
      look.overlay,
      (p) => p.reason !== undefined && (p.since === undefined || p.since <= day),
    );
    if (forced) return forced;

    // Claude costs the same multiples of its base rates wherever it runs (long context above 200k, the 1-hour cache
    // write): where a cloud's catalog entry lacks them, Anthropic's own entry for the model supplies them.
    const anthropicCandidate = model.includes('claude')
      ? look.catalog.find((c) => c.provider === 'anthropic')
      : undefined;
    const priceOf = (prices: ModelPrices, at: number, fromAnthropic: boolean) => {
      const p = unitPriceOf(priceAt(prices, at));
      if (!p || fromAnthropic || !anthropicCandidate) return p;
      const own = catalog.find(anthropicCandidate.provider, anthropicCandidate.model);
      const ref = own && unitPriceOf(priceAt(own.prices, at));
      return ref ? withMultiples(p, ref) : p;
    };
    for (const c of look.catalog) {
      const hit = catalog.find(c.provider, c.model);
      if (!hit) continue;
      const fromAnthropic = hit.provider === 'anthropic';
      const price = priceOf(hit.prices, atMs, fromAnthropic);
      if (!price) continue;
      const base = {
        origin: 'catalog' as const,
        billing,
        key: `catalog:${hit.provider}/${hit.model}`,
        catalogDate: catalog.source.date,
      };
      const timeOfDay = Array.isArray(hit.prices) && hit.prices.some((p) => p.constraint?.start_time !== undefined);
      return timeOfDay
        ? { ...base, price, perInstant: (at) => priceOf(hit.prices, at, fromAnthropic) }
        : { ...base, price };
    }

    return (
      fromTable('overlay', overlay, look.overlay, (p) => p.reason === undefined) ?? {
        price: null,
        origin: null,
        billing,
        key: null,
      }
    );
  }
}
