// The `report` usage view as data: what --json prints and the table renders. Pure.
import { WEEK_DEFINITION } from '../budget/day.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { PricingMode } from '../pricing/cost.js';
import {
  type Dimension,
  type Field,
  fieldsOf,
  type GroupContext,
  groupRecords,
  type Range,
  type ReportRow,
  totalOf,
} from './group.js';
import type { UsageFigures } from './usage.js';

export interface UsageReport {
  source: 'local-ledger';
  timezone: string;
  since: string;
  until: string;
  /** The range's instants, ISO. */
  from: string;
  to: string;
  by: Dimension[];
  fields: Field[];
  /** Present when grouping by week. */
  weekDefinition?: string;
  pricingMode: PricingMode;
  /** The gateways included; null for all. */
  gateways: string[] | null;
  rows: ReportRow[];
  totals: UsageFigures;
}

export function buildUsageReport(
  records: readonly LedgerRecord[],
  by: Dimension[],
  ctx: GroupContext,
  meta: { range: Range; from: number; to: number; gateways: readonly string[] | null; empty?: boolean },
): UsageReport {
  // Periods without calls are rows only on request (`--empty`): the daily look is about the days with spend.
  const rows = groupRecords(records, by, ctx, meta.empty ? meta.range : undefined);
  return {
    source: 'local-ledger',
    timezone: ctx.timezone,
    since: meta.range.since,
    until: meta.range.until,
    from: new Date(meta.from).toISOString(),
    to: new Date(meta.to).toISOString(),
    by,
    fields: fieldsOf(by),
    ...(by.includes('week') ? { weekDefinition: WEEK_DEFINITION } : {}),
    pricingMode: ctx.pricing.mode,
    gateways: meta.gateways ? [...meta.gateways] : null,
    rows,
    totals: totalOf(rows),
  };
}
