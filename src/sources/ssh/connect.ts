// One verified, authenticated SSH connection (ssh2), with one retry when the network fails.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyAuthMethod, Client, ConnectConfig, ParsedKey, ServerHostKeyAlgorithm } from 'ssh2';
import { SourceError } from '../source.js';
import {
  fingerprint,
  type KnownHost,
  keyTypeOf,
  knownHostsName,
  knownKeyAlgorithms,
  parseKnownHosts,
  shortKeyType,
  verifyHostKey,
} from './known-hosts.js';

export interface KeyFile {
  path: string;
  /** Named in config or on the command line: a problem with it is an error, not a skip. */
  explicit: boolean;
  /** What to do when it does not exist (a systemd credential: where the operator puts it). */
  missing?: string;
}

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** Tried in this order, after or before the agent (see `agentFirst`). */
  keys: readonly KeyFile[];
  passphraseFile?: string;
  /** What to do when the passphrase file does not exist. */
  passphraseMissing?: string | undefined;
  /** Agent socket; undefined for none. */
  agent?: string;
  agentFirst: boolean;
  /** Pinned `SHA256:` fingerprint; when set, knownAlgoshosts is not consulted. */
  hostKey?: string;
  knownHosts: string;
  connectTimeoutMs: number;
  retryDelayMs: number;
}

export const target = (e: Pick<SshEndpoint, 'host' | 'port' | 'user'>) => `${e.user}@${e.host}:${e.port}`;

type Methods = { methods: AnyAuthMethod[]; tried: string[] };

async function readSecret(path: string, what: string, missing?: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceError(
      `cannot read the ${what} ${path} (${code ?? 'error'}): ${(code === 'ENOENT' && missing) || 'check the path and its permissions'}`,
    );
  }
}

/** ssh2 is CommonJS (no named ESM exports) and only SSH gateways need it: loaded on first use. */
type Ssh2 = typeof import('ssh2');
const loadSsh2 = async (): Promise<Ssh2> => ((await import('ssh2')) as unknown as { default: Ssh2 }).default;

