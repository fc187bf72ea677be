// The maintained price catalog (@pydantic/genai-prices): its bundled data, or the newer copy `pricing update`
// stored. The package (~0.5 MB of data) is loaded only when a lookup is not already known from an earlier run,
// so a quiet tick never pays for it (see lookups in store.ts).
import { createRequire } from 'node:module';
import { z } from 'zod';
import { type Rate, RateSchema, type UnitPrice } from './rate.js';

type GenaiPrices = typeof import('@pydantic/genai-prices');

/** The version of @pydantic/genai-prices we ship and the date of its data (its publication); a test keeps them in step. */
export const BUNDLED_VERSION = '0.1.8';
export const BUNDLED_DATE = '2026-09-23';

const PriceMapSchema = z.record(z.string(), z.union([RateSchema, z.undefined()]));
const ConstraintSchema = z.looseObject({
  type: z.string().optional(),
  start_date: z.string().optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
});
const ModelPricesSchema = z.union([
  PriceMapSchema,
  z.array(z.object({ constraint: ConstraintSchema.optional(), prices: PriceMapSchema })),
]);
export type ModelPrices = z.infer<typeof ModelPricesSchema>;

/** The published data (`data.json`): what `pricing update` accepts before it replaces anything. */
export const CatalogDataSchema = z
  .array(
    z.looseObject({
      id: z.string().min(1),
      name: z.string(),
      api_pattern: z.string(),
      models: z.array(
        z.looseObject({ id: z.string().min(1), match: z.record(z.string(), z.unknown()), prices: ModelPricesSchema }),
      ),
    }),
  )
  .min(1, 'expected at least one provider');
export type CatalogData = z.infer<typeof CatalogDataSchema>;

/** A model found in the catalog: its ids there and every price it has had. */
export const CatalogHitSchema = z.object({ provider: z.string(), model: z.string(), prices: ModelPricesSchema });
export type CatalogHit = z.infer<typeof CatalogHitSchema>;

/** Seconds since UTC midnight of a catalog time of day (`16:30:00Z`, `08:00:00+08:00`). */
export function secondsOfDay(hms: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(hms);
  if (!m) return 0;
  const offset =
    m[4] === 'Z'
      ? 0
      : (m[4]?.startsWith('-') ? -1 : 1) * (Number(m[4]?.slice(1, 3)) * 3600 + Number(m[4]?.slice(4, 6)) * 60);
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) - offset + 86400) % 86400;
}

/** The price in force at `atMs`, chosen as the catalog's calcPrice chooses it (the parity test holds us to that). */
export function priceAt(prices: ModelPrices, atMs: number): Record<string, Rate | undefined> {
  if (!Array.isArray(prices)) return prices;
  const at = new Date(atMs);
  for (let i = prices.length - 1; i >= 0; i--) {
    const entry = prices[i];
    if (!entry) continue;
    const c = entry.constraint;
    if (c === undefined) return entry.prices;
    if (c.start_date !== undefined && c.start_time === undefined) {
      if (at >= new Date(c.start_date)) return entry.prices;
    } else if (c.start_time !== undefined && c.end_time !== undefined) {
      const s = at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds() + at.getUTCMilliseconds() / 1000;
      const from = secondsOfDay(c.start_time);
      const to = secondsOfDay(c.end_time);
      if (to < from ? s >= from || s < to : s >= from && s < to) return entry.prices;
    }
  }
  return prices[0]?.prices ?? {};
}

/**
 * The catalog's price keys in our terms. A cache kind the catalog does not price separately is billed as the kind
 * it belongs to (cache reads and writes as input, 1-hour writes as writes), as calcPrice does. Null when the entry
 * prices no tokens at all (an included model of a subscription).
 */
export function unitPriceOf(p: Record<string, Rate | undefined>): UnitPrice | null {
  const input = p.input_mtok;
  const output = p.output_mtok;
  if (input === undefined && output === undefined) return null;
  const cacheWrite = p.cache_write_mtok ?? input;
  return {
    input,
    output,
    cacheRead: p.cache_read_mtok ?? input,
    cacheWrite,
    cacheWrite1h: p.cache_write_1h_mtok ?? cacheWrite,
  };
}

export interface CatalogSource {
  /** Changes whenever the data does: lookups remembered under another id are dropped. */
  id: string;
  /** The date of the data: the bundled package's, or the day `pricing update` fetched it. */
  date: string;
  origin: 'bundled' | 'update';
  /** The stored update, read only when a lookup has to be made. */
  load?: () => CatalogData;
}

export const bundledSource = (): CatalogSource => ({
  id: `bundled@${BUNDLED_VERSION}`,
  date: BUNDLED_DATE,
  origin: 'bundled',
});

/** Lookups by (catalog provider, model id), remembered across runs in the state dir. */
export class Catalog {
  private lib: GenaiPrices | undefined;
  /** True when a lookup was made in this run (the memo should be saved). */
  changed = false;

  constructor(
    readonly source: CatalogSource,
    private readonly memo: Map<string, CatalogHit | null> = new Map(),
  ) {}

  get lookups(): ReadonlyMap<string, CatalogHit | null> {
    return this.memo;
  }

  /** True once the package itself was loaded in this run (tests hold quiet ticks to never doing so). */
  get loaded(): boolean {
    return this.lib !== undefined;
  }

  find(provider: string, model: string): CatalogHit | null {
    const key = `${provider}\t${model}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const result = this.genai().calcPrice({}, model, { providerId: provider });
    const hit = result
      ? { provider: result.provider.id, model: result.model.id, prices: result.model.prices as ModelPrices }
      : null;
    this.memo.set(key, hit);
    this.changed = true;
    return hit;
  }

  private genai(): GenaiPrices {
    if (this.lib) return this.lib;
    const lib = createRequire(import.meta.url)('@pydantic/genai-prices') as GenaiPrices;
    const data = this.source.load?.();
    if (data)
      lib.updatePrices(({ setProviderData }) =>
        setProviderData(data as unknown as Parameters<typeof setProviderData>[0]),
      );
    this.lib = lib;
    return lib;
  }
}
