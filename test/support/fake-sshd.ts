// An in-process SSH server (ssh2's own Server) for `npm test`: real SSH on 127.0.0.1, public key auth, and an
// exec handler that runs the command with the local `sh` (so quoting and the remote scripts are really exercised),
// counting the bytes each command sends back.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { type Connection, Server, utils } from 'ssh2';

export interface FakeSshd {
  port: number;
  hostPublicKey: string;
  /** Every command line received, in order. */
  commands: string[];
  /** stdout bytes sent back, summed over all commands. */
  stdoutBytes: number;
  /** Extra directories put first on the commands' PATH (the docker shim). */
  path: string[];
  /** Replaces the inherited PATH after `path` (to take a real docker client away). */
  basePath: string | undefined;
  /** Run commands as this uid (tests run as root: to see permission errors). */
  uid: number | undefined;
  /** Accept the exec request but never answer (command timeouts). */
  hang: boolean;
  close(): Promise<void>;
}

export function generateKey(opts?: { passphrase: string }): { private: string; public: string } {
  // ssh2's generator occasionally (about 1 in 300 here) writes an ed25519 key its own parser rejects as malformed:
  // draw again until the key reads back, so the tests never flake on it.
  for (;;) {
    const k = opts
      ? utils.generateKeyPairSync('ed25519', { passphrase: opts.passphrase, cipher: 'aes256-ctr', rounds: 2 })
      : utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(k.private, opts?.passphrase) instanceof Error) && !(utils.parseKey(k.public) instanceof Error))
      return k;
  }
}

export async function startFakeSshd(authorizedPublicKey: string, hostKey = generateKey()): Promise<FakeSshd> {
  const allowed = utils.parseKey(authorizedPublicKey);
  if (allowed instanceof Error) throw allowed;
  const allowedKey = Array.isArray(allowed) ? allowed[0] : allowed;
  const conns = new Set<Connection>();
  const state: Omit<FakeSshd, 'port' | 'close'> = {
    hostPublicKey: hostKey.public,
    commands: [],
    stdoutBytes: 0,
    path: [],
    basePath: undefined,
    uid: undefined,
    hang: false,
  };
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    conns.add(client);
    client.on('close', () => conns.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || !allowedKey) return ctx.reject(['publickey']);
      if (ctx.key.algo !== allowedKey.type || !ctx.key.data.equals(allowedKey.getPublicSSH()))
        return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
        return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          state.commands.push(info.command);
          if (state.hang) return;
          const env = {
            ...process.env,
            PATH: [...state.path, state.basePath ?? process.env.PATH ?? '/usr/bin:/bin'].join(':'),
          };
          const child = spawn('sh', ['-c', info.command], {
            env,
            ...(state.uid !== undefined ? { uid: state.uid, gid: state.uid, cwd: '/' } : {}),
          });
          child.stdout.on('data', (d: Buffer) => {
            state.stdoutBytes += d.length;
          });
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          stream.pipe(child.stdin);
          child.stdin.on('error', () => undefined); // the command may exit before reading all it was sent
          stream.on('close', () => child.kill());
          child.on('close', (code) => {
            stream.exit(code ?? 1);
            stream.end();
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.end();
        server.close(() => resolve());
      }),
  });
}
