// A real OpenSSH sshd on 127.0.0.1 for system tests: its own host key, its own authorized_keys, a free port, extra
// directories first on the PATH of the commands it runs and extra environment (DOCKER_HOST). Throws if it cannot start.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary } from './servers.js';

export const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  user: string;
  dir: string;
  /** Private key the server accepts (unencrypted). */
  clientKey: string;
  /** known_hosts holding this server's host key under `[127.0.0.1]:port`. */
  knownHosts: string;
  /** The host key's public half, `ssh-ed25519 AAAA...`. */
  hostPublicKey: string;
  /** Authorize another public key (e.g. a passphrase-protected one). */
  authorize(publicKey: string): void;
  stop(): Promise<void>;
}

export function keygen(path: string, passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'openclaw-budget-test', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** `env`: more variables for every session (e.g. DOCKER_HOST for a real container engine's socket). */
export async function startSshd(opts: { pathDirs?: string[]; env?: Record<string, string> } = {}): Promise<Sshd> {
  requireBinary(SSHD, 'openssh-server');
  const dir = mkdtempSync(join(tmpdir(), 'ocb-sshd-'));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  const hostKey = join(dir, 'host_ed25519');
  const hostPublicKey = keygen(hostKey).split(' ').slice(0, 2).join(' ');
  const clientKey = join(dir, 'client_ed25519');
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, `${keygen(clientKey)}\n`);
  const port = await freePort();
  const path = [...(opts.pathDirs ?? []), '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'].join(':');
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      // The commands' PATH: the docker shim first. SetEnv applies to every session, no ForceCommand needed.
      `SetEnv PATH=${path}${Object.entries(opts.env ?? {})
        .map(([k, v]) => ` ${k}=${v}`)
        .join('')}`,
      'LogLevel INFO',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('no "Server listening" within 10s')), 10_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`sshd did not start (${err.message}); its log:\n${log}`));
    };
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`exited with ${code}`)));
  });
  child.removeAllListeners('exit');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
  return {
    port,
    user: userInfo().username,
    dir,
    clientKey,
    knownHosts,
    hostPublicKey,
    authorize(publicKey) {
      writeFileSync(authorized, `${publicKey}\n`, { flag: 'a' });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
