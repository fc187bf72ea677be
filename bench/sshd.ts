// A throwaway OpenSSH sshd on 127.0.0.1 for the SSH part of the bench: own host key, own client key, free port.
// Same shape as the system tests' starter (test/system/support/sshd.ts on the ssh branch), so one can replace
// the other.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  user: string;
  clientKey: string;
  knownHosts: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function keygen(path: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'openclaw-budget-bench', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** Null when this machine has no sshd (the bench reports the SSH rows as not measured). */
export async function startSshd(): Promise<Sshd | null> {
  if (!existsSync(SSHD)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'ocb-bench-sshd-'));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  const hostKey = join(dir, 'host_ed25519');
  const hostPublic = keygen(hostKey).split(' ').slice(0, 2).join(' ');
  const clientKey = join(dir, 'client_ed25519');
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, `${keygen(clientKey)}\n`);
  const port = await freePort();
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
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail('no "Server listening" within 10 s'), 10_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`sshd did not start (${why}):\n${log}`));
    };
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => fail(`exited with ${code}`));
  });
  child.removeAllListeners('exit');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPublic}\n`);
  return {
    port,
    user: userInfo().username,
    clientKey,
    knownHosts,
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
