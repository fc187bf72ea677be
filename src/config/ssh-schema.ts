// SSH gateway settings: where to connect, how to authenticate, how to trust the host, how long to wait.
import { z } from 'zod';

/** Names that reach a remote command line are also restricted, so that quoting is a second line of defence. */
const HOST = /^[A-Za-z0-9_.:[\]%-]+$/;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
/** Docker's own rule for container names. */
export const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Settings every SSH gateway inherits unless it sets its own (top-level `ssh` in the config file). */
export const SshDefaultsSchema = z
  .object({
    /** Private key file; a bare name is looked up in $CREDENTIALS_DIRECTORY (systemd LoadCredential=). */
    identityFile: z.string().min(1).optional(),
    /** File holding the key's passphrase; a bare name is looked up in $CREDENTIALS_DIRECTORY. */
    passphraseFile: z.string().min(1).optional(),
    /** Try the SSH agent ($SSH_AUTH_SOCK, or this socket path). */
    agent: z.union([z.boolean(), z.string().min(1)]).optional(),
    /** OpenSSH known_hosts file (hashed entries included). */
    knownHosts: z.string().min(1).optional(),
    /** Seconds to wait for TCP + SSH handshake (default 10). */
    connectTimeoutSeconds: z.number().positive('expected seconds above 0').optional(),
    /** Seconds one answer of the remote command (the listing, one file's read, one query) may take (default 60). */
    commandTimeoutSeconds: z.number().positive('expected seconds above 0').optional(),
    /** Seconds the whole gateway may take, connection included (default 90: well inside the unit's 2 min). */
    timeoutSeconds: z.number().positive('expected seconds above 0').optional(),
  })
  .strict();
export type SshDefaults = z.infer<typeof SshDefaultsSchema>;

const SshObjectSchema = z
  .object({
    host: z.string().regex(HOST, 'expected a host name or IP address'),
    port: z.number().int().min(1).max(65535).default(22),
    /** Remote user; the local user's name when absent. */
    user: z.string().regex(USER, 'expected a user name').optional(),
    /** Pinned host key fingerprint ("SHA256:..." as `ssh-keygen -lf` prints it); replaces known_hosts. */
    hostKey: z
      .string()
      .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'expected "SHA256:" and 43 base64 characters, as ssh-keygen -l prints')
      .optional(),
    ...SshDefaultsSchema.shape,
  })
  .strict();

/** `"user@host:port"` or `{ host, port, user, ... }`. */
export const SshTargetSchema = z.union([
  z
    .string()
    .regex(
      /^(?:[A-Za-z0-9._][A-Za-z0-9._-]*@)?(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/,
      'expected "user@host" or "user@host:port"',
    )
    .transform((s) => parseTarget(s)),
  SshObjectSchema,
]);
export type SshTarget = z.infer<typeof SshObjectSchema>;

export function parseTarget(s: string): SshTarget {
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  let rest = s.slice(at + 1);
  let port = 22;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(rest);
  if (m) {
    rest = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
    if (m[2] !== undefined) port = Number(m[2]);
  }
  return { host: rest, port, ...(user ? { user } : {}) };
}

export const SSH_TIMEOUT_DEFAULTS = {
  connectTimeoutSeconds: 10,
  commandTimeoutSeconds: 60,
  timeoutSeconds: 90,
} as const;

export const ReadModeSchema = z.enum(['transcripts', 'logs']);
export type ReadMode = z.infer<typeof ReadModeSchema>;
