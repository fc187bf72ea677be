// A resolved price and what one call costs at it. Pure.
import { z } from 'zod';

/**
 * USD per 1M tokens: one number, or tiered by the size of the whole prompt (uncached + cache read + cache write),
 * the catalog's own shape: above a tier's `start` tokens, every token of that kind costs the tier's price.
 */
export const RateSchema = z.union([
  z.number().nonnegative(),
  z.object({
    base: z.number().nonnegative(),
    tiers: z.array(z.object({ start: z.number().nonnegative(), price: z.number().nonnegative() })),
  }),
]);
export type Rate = z.infer<typeof RateSchema>;

/** A missing rate is 0. `cacheWrite1h` is the 1-hour cache write rate (`cacheWrite` when absent). */
export const UnitPriceSchema = z.object({
  input: RateSchema.optional(),
  output: RateSchema.optional(),
  cacheRead: RateSchema.optional(),
  cacheWrite: RateSchema.optional(),
  cacheWrite1h: RateSchema.optional(),
});
export type UnitPrice = z.infer<typeof UnitPriceSchema>;

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

function perMillion(rate: Rate | undefined, prompt: number): number {
  if (rate === undefined) return 0;
  if (typeof rate === 'number') return rate;
  let price = rate.base;
  for (const t of rate.tiers) if (prompt > t.start) price = t.price;
  return price;
}

/**
 * What one call costs; `longCache` prices its cache writes at the 1-hour rate. `calls` > 1: the tokens of that
 * many calls in one prompt band (a day digest), whose average prompt picks the tier as each of theirs would.
 */
export function costAt(price: UnitPrice, t: TokenCounts, longCache = false, calls = 1): number {
  const prompt = (t.input + t.cacheRead + t.cacheWrite) / calls;
  const write = longCache && price.cacheWrite1h !== undefined ? price.cacheWrite1h : price.cacheWrite;
  return (
    (t.input * perMillion(price.input, prompt) +
      t.output * perMillion(price.output, prompt) +
      t.cacheRead * perMillion(price.cacheRead, prompt) +
      t.cacheWrite * perMillion(write, prompt)) /
    1e6
  );
}

const baseOf = (r: Rate | undefined): number | undefined => (r === undefined || typeof r === 'number' ? r : r.base);

/**
 * `p` with the tiers and 1-hour cache write it lacks taken from `ref`, a price of the same model elsewhere, scaled
 * to `p`'s own base rates (a cloud's Claude at Anthropic's multiples).
 */
export function withMultiples(p: UnitPrice, ref: UnitPrice): UnitPrice {
  const out: UnitPrice = { ...p };
  for (const k of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
    const mine = p[k];
    const theirs = ref[k];
    const base = baseOf(theirs);
    if (typeof mine !== 'number' || theirs === undefined || typeof theirs === 'number' || !base) continue;
    out[k] = { base: mine, tiers: theirs.tiers.map((t) => ({ start: t.start, price: (t.price * mine) / base })) };
  }
  const refIn = baseOf(ref.input);
  const refWrite = baseOf(ref.cacheWrite);
  const ref1h = ref.cacheWrite1h;
  // Only where `p`'s own 1-hour rate is just its 5-minute one (the catalog had none) and `ref` knows better.
  if (
    refIn &&
    ref1h !== undefined &&
    baseOf(ref1h) !== refWrite &&
    baseOf(p.cacheWrite1h) === baseOf(p.cacheWrite) &&
    out.input !== undefined
  ) {
    const factor = (baseOf(ref1h) ?? 0) / refIn;
    const input = out.input;
    out.cacheWrite1h =
      typeof input === 'number'
        ? input * factor
        : { base: input.base * factor, tiers: input.tiers.map((t) => ({ start: t.start, price: t.price * factor })) };
  }
  return out;
}

/** The untiered rate, for display: the base of a tiered one. */
export function baseRate(rate: Rate | undefined): number | undefined {
  return rate === undefined || typeof rate === 'number' ? rate : rate.base;
}

/**
 * Every tier start the bundled catalog and the overlay use (a test keeps this complete). Calls on the same side
 * of all of them pay the same rates, so their tokens can be summed and priced once (ledger day digests).
 */
export const TIER_STARTS: readonly number[] = [32000, 128000, 199999, 200000, 252000, 256000, 271999, 272000, 512000];

/** Which band between tier starts a call's prompt falls in. */
export function promptBand(t: Pick<TokenCounts, 'input' | 'cacheRead' | 'cacheWrite'>): number {
  const prompt = t.input + t.cacheRead + t.cacheWrite;
  let band = 0;
  for (const s of TIER_STARTS) if (prompt > s) band++;
  return band;
}
