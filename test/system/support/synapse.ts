// A real Synapse on loopback, from the Debian sid chroot scripts/ci/prepare-synapse.sh builds, for system tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { freePort, waitFor } from './servers.js';

export const SYNAPSE_CHROOT = process.env.OPENCLAW_BUDGET_SYNAPSE_CHROOT ?? '/var/cache/openclaw-budget-ci/synapse-sid';

export interface MatrixUser {
  userId: string;
  token: string;
}

export class Synapse {
  url = '';
  readonly serverName = 'localhost';
  private child: ChildProcess | undefined;
  private dir = '';
  private readonly secret = randomBytes(16).toString('hex');

  /** Starts Synapse or throws saying why (never skips). */
  async start(): Promise<this> {
    if (!existsSync(join(SYNAPSE_CHROOT, 'usr/bin/python3'))) {
      throw new Error(
        `no Synapse chroot at ${SYNAPSE_CHROOT}: run scripts/ci/prepare-synapse.sh as root (or set OPENCLAW_BUDGET_SYNAPSE_CHROOT)`,
      );
    }
    if (process.getuid?.() !== 0) throw new Error('the Synapse system test runs Synapse with chroot, which needs root');
    this.dir = mkdtempSync(join(SYNAPSE_CHROOT, 'tmp', 'ocb-synapse-'));
    const inside = `/tmp/${basename(this.dir)}`;
    const port = await freePort();
    const seed = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    writeFileSync(join(this.dir, 'signing.key'), `ed25519 a_test ${seed.toString('base64').replace(/=+$/, '')}\n`);
    const limit = { per_second: 1000, burst_count: 1000 };
    // JSON is YAML: a minimal homeserver with SQLite, one loopback client listener, no federation.
    const config = {
      server_name: this.serverName,
      pid_file: `${inside}/homeserver.pid`,
      listeners: [
        {
          port,
          bind_addresses: ['127.0.0.1'],
          type: 'http',
          tls: false,
          x_forwarded: false,
          resources: [{ names: ['client'], compress: false }],
        },
      ],
      database: { name: 'sqlite3', args: { database: `${inside}/homeserver.db` } },
      media_store_path: `${inside}/media`,
      signing_key_path: `${inside}/signing.key`,
      registration_shared_secret: this.secret,
      report_stats: false,
      trusted_key_servers: [],
      suppress_key_server_warning: true,
      federation_domain_whitelist: [],
      enable_metrics: false,
      rc_message: limit,
      rc_registration: limit,
      rc_login: { address: limit, account: limit, failed_attempts: limit },
      rc_joins: { local: limit, remote: limit },
      rc_invites: { per_room: limit, per_user: limit, per_issuer: limit },
    };
    writeFileSync(join(this.dir, 'homeserver.yaml'), JSON.stringify(config, null, 1));
    const child = spawn(
      'chroot',
      [SYNAPSE_CHROOT, 'python3', '-m', 'synapse.app.homeserver', '-c', `${inside}/homeserver.yaml`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const proc = Object.assign(child, { log: '' });
    this.child = proc;
    // The last lines are what explains a failed start.
    const keep = (c: Buffer) => void (proc.log = (proc.log + c.toString('utf8')).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.url = `http://127.0.0.1:${port}`;
    await waitFor(
      `Synapse on ${this.url}`,
      async () => ((await fetch(`${this.url}/_matrix/client/versions`)).ok ? true : undefined),
      60_000,
      proc,
    );
    return this;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  async api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Shared-secret registration through the admin API (HMAC-SHA1 over nonce, user, password, admin flag). */
  async register(username: string): Promise<MatrixUser> {
    const { nonce } = await this.api<{ nonce: string }>('GET', '/_synapse/admin/v1/register');
    const password = randomBytes(12).toString('hex');
    const mac = createHmac('sha1', this.secret).update(`${nonce}\0${username}\0${password}\0notadmin`).digest('hex');
    const r = await this.api<{ user_id: string; access_token: string }>(
      'POST',
      '/_synapse/admin/v1/register',
      undefined,
      { nonce, username, password, admin: false, mac },
    );
    return { userId: r.user_id, token: r.access_token };
  }

  async createRoom(owner: MatrixUser, opts: { alias?: string; invite?: string[] } = {}): Promise<string> {
    const body = {
      preset: 'private_chat',
      ...(opts.alias ? { room_alias_name: opts.alias } : {}),
      ...(opts.invite ? { invite: opts.invite } : {}),
    };
    return (await this.api<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', owner.token, body)).room_id;
  }

  /** The room's m.room.message events from `sender`, oldest first. */
  async messages(
    roomId: string,
    reader: MatrixUser,
    sender: string,
  ): Promise<{ msgtype: string; body: string; formatted_body?: string }[]> {
    const r = await this.api<{
      chunk: { type: string; sender: string; content: { msgtype: string; body: string; formatted_body?: string } }[];
    }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100`, reader.token);
    return r.chunk
      .filter((e) => e.type === 'm.room.message' && e.sender === sender)
      .map((e) => e.content)
      .reverse();
  }
}
