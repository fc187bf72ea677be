// Which sources a run reads: --source, else the configured gateways, else the local OpenClaw state dir.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { expandHome } from '../config/path.js';
import type { Config, Gateway } from '../config/schema.js';
import { credstoreFile } from '../config/secrets.js';
import { CONTAINER_NAME, SSH_TIMEOUT_DEFAULTS, type SshDefaults, type SshTarget } from '../config/ssh-schema.js';
import { type Env, homeOf } from '../shared/env.js';
import { LocalSource } from '../sources/local.js';
import type { Source } from '../sources/source.js';
import type { KeyFile } from '../sources/ssh/connect.js';
import { SshSource } from '../sources/ssh/source.js';
import { type LineFormat, TRANSCRIPT_FORMAT } from '../transcripts/format.js';
import { DEFAULT_LOG_DIR, LOG_FORMAT } from '../transcripts/logs.js';

/** Where OpenClaw keeps its state, newest name first; older installs still have the legacy names. */
export const STATE_DIR_NAMES = ['.openclaw', '.clawdbot', '.moltbot', '.moldbot', '.clawdis'] as const;

/** The state dir inside the official Docker image (user node, HOME=/home/node). */
export const CONTAINER_STATE_DIR = '/home/node/.openclaw';

/** systemd LoadCredential= names looked for when no key or passphrase file is configured. */
export const CREDENTIAL_KEY = 'ssh-key';
export const CREDENTIAL_PASSPHRASE = 'ssh-key-passphrase';

const RETRY_DELAY_MS = 1000;

export interface GatewaySource {
  source: Source;
  format: LineFormat;
}

export function defaultStateDirs(env: Env): string[] {
  if (env.OPENCLAW_STATE_DIR) return [env.OPENCLAW_STATE_DIR];
  return STATE_DIR_NAMES.map((n) => join(homeOf(env), n));
}

/** A bare name (no `/`) is a systemd credential when $CREDENTIALS_DIRECTORY is set; anything else a path. */
function credentialPath(p: string, env: Env): string {
  const dir = env.CREDENTIALS_DIRECTORY;
  return dir && !p.includes('/') && p !== '~' ? join(dir, p) : expandHome(p);
}

/**
 * What to do when the file a bare credential name stands for does not exist: the service's own path
 * ($CREDENTIALS_DIRECTORY/<id>) is not one the operator can create, the credstore file is.
 */
export function credentialMissingHint(name: string, configKey: string, env: Env): string | undefined {
  if (name.includes('/') || name === '~') return undefined;
  if (name !== CREDENTIAL_KEY && name !== CREDENTIAL_PASSPHRASE) {
    return `a bare name is read as a systemd credential, and the unit loads only ${CREDENTIAL_KEY} and ${CREDENTIAL_PASSPHRASE}: use one of those or set "${configKey}" to an absolute path`;
  }
  const where = `put it in ${credstoreFile(name)} (mode 0600), which openclaw-budget.service loads with LoadCredential=${name}:openclaw-budget-${name}`;
  return env.CREDENTIALS_DIRECTORY
    ? `the systemd credential ${name} is missing: ${where}`
    : `"${name}" names a systemd credential, which only openclaw-budget.service sees: ${where}, or set "${configKey}" to a path`;
}

function missingHint(name: string, configKey: string, env: Env): { missing?: string } {
  const hint = credentialMissingHint(name, configKey, env);
  return hint ? { missing: hint } : {};
}

function defaultKeys(env: Env): KeyFile[] {
  const home = homeOf(env);
  const keys = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => ({ path: join(home, '.ssh', k), explicit: false }));
  return env.CREDENTIALS_DIRECTORY
    ? [{ path: join(env.CREDENTIALS_DIRECTORY, CREDENTIAL_KEY), explicit: false }, ...keys]
    : keys;
}

interface Where {
  name: string;
  root: string;
  container: string | true | undefined;
  sudo: boolean;
}

