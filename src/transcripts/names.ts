// Provider and model normalization, as the contract defines it (see shared/contract.md "Names").

const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  'z.ai': 'zai',
  'z-ai': 'zai',
  'kimi-code': 'kimi',
  'kimi-coding': 'kimi',
  bedrock: 'amazon-bedrock',
  'aws-bedrock': 'amazon-bedrock',
  'opencode-zen': 'opencode',
};

export function normalizeProvider(raw: string): string {
  const p = raw.trim().toLowerCase();
  return PROVIDER_ALIASES[p] ?? p;
}

const DATE_SUFFIX = /-\d{8}$/;
const DOTTED_VERSION = /(\d)\.(?=\d)/g;

export function normalizeModel(raw: string, provider: string): string {
  let m = raw.trim().toLowerCase();
  const prefix = `${provider}/`;
  if (provider !== '' && m.startsWith(prefix)) m = m.slice(prefix.length);
  m = m.replace(DATE_SUFFIX, '');
  if (m.includes('claude')) m = m.replace(DOTTED_VERSION, '$1-');
  return m;
}
