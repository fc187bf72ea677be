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

/** Partition: the UTC date of the call's instant, so a day's totals read two or three small files. */
export function partitionOf(r: { at: number }): string {
  return utcDate(r.at);
}

/** The last UTC day named, kept: records come in runs of the same day. */
let lastDay = { start: 0, end: 0, date: '1970-01-01' };

export function utcDate(ms: number): string {
  if (ms >= lastDay.start && ms < lastDay.end) return lastDay.date;
  const date = new Date(ms).toISOString().slice(0, 10);
  const start = Date.parse(date);
  if (Number.isFinite(start)) lastDay = { start, end: start + 86_400_000, date };
  return date;
}

/** A call read from `file` of `gateway`, priced now for the record: one literal (a spread makes slow objects). */
export function recordOf(c: Call, file: string, gateway: string, pricing: PricingOptions): LedgerRecord {
  const r: LedgerRecord = {
    at: c.at,
    msgTs: c.msgTs,
    agent: c.agent,
    session: c.session,
    provider: c.provider,
    model: c.model,
    rawProvider: c.rawProvider,
    rawModel: c.rawModel,
    input: c.input,
    output: c.output,
    cacheRead: c.cacheRead,
    cacheWrite: c.cacheWrite,
    transcriptCostUsd: c.transcriptCostUsd,
    totalOnly: c.totalOnly,
    gateway,
    costUsd: 0,
    costSource: 'none',
    file,
  };
  // Priced as a record: the gateway's own configured costs apply.
  const priced = priceCall(r, pricing);
  // Never write a non-finite number: JSON would store null, and the next read would reject the line.
  r.costUsd = Number.isFinite(priced.costUsd) ? priced.costUsd : 0;
  r.costSource = priced.source;
  return r;
}
