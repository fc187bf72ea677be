// sessions.json (OpenClaw's session index) -> display labels. Pure. Only names are read: the index's token
// and cost figures (estimatedCostUsd is known to be inflated) are never used.
import { isRecord } from './usage.js';

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** sessionId -> label: the entry's `label`, else `displayName`, else `origin.label`, else its session key. */
export function sessionLabels(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRecord(json)) return out;
  for (const [key, entry] of Object.entries(json)) {
    if (!isRecord(entry)) continue;
    const id = str(entry.sessionId);
    if (!id) continue;
    const origin = isRecord(entry.origin) ? entry.origin : {};
    out.set(id, str(entry.label) ?? str(entry.displayName) ?? str(origin.label) ?? key);
  }
  return out;
}