function openSsh(target: SshTarget, defaults: SshDefaults, where: Where, env: Env): SshSource {
  const s = {
    ...defaults,
    ...Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined)),
  } as SshTarget;
  const credDir = env.CREDENTIALS_DIRECTORY;
  const passphraseFile = s.passphraseFile
    ? credentialPath(s.passphraseFile, env)
    : credDir && existsSync(join(credDir, CREDENTIAL_PASSPHRASE))
      ? join(credDir, CREDENTIAL_PASSPHRASE)
      : undefined;
  const agent = s.agent === false ? undefined : typeof s.agent === 'string' ? s.agent : env.SSH_AUTH_SOCK || undefined;
  return new SshSource({
    name: where.name,
    endpoint: {
      host: s.host,
      port: s.port,
      user: s.user ?? env.USER ?? userInfo().username,
      keys: s.identityFile
        ? [
            {
              path: credentialPath(s.identityFile, env),
              explicit: true,
              ...missingHint(s.identityFile, 'identityFile', env),
            },
          ]
        : defaultKeys(env),
      ...(passphraseFile
        ? {
            passphraseFile,
            ...(s.passphraseFile
              ? { passphraseMissing: credentialMissingHint(s.passphraseFile, 'passphraseFile', env) }
              : {}),
          }
        : {}),
      ...(agent ? { agent } : {}),
      agentFirst: !s.identityFile,
      ...(s.hostKey ? { hostKey: s.hostKey } : {}),
      knownHosts: expandHome(s.knownHosts ?? '~/.ssh/known_hosts'),
      connectTimeoutMs: (s.connectTimeoutSeconds ?? SSH_TIMEOUT_DEFAULTS.connectTimeoutSeconds) * 1000,
      retryDelayMs: RETRY_DELAY_MS,
    },
    root: where.root,
    container: where.container,
    sudo: where.sudo,
    commandTimeoutMs: (s.commandTimeoutSeconds ?? SSH_TIMEOUT_DEFAULTS.commandTimeoutSeconds) * 1000,
    timeoutMs: (s.timeoutSeconds ?? SSH_TIMEOUT_DEFAULTS.timeoutSeconds) * 1000,
  });
}

function openGateway(g: Gateway, config: Config, env: Env): GatewaySource {
  const format = g.read === 'logs' ? LOG_FORMAT : TRANSCRIPT_FORMAT;
  if (!g.ssh)
    return {
      source: new LocalSource(g.name, [g.read === 'logs' ? (g.logDir ?? DEFAULT_LOG_DIR) : (g.path as string)]),
      format,
    };
  const root = g.read === 'logs' ? (g.logDir ?? DEFAULT_LOG_DIR) : (g.path ?? CONTAINER_STATE_DIR);
  return {
    source: openSsh(g.ssh, config.ssh, { name: g.name, root, container: g.container, sudo: g.sudo }, env),
    format,
  };
}

/** `ssh://[user@]host[:port]/abs/path` (contract); the gateway is named after the host. */
export function parseSshUrl(src: string): { target: SshTarget; path: string; name: string } {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    throw new ConfigError(`--source ${src}: expected ssh://[user@]host[:port]/abs/path/to/state-dir`);
  }
  const path = decodeURIComponent(url.pathname);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host || path === '' || path === '/')
    throw new ConfigError(
      `--source ${src}: expected ssh://[user@]host[:port]/abs/path/to/state-dir (the path is missing)`,
    );
  const user = decodeURIComponent(url.username);
  if (user && !/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user))
    throw new ConfigError(`--source ${src}: "${user}" is not a valid user name`);
  return {
    target: { host, port: url.port ? Number(url.port) : 22, ...(user ? { user } : {}) },
    path,
    name: host.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]/, 'h'),
  };
}

export function openSources(config: Config, source: string | undefined, env: Env, container?: string): GatewaySource[] {
  if (container !== undefined && !(source && /^ssh:\/\//i.test(source)))
    throw new ConfigError('--container only applies with an ssh:// --source');
  if (source !== undefined) {
    if (/^ssh:\/\//i.test(source)) {
      if (container !== undefined && !CONTAINER_NAME.test(container))
        throw new ConfigError(`--container ${container}: expected a Docker container name`);
      const { target, path, name } = parseSshUrl(source);
      return [
        {
          source: openSsh(target, config.ssh, { name, root: path, container, sudo: false }, env),
          format: TRANSCRIPT_FORMAT,
        },
      ];
    }
    return [{ source: new LocalSource('local', [source]), format: TRANSCRIPT_FORMAT }];
  }
  if (config.gateways.length === 0)
    return [{ source: new LocalSource('local', defaultStateDirs(env)), format: TRANSCRIPT_FORMAT }];
  const names = new Set<string>();
  for (const g of config.gateways) {
    if (names.has(g.name))
      throw new ConfigError(
        `gateways: the name "${g.name}" is used twice; each gateway needs its own (it labels metrics and the ledger)`,
      );
    names.add(g.name);
  }
  return config.gateways.map((g) => openGateway(g, config, env));
}

/** The SSH host of a configured gateway, for running hooks there (never inside its container). */
export function openHookHost(config: Config, gateway: string, env: Env): Source {
  const g = config.gateways.find((x) => x.name === gateway);
  if (!g?.ssh) {
    throw new ConfigError(
      `alerts.hooks.gateway: "${gateway}" is not a configured SSH gateway; name one of: ${
        config.gateways
          .filter((x) => x.ssh)
          .map((x) => x.name)
          .join(', ') || '(none)'
      }, or remove the key to run hooks locally`,
    );
  }
  return openSsh(g.ssh, config.ssh, { name: g.name, root: '/', container: undefined, sudo: g.sudo }, env);
}
