// An OpenClaw state dir on another machine, on the host or inside its Docker container, read over SSH exec
// channels: one command lists, one command per file streams the head and the bytes past the cursor.
import type { Readable } from 'node:stream';
import type { Client } from 'ssh2';
import { FileVanishedError, type ListedFile, type ReadRequest, type Source, SourceError } from '../source.js';
import { commandLine, DISCOVER_ARGV, explainFailure, type FailureContext, isVanished, listArgv, parseListing, pickGatewayContainer, type Placement, readArgv, splitListing } from './commands.js';
import { connect, type SshEndpoint, target } from './connect.js';

export interface SshSourceOptions {
  name: string;
  endpoint: SshEndpoint;
  /** The directory read (state dir, or log dir in `logs` mode), on the host or inside the container. */
  root: string;
  /** A container name, `true` to find it by its compose label, or undefined for the host itself. */
  container: string | true | undefined;
  sudo: boolean;
  commandTimeoutMs: number;
  /** For the whole gateway, connection included. */
  timeoutMs: number;
}

interface Exec {
  stdout: Readable;
  /** Settles when the channel closes; rejects when the command ran out of time. */
  done: Promise<{ code: number | null; stderr: string }>;
}

const STDERR_LIMIT = 8192;

export class SshSource implements Source {
  readonly name: string;
  /** Bytes of listing output received (the rest of a tick's traffic is file bytes, counted by the reader). */
  listingBytes = 0;
  gatewayConfig: string | undefined;
  private client: Promise<Client> | undefined;
  private placement: Promise<Placement> | undefined;
  private readonly deadline: number;
  private readonly unreadable = new Map<string, string>();

  constructor(private readonly opts: SshSourceOptions) {
    this.name = opts.name;
    this.deadline = Date.now() + opts.timeoutMs;
  }

  private connection(): Promise<Client> {
    this.client ??= connect(this.opts.endpoint);
    return this.client;
  }

  private context(what: string, container?: string): FailureContext {
    const e = this.opts.endpoint;
    return { target: target(e), what, path: this.opts.root, container, sudo: this.opts.sudo, user: e.user };
  }

  private async channel(argv: readonly string[], where: Placement, what: string): Promise<Exec> {
    const client = await this.connection();
    const remaining = this.deadline - Date.now();
    const overall = remaining < this.opts.commandTimeoutMs;
    const ms = Math.min(this.opts.commandTimeoutMs, remaining);
    const timeoutError = () =>
      new SourceError(
        overall
          ? `${this.name}: gave up after ${this.opts.timeoutMs / 1000}s for the whole gateway ("timeoutSeconds") while ${what}`
          : `${what} on ${target(this.opts.endpoint)} took longer than ${this.opts.commandTimeoutMs / 1000}s ("commandTimeoutSeconds")`,
      );
    if (ms <= 0) throw timeoutError();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let stderr = '';
    let code: number | null = null;
    let closed: (() => void) | undefined;
    const finished = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const channel = await new Promise<import('ssh2').ClientChannel>((resolve, reject) => {
      client.exec(commandLine(argv, where), (err, ch) => {
        if (err) return reject(new SourceError(`cannot run a command on ${target(this.opts.endpoint)}: ${err.message}`));
        // Listen before anything else runs: a short command's output, exit status and close can arrive in the
        // same read as the exec's confirmation, and would be emitted before an awaiting caller got to listen.
        ch.stderr.on('data', (d: Buffer) => {
          if (stderr.length < STDERR_LIMIT) stderr += d.toString('utf8');
        });
        ch.on('exit', (c: number | null) => {
          code = c;
        });
        ch.once('close', () => closed?.());
        ch.pause();
        timer = setTimeout(() => {
          timedOut = true;
          ch.destroy(); // ssh2 closes the channel (the remote command gets SIGPIPE/hangup) without an error
        }, ms);
        resolve(ch);
      });
    });
    const done = finished.then(() => {
      clearTimeout(timer);
      if (timedOut) throw timeoutError();
      return { code, stderr };
    });
    done.catch(() => undefined); // awaited by the caller after the output; never an unhandled rejection
    return { stdout: channel, done };
  }

  /** Run a command whose output is small (listing, discovery) and return it whole. */
  private async run(argv: readonly string[], where: Placement, what: string): Promise<Buffer> {
    const ex = await this.channel(argv, where, what);
    const parts: Buffer[] = [];
    for await (const chunk of ex.stdout) parts.push(chunk as Buffer);
    const { code, stderr } = await ex.done;
    const out = Buffer.concat(parts);
    this.listingBytes += out.length;
    if (code !== 0) throw new SourceError(explainFailure(code, stderr, this.context(what, where.container)));
    return out;
  }

  private where(): Promise<Placement> {
    this.placement ??= (async () => {
      const { container, sudo } = this.opts;
      if (container !== true) return { container, sudo };
      const ps = await this.run(DISCOVER_ARGV, { sudo }, 'finding the gateway container');
      const found = pickGatewayContainer(ps.toString('utf8'), target(this.opts.endpoint));
      if (!found.ok) throw new SourceError(found.message);
      return { container: found.name, sudo };
    })();
    return this.placement;
  }

  async list(dirs: readonly string[], sinceMs: number): Promise<ListedFile[]> {
    const where = await this.where();
    const out = await this.run(listArgv(this.opts.root, dirs, sinceMs, Date.now()), where, `listing ${this.opts.root}`);
    const { listing, gatewayConfig } = splitListing(out);
    this.gatewayConfig = gatewayConfig;
    const files = parseListing(listing, this.opts.root);
    for (const f of files) if (!f.readable) this.unreadable.set(f.id, `owner uid ${f.uid}, mode ${f.mode}`);
    return files.map(({ id, rel, size, mtimeMs, ino }) => ({ id, rel, size, mtimeMs, ino }));
  }

  async *read(req: ReadRequest): AsyncIterable<Buffer> {
    const where = await this.where();
    const what = `reading ${req.id}`;
    const ex = await this.channel(readArgv(req.id, req.headBytes, req.from), where, what);
    for await (const chunk of ex.stdout) yield chunk as Buffer;
    const { code, stderr } = await ex.done;
    if (code === 0) return;
    if (isVanished(stderr)) throw new FileVanishedError(req.id);
    const mode = this.unreadable.get(req.id);
    throw new SourceError(explainFailure(code, mode ? `ocb-error denied ${mode}` : stderr, this.context(what, where.container)));
  }

  /** `node` on the remote PATH: the official gateway image ships Node 24 (node:sqlite). */
  readonly nodeCommand = 'node';

  /**
   * Four reads at once over the one connection: each remote command pays the login shell's start-up, which
   * dominates a first tick over many files. OpenSSH allows 10 sessions per connection by default (MaxSessions).
   */
  readonly readConcurrency = 4;

  async *exec(argv: readonly string[]): AsyncIterable<Buffer> {
    const where = await this.where();
    const what = `running ${argv[0] ?? 'a program'}`;
    const ex = await this.channel(argv, where, what);
    for await (const chunk of ex.stdout) yield chunk as Buffer;
    const { code, stderr } = await ex.done;
    if (code !== 0) throw new SourceError(`${argv[0]} exited with ${code ?? 'a signal'} in ${where.container ?? target(this.opts.endpoint)}: ${stderr.trim() || 'no message'}`);
  }

  async close(): Promise<void> {
    const pending = this.client;
    this.client = undefined;
    if (pending) (await pending.catch(() => undefined))?.end();
  }
}
