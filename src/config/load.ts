// Config = defaults < config file < environment < flags (contract: "a flag wins over the environment ...").
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import stripJsonComments from 'strip-json-comments';
import { type Env, homeOf } from '../shared/env.js';
import { registerSecret, registerSecretUrl } from '../shared/redact.js';
import { stringOr } from '../shared/strings.js';
import { formatZodIssues } from '../shared/zod-issues.js';
import { ConfigError } from './errors.js';
import { type Config, ConfigSchema } from './schema.js';
import { SECRET_ENVS } from './secrets.js';

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

/** Where `install --user` writes the config: $XDG_CONFIG_HOME/openclaw-budget/config.json, else under ~/.config. */
export function userConfigPath(env: Env, home = homeOf(env)): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'openclaw-budget', 'config.json');
}

/**
 * --config, else $OPENCLAW_BUDGET_CONFIG, else the user's config (`install --user`), else the system one
 * (`install`): a run by hand finds what install wrote, whichever kind it was.
 */
export function resolveConfigPath(flags: FlagValues, env: Env): { path: string; explicit: boolean } | undefined {
  const given = stringOr(flags.config) ?? env.OPENCLAW_BUDGET_CONFIG;
  if (given) return { path: given, explicit: true };
  const found = [userConfigPath(env), DEFAULT_CONFIG_PATH].find((p) => existsSync(p));
  return found ? { path: found, explicit: false } : undefined;
}

async function readConfigFile(path: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint =
      code === 'ENOENT' ? 'create it (see config.example.jsonc) or point --config elsewhere' : 'check its permissions';
    throw new ConfigError(`cannot read config file ${path} (${code ?? String(err)}): ${hint}`);
  }
  // A UTF-8 byte order mark (Windows editors write one) is not JSON, but it is not a mistake either.
  const stripped = stripJsonComments(text.replace(/^\uFEFF/, ''));
  let json: unknown;
  try {
    json = JSON.parse(stripped);
  } catch (err) {
    throw new ConfigError(`config file ${path}: ${jsonErrorAt(stripped, (err as Error).message)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`config file ${path} must hold one JSON object`);
  }
  return json as JsonObject;
}

/**
 * "invalid JSON at line 3, column 18: Unexpected token ','" and the line with a caret. V8 gives a character offset
 * (Node 22+ adds its own line and column): comments were blanked out, not removed, so offsets match the file.
 */
export function jsonErrorAt(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  const what = message
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '')
    .replace(/^JSON Parse error: /, '');
  const source = (text.split('\n')[line - 1] ?? '').replace(/\t/g, ' ');
  const shown = source.length > 120 ? `${source.slice(0, 117)}...` : source;
  const caret = column - 1 < 120 ? `\n  ${' '.repeat(String(line).length)} | ${' '.repeat(column - 1)}^` : '';
  return `invalid JSON at line ${line}, column ${column}: ${what}\n  ${line} | ${shown}${caret}`;
}

/** The keys the config schema allows at a path ("alerts.matrix" -> homeserver, room, ...), for "did you mean". */
export function keysAt(path: readonly PropertyKey[]): string[] {
  let s: unknown = ConfigSchema;
  const unwrap = (x: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const def = (x as { _zod?: { def?: { innerType?: unknown; in?: unknown; type?: string } } })?._zod?.def;
      const inner = def?.innerType ?? (def?.type === 'pipe' ? def.in : undefined);
      if (!inner) return x;
      x = inner;
    }
    return x;
  };
  for (const seg of path) {
    s = unwrap(s);
    const def = (s as { _zod?: { def?: { type?: string; element?: unknown; shape?: Record<string, unknown> } } })?._zod
      ?.def;
    if (def?.type === 'array') s = def.element;
    else if (def?.type === 'object' && def.shape && typeof seg === 'string') s = def.shape[seg];
    else return [];
  }
  const shape = (unwrap(s) as { _zod?: { def?: { shape?: Record<string, unknown> } } })?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
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
    origins.set(s.key, `flag --${(s.flag ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  registerConfigSecrets(merged, env);
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success)
    throw new ConfigError(`invalid configuration:\n${formatZodIssues(parsed.error.issues, origins, keysAt)}`);
  const flagSource = stringOr(flags.source);
  const flagContainer = stringOr(flags.container);
  return {
    config: parsed.data,
    configPath: where?.path,
    source: flagSource ?? (env[SOURCE_ENV] || undefined),
    container: flagContainer ?? (env[CONTAINER_ENV] || undefined),
  };
}

/** Secrets the config holds or names, registered with the redactor before anything can print them. */
function registerConfigSecrets(raw: JsonObject, env: Env): void {
  const at = (...path: string[]) =>
    path.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as JsonObject)[k] : undefined), raw);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  registerSecretUrl(str(at('alerts', 'webhook', 'url')));
  registerSecret(str(at('alerts', 'webhook', 'secret')));
  registerSecret(str(at('alerts', 'matrix', 'accessToken')));
  const homeserver = str(at('alerts', 'matrix', 'homeserver'));
  if (homeserver?.includes('@')) registerSecretUrl(homeserver);
  for (const name of SECRET_ENVS) registerSecret(env[name]);
}
