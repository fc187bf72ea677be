// OpenSSH known_hosts and host key fingerprints. Pure: text and key blobs in, verdicts out.
import { createHash, createHmac } from 'node:crypto';

export interface KnownHost {
  /** 1-based line in the file, for messages. */
  line: number;
  marker: 'revoked' | 'cert-authority' | undefined;
  /** The host patterns field: comma-separated patterns or one hashed `|1|salt|hash` entry. */
  hosts: string;
  keyType: string;
  key: Buffer;
}

export function parseKnownHosts(text: string): KnownHost[] {
  const out: KnownHost[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHost['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority')
      marker = fields.shift()?.slice(1) as KnownHost['marker'];
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) return;
    out.push({ line: i + 1, marker, hosts, keyType, key: Buffer.from(b64, 'base64') });
  });
  return out;
}

/** How OpenSSH names a host in known_hosts: `host`, or `[host]:port` off port 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does a known_hosts host field name this host? (Hashed entries, wildcards and `!` negations as OpenSSH reads them.) */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globToRegExp(negated ? pattern.slice(1) : pattern).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` and OpenSSH's own prompts print it. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

export type HostKeyVerdict =
  | { ok: true }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'changed'; lines: number[] }
  | { ok: false; reason: 'revoked'; line: number };

export function verifyHostKey(entries: readonly KnownHost[], name: string, keyBlob: Buffer): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked) return { ok: false, reason: 'revoked', line: revoked.line };
  const mine = entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name));
  if (mine.some((e) => e.key.equals(keyBlob))) return { ok: true };
  // Like OpenSSH: a known key of the same type that differs is a changed key; other types are merely unknown.
  const type = keyTypeOf(keyBlob);
  const sameType = mine.filter((e) => e.keyType === type);
  return sameType.length > 0
    ? { ok: false, reason: 'changed', lines: sameType.map((e) => e.line) }
    : { ok: false, reason: 'unknown' };
}

const SIGNATURE_ALGOS: Readonly<Record<string, readonly string[]>> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Host key algorithms to ask for, so the server presents a key we know (as OpenSSH orders them). */
export function knownKeyAlgorithms(entries: readonly KnownHost[], name: string): string[] {
  const types = new Set(
    entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => e.keyType),
  );
  return [...types].flatMap((t) => SIGNATURE_ALGOS[t] ?? [t]);
}

/** The key type as ssh-keyscan's `-t` option and humans name it. */
export function shortKeyType(type: string): string {
  if (type === 'ssh-ed25519') return 'ed25519';
  if (type === 'ssh-rsa') return 'rsa';
  if (type.startsWith('ecdsa-')) return 'ecdsa';
  return type;
}
