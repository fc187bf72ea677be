// One remote command that answers every request of a source (see SESSION_SCRIPT): requests go down its stdin as
// they are made, answers come back in the same order and are handed, as they stream, to whoever asked.
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { FrameSplitter } from './frames.js';

/** Bytes queued for a consumer before the channel is paused (SSH flow control then holds the remote back). */
const HIGH_WATER = 4 << 20;

interface Pending {
  text: string;
  what: string;
  chunks: Buffer[];
  queued: number;
  status?: string;
  error?: Error;
  wake?: () => void;
  abandoned: boolean;
}

export interface SessionOptions {
  /** Longest one answer may take, from when the remote starts on it. */
  commandTimeoutMs: number;
  /** The error for an answer that took longer than that. */
  tooSlow(what: string): Error;
  /** The error once the command ended (it failed to start, or died) while `what` was waiting. */
  ended(what: string): Error;
  /** A failure that ends the session (timeout, flood, lost channel): the source closes its connection. */
  failed(err: Error): void;
}

export class Session {
  private readonly queue: Pending[] = [];
  private readonly splitter: FrameSplitter;
  private error: Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private finished = false;
  private readonly nonce = randomBytes(16).toString('hex');

  constructor(
    private readonly channel: ClientChannel,
    private readonly opts: SessionOptions,
  ) {
    this.splitter = new FrameSplitter(Buffer.from(`#ocb-${this.nonce}#`), {
      data: (b) => this.data(b),
      end: (s) => this.end(s),
    });
    channel.on('data', (chunk: Buffer) => {
      if (this.error) return;
      try {
        this.splitter.push(chunk);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    channel.once('close', () => {
      if (this.finished && this.queue.length === 0) this.error ??= new Error('the session is closed');
      else this.fail(opts.ended(this.queue[0]?.what ?? 'the session'));
    });
    channel.write(`${this.nonce}\n`);
  }

  /** Bytes of the command's output that were not answer data (markers and statuses). */
  get overhead(): number {
    return this.splitter.overhead;
  }

  /**
   * Send `text` when iteration starts, yield the answer's bytes as they come, return its status. Stopping early
   * discards the rest of the answer (the next ones still arrive in order).
   */
  async *ask(text: string, what: string): AsyncGenerator<Buffer, string, undefined> {
    if (this.error) throw this.error;
    const p: Pending = { text, what, chunks: [], queued: 0, abandoned: false };
    this.queue.push(p);
    if (this.queue.length === 1) this.arm();
    this.channel.write(text);
    try {
      for (;;) {
        const chunk = p.chunks.shift();
        if (chunk) {
          p.queued -= chunk.length;
          if (this.paused && p.queued < HIGH_WATER / 2) this.resume();
          yield chunk;
          continue;
        }
        if (p.error) throw p.error;
        if (p.status !== undefined) return p.status;
        await new Promise<void>((resolve) => {
          p.wake = resolve;
        });
      }
    } finally {
      p.abandoned = true;
      p.chunks = [];
      if (this.paused) this.resume();
    }
  }

  /**
   * The command that found the container becomes the session inside it: send it the container's name, and the
   * nonce again for the session script that starts there (answers keep the same marker).
   */
  handOver(container: string): void {
    this.channel.write(`${container}\n${this.nonce}\n`);
  }

  /** No more requests: the remote loop ends when its stdin does. */
  finish(): void {
    this.finished = true;
    if (!this.error) this.channel.end();
  }

  /** End every waiting request with `err`, and the channel with it. */
  fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    clearTimeout(this.timer);
    for (const p of this.queue.splice(0)) {
      p.error = err;
      p.wake?.();
    }
    this.channel.removeAllListeners('data');
    this.channel.destroy();
    this.opts.failed(err);
  }

  private data(bytes: Buffer): void {
    const p = this.queue[0];
    if (!p) {
      this.fail(new Error('the remote command answered more than it was asked'));
      return;
    }
    if (p.abandoned) return;
    p.chunks.push(bytes);
    p.queued += bytes.length;
    p.wake?.();
    if (p.queued > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.channel.pause();
    }
  }

  private end(status: string): void {
    const p = this.queue.shift();
    if (!p) {
      this.fail(new Error('the remote command answered more than it was asked'));
      return;
    }
    p.status = status;
    p.wake?.();
    clearTimeout(this.timer);
    if (this.queue.length > 0) this.arm();
  }

  private arm(): void {
    const what = this.queue[0]?.what ?? '';
    this.timer = setTimeout(() => this.fail(this.opts.tooSlow(what)), this.opts.commandTimeoutMs);
  }

  private resume(): void {
    this.paused = false;
    this.channel.resume();
  }
}
