// What a gateway's own `openclaw.json` says about prices: the costs it configures for its models, which providers
// run on the machine itself, and which models keep their prompt cache for an hour. Pure: text in, facts out.
// Only these fields are read; the file also holds API keys, which never leave this function.
import stripJsonComments from 'strip-json-comments';
import { z } from 'zod';
import { normalizeModel, normalizeProvider } from '../transcripts/names.js';
import { isLocalUrl } from './providers.js';
import { type UnitPrice, UnitPriceSchema } from './rate.js';

const RetentionSchema = z.enum(['none', 'short', 'long']);
export type CacheRetention = z.infer<typeof RetentionSchema>;

/** Plain JSON, so check can keep each gateway's in the state dir for commands that read no source (report, doctor). */
export const GatewayPricingSchema = z.object({
  /** Configured costs by normalized `provider/model`, USD per 1M tokens (all-zero costs are OpenClaw's "unset"). */
  costs: z.record(z.string(), UnitPriceSchema),
  /** Providers whose `baseUrl` is on the gateway's machine: local runtimes, free. */
  localProviders: z.array(z.string()),
  /** `agents.defaults.params`, `agents.defaults.models[<provider/model>].params`, `agents.list[].params`, merged in that order. */
  retention: z.object({
    defaults: RetentionSchema.optional(),
    byModel: z.record(z.string(), RetentionSchema),
    byAgent: z.record(z.string(), RetentionSchema),
  }),
});
export type GatewayPricing = z.infer<typeof GatewayPricingSchema>;

export const EMPTY_GATEWAY_PRICING: GatewayPricing = {
  costs: {},
  localProviders: [],
  retention: { byModel: {}, byAgent: {} },
};

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const retentionOf = (params: unknown): CacheRetention | undefined => {
  const r = isRec(params) ? params.cacheRetention : undefined;
  return r === 'none' || r === 'short' || r === 'long' ? r : undefined;
};

function costOf(cost: unknown): UnitPrice | undefined {
  if (!isRec(cost)) return undefined;
  const p: UnitPrice = {};
  const input = num(cost.input);
  const output = num(cost.output);
  const cacheRead = num(cost.cacheRead);
  const cacheWrite = num(cost.cacheWrite);
  if (input !== undefined) p.input = input;
  if (output !== undefined) p.output = output;
  if (cacheRead !== undefined) p.cacheRead = cacheRead;
  if (cacheWrite !== undefined) p.cacheWrite = cacheWrite;
  // OpenClaw fills custom models with zero costs when none are given: that is "unknown", not "free".
  return Object.values(p).some((v) => typeof v === 'number' && v > 0) ? p : undefined;
}

function modelKey(raw: string): string | undefined {
  const slash = raw.indexOf('/');
  if (slash <= 0) return undefined;
  const provider = normalizeProvider(raw.slice(0, slash));
  return `${provider}/${normalizeModel(raw.slice(slash + 1), provider)}`;
}

export type ParsedGatewayConfig = { ok: true; pricing: GatewayPricing } | { ok: false; error: string };

/** Parse `openclaw.json` (JSON5 as far as comments and trailing commas go). */
export function parseGatewayConfig(text: string): ParsedGatewayConfig {
  let root: unknown;
  try {
    root = JSON.parse(stripJsonComments(text, { trailingCommas: true }));
  } catch (err) {
    return {
      ok: false,
      error: `cannot parse it (${err instanceof Error ? err.message : String(err)}); its configured model costs are not used`,
    };
  }
  if (!isRec(root)) return { ok: false, error: 'it is not a JSON object; its configured model costs are not used' };
  const costs: Record<string, UnitPrice> = {};
  const localProviders = new Set<string>();
  const providers = isRec(root.models) && isRec(root.models.providers) ? root.models.providers : {};
  for (const [rawId, entry] of Object.entries(providers)) {
    if (!isRec(entry)) continue;
    const provider = normalizeProvider(rawId);
    if (typeof entry.baseUrl === 'string' && isLocalUrl(entry.baseUrl)) localProviders.add(provider);
    for (const m of Array.isArray(entry.models) ? entry.models : []) {
      if (!isRec(m) || typeof m.id !== 'string') continue;
      const cost = costOf(m.cost);
      if (cost) costs[`${provider}/${normalizeModel(m.id, provider)}`] = cost;
    }
  }
  const agents = isRec(root.agents) ? root.agents : {};
  const defaults = isRec(agents.defaults) ? agents.defaults : {};
  const byModel: Record<string, CacheRetention> = {};
  for (const [raw, m] of Object.entries(isRec(defaults.models) ? defaults.models : {})) {
    const r = isRec(m) ? retentionOf(m.params) : undefined;
    const key = modelKey(raw);
    if (r && key) byModel[key] = r;
  }
  const byAgent: Record<string, CacheRetention> = {};
  for (const a of Array.isArray(agents.list) ? agents.list : []) {
    const r = isRec(a) ? retentionOf(a.params) : undefined;
    if (r && isRec(a) && typeof a.id === 'string') byAgent[a.id] = r;
  }
  const retention: GatewayPricing['retention'] = { byModel, byAgent };
  const d = retentionOf(defaults.params);
  if (d) retention.defaults = d;
  return { ok: true, pricing: { costs, localProviders: [...localProviders].sort(), retention } };
}

/** Whether this agent's calls to this model write the 1-hour cache. */
export function writesLongCache(
  g: GatewayPricing,
  agent: string | undefined,
  provider: string,
  model: string,
): boolean {
  const r = g.retention;
  return (
    ((agent === undefined ? undefined : r.byAgent[agent]) ?? r.byModel[`${provider}/${model}`] ?? r.defaults) === 'long'
  );
}
