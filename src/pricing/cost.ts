// The price of one call under a pricing mode (contract: "Pricing").
import { z } from 'zod';
import type { Call } from '../transcripts/call.js';
import { lookupPrice, SUBSCRIPTION_PROVIDERS } from './lookup.js';
import type { PricingTable } from './table.js';

export const PricingModeSchema = z.enum(['auto', 'calculate', 'display']);
export type PricingMode = z.infer<typeof PricingModeSchema>;

export const CostSourceSchema = z.enum(['transcript', 'table', 'free', 'subscription', 'none']);
export type CostSource = z.infer<typeof CostSourceSchema>;

export type Billing = 'api' | 'subscription' | 'free';

export interface PricedCall {
  costUsd: number;
  source: CostSource;
  /** The table entry used, when one was. */
  priceKey: string | null;
  billing: Billing;
}

export interface PricingOptions {
  mode: PricingMode;
  table: PricingTable;
  /** Count subscription providers (Codex, Copilot, ...) as free instead of their API-equivalent cost. */
  subscriptionsAsFree: boolean;
}

export type PricedFields = Pick<Call, 'provider' | 'model' | 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'transcriptCostUsd'>;

export function priceCall(call: PricedFields, opts: PricingOptions): PricedCall {
  const subscription = SUBSCRIPTION_PROVIDERS.has(call.provider);
  const billing: Billing = subscription ? 'subscription' : 'api';
  if (subscription && opts.subscriptionsAsFree) return { costUsd: 0, source: 'subscription', priceKey: null, billing };

  const transcript = call.transcriptCostUsd;
  const usableTranscript = transcript !== null && Number.isFinite(transcript) && transcript > 0;
  if (opts.mode !== 'calculate' && usableTranscript) return { costUsd: transcript, source: 'transcript', priceKey: null, billing };

  const match = lookupPrice(opts.table, call.provider, call.model);
  if (match?.price.free) return { costUsd: 0, source: 'free', priceKey: match.key, billing: 'free' };
  if (opts.mode === 'display' || !match) return { costUsd: 0, source: 'none', priceKey: match?.key ?? null, billing };
  const p = match.price;
  const costUsd =
    (call.input * (p.input ?? 0) +
      call.output * (p.output ?? 0) +
      call.cacheRead * (p.cacheRead ?? 0) +
      call.cacheWrite * (p.cacheWrite ?? 0)) /
    1e6;
  return { costUsd, source: 'table', priceKey: match.key, billing };
}
