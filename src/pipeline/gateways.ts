// Which sources a run reads: --source, else the configured gateways, else the local OpenClaw state dir.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../config/errors.js';
import { LocalSource } from '../sources/local.js';
import type { Source } from '../sources/source.js';

/** Where OpenClaw keeps its state, newest name first; older installs still have the legacy names. */
export const STATE_DIR_NAMES = ['.openclaw', '.clawdbot', '.moltbot', '.moldbot', '.clawdis'] as const;

export function defaultStateDirs(env: Readonly<Record<string, string | undefined>>): string[] {
  if (env.OPENCLAW_STATE_DIR) return [env.OPENCLAW_STATE_DIR];
  return STATE_DIR_NAMES.map((n) => join(homedir(), n));
}

export function openSources(config: Config, source: string | undefined, env: Readonly<Record<string, string | undefined>>): Source[] {
  if (source !== undefined) {
    if (/^ssh:\/\//i.test(source)) throw new ConfigError('ssh:// sources are not supported by this build; copy the state dir locally or upgrade');
    return [new LocalSource('local', [source])];
  }
  if (config.gateways.length === 0) return [new LocalSource('local', defaultStateDirs(env))];
  return config.gateways.map((g) => new LocalSource(g.name, [g.path]));
}
