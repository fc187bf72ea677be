// The price of one call under a pricing mode (contract: "Pricing"). Where the price comes from: resolve.ts.
import { z } from 'zod';
import type { Call } from '../transcripts/call.js';
import type { Billing } from './billing.js';
import { costAt } from './rate.js';
import type { PriceResolver } from './resolve.js';

export type { Billing } from './billing.js';

export const PricingModeSchema = z.enum(['auto', 'calculate', 'display']);
export type PricingMode = z.infer<typeof PricingModeSchema>;

/** `table` is what records written before the catalog say for a list price. */
export const CostSourceSchema = z.enum([
  'transcript',
  'override',
  'gateway',
  'catalog',
  'overlay',
  'table',
  'free',
  'subscription',
  'none',
]);
export type CostSource = z.infer<typeof CostSourceSchema>;

export interface PricedCall {
  costUsd: number;
  source: CostSource;
  /** What priced it (`catalog:openai/gpt-5.4`, `overlay:zai/glm-5`, ...), when a list price was found. */
  priceKey: string | null;
  billing: Billing;
}

export interface PricingOptions {
  mode: PricingMode;
  resolver: PriceResolver;
  /** Count subscription providers (Codex, Copilot, ...) as free instead of their API-equivalent cost. */
  subscriptionsAsFree: boolean;
}

export type PricedFields = Pick<
  Call,
  'provider' | 'model' | 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'transcriptCostUsd' | 'at'
> & {
  gateway?: string;
  /** Absent for day-digest tallies: then only the gateway's model and default cache retention apply. */
  agent?: string;
  /** The calls a day-digest record stands for (1 when absent). */
  weight?: number;
};

/** The list price of a call (no transcript cost, no subscription discount), or null when nothing prices it. */
export function listPrice(call: PricedFields, resolver: PriceResolver): number | null {
  const r = resolver.resolve(call.gateway, call.provider, call.model, call.at);
  if (r.billing === 'free') return 0;
  return r.price
    ? costAt(r.price, call, resolver.longCache(call.gateway, call.agent, call.provider, call.model), call.weight)
    : null;
}

export function priceCall(call: PricedFields, opts: PricingOptions): PricedCall {
  const r = opts.resolver.resolve(call.gateway, call.provider, call.model, call.at);
  // A local runtime costs nothing, whatever OpenClaw wrote and whatever the mode.
  if (r.billing === 'free') return { costUsd: 0, source: 'free', priceKey: r.key, billing: 'free' };
  const { billing } = r;
  if (billing === 'subscription' && opts.subscriptionsAsFree)
    return { costUsd: 0, source: 'subscription', priceKey: null, billing };

  const transcript = call.transcriptCostUsd;
  const usableTranscript = transcript !== null && Number.isFinite(transcript) && transcript > 0;
  if (opts.mode !== 'calculate' && usableTranscript)
    return { costUsd: transcript, source: 'transcript', priceKey: null, billing };
  if (opts.mode === 'display' || !r.price || !r.origin) return { costUsd: 0, source: 'none', priceKey: r.key, billing };
  const longCache = opts.resolver.longCache(call.gateway, call.agent, call.provider, call.model);
  return {
    costUsd: costAt(r.price, call, longCache, call.weight),
    source: r.origin === 'free' ? 'free' : r.origin,
    priceKey: r.key,
    billing,
  };
}
