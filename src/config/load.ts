// Config = defaults < config file < environment < flags (contract: "a flag wins over the environment ...").
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import stripJsonComments from 'strip-json-comments';
import { formatZodIssues } from '../shared/zod-issues.js';
import { ConfigError } from './errors.js';
import { type Config, ConfigSchema } from './schema.js';
import type { Env } from '../shared/env.js';
import { stringOr } from '../shared/strings.js';

export const DEFAULT_CONFIG_PATH = '/etc/openclaw-budget/config.json';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

type Kind = 'string' | 'number' | 'boolean';

interface Setting {
  /** Dotted config key. */
  key: string;
  kind: Kind;
  env?: string;
  flag?: string;
}

/** Every setting the environment or a flag can provide, and the config key it lands on. */
export const SETTINGS: readonly Setting[] = [
  { key: 'maxDailyUsd', kind: 'number', env: 'MAX_DAILY_USD', flag: 'maxDailyUsd' },
  { key: 'maxMonthlyUsd', kind: 'number', env: 'MAX_MONTHLY_USD', flag: 'maxMonthlyUsd' },
  { key: 'warnAt', kind: 'number', env: 'OPENCLAW_BUDGET_WARN_AT', flag: 'warnAt' },
  { key: 'timezone', kind: 'string', env: 'OPENCLAW_BUDGET_TIMEZONE', flag: 'timezone' },
  { key: 'stateDir', kind: 'string', env: 'OPENCLAW_BUDGET_STATE_DIR', flag: 'stateDir' },
  { key: 'textfileDir', kind: 'string', env: 'OPENCLAW_BUDGET_TEXTFILE_DIR', flag: 'textfileDir' },
  { key: 'flagFile', kind: 'string', env: 'OPENCLAW_BUDGET_FLAG_FILE', flag: 'flagFile' },
  { key: 'pricing.file', kind: 'string', env: 'OPENCLAW_BUDGET_PRICING', flag: 'pricing' },
  { key: 'pricing.mode', kind: 'string', env: 'OPENCLAW_BUDGET_PRICING_MODE', flag: 'pricingMode' },
  { key: 'pricing.subscriptionsAsFree', kind: 'boolean', env: 'OPENCLAW_BUDGET_SUBSCRIPTIONS_AS_FREE' },
  { key: 'pricing.autoUpdate', kind: 'boolean', env: 'OPENCLAW_BUDGET_PRICING_AUTO_UPDATE' },
  { key: 'pricing.updateUrl', kind: 'string', env: 'OPENCLAW_BUDGET_PRICING_URL' },
  { key: 'alerts.enabled', kind: 'boolean', env: 'OPENCLAW_BUDGET_ALERTS', flag: 'alert' },
  { key: 'ssh.identityFile', kind: 'string', env: 'OPENCLAW_BUDGET_SSH_KEY', flag: 'sshKey' },
  { key: 'ssh.knownHosts', kind: 'string', env: 'OPENCLAW_BUDGET_KNOWN_HOSTS', flag: 'knownHosts' },
  { key: 'alerts.matrix.homeserver', kind: 'string', env: 'OPENCLAW_BUDGET_MATRIX_HOMESERVER' },
  { key: 'alerts.matrix.room', kind: 'string', env: 'OPENCLAW_BUDGET_MATRIX_ROOM' },
  { key: 'alerts.webhook.url', kind: 'string', env: 'OPENCLAW_BUDGET_WEBHOOK_URL' },
];

/** `--source` and its environment twin replace the configured gateways with one ad-hoc source. */
export const SOURCE_ENV = 'OPENCLAW_BUDGET_SOURCE';
/** `--container` goes with an ssh:// `--source`. */
export const CONTAINER_ENV = 'OPENCLAW_BUDGET_CONTAINER';

export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

export interface LoadedConfig {
  config: Config;
  /** The config file read, if any. */
  configPath: string | undefined;
  /** `--source` (or its env twin) when given. */
  source: string | undefined;
  /** `--container` (or its env twin) when given. */
  container: string | undefined;
}

function coerce(raw: string | boolean, kind: Kind): Json {
  if (typeof raw === 'boolean' || kind === 'string') return raw;
  const s = raw.trim();
  if (kind === 'number') return s !== '' && Number.isFinite(Number(s)) ? Number(s) : raw;
  if (/^(1|true|yes|on)$/i.test(s)) return true;
  if (/^(0|false|no|off)$/i.test(s)) return false;
  return raw;
}

function setPath(target: JsonObject, dotted: string, value: Json): void {
  const parts = dotted.split('.');
  let obj = target;
  for (const p of parts.slice(0, -1)) {
    const next = obj[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) obj[p] = {};
    obj = obj[p] as JsonObject;
  }
  obj[parts[parts.length - 1] as string] = value;
}

function leafPaths(value: Json, prefix: string, out: string[]): string[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.push(prefix);
  }
  return out;
}

export function resolveConfigPath(flags: FlagValues, env: Env): { path: string; explicit: boolean } | undefined {
  const given = stringOr(flags.config) ?? env.OPENCLAW_BUDGET_CONFIG;
  if (given) return { path: given, explicit: true };
  return existsSync(DEFAULT_CONFIG_PATH) ? { path: DEFAULT_CONFIG_PATH, explicit: false } : undefined;
}

async function readConfigFile(path: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? 'create it (see config.example.jsonc) or point --config elsewhere' : 'check its permissions';
    throw new ConfigError(`cannot read config file ${path} (${code ?? String(err)}): ${hint}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(text));
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`config file ${path} must hold one JSON object`);
  }
  return json as JsonObject;
}

export async function loadConfig(flags: FlagValues, env: Env): Promise<LoadedConfig> {
  const origins = new Map<string, string>();
  const merged: JsonObject = {};
  const where = resolveConfigPath(flags, env);
  if (where) {
    const file = await readConfigFile(where.path);
    for (const [k, v] of Object.entries(file)) merged[k] = v;
    for (const p of leafPaths(file, '', [])) origins.set(p, `config file ${where.path}`);
    for (const k of Object.keys(file)) if (!origins.has(k)) origins.set(k, `config file ${where.path}`);
  }
  for (const s of SETTINGS) {
    const v = s.env ? env[s.env] : undefined;
    if (v === undefined || v === '') continue;
    setPath(merged, s.key, coerce(v, s.kind));
    origins.set(s.key, `environment ${s.env}`);
  }
  for (const s of SETTINGS) {
    const v = s.flag ? flags[s.flag] : undefined;
    if (v === undefined) continue;
    // commander's --no-alert yields alert=false; alerts stay on unless a flag turns them off.
    if (s.flag === 'alert' && v === true) continue;
    setPath(merged, s.key, coerce(v, s.kind));
    origins.set(s.key, `flag --${(s.flag ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`invalid configuration:\n${formatZodIssues(parsed.error.issues, origins)}`);
  const flagSource = stringOr(flags.source);
  const flagContainer = stringOr(flags.container);
  return {
    config: parsed.data,
    configPath: where?.path,
    source: flagSource ?? (env[SOURCE_ENV] || undefined),
    container: flagContainer ?? (env[CONTAINER_ENV] || undefined),
  };
}
