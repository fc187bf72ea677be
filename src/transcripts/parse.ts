// Transcript lines -> calls. Pure: bytes of one line and the file's running model context in, a call or nothing out.
import { z } from 'zod';
import { nonBlank } from '../shared/strings.js';
import type { Call } from './call.js';
import { fastEntry } from './fast-line.js';
import { normalizeModel, normalizeProvider } from './names.js';
import { plausibleCall } from './plausible.js';
import { messageRole } from './skim.js';
import { isRecord, parseRecord, readTokens, readTranscriptCost } from './usage.js';

/** The model in force from the last `model_change` / `model-snapshot` line; carried across reads of one file. */
export const ModelContextSchema = z.object({
  provider: z.string().optional(),
  model: z.string().optional(),
});
export type ModelContext = z.infer<typeof ModelContextSchema>;

export const SkipCountsSchema = z.object({
  blank: z.number(),
  malformed: z.number(),
  oversize: z.number(),
  partial: z.number(),
  undated: z.number(),
  /** Token counts or a cost no real call can have (see plausible.ts): skipped, never recorded. */
  implausible: z.number(),
});
export type SkipCounts = z.infer<typeof SkipCountsSchema>;
export type SkipReason = keyof SkipCounts;

export const emptySkips = (): SkipCounts => ({
  blank: 0,
  malformed: 0,
  oversize: 0,
  partial: 0,
  undated: 0,
  implausible: 0,
});

export interface FileIdentity {
  agent: string;
  session: string;
}

// Only lines holding one of these can matter; the rest are never parsed (tool output is most of the bytes).
const NEEDLES = ['"usage"', 'model_change', 'model-snapshot'].map((s) => Buffer.from(s));
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

export type LineVerdict = { kind: 'call'; call: Call } | { kind: 'skip'; reason: SkipReason } | { kind: 'none' };

const NONE: LineVerdict = { kind: 'none' };

function epochMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e12 ? v * 1000 : v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

function isoMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/** Decide what one line is, updating `ctx` when it changes the model in force. */
export function parseLine(bytes: Buffer, ctx: ModelContext, file: FileIdentity): LineVerdict {
  return parseLineAt(bytes, 0, bytes.length, ctx, file);
}

/**
 * parseLine of the line at [start, end) of `buf` (no Buffer per line). Assistant lines, the only ones parsed in
 * bulk, are parsed from latin1 text (src/transcripts/fast-line.ts); anything it declines is parsed as UTF-8, as is
 * every line when `whole` is set (the reference the fast path is tested against).
 */
export function parseLineAt(
  buf: Buffer,
  start: number,
  end: number,
  ctx: ModelContext,
  file: FileIdentity,
  whole = false,
): LineVerdict {
  let s = start;
  let e = end;
  while (s < e && isSpace(buf[s])) s++;
  while (e > s && isSpace(buf[e - 1])) e--;
  if (s === e) return { kind: 'skip', reason: 'blank' };
  // Every valid line is one JSON object; a cut-off or garbled one fails this without being parsed.
  if (buf[s] !== OPEN_BRACE || buf[e - 1] !== CLOSE_BRACE) return { kind: 'skip', reason: 'malformed' };
  // Tool results and user messages (most of the bytes) are dismissed by their role, without a search.
  const role = messageRole(buf, s, e);
  if (role !== undefined && role !== 'assistant') return NONE;
  const body = buf.subarray(s, e); // a view, never a search past the line
  if (!NEEDLES.some((n) => body.includes(n))) return NONE;
  if (role === 'assistant' && !whole) {
    const entry = fastEntry(buf, s, e);
    if (entry) return interpret(entry, ctx, file);
  }
  const entry = parseRecord(body);
  if (!entry) return { kind: 'skip', reason: 'malformed' };
  return interpret(entry, ctx, file);
}

export function interpret(entry: Record<string, unknown>, ctx: ModelContext, file: FileIdentity): LineVerdict {
  if (entry.type === 'model_change') {
    setContext(ctx, entry.provider, entry.modelId ?? entry.model);
    return NONE;
  }
  if (entry.type === 'custom' && entry.customType === 'model-snapshot' && isRecord(entry.data)) {
    setContext(ctx, entry.data.provider, entry.data.modelId ?? entry.data.model);
    return NONE;
  }
  const message = entry.message;
  if (!isRecord(message) || message.role !== 'assistant') return NONE;
  const usage = isRecord(message.usage) ? message.usage : isRecord(entry.usage) ? entry.usage : undefined;
  if (!usage) return NONE;

  const rawProvider = nonBlank(message.provider) ?? nonBlank(entry.provider) ?? ctx.provider ?? 'unknown';
  const rawModel = nonBlank(message.model) ?? nonBlank(entry.model) ?? ctx.model ?? 'unknown';
  const provider = normalizeProvider(rawProvider);
  // Synthetic lines the gateway writes itself (delivery mirrors, injected messages): not model calls.
  if (provider === 'openclaw') return NONE;

  const msgTs = epochMs(message.timestamp);
  const at = isoMs(entry.timestamp) ?? msgTs;
  if (at === undefined) return { kind: 'skip', reason: 'undated' };
  const tokens = readTokens(usage);
  return callVerdict({
    at,
    msgTs: msgTs ?? at,
    agent: file.agent,
    session: file.session,
    provider,
    model: normalizeModel(rawModel, provider),
    rawProvider,
    rawModel,
    ...tokens,
    transcriptCostUsd: readTranscriptCost(usage),
  });
}

/** A call, unless its figures are implausible: then a skip under its own reason. Every line parser ends here. */
export function callVerdict(call: Call): LineVerdict {
  return plausibleCall(call) ? { kind: 'call', call } : { kind: 'skip', reason: 'implausible' };
}

function setContext(ctx: ModelContext, provider: unknown, model: unknown): void {
  const p = nonBlank(provider);
  const m = nonBlank(model);
  if (p !== undefined) ctx.provider = p;
  if (m !== undefined) ctx.model = m;
}
