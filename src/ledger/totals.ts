// Day totals per (provider, model), priced with the current prices and mode. Pure.
import {
  type Billing,
  type CostSource,
  listPrice,
  type PricedCall,
  type PricedFields,
  type PricingOptions,
  priceCall,
} from '../pricing/cost.js';
import { byCodeUnit } from '../shared/strings.js';

export interface ModelTotal {
  provider: string;
  model: string;
  /** Billable calls: failed requests (`failedCalls`) are not among them. */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** True when any call of this model got no price (its cost is counted as 0). */
  unpriced: boolean;
  unpricedCalls: number;
  /** Assistant lines with no tokens and no cost: requests that failed (rate limits, errors), not billed. */
  failedCalls: number;
  billing: Billing;
  /** What priced its calls: `catalog:anthropic/claude-opus-4-5`, `overlay:zai/glm-5`, ... (none for transcript costs). */
  priceKeys: string[];
  /** Where its costs came from (transcript, override, gateway, catalog, overlay, free, subscription, none). */
  priceSources: CostSource[];
  /** The catalog data's date, when the catalog priced any of its calls. */
  catalogDate?: string;
  /**
   * OpenClaw's own cost of the calls that have one, and the list price of those same calls: far apart, OpenClaw's
   * model catalog is stale (see `drift`).
   */
  openclawCostUsd: number;
  listCostUsd: number;
  /** openclawCostUsd / listCostUsd - 1, when both are above 0. */
  drift?: number;
  /** The ids as OpenClaw wrote them, for display. */
  rawModels: string[];
}

export interface Totals {
  totalCostUsd: number;
  models: ModelTotal[];
}

/** What a row needs of a call or tally: the priced fields, how many calls it stands for, the raw model id. */
export type Countable = PricedFields & { weight?: number; rawModel: string };

/** A request that failed before the provider billed anything: every count 0 and no cost. */
export function isFailedCall(
  r: Pick<PricedFields, 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'transcriptCostUsd'>,
): boolean {
  return isFailed(r, r.transcriptCostUsd);
}

/** isFailedCall of counts and OpenClaw's cost given apart (a call-list line has no record object). */
export function isFailed(t: Pick<PricedFields, 'input' | 'output' | 'cacheRead' | 'cacheWrite'>, cost: number | null) {
  return t.input === 0 && t.output === 0 && t.cacheRead === 0 && t.cacheWrite === 0 && !((cost ?? 0) > 0);
}

/** How far OpenClaw's costs may stray from the list price before `check --verbose`, doctor and a metric say so. */
export const DRIFT_TOLERANCE = 0.05;

type Row = ModelTotal & { keys: Set<string>; sources: Set<CostSource>; raws: Set<string> };

/** Per-(provider, model) rows built from calls (or tallies) priced once each by the caller. */
export class ModelRows {
  private readonly rows = new Map<string, Row>();

  /** `pricing`: to compare OpenClaw's own costs with the list price (drift). */
  constructor(private readonly pricing?: PricingOptions) {}

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
        failedCalls: 0,
        billing: priced.billing,
        priceKeys: [],
        priceSources: [],
        openclawCostUsd: 0,
        listCostUsd: 0,
        rawModels: [],
        keys: new Set(),
        sources: new Set(),
        raws: new Set(),
      };
      this.rows.set(id, row);
    }
    const weight = r.weight ?? 1;
    row.raws.add(r.rawModel);
    if (isFailedCall(r)) {
      row.failedCalls += weight;
      return;
    }
    row.calls += weight;
    row.inputTokens += r.input;
    row.outputTokens += r.output;
    row.cacheReadTokens += r.cacheRead;
    row.cacheWriteTokens += r.cacheWrite;
    row.costUsd += priced.costUsd;
    row.sources.add(priced.source);
    if (priced.source === 'none') {
      row.unpriced = true;
      row.unpricedCalls += weight;
    }
    if (priced.source === 'catalog' && this.pricing) row.catalogDate = this.pricing.resolver.catalog.source.date;
    if (priced.priceKey) row.keys.add(priced.priceKey);
    const openclaw = r.transcriptCostUsd ?? 0;
    if (openclaw > 0 && priced.billing !== 'free' && this.pricing) {
      const list = listPrice(r, this.pricing.resolver);
      if (list !== null && list > 0) {
        row.openclawCostUsd += openclaw;
        row.listCostUsd += list;
      }
    }
  }

  totals(): Totals {
    const models = [...this.rows.values()]
      .map(({ keys, sources, raws, ...row }) => {
        const m: ModelTotal = {
          ...row,
          priceKeys: [...keys].sort(),
          priceSources: [...sources].sort(),
          rawModels: [...raws].sort(),
        };
        if (m.openclawCostUsd > 0 && m.listCostUsd > 0) m.drift = m.openclawCostUsd / m.listCostUsd - 1;
        return m;
      })
      .sort((a, b) => b.costUsd - a.costUsd || byCodeUnit(a.provider, b.provider) || byCodeUnit(a.model, b.model));
    return { totalCostUsd: models.reduce((s, m) => s + m.costUsd, 0), models };
  }
}

export function totalsByModel<R extends Countable>(
  records: readonly R[],
  pricing: PricingOptions,
  groupBy: (r: R) => string = () => '',
): Map<string, Totals> {
  const groups = new Map<string, ModelRows>();
  for (const r of records) {
    const g = groupBy(r);
    let rows = groups.get(g);
    if (!rows) groups.set(g, (rows = new ModelRows(pricing)));
    rows.add(r, priceCall(r, pricing));
  }
  const out = new Map<string, Totals>();
  for (const [g, rows] of groups) out.set(g, rows.totals());
  return out;
}

/** Models whose OpenClaw-computed cost strays from the list price by more than DRIFT_TOLERANCE. */
export function driftedModels(models: readonly ModelTotal[]): ModelTotal[] {
  return models.filter((m) => m.drift !== undefined && Math.abs(m.drift) > DRIFT_TOLERANCE);
}

export function dayTotals(records: readonly Countable[], pricing: PricingOptions): Totals {
  return totalsByModel(records, pricing).get('') ?? { totalCostUsd: 0, models: [] };
}
