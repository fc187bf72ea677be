import { z } from 'zod';
import { CostSourceSchema, type PricingOptions, priceCall } from '../pricing/cost.js';
import { type Call, CallSchema } from '../transcripts/call.js';

/** One line of the ledger: a unique call, where it came from, and its price when first recorded. */
export const LedgerRecordSchema = CallSchema.extend({
  gateway: z.string(),
  /** Cost when recorded; day totals re-price from tokens with the current table and mode. */
  costUsd: z.number(),
  costSource: CostSourceSchema,
  /** The file (relative to its state dir) the call was first read from. */
  file: z.string(),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

/**
 * A ledger record standing for `weight` calls (1 when absent): a day digest sums calls whose price is linear in
 * their tokens, so one weighted record prices exactly like the calls it stands for.
 */
export const WeightedRecordSchema = LedgerRecordSchema.extend({ weight: z.number().int().positive().optional() });
export type WeightedRecord = z.infer<typeof WeightedRecordSchema>;

/** Partition: the UTC date of the call's instant, so a day's totals read two or three small files. */
export function partitionOf(r: { at: number }): string {
  return utcDate(r.at);
}

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A call read from `file` of `gateway`, priced now for the record. */
export function recordOf(call: Call, file: string, gateway: string, pricing: PricingOptions): LedgerRecord {
  const record: LedgerRecord = { ...call, gateway, costUsd: 0, costSource: 'none', file };
  const priced = priceCall(record, pricing);
  record.costUsd = priced.costUsd;
  record.costSource = priced.source;
  return record;
}
