// OpenClaw's provider ids mapped to the catalog's, in one table, and the model ids they write mapped to the ids
// the catalog knows. Pure.
import type { Billing } from './billing.js';

export interface ProviderRoute {
  billing: Billing;
  /** Catalog providers to look in, best first. */
  catalog: readonly string[];
  /** Also look in the catalog provider of the model's vendor (subscriptions and resellers bill its list price). */
  byVendor?: boolean;
  /** Model ids carry a vendor slug, `moonshotai/kimi-k2.5`: the vendor's list price, then the reseller's own. */
  slugged?: boolean;
}

const LOCAL: ProviderRoute = { billing: 'free', catalog: [] };

/**
 * Every provider OpenClaw ships (normalized ids: see transcripts/names.ts). A provider not listed is priced only
 * by the gateway's configured cost, an override or the overlay; a localhost `baseUrl` in the gateway's config makes
 * any provider local. Subscription providers are priced at their vendor's API price, marked `subscription`.
 */
export const PROVIDER_ROUTES: Readonly<Record<string, ProviderRoute>> = {
  anthropic: { billing: 'api', catalog: ['anthropic'] },
  'anthropic-vertex': { billing: 'api', catalog: ['anthropic'] },
  openai: { billing: 'api', catalog: ['openai'] },
  'openai-codex': { billing: 'subscription', catalog: ['openai'] },
  azure: { billing: 'api', catalog: ['azure', 'openai'], byVendor: true },
  'azure-openai': { billing: 'api', catalog: ['azure', 'openai'], byVendor: true },
  google: { billing: 'api', catalog: ['google'] },
  'google-vertex': { billing: 'api', catalog: ['google'], byVendor: true },
  'google-gemini-cli': { billing: 'subscription', catalog: ['google'] },
  'google-antigravity': { billing: 'subscription', catalog: [], byVendor: true },
  'amazon-bedrock': { billing: 'api', catalog: ['aws'] },
  openrouter: { billing: 'api', catalog: ['openrouter'], slugged: true },
  'vercel-ai-gateway': { billing: 'api', catalog: [], slugged: true, byVendor: true },
  'github-copilot': { billing: 'subscription', catalog: [], byVendor: true },
  xai: { billing: 'api', catalog: ['x-ai'] },
  zai: { billing: 'api', catalog: ['zai'] },
  moonshot: { billing: 'api', catalog: ['moonshotai'] },
  kimi: { billing: 'subscription', catalog: ['moonshotai'] },
  'kimi-for-coding': { billing: 'subscription', catalog: ['moonshotai'] },
  minimax: { billing: 'api', catalog: ['minimax'] },
  'minimax-portal': { billing: 'subscription', catalog: ['minimax'] },
  deepseek: { billing: 'api', catalog: ['deepseek'] },
  mistral: { billing: 'api', catalog: ['mistral'] },
  groq: { billing: 'api', catalog: ['groq'] },
  cerebras: { billing: 'api', catalog: ['cerebras'] },
  together: { billing: 'api', catalog: ['together'] },
  fireworks: { billing: 'api', catalog: ['fireworks'] },
  // Qwen's OAuth portal is a free tier (2,000 requests a day); Bailian/DashScope bill Alibaba's list price.
  'qwen-portal': { billing: 'free', catalog: [] },
  bailian: { billing: 'api', catalog: [], byVendor: true },
  dashscope: { billing: 'api', catalog: [], byVendor: true },
  qwen: { billing: 'api', catalog: [], byVendor: true },
  // OpenCode Zen resells at the vendors' list prices; its free models are priced by the overlay.
  opencode: { billing: 'api', catalog: [], byVendor: true },
  ollama: LOCAL,
  lmstudio: LOCAL,
  'lm-studio': LOCAL,
  vllm: LOCAL,
  llamacpp: LOCAL,
  'llama-cpp': LOCAL,
  local: LOCAL,
};

/** Subscription providers (OpenClaw shows their API-equivalent cost; `pricing.subscriptionsAsFree` makes them 0). */
export const SUBSCRIPTION_PROVIDERS: ReadonlySet<string> = new Set(
  Object.entries(PROVIDER_ROUTES).flatMap(([id, r]) => (r.billing === 'subscription' ? [id] : [])),
);

