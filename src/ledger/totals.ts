// Day totals per (provider, model), priced with the current table and mode. Pure.
import { type Billing, type PricingOptions, priceCall } from '../pricing/cost.js';
import type { WeightedRecord } from './record.js';

export interface ModelTotal {
  provider: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** True when any call of this model got no price (its cost is counted as 0). */
  unpriced: boolean;
  unpricedCalls: number;
  billing: Billing;
  /** Table entries used to price it (empty when only transcript costs were used). */
  priceKeys: string[];
  /** The ids as OpenClaw wrote them, for display. */
  rawModels: string[];
}

export interface Totals {
  totalCostUsd: number;
  models: ModelTotal[];
}

export function totalsByModel<R extends WeightedRecord>(records: readonly R[], pricing: PricingOptions, groupBy: (r: R) => string = () => ''): Map<string, Totals> {
  const groups = new Map<string, Map<string, ModelTotal & { keys: Set<string>; raws: Set<string> }>>();
  for (const r of records) {
    const g = groupBy(r);
    let rows = groups.get(g);
    if (!rows) groups.set(g, (rows = new Map()));
    const id = `${r.provider}/${r.model}`;
    let row = rows.get(id);
    const priced = priceCall(r, pricing);
    if (!row) {
      row = {
        provider: r.provider,
        model: r.model,
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        unpriced: false,
        unpricedCalls: 0,
        billing: priced.billing,
        priceKeys: [],
        rawModels: [],
        keys: new Set(),
        raws: new Set(),
      };
      rows.set(id, row);
    }
    const weight = r.weight ?? 1;
    row.calls += weight;
    row.inputTokens += r.input;
    row.outputTokens += r.output;
    row.cacheReadTokens += r.cacheRead;
    row.cacheWriteTokens += r.cacheWrite;
    row.costUsd += priced.costUsd;
    if (priced.source === 'none') {
      row.unpriced = true;
      row.unpricedCalls += weight;
    }
    if (priced.priceKey) row.keys.add(priced.priceKey);
    row.raws.add(r.rawModel);
  }
  const out = new Map<string, Totals>();
  for (const [g, rows] of groups) {
    const models = [...rows.values()]
      .map(({ keys, raws, ...row }) => ({ ...row, priceKeys: [...keys].sort(), rawModels: [...raws].sort() }))
      .sort((a, b) => b.costUsd - a.costUsd || a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
    out.set(g, { totalCostUsd: models.reduce((s, m) => s + m.costUsd, 0), models });
  }
  return out;
}

export function dayTotals(records: readonly WeightedRecord[], pricing: PricingOptions): Totals {
  return totalsByModel(records, pricing).get('') ?? { totalCostUsd: 0, models: [] };
}
