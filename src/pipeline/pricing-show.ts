// `pricing show`: the price each model gets and where it comes from. Pure apart from the lazy catalog.
import type { LedgerRecord } from '../ledger/record.js';
import { totalsByModel } from '../ledger/totals.js';
import type { PricingOptions } from '../pricing/cost.js';
import { baseRate, type Rate, type UnitPrice } from '../pricing/rate.js';

export interface ShownPrice {
  gateway: string | null;
  provider: string;
  model: string;
  billing: string;
  /** override | gateway | catalog | overlay | free | none */
  origin: string;
  key: string | null;
  /** The catalog data's date, for catalog prices. */
  catalogDate?: string;
  /** An overlay or override entry's own source and date. */
  note?: string;
  /** USD per 1M tokens (the base of a tiered rate; tiers listed apart). */
  price: UnitPrice | null;
  /** How the calls in the window were actually costed (transcript = OpenClaw's own cost, in auto mode). */
  costedBy: string[];
  calls: number;
  costUsd: number;
  drift?: number;
  /** For an unpriced model: an override entry to fill in. */
  snippet?: string;
}

const snippet = (provider: string, model: string) =>
  JSON.stringify({ models: { [`${provider}/${model}`]: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } } });

/** One row per (gateway, provider, model) seen in `records`, priced as of `atMs`. */
export function showPrices(records: readonly LedgerRecord[], pricing: PricingOptions, atMs: number): ShownPrice[] {
  const rows: ShownPrice[] = [];
  for (const [gateway, totals] of totalsByModel(records, pricing, (r) => r.gateway)) {
    for (const m of totals.models)
      rows.push({
        ...showOne(pricing, gateway, m.provider, m.model, atMs),
        costedBy: m.priceSources,
        calls: m.calls,
        costUsd: m.costUsd,
        ...(m.drift !== undefined ? { drift: m.drift } : {}),
      });
  }
  return rows.sort(
    (a, b) =>
      `${a.provider}/${a.model}`.localeCompare(`${b.provider}/${b.model}`) ||
      (a.gateway ?? '').localeCompare(b.gateway ?? ''),
  );
}

export function showOne(
  pricing: PricingOptions,
  gateway: string | null,
  provider: string,
  model: string,
  atMs: number,
): ShownPrice {
  const r = pricing.resolver.resolve(gateway ?? undefined, provider, model, atMs);
  const row: ShownPrice = {
    gateway,
    provider,
    model,
    billing: r.billing,
    origin: r.origin ?? 'none',
    key: r.key,
    price: r.price,
    costedBy: [],
    calls: 0,
    costUsd: 0,
  };
  if (r.catalogDate) row.catalogDate = r.catalogDate;
  if (r.note) row.note = r.note;
  if (!r.price) row.snippet = snippet(provider, model);
  return row;
}

function rate(label: string, r: Rate | undefined): string | undefined {
  const base = baseRate(r);
  if (base === undefined) return undefined;
  const tiers =
    r !== undefined && typeof r === 'object'
      ? r.tiers.map((t) => `, $${t.price} above ${t.start.toLocaleString('en-US')} prompt tokens`).join('')
      : '';
  return `${label} $${base}${tiers}`;
}

export function renderShown(rows: readonly ShownPrice[]): string {
  if (rows.length === 0)
    return 'no model calls in the ledger in this window (name one: pricing show <provider>/<model>)\n';
  const out: string[] = [];
  for (const r of rows) {
    const where =
      r.origin === 'catalog'
        ? `catalog @pydantic/genai-prices, data of ${r.catalogDate}`
        : r.origin === 'gateway'
          ? `the gateway's openclaw.json (models.providers.${r.provider}.models[].cost)`
          : r.origin === 'override'
            ? 'your --pricing override file'
            : r.origin === 'overlay'
              ? `pricing.json overlay${r.note ? ` (${r.note})` : ''}`
              : r.origin === 'free'
                ? 'free (local runtime or free model)'
                : 'UNPRICED';
    const p = r.price;
    const rates = p
      ? [
          rate('in', p.input),
          rate('out', p.output),
          rate('cache read', p.cacheRead),
          rate('cache write', p.cacheWrite),
          p.cacheWrite1h !== undefined && baseRate(p.cacheWrite1h) !== baseRate(p.cacheWrite)
            ? rate('1h cache write', p.cacheWrite1h)
            : undefined,
        ]
          .filter(Boolean)
          .join(', ')
      : '';
    out.push(
      `${r.gateway ? `${r.gateway}: ` : ''}${r.provider}/${r.model}  [${r.billing}]  ${where}${r.key ? `  (${r.key})` : ''}`,
    );
    if (rates && r.origin !== 'free') out.push(`  USD per 1M tokens: ${rates}`);
    if (r.calls > 0)
      out.push(
        `  ${r.calls} call${r.calls === 1 ? '' : 's'}, $${r.costUsd.toFixed(4)}, costed by ${r.costedBy.join(', ') || 'nothing'}`,
      );
    if (r.drift !== undefined && Math.abs(r.drift) > 0.05)
      out.push(
        `  OpenClaw's own costs are ${r.drift > 0 ? '+' : ''}${(r.drift * 100).toFixed(1)}% off this list price: its model catalog is likely stale`,
      );
    if (r.snippet)
      out.push(
        `  no price: add it to a pricing override file (config "pricing.file" or --pricing), USD per 1M tokens:\n    ${r.snippet}`,
      );
  }
  return `${out.join('\n')}\n`;
}