async function authMethods(e: SshEndpoint, utils: Ssh2['utils']): Promise<Methods> {
  const passphrase = e.passphraseFile
    ? (await readSecret(e.passphraseFile, 'passphrase file', e.passphraseMissing))
        .toString('utf8')
        .replace(/\r?\n$/, '')
    : undefined;
  const keys: Methods = { methods: [], tried: [] };
  for (const k of e.keys) {
    let data: Buffer;
    try {
      data = await readFile(k.path);
    } catch (err) {
      if (!k.explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      const code = (err as NodeJS.ErrnoException).code;
      throw new SourceError(
        `cannot read the SSH key ${k.path} (${code ?? 'error'}): ${(code === 'ENOENT' && k.missing) || 'check the path and its permissions'}`,
      );
    }
    const parsed = utils.parseKey(data, passphrase);
    if (parsed instanceof Error) {
      const encrypted = /encrypted|passphrase/i.test(parsed.message);
      if (!k.explicit && encrypted && passphrase === undefined) continue; // like ssh in batch mode: skip, try the next
      const hint = encrypted
        ? passphrase === undefined
          ? 'it is encrypted: set "passphraseFile" (or the ssh-key-passphrase credential)'
          : 'the passphrase does not decrypt it'
        : 'it is not an OpenSSH/PEM private key';
      throw new SourceError(`cannot use the SSH key ${k.path}: ${hint}`);
    }
    const key = (Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey;
    keys.methods.push({ type: 'publickey', username: e.user, key });
    keys.tried.push(`key ${k.path}`);
  }
  const agent: Methods = e.agent
    ? { methods: [{ type: 'agent', username: e.user, agent: e.agent }], tried: ['the SSH agent'] }
    : { methods: [], tried: [] };
  const [a, b] = e.agentFirst ? [agent, keys] : [keys, agent];
  const all = { methods: [...a.methods, ...b.methods], tried: [...a.tried, ...b.tried] };
  if (all.methods.length === 0) {
    throw new SourceError(
      `no SSH credentials for ${target(e)}: set "identityFile" (or --ssh-key), or start an SSH agent (SSH_AUTH_SOCK)`,
    );
  }
  return all;
}

async function loadKnownHosts(path: string): Promise<KnownHost[] | 'missing'> {
  try {
    return parseKnownHosts(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new SourceError(
      `cannot read knownAlgoshosts file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Decides on the presented host key; `refusal` says why it was refused and how to trust it. */
class HostCheck {
  refusal: string | undefined;

  constructor(
    private readonly e: SshEndpoint,
    private readonly known: KnownHost[] | 'missing' | undefined,
  ) {}

  algorithms(): string[] {
    return Array.isArray(this.known) ? knownKeyAlgorithms(this.known, knownHostsName(this.e.host, this.e.port)) : [];
  }

  verify = (blob: Buffer): boolean => {
    const fp = fingerprint(blob);
    const type = keyTypeOf(blob);
    const name = knownHostsName(this.e.host, this.e.port);
    const presented = `${shortKeyType(type).toUpperCase()} key ${fp}`;
    const trustHow = `check it out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${shortKeyType(type)}_key.pub), then either add it to ${this.e.knownHosts} (ssh-keyscan -p ${this.e.port} -t ${shortKeyType(type)} ${this.e.host} >> ${this.e.knownHosts}, or connect once with ssh) or pin it in the gateway's ssh settings: "hostKey": "${fp}"`;
    if (this.e.hostKey !== undefined) {
      if (fp === this.e.hostKey.replace(/=+$/, '')) return true;
      this.refusal = `HOST KEY MISMATCH for ${name}: it presented ${presented}, but the configured "hostKey" is ${this.e.hostKey}. Someone may be intercepting the connection, or the host was reinstalled; if the change is expected, ${trustHow}`;
      return false;
    }
    if (this.known === undefined || this.known === 'missing') {
      this.refusal = `host key of ${name} is unknown: ${this.e.knownHosts} does not exist; it presented ${presented}: ${trustHow}`;
      return false;
    }
    const v = verifyHostKey(this.known, name, blob);
    if (v.ok) return true;
    if (v.reason === 'unknown')
      this.refusal = `host key of ${name} is unknown: no ${shortKeyType(type)} key for it in ${this.e.knownHosts}; it presented ${presented}: ${trustHow}`;
    else if (v.reason === 'revoked')
      this.refusal = `host key of ${name} (${presented}) is marked @revoked in ${this.e.knownHosts} line ${v.line}: refusing to connect`;
    else {
      this.refusal = `HOST KEY MISMATCH for ${name}: it presented ${presented}, which differs from ${this.e.knownHosts} line ${v.lines.join(', ')}. Someone may be intercepting the connection, or the host was reinstalled; if the change is expected, remove the old key (ssh-keygen -R '${name}' -f ${this.e.knownHosts}) and ${trustHow}`;
    }
    return false;
  };
}

const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

class Retriable extends SourceError {}

function explainConnectError(
  err: Error & { level?: string; code?: unknown },
  e: SshEndpoint,
  host: HostCheck,
  tried: string[],
): SourceError {
  if (host.refusal) return new SourceError(host.refusal);
  if (err.level === 'client-authentication') {
    return new SourceError(
      `authentication refused for ${target(e)} (tried ${tried.join(', ')}): add the public key to ~${e.user}/.ssh/authorized_keys on ${e.host}, or set "user"/"identityFile" (--ssh-key) to ones it accepts`,
    );
  }
  if (err.level === 'client-timeout')
    return new Retriable(
      `cannot reach ${target(e)}: no SSH handshake within ${e.connectTimeoutMs / 1000}s; check the host is up and the port is right`,
    );
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code && NETWORK_CODES.has(code)) {
    return new Retriable(
      `cannot reach ${target(e)} (${code}): check the host is up, the name resolves and sshd listens on port ${e.port}`,
    );
  }
  return new SourceError(`SSH connection to ${target(e)} failed: ${err.message}`);
}

async function connectOnce(
  ssh2: Ssh2,
  e: SshEndpoint,
  auth: Methods,
  known: KnownHost[] | 'missing' | undefined,
): Promise<Client> {
  const host = new HostCheck(e, known);
  const knownAlgos = e.hostKey === undefined ? host.algorithms() : [];
  // Ask first for the key types knownAlgoshosts holds, so a host with several keys presents one we can check.
  const algorithms = [
    ...HOST_KEY_ALGORITHMS.filter((a) => knownAlgos.includes(a)),
    ...HOST_KEY_ALGORITHMS.filter((a) => !knownAlgos.includes(a)),
  ];
  const config: ConnectConfig = {
    host: e.host,
    port: e.port,
    username: e.user,
    readyTimeout: e.connectTimeoutMs,
    keepaliveInterval: 15_000,
    hostVerifier: host.verify,
    authHandler: auth.methods,
    algorithms: { serverHostKey: algorithms },
  };
  const client = new ssh2.Client();
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(explainConnectError(err, e, host, auth.tried));
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', fail); // stays attached: a later error fails the channels, never the process
    client.once('close', () =>
      fail(Object.assign(new Error('connection closed during the handshake'), { code: 'ECONNRESET' })),
    );
    try {
      client.connect(config);
    } catch (err) {
      fail(err as Error);
    }
  });
}

/** Connect, verify the host key, authenticate; one retry after `retryDelayMs` if the network failed. */
export async function connect(e: SshEndpoint): Promise<Client> {
  const ssh2 = await loadSsh2();
  const auth = await authMethods(e, ssh2.utils);
  const known = e.hostKey === undefined ? await loadKnownHosts(e.knownHosts) : undefined;
  try {
    return await connectOnce(ssh2, e, auth, known);
  } catch (err) {
    if (!(err instanceof Retriable)) throw err;
    await sleep(e.retryDelayMs);
    try {
      return await connectOnce(ssh2, e, auth, known);
    } catch (again) {
      throw again instanceof SourceError ? new SourceError(`${again.message} (after one retry)`) : again;
    }
  }
}
