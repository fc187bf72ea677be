// An OpenClaw state dir on another machine, on the host or inside its Docker container, read over SSH: one
// remote command per source (a session, see SESSION_SCRIPT) answers the listing, every read and every query of
// a tick, streamed back in order on one exec channel. Every deadline closes the channel and the connection.
import type { Readable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import {
  FileVanishedError,
  type ListedFile,
  type ReadRequest,
  type Source,
  SourceError,
  UnreadableFileError,
} from '../source.js';
import {
  commandLine,
  DISCOVERING_SESSION_ARGV,
  execRequest,
  explainFailure,
  type FailureContext,
  listRequest,
  type Placement,
  parseListing,
  pickGatewayContainer,
  readRequest,
  SESSION_ARGV,
  splitListing,
} from './commands.js';
import { connect, type SshEndpoint, target } from './connect.js';
import { Session } from './session.js';

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

interface Exit {
  code: number | null;
  stderr: string;
}

interface Exec {
  stdout: Readable;
  /** Settles when the channel closes. */
  done: Promise<Exit>;
}

const STDERR_LIMIT = 8192;
/** A listing (or container list) bigger than this is not a state dir's: the gateway fails instead of the memory. */
const MAX_LISTING_BYTES = 64 << 20;
/** After closing, how long the server gets to hang up before the socket is dropped. */
const CLOSE_GRACE_MS = 1000;

export class SshSource implements Source {
  readonly name: string;
  gatewayConfig: string | undefined;
  private client: Promise<Client> | undefined;
  private session: Promise<Session> | undefined;
  private readonly deadline: number;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** Set once a deadline or a flood ended this source: every later call fails with it. */
  private failure: Error | undefined;
  private readonly failed: Promise<never>;
  private rejectFailed: (err: Error) => void = () => undefined;
  private readonly unreadable = new Map<string, string>();
  private wire = 0;
  /** The session once started (for its byte count). */
  private live: Session | undefined;
  /** What the source is doing, for the overall deadline's message. */
  private activity = 'connecting';

  constructor(private readonly opts: SshSourceOptions) {
    this.name = opts.name;
    this.deadline = Date.now() + opts.timeoutMs;
    this.failed = new Promise<never>((_, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => undefined);
  }

  /** Bytes of the remote output that were not file bytes: listings, container discovery, framing. */
  get listingBytes(): number {
    return this.wire + (this.live?.overhead ?? 0);
  }

  private overallError(what: string): SourceError {
    return new SourceError(
      `${this.name}: gave up after ${this.opts.timeoutMs / 1000}s for the whole gateway ("timeoutSeconds") while ${what}`,
    );
  }

  private tooSlow(what: string): SourceError {
    return new SourceError(
      `${what} on ${target(this.opts.endpoint)} took longer than ${this.opts.commandTimeoutMs / 1000}s ("commandTimeoutSeconds")`,
    );
  }

  /** End this source for good: every waiting and later call fails with `err`; the connection is dropped. */
  private abort(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.rejectFailed(err);
    clearTimeout(this.deadlineTimer);
    void this.session?.then(
      (s) => s.fail(err),
      () => undefined,
    );
    void this.client?.then(
      (c) => c.destroy(),
      () => undefined,
    );
  }

  /** Wait for `p`, unless this source fails first. */
  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]);
  }

  private connection(): Promise<Client> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.client) {
      const remaining = this.deadline - Date.now();
      if (remaining <= 0) {
        this.abort(this.overallError('connecting'));
        return Promise.reject(this.failure);
      }
      this.deadlineTimer = setTimeout(() => this.abort(this.overallError(this.activity)), remaining);
      const pending = connect(this.opts.endpoint);
      // A connection that completes after this source failed is closed at once.
      pending.then(
        (c) => this.failure && c.destroy(),
        () => undefined,
      );
      this.client = this.guard(pending);
      this.client.catch(() => undefined); // awaited by every caller; a failure nobody waits for is not "unhandled"
    }
    return this.client;
  }

  private context(what: string, container?: string): FailureContext {
    const e = this.opts.endpoint;
    return { target: target(e), what, path: this.opts.root, container, sudo: this.opts.sudo, user: e.user };
  }

  /** Open an exec channel; its stderr (bounded), exit code and close are listened to before anything else runs. */
  private async channel(
    argv: readonly string[],
    where: Placement,
    what: string,
    stdin = false,
  ): Promise<{ channel: ClientChannel; exit: Exit; done: Promise<Exit> }> {
    const client = await this.connection();
    const exit: Exit = { code: null, stderr: '' };
    let closed: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const channel = await this.guard(
      new Promise<ClientChannel>((resolve, reject) => {
        client.exec(commandLine(argv, where, { stdin }), (err, ch) => {
          if (err)
            return reject(new SourceError(`cannot run a command on ${target(this.opts.endpoint)}: ${err.message}`));
          // Listen before anything else runs: a short command's output, exit status and close can arrive in the
          // same read as the exec's confirmation, and would be emitted before an awaiting caller got to listen.
          ch.stderr.on('data', (d: Buffer) => {
            if (exit.stderr.length < STDERR_LIMIT) exit.stderr += d.toString('utf8');
          });
          ch.on('exit', (c: number | null) => {
            exit.code = c;
          });
          ch.once('close', () => closed());
          ch.pause();
          resolve(ch);
        });
      }),
    );
    this.activity = what;
    return { channel, exit, done: finished.then(() => exit) };
  }

  /** A command on its own channel (hooks on the host), cut off after `commandTimeoutSeconds`. */
  private async exec1(argv: readonly string[], where: Placement, what: string): Promise<Exec> {
    const { channel, done } = await this.channel(argv, where, what);
    const timer = setTimeout(() => this.abort(this.tooSlow(what)), this.opts.commandTimeoutMs);
    const settled = this.guard(done).finally(() => clearTimeout(timer));
    settled.catch(() => undefined); // awaited by the caller after the output; never an unhandled rejection
    const stdout = channel as unknown as Readable;
    // A failure ends the output too, so a caller reading it is never left waiting on a dead channel.
    this.failed.catch((err: Error) => stdout.destroy(err));
    return { stdout, done: settled };
  }

  private flood(what: string): never {
    const err = new SourceError(
      `${what} on ${target(this.opts.endpoint)} sent more than ${MAX_LISTING_BYTES >> 20} MiB, far more than any OpenClaw state dir lists: check that "path" points at OpenClaw's state dir there`,
    );
    this.abort(err);
    throw err;
  }

  /** Where commands run; with `"container": true`, known once the session has found the container. */
  private async where(): Promise<Placement> {
    const { container, sudo } = this.opts;
    if (container !== true) return { container, sudo };
    await this.open();
    return this.found as Placement;
  }

  /** The container found by the session (`"container": true`). */
  private found: Placement | undefined;

  /** The session of this source, started on first use. */
  private open(): Promise<Session> {
    if (this.failure) return Promise.reject(this.failure);
    this.session ??= this.start().catch((err: Error) => {
      this.abort(err);
      throw err;
    });
    return this.session;
  }

  private async start(): Promise<Session> {
    const { container, sudo, root } = this.opts;
    const discover = container === true;
    const where: Placement = { container: discover ? undefined : container, sudo };
    const what = discover ? 'finding the gateway container' : `reading ${root}`;
    const { channel, exit } = await this.channel(
      discover ? DISCOVERING_SESSION_ARGV(root) : SESSION_ARGV(root),
      where,
      what,
      true,
    );
    const session = new Session(channel, {
      commandTimeoutMs: this.opts.commandTimeoutMs,
      tooSlow: (w) => this.tooSlow(w),
      ended: (w) => new SourceError(explainFailure(exit.code, exit.stderr, this.context(w, where.container))),
      failed: (err) => this.abort(err),
    });
    channel.resume();
    this.live = session;
    if (discover) {
      // The first answer is `docker ps` on the host; then the same command becomes the session in the container.
      const { data, status } = await this.collect(session.ask('', what), what);
      const [code = '', ...err] = status.split(' ');
      if (code !== '0') throw new SourceError(explainFailure(Number(code), err.join(' '), this.context(what)));
      const found = pickGatewayContainer(data.toString('utf8'), target(this.opts.endpoint));
      if (!found.ok) throw new SourceError(found.message);
      where.container = found.name;
      this.found = where;
      session.handOver(found.name);
    }
    return session;
  }

  /** An answer held whole (a listing, the container list), bounded. */
  private async collect(
    answer: AsyncGenerator<Buffer, string, undefined>,
    what: string,
  ): Promise<{ data: Buffer; status: string }> {
    const parts: Buffer[] = [];
    let size = 0;
    let next = await answer.next();
    for (; !next.done; next = await answer.next()) {
      size += next.value.length;
      if (size > MAX_LISTING_BYTES) {
        await answer.return('');
        this.flood(what);
      }
      parts.push(next.value);
    }
    this.wire += size;
    return { data: Buffer.concat(parts), status: next.value };
  }

  /** Ask the session; the answer's bytes stream through; its status is returned. */
  private async *ask(text: string, what: string): AsyncGenerator<Buffer, string, undefined> {
    const session = await this.guard(this.open());
    this.activity = what;
    return yield* session.ask(text, what);
  }

  async list(dirs: readonly string[], sinceMs: number): Promise<ListedFile[]> {
    const what = `listing ${this.opts.root}`;
    const { data, status } = await this.collect(this.ask(listRequest(dirs, sinceMs, Date.now()), what), what);
    if (status !== 'ok') {
      const where = await this.where();
      throw new SourceError(explainFailure(null, `ocb-error ${status}`, this.context(what, where.container)));
    }
    const { listing, gatewayConfig } = splitListing(data);
    this.gatewayConfig = gatewayConfig;
    const files = parseListing(listing, this.opts.root);
    for (const f of files) if (!f.readable) this.unreadable.set(f.id, `owner uid ${f.uid}, mode ${f.mode}`);
    return files.map(({ id, rel, size: bytes, mtimeMs, ino }) => ({ id, rel, size: bytes, mtimeMs, ino }));
  }

  private async denied(id: string, detail: string): Promise<UnreadableFileError> {
    const where = await this.where();
    return new UnreadableFileError(
      id,
      explainFailure(null, `ocb-error denied ${detail}`, this.context(`reading ${id}`, where.container)),
    );
  }

  async *read(req: ReadRequest): AsyncIterable<Buffer> {
    const mode = this.unreadable.get(req.id);
    if (mode) throw await this.denied(req.id, mode);
    const status = yield* this.ask(readRequest(req.id, req.headBytes, req.from), `reading ${req.id}`);
    if (status === '0') return;
    if (status === 'v') throw new FileVanishedError(req.id);
    if (status === 'd') throw await this.denied(req.id, '');
    throw new UnreadableFileError(
      req.id,
      `reading ${req.id} on ${target(this.opts.endpoint)} failed part way (an I/O error, or the file changed while read): it is read again next run`,
    );
  }

  /** `node` on the remote PATH: the official gateway image ships Node 24 (node:sqlite). */
  readonly nodeCommand = 'node';

  /**
   * Reads in flight at once: they are answered in order by the one session, so a higher number only keeps the
   * remote busy while the answers of earlier ones are being parsed.
   */
  readonly readConcurrency = 32;

  async *exec(argv: readonly string[]): AsyncIterable<Buffer> {
    const where = await this.where();
    const what = `running ${argv[0] ?? 'a program'}`;
    const fail = (code: string, stderr: string) =>
      new SourceError(
        `${argv[0]} exited with ${code} in ${where.container ?? target(this.opts.endpoint)}: ${stderr.trim() || 'no message'}`,
      );
    if (this.session) {
      // Next to a tick's reads: through the session.
      const status = yield* this.ask(execRequest(argv), what);
      const [code = '', ...rest] = status.split(' ');
      if (code !== '0') throw fail(code, rest.join(' '));
      return;
    }
    // On its own (hooks on the gateway's host): its own channel.
    const ex = await this.exec1(argv, where, what);
    for await (const chunk of ex.stdout) yield chunk as Buffer;
    const { code, stderr } = await ex.done;
    if (code !== 0) throw fail(String(code ?? 'a signal'), stderr);
  }

  /** Ends the session and the connection; never waits for one still being set up (a stopped run must not). */
  async close(): Promise<void> {
    clearTimeout(this.deadlineTimer);
    const { session, client, live } = this;
    this.session = undefined;
    this.client = undefined;
    this.found = undefined;
    this.live = undefined;
    if (live) this.wire += live.overhead;
    void session?.then(
      (s) => s.finish(),
      () => undefined,
    );
    void client?.then(
      (c) => {
        c.end();
        setTimeout(() => c.destroy(), CLOSE_GRACE_MS).unref();
      },
      () => undefined,
    );
  }
}
