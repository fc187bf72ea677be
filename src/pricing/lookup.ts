// Finding the table entry for a normalized (provider, model): exact, wildcard, then the API a reseller bills like.
import type { Price, PricingTable } from './table.js';

/** Providers billed as a flat subscription; OpenClaw (and we, by default) show their API-equivalent cost. */
export const SUBSCRIPTION_PROVIDERS: ReadonlySet<string> = new Set([
  'openai-codex',
  'google-antigravity',
  'google-gemini-cli',
  'github-copilot',
]);

export interface PriceMatch {
  key: string;
  price: Price;
}

function vendorsFor(model: string): string[] {
  if (model.includes('claude')) return ['anthropic'];
  if (model.includes('gemini')) return ['google'];
  if (model.includes('grok')) return ['xai'];
  if (/^(gpt|o\d|codex|chatgpt)/.test(model)) return ['openai'];
  return ['anthropic', 'openai', 'google', 'xai'];
}

// Bedrock / Vertex ids around a vendor model: `us.anthropic.claude-opus-4-5-20251101-v1:0`, `claude-opus-4-5@20251101`.
function bareVendorModel(model: string): string {
  return model
    .replace(/^(?:us|eu|apac|global)\./, '')
    .replace(/^(?:anthropic|meta|amazon|mistral|cohere)\./, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/@\d{8}$/, '')
    .replace(/-\d{8}$/, '');
}

/** Keys to try, best first. */
export function candidateKeys(provider: string, model: string): string[] {
  const keys = [`${provider}/${model}`, `${provider}/*`];
  if (SUBSCRIPTION_PROVIDERS.has(provider)) {
    for (const v of vendorsFor(model)) keys.push(`${v}/${model}`);
  } else if (provider === 'openrouter' && model.includes('/')) {
    // OpenRouter passes through the vendor's list price; `:free` variants cost nothing.
    const [vendor = '', ...rest] = model.split('/');
    const name = rest.join('/');
    if (name.endsWith(':free')) keys.push('openrouter/:free');
    keys.push(`${vendor}/${name.replace(/:[a-z-]+$/, '')}`);
  } else if (provider === 'amazon-bedrock' || provider === 'google-vertex' || provider === 'azure') {
    const bare = bareVendorModel(model);
    for (const v of vendorsFor(bare)) keys.push(`${v}/${bare}`);
  }
  return keys;
}

const FREE_VARIANT: Price = { free: true };

/** Matches found per table and (provider, model): a run prices thousands of calls of a handful of models. */
const found = new WeakMap<PricingTable, Map<string, PriceMatch | null>>();

export function lookupPrice(table: PricingTable, provider: string, model: string): PriceMatch | null {
  let memo = found.get(table);
  if (!memo) found.set(table, (memo = new Map()));
  const id = `${provider}\n${model}`;
  let match = memo.get(id);
  if (match === undefined) {
    match = search(table, provider, model);
    memo.set(id, match);
  }
  return match;
}

function search(table: PricingTable, provider: string, model: string): PriceMatch | null {
  for (const key of candidateKeys(provider, model)) {
    if (key === 'openrouter/:free') return { key: `openrouter/${model}`, price: FREE_VARIANT };
    const price = table.models.get(key);
    if (price) return { key, price };
  }
  return null;
}