/** The vendor (as an overlay provider id) and its catalog provider, guessed from the model's name. */
export function vendorOf(model: string): { vendor: string; catalog: string | null } | null {
  const m = model.replace(/^.*\//, '');
  if (m.includes('claude')) return { vendor: 'anthropic', catalog: 'anthropic' };
  if (/gemini|gemma/.test(m)) return { vendor: 'google', catalog: 'google' };
  if (/^(gpt|o\d|codex|chatgpt)/.test(m)) return { vendor: 'openai', catalog: 'openai' };
  if (m.includes('grok')) return { vendor: 'xai', catalog: 'x-ai' };
  if (m.startsWith('glm')) return { vendor: 'zai', catalog: 'zai' };
  if (m.startsWith('kimi')) return { vendor: 'moonshot', catalog: 'moonshotai' };
  if (m.startsWith('minimax')) return { vendor: 'minimax', catalog: 'minimax' };
  if (m.startsWith('deepseek')) return { vendor: 'deepseek', catalog: 'deepseek' };
  if (/^(mistral|devstral|codestral|magistral|ministral|pixtral)/.test(m))
    return { vendor: 'mistral', catalog: 'mistral' };
  if (/^(qwen|qwq)/.test(m)) return { vendor: 'qwen', catalog: null };
  return null;
}

/** OpenRouter's and Vercel's vendor slugs, as overlay provider ids and catalog providers. */
const SLUGS: Readonly<Record<string, { vendor: string; catalog: string | null }>> = {
  anthropic: { vendor: 'anthropic', catalog: 'anthropic' },
  openai: { vendor: 'openai', catalog: 'openai' },
  google: { vendor: 'google', catalog: 'google' },
  'x-ai': { vendor: 'xai', catalog: 'x-ai' },
  xai: { vendor: 'xai', catalog: 'x-ai' },
  'z-ai': { vendor: 'zai', catalog: 'zai' },
  zai: { vendor: 'zai', catalog: 'zai' },
  moonshotai: { vendor: 'moonshot', catalog: 'moonshotai' },
  moonshot: { vendor: 'moonshot', catalog: 'moonshotai' },
  mistralai: { vendor: 'mistral', catalog: 'mistral' },
  mistral: { vendor: 'mistral', catalog: 'mistral' },
  qwen: { vendor: 'qwen', catalog: null },
  alibaba: { vendor: 'qwen', catalog: null },
  deepseek: { vendor: 'deepseek', catalog: 'deepseek' },
  minimax: { vendor: 'minimax', catalog: 'minimax' },
};

export function vendorOfSlug(slug: string): { vendor: string; catalog: string | null } | null {
  return SLUGS[slug] ?? null;
}

/** Where a model id of `provider` is looked up: catalog (provider, model) pairs and overlay keys, best first. */
export interface Lookup {
  catalog: Array<{ provider: string; model: string }>;
  overlay: string[];
  /** An OpenRouter/OpenCode free variant: priced at 0 whatever the catalog says. */
  freeVariant: boolean;
}

const ROUTING_SUFFIX = /:(free|thinking|nitro|floor|online|exacto|beta|extended)$/;

/**
 * The ids to try for a normalized model id, best first: as written, then without what OpenClaw or a reseller
 * appends to the vendor's id (dates, effort levels, `-latest`, Bedrock region prefixes, version suffixes).
 */
export function modelIdVariants(model: string): string[] {
  const out: string[] = [];
  const add = (m: string) => {
    if (m !== '' && !out.includes(m)) out.push(m);
  };
  add(model);
  let m = model.replace(ROUTING_SUFFIX, '');
  add(m);
  // Kimi Coding's short ids: k2p5 -> kimi-k2.5, k3 -> kimi-k3.
  const kimi = /^k(\d+)(?:p(\d+))?$/.exec(m);
  if (kimi) add((m = kimi[2] === undefined ? `kimi-k${kimi[1]}` : `kimi-k${kimi[1]}.${kimi[2]}`));
  // Vertex `@20251101`, OpenAI `-2025-08-07`, Antigravity effort levels, `-latest` aliases.
  m = m.replace(/@\d{8}$/, '').replace(/-\d{4}-\d{2}-\d{2}$/, '');
  add(m);
  const effort = m.replace(/-(thinking|high|low|medium|minimal|xhigh)$/, '');
  add(effort);
  add(effort.replace(/-latest$/, ''));
  // Gemini previews are also written without `-preview`; xAI's ids are dashed where OpenClaw's are dotted.
  if (/^gemini-\d/.test(effort) && !effort.includes('-preview')) add(`${effort}-preview`);
  if (/^grok-\d\.\d/.test(effort)) add(effort.replace(/^grok-(\d)\.(\d)/, 'grok-$1-$2'));
  return out;
}

/** A Bedrock id without its region prefix and version, for the vendor's own price: `claude-opus-4-5`. */
function bedrockBare(model: string): string | null {
  const m =
    /^(?:[a-z]{2,6}\.)?(anthropic|meta|mistral|amazon|openai|deepseek|moonshot|qwen|minimax|zai)\.(.+?)(?:-v\d+(?::\d+)?|-\d+:\d+)?$/.exec(
      model,
    );
  return m ? (m[2] as string).replace(/-\d{8}$/, '') : null;
}

export function lookupsFor(provider: string, model: string): Lookup {
  const route = PROVIDER_ROUTES[provider];
  const catalog: Lookup['catalog'] = [];
  const overlay: string[] = [];
  const addCatalog = (p: string | null, m: string) => {
    if (p !== null && !catalog.some((c) => c.provider === p && c.model === m)) catalog.push({ provider: p, model: m });
  };
  const addOverlay = (k: string) => {
    if (!overlay.includes(k)) overlay.push(k);
  };
  const freeVariant = /:free$/.test(model) || (provider === 'opencode' && /-free$/.test(model));

  let bare = model;
  let vendor = vendorOf(model);
  if (route?.slugged && model.includes('/')) {
    const slug = model.slice(0, model.indexOf('/'));
    bare = model.slice(model.indexOf('/') + 1);
    vendor = vendorOfSlug(slug) ?? vendorOf(bare);
  }
  const variants = modelIdVariants(bare);
  for (const v of modelIdVariants(model)) addOverlay(`${provider}/${v}`);
  addOverlay(`${provider}/*`);

  if (route?.slugged && model.includes('/')) {
    // The vendor's list price first (what OpenRouter and Vercel pass through), then the reseller's own entry.
    for (const v of variants) addCatalog(vendor?.catalog ?? null, v);
    for (const p of route.catalog) for (const v of modelIdVariants(model)) addCatalog(p, v);
  } else {
    for (const p of route?.catalog ?? []) for (const v of variants) addCatalog(p, v);
    if (provider === 'amazon-bedrock') {
      const b = bedrockBare(model);
      if (b !== null) for (const v of modelIdVariants(b)) addCatalog(vendorOf(b)?.catalog ?? null, v);
    }
    if (route?.byVendor) for (const v of variants) addCatalog(vendor?.catalog ?? null, v);
  }
  // The overlay prices what the catalog lacks under the vendor's id (subscriptions and resellers included).
  const vendorId = provider === 'amazon-bedrock' ? vendorOf(bedrockBare(model) ?? model)?.vendor : vendor?.vendor;
  if (vendorId !== undefined && vendorId !== provider) {
    for (const v of provider === 'amazon-bedrock' ? modelIdVariants(bedrockBare(model) ?? model) : variants)
      addOverlay(`${vendorId}/${v}`);
  }
  return { catalog, overlay, freeVariant };
}

/** A `baseUrl` on this machine: a local runtime, whatever the provider is called. */
export function isLocalUrl(baseUrl: string | undefined): boolean {
  if (baseUrl === undefined) return false;
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host === '::1' ||
      /^127\./.test(host) ||
      host === '0.0.0.0' ||
      host === 'host.docker.internal'
    );
  } catch {
    return false;
  }
}
