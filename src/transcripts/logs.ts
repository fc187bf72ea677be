// The gateway's own log files (`/tmp/openclaw/openclaw-YYYY-MM-DD.log`): the `agentMeta` usage of completed
// agent runs, as the first budget enforcer read it. A fallback for hosts without transcript access: one record is
// a whole run's sum, so it must never be added on top of transcript calls. Pure.

import { nonBlank } from '../shared/strings.js';
import type { TranscriptFile } from './files.js';
import type { LineFormat } from './format.js';
import { normalizeModel, normalizeProvider } from './names.js';
import { callVerdict, type LineVerdict, type ModelContext } from './parse.js';
import { isRecord, parseRecord, readTokens } from './usage.js';

export const DEFAULT_LOG_DIR = '/tmp/openclaw';

const LOG_NAME = /^(?:\.\/)?openclaw-(\d{4}-\d{2}-\d{2})\.log$/;
const NEEDLE = Buffer.from('agentMeta');
const NONE: LineVerdict = { kind: 'none' };

export function classifyLog(rel: string): TranscriptFile | null {
  const m = LOG_NAME.exec(rel);
  return m ? { agent: 'main', session: `log-${m[1]}`, archive: 'live', compressed: false } : null;
}

type Rec = Record<string, unknown>;

/** The first `agentMeta` object in a value: nested objects, or JSON text (pretty-printed CLI output) in a string. */
export function findAgentMeta(v: unknown, depth = 0): Rec | undefined {
  if (depth > 8) return undefined;
  if (typeof v === 'string') {
    const at = v.indexOf('agentMeta');
    if (at < 0) return undefined;
    const start = v.lastIndexOf('{', at);
    for (let s = start; s >= 0; s = s > 0 ? v.lastIndexOf('{', s - 1) : -1) {
      try {
        return findAgentMeta(JSON.parse(v.slice(s, v.lastIndexOf('}') + 1)), depth + 1);
      } catch {
        // not a whole JSON value from this brace: try an enclosing one
      }
    }
    return undefined;
  }
  if (Array.isArray(v)) {
    for (const x of v) {
      const found = findAgentMeta(x, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(v)) return undefined;
  if (isRecord(v.agentMeta)) return v.agentMeta;
  for (const [k, x] of Object.entries(v)) {
    if (k === '_meta') continue;
    const found = findAgentMeta(x, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function lineTime(entry: Rec): number | undefined {
  const meta = isRecord(entry._meta) ? entry._meta : undefined;
  for (const v of [meta?.date, entry.time]) {
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

/** One log line: a call (a completed run's summed usage) when it carries `agentMeta.usage`. */
export function parseLogLine(bytes: Buffer, _ctx: ModelContext, file: TranscriptFile): LineVerdict {
  if (!bytes.includes(NEEDLE)) return NONE;
  const entry = parseRecord(bytes);
  if (!entry) return { kind: 'skip', reason: 'malformed' };
  const meta = findAgentMeta(entry);
  if (!meta || !isRecord(meta.usage)) return NONE;
  const at = lineTime(entry);
  if (at === undefined) return { kind: 'skip', reason: 'undated' };
  const rawProvider = nonBlank(meta.provider) ?? 'unknown';
  const rawModel = nonBlank(meta.model) ?? 'unknown';
  const provider = normalizeProvider(rawProvider);
  return callVerdict({
    at,
    msgTs: at,
    agent: nonBlank(meta.agentId) ?? file.agent,
    session: nonBlank(meta.sessionId) ?? file.session,
    provider,
    model: normalizeModel(rawModel, provider),
    rawProvider,
    rawModel,
    ...readTokens(meta.usage),
    transcriptCostUsd: null,
  });
}

export const LOG_FORMAT: LineFormat = {
  dirs: ['.'],
  classify: classifyLog,
  parse: (buf, start, end, ctx, file) => parseLogLine(buf.subarray(start, end), ctx, file),
};

/**
 * Ledger records read from logs name their file like this: how a day's transcript and log records are told apart
 * (a gateway's log records count only on a day without its transcript calls: src/reports/facts.ts).
 */
export function isLogFile(file: string): boolean {
  return LOG_NAME.test(file);
}
