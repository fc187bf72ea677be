// Day totals per (provider, model), priced with the current table and mode. Pure.
import { type Billing, type PricedCall, type PricedFields, type PricingOptions, priceCall } from '../pricing/cost.js';

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

/** What a row needs of a call or tally: the priced fields, how many calls it stands for, the raw model id. */
export type Countable = PricedFields & { weight?: number; rawModel: string };

type Row = ModelTotal & { keys: Set<string>; raws: Set<string> };

/** Per-(provider, model) rows built from calls (or tallies) priced once each by the caller. */
export class ModelRows {
  private readonly rows = new Map<string, Row>();

  add(r: Countable, priced: PricedCall): void {
    const id = `${r.provider}/${r.model}`;
    let row = this.rows.get(id);
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
      this.rows.set(id, row);
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

  totals(): Totals {
    const models = [...this.rows.values()]
      .map(({ keys, raws, ...row }) => ({ ...row, priceKeys: [...keys].sort(), rawModels: [...raws].sort() }))
      .sort((a, b) => b.costUsd - a.costUsd || a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
    return { totalCostUsd: models.reduce((s, m) => s + m.costUsd, 0), models };
  }
}

export function totalsByModel<R extends Countable>(records: readonly R[], pricing: PricingOptions, groupBy: (r: R) => string = () => ''): Map<string, Totals> {
  const groups = new Map<string, ModelRows>();
  for (const r of records) {
    const g = groupBy(r);
    let rows = groups.get(g);
    if (!rows) groups.set(g, (rows = new ModelRows()));
    rows.add(r, priceCall(r, pricing));
  }
  const out = new Map<string, Totals>();
  for (const [g, rows] of groups) out.set(g, rows.totals());
  return out;
}
