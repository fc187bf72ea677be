// A day's calls folded into a few weighted records, so that a month of history costs a tick almost nothing. Pure.
import { promptBand } from '../pricing/rate.js';
import type { LedgerRecord, WeightedRecord } from './record.js';
import { isFailedCall } from './totals.js';

/**
 * One weighted record per (gateway, provider, model, agent, whether OpenClaw priced the calls, prompt band, failed
 * or not): tokens and OpenClaw's costs summed, the group's earliest instant as `at`. Prices are linear in tokens
 * within a prompt band (long-context tiers), the pricing mode only asks whether a transcript cost is above 0, and
 * failed requests stay apart, so every mode prices and counts the digest exactly like its calls.
 * Valid for questions that treat the whole day alike (month totals, a window that holds the whole day).
 */
export function digestRecords(records: readonly LedgerRecord[]): WeightedRecord[] {
  const groups = new Map<string, WeightedRecord>();
  for (const r of records) {
    const priced = r.transcriptCostUsd !== null && r.transcriptCostUsd > 0;
    const key = `${r.gateway}\t${r.provider}\t${r.model}\t${r.agent}\t${priced ? 1 : 0}\t${isFailedCall(r) ? 'f' : promptBand(r)}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { ...r, session: '', file: '', weight: 1, transcriptCostUsd: priced ? r.transcriptCostUsd : null });
      continue;
    }
    g.weight = (g.weight ?? 1) + 1;
    g.at = Math.min(g.at, r.at);
    g.msgTs = Math.min(g.msgTs, r.msgTs);
    g.input += r.input;
    g.output += r.output;
    g.cacheRead += r.cacheRead;
    g.cacheWrite += r.cacheWrite;
    g.costUsd += r.costUsd;
    if (priced) g.transcriptCostUsd = (g.transcriptCostUsd ?? 0) + (r.transcriptCostUsd ?? 0);
  }
  return [...groups.values()];
}
