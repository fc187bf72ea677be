// Token counts from a transcript `usage` object, accepting every field name OpenClaw has written or accepted.

export interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Only a total was given (no split): it is counted as input, and marked so. */
  totalOnly?: true;
}

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

// Like OpenClaw's own normalizeUsage: the first positive value wins, else the first finite one (usually 0).
function pick(values: unknown[]): number | undefined {
  let firstFinite: number | undefined;
  for (const v of values) {
    const n = finite(v);
    if (n === undefined) continue;
    if (n > 0) return n;
    firstFinite ??= n;
  }
  return firstFinite;
}

const nonNegative = (n: number | undefined): number => (n === undefined || n < 0 ? 0 : n);

function detail(u: Rec, key: string): unknown {
  const d = u[key];
  return isRecord(d) ? d.cached_tokens : undefined;
}

export function readTokens(u: Rec): Tokens {
  const native = finite(u.input);
  const aliasInput = pick([u.inputTokens, u.input_tokens, u.promptTokens, u.prompt_tokens]);
  // OpenAI-style usage counts cached tokens inside the prompt figure; OpenClaw's `input` already excludes them.
  // DeepSeek's says it outright: prompt = cache hit + cache miss.
  const hit = finite(u.prompt_cache_hit_tokens);
  const miss = finite(u.prompt_cache_miss_tokens);
  const detailCached = pick([detail(u, 'prompt_tokens_details'), detail(u, 'input_tokens_details'), hit]);
  let input = pick([u.input, aliasInput, miss]);
  if (native === undefined && miss !== undefined) input = miss;
  else if (native === undefined && aliasInput !== undefined && detailCached !== undefined) {
    input = aliasInput - nonNegative(detailCached);
  }
  const tokens: Tokens = {
    input: nonNegative(input),
    output: nonNegative(pick([u.output, u.outputTokens, u.output_tokens, u.completionTokens, u.completion_tokens])),
    cacheRead: nonNegative(pick([u.cacheRead, u.cache_read, u.cache_read_input_tokens, u.cached_tokens, detailCached])),
    cacheWrite: nonNegative(pick([u.cacheWrite, u.cache_write, u.cache_creation_input_tokens])),
  };
  // A usage holding nothing but a total: those tokens were used, so count them (as input, the cheaper guess
  // for a prompt-heavy agent) rather than as nothing.
  const total = nonNegative(pick([u.totalTokens, u.total_tokens, u.total]));
  if (total > 0 && tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite === 0) {
    tokens.input = total;
    tokens.totalOnly = true;
  }
  return tokens;
}

/** `usage.cost.total` when it is a finite number, else null. */
export function readTranscriptCost(u: Rec): number | null {
  const cost = u.cost;
  if (!isRecord(cost)) return null;
  return finite(cost.total) ?? null;
}

export { isRecord };

/** One JSON line as an object; undefined when it is not valid JSON or not an object (the line counts as malformed). */
export function parseRecord(bytes: Buffer): Rec | undefined {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
