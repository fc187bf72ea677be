// sessions.json (OpenClaw's session index) -> display labels. Pure. Only names are read: the index's token
// and cost figures (estimatedCostUsd is known to be inflated) are never used.

import { nonBlank } from '../shared/strings.js';
import { isRecord } from './usage.js';

const trimmed = (v: unknown) => nonBlank(v)?.trim();

/** sessionId -> label: the entry's `label`, else `displayName`, else `origin.label`, else its session key. */
export function sessionLabels(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRecord(json)) return out;
  for (const [key, entry] of Object.entries(json)) {
    if (!isRecord(entry)) continue;
    const id = trimmed(entry.sessionId);
    if (!id) continue;
    const origin = isRecord(entry.origin) ? entry.origin : {};
    out.set(id, trimmed(entry.label) ?? trimmed(entry.displayName) ?? trimmed(origin.label) ?? key);
  }
  return out;
}
