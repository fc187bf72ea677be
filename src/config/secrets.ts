// Secrets (Matrix token, webhook key): from the environment, a file, a systemd credential or, discouraged, inline.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from '../shared/env.js';
import { registerSecret } from '../shared/redact.js';
import type { Config } from './schema.js';

export interface SecretSpec {
  /** What it is, for messages ("Matrix access token"). */
  what: string;
  /** Environment variable that holds it. */
  env: string;
  /** Name under $CREDENTIALS_DIRECTORY (systemd LoadCredential=). */
  credential: string;
  /** The config's file key and value. */
  fileKey: string;
  file?: string;
  /** The config's inline key and value. */
  inlineKey: string;
  inline?: string;
}

export interface Secret {
  value: string;
  /** Where it came from, for messages that say what to fix (never the value). */
  from: string;
}

export const MATRIX_TOKEN_ENV = 'OPENCLAW_BUDGET_MATRIX_TOKEN';
export const WEBHOOK_SECRET_ENV = 'OPENCLAW_BUDGET_WEBHOOK_SECRET';
/** Environment variables holding secrets: kept out of hook commands' environment. */
export const SECRET_ENVS: readonly string[] = [MATRIX_TOKEN_ENV, WEBHOOK_SECRET_ENV];

export class SecretError extends Error {}

/** Where the operator puts a credential: the shipped system unit has LoadCredential=<id>:openclaw-budget-<id>. */
export const credstoreFile = (id: string) => `/etc/credstore/openclaw-budget-${id}`;

async function readSecretFile(path: string, spec: SecretSpec, from: string): Promise<Secret> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new SecretError(
      `cannot read the ${spec.what} from ${from} (${code}): create it (mode 0600, readable by the user running openclaw-budget) or fix ${spec.fileKey}`,
    );
  }
  const value = text.trim();
  if (!value) throw new SecretError(`the ${spec.what} file ${from} is empty: put the secret in it`);
  return { value, from };
}

/** First of: the environment, the configured file, $CREDENTIALS_DIRECTORY/<credential>, the inline value. */
export async function readSecret(spec: SecretSpec, env: Env): Promise<Secret | undefined> {
  const secret = await findSecret(spec, env);
  registerSecret(secret?.value);
  return secret;
}

async function findSecret(spec: SecretSpec, env: Env): Promise<Secret | undefined> {
  const fromEnv = env[spec.env]?.trim();
  if (fromEnv) return { value: fromEnv, from: `$${spec.env}` };
  if (spec.file) return readSecretFile(spec.file, spec, `file ${spec.file}`);
  const creds = env.CREDENTIALS_DIRECTORY;
  if (creds) {
    const path = join(creds, spec.credential);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) return readSecretFile(path, spec, `credential ${path}`);
  }
  if (spec.inline) return { value: spec.inline, from: spec.inlineKey };
  return undefined;
}

export function matrixTokenSpec(config: Config): SecretSpec {
  const m = config.alerts.matrix;
  const keys = { fileKey: 'alerts.matrix.accessTokenFile', inlineKey: 'alerts.matrix.accessToken' };
  return {
    what: 'Matrix access token',
    env: MATRIX_TOKEN_ENV,
    credential: 'matrix-token',
    ...keys,
    file: m?.accessTokenFile,
    inline: m?.accessToken,
  };
}

export function webhookSecretSpec(config: Config): SecretSpec {
  const w = config.alerts.webhook;
  const keys = { fileKey: 'alerts.webhook.secretFile', inlineKey: 'alerts.webhook.secret' };
  return {
    what: 'webhook signing secret',
    env: WEBHOOK_SECRET_ENV,
    credential: 'webhook-secret',
    ...keys,
    file: w?.secretFile,
    inline: w?.secret,
  };
}

/** A config file that holds a secret inline must not be readable by group or others. */
export async function inlineSecretWarnings(configPath: string | undefined, config: Config): Promise<string[]> {
  const inline = [matrixTokenSpec(config), webhookSecretSpec(config)].flatMap((s) => (s.inline ? [s.inlineKey] : []));
  if (!configPath || inline.length === 0) return [];
  const mode = await stat(configPath).then(
    (s) => s.mode & 0o777,
    () => undefined,
  );
  if (mode === undefined || (mode & 0o077) === 0) return [];
  return [
    `config file ${configPath} holds ${inline.join(' and ')} but is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}): ` +
      `run chmod 600 on it, or move the secret to a file (alerts.matrix.accessTokenFile / alerts.webhook.secretFile), ` +
      `the environment ($${MATRIX_TOKEN_ENV} / $${WEBHOOK_SECRET_ENV}) or a systemd credential (LoadCredential=matrix-token / webhook-secret)`,
  ];
}
