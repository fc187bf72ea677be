// The costliest sessions of a period, with their model mix. Pure.
import type { LedgerRecord } from '../ledger/record.js';
import { totalsByModel } from '../ledger/totals.js';
import type { PricingOptions } from '../pricing/cost.js';
import { sumUsage, type UsageFigures } from './usage.js';

export interface ModelShare {
  provider: string;
  model: string;
  calls: number;
  costUsd: number;
  /** Fraction of the session's cost (of its calls when it cost nothing). */
  share: number;
}

export interface SessionRow extends UsageFigures {
  gateway: string;
  agent: string;
  session: string;
  /** From the agent's sessions.json when it still lists the session; null otherwise. */
  label: string | null;
  firstCall: number;
  lastCall: number;
  models: ModelShare[];
}

/** `labels` maps `${agent}\t${session}` (of this gateway) to a label. */
export type LabelOf = (gateway: string, agent: string, session: string) => string | undefined;

export function topSessions(
  records: readonly LedgerRecord[],
  opts: { pricing: PricingOptions; limit: number; labelOf: LabelOf },
): SessionRow[] {
  const keyOf = (r: LedgerRecord) => `${r.gateway}\t${r.agent}\t${r.session}`;
  const span = new Map<string, { first: number; last: number }>();
  for (const r of records) {
    const k = keyOf(r);
    const s = span.get(k);
    if (!s) span.set(k, { first: r.at, last: r.at });
    else {
      s.first = Math.min(s.first, r.at);
      s.last = Math.max(s.last, r.at);
    }
  }
  const rows: SessionRow[] = [];
  for (const [k, totals] of totalsByModel(records, opts.pricing, keyOf)) {
    const [gateway = '', agent = '', session = ''] = k.split('\t');
    const usage = sumUsage(totals.models);
    const s = span.get(k) as { first: number; last: number };
    rows.push({
      gateway,
      agent,
      session,
      label: opts.labelOf(gateway, agent, session) ?? null,
      ...usage,
      firstCall: s.first,
      lastCall: s.last,
      models: totals.models.map((m) => ({
        provider: m.provider,
        model: m.model,
        calls: m.calls,
        costUsd: m.costUsd,
        share: usage.costUsd > 0 ? m.costUsd / usage.costUsd : m.calls / usage.calls,
      })),
    });
  }
  return rows
    .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls || a.session.localeCompare(b.session))
    .slice(0, opts.limit);
}
