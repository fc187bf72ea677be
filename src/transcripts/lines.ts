// Splits a byte stream into lines without ever holding more than one line (bounded) plus one chunk.

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** A carry buffer grows up to this size and is kept for the next line that spans chunks... */
const KEEP_CARRY_BYTES = 1 << 20;
/** ...and, when a splitter is done, for the next splitter (one per file): no new buffer per file. */
const spareCarries: Buffer[] = [];

export interface LineSink {
  /** The line at [start, end) of `buf` (no newline); `buf` is only valid during the call. */
  line(buf: Buffer, start: number, end: number): void;
  /** A line longer than the limit: skipped, never buffered whole. */
  oversize(): void;
}

export class LineSplitter {
  /** Bytes of input up to and including the last newline seen: where a cursor may safely resume. */
  consumed = 0;
  private seen = 0;
  /** The start of a line that runs on into the next chunk, copied (the source may reuse a chunk's memory). */
  private carry: Buffer = Buffer.alloc(0);
  private carryLen = 0;
  /** A carried line past KEEP_CARRY_BYTES: copies of its pieces, joined once when it ends (no doubling buffer). */
  private pieces: Buffer[] = [];
  private skipping = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (this.skipping) {
        this.skipping = false;
      } else if (this.carryLen > 0) {
        const len = this.carryLen + nl - start;
        if (len > this.maxLineBytes) {
          this.sink.oversize();
        } else {
          this.keep(chunk, start, nl);
          if (this.pieces.length > 0) this.sink.line(Buffer.concat(this.pieces, len), 0, len);
          else this.sink.line(this.carry, 0, len);
        }
        this.release();
      } else if (nl - start > this.maxLineBytes) {
        this.sink.oversize();
      } else {
        this.sink.line(chunk, start, nl);
      }
      start = nl + 1;
      this.consumed = this.seen + start;
    }
    this.seen += chunk.length;
    if (start >= chunk.length || this.skipping) return;
    const rest = chunk.length - start;
    if (this.carryLen + rest > this.maxLineBytes) {
      this.release();
      this.skipping = true;
      this.sink.oversize();
      return;
    }
    this.keep(chunk, start, chunk.length);
  }

  /** Done with the carried line; a buffer grown for a very long one is not kept. */
  private release(): void {
    this.carryLen = 0;
    this.pieces = [];
  }

  /** Append [start, end) of `chunk` to the carried line, growing its buffer (kept for the next line) as needed. */
  private keep(chunk: Buffer, start: number, end: number): void {
    const len = this.carryLen + end - start;
    if (this.pieces.length > 0 || len > KEEP_CARRY_BYTES) {
      if (this.pieces.length === 0) this.pieces.push(Buffer.from(this.carry.subarray(0, this.carryLen)));
      this.pieces.push(Buffer.from(chunk.subarray(start, end)));
      this.carryLen = len;
      return;
    }
    if (this.carry.length === 0 && spareCarries.length > 0) this.carry = spareCarries.pop() as Buffer;
    if (len > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(len, 2 * this.carry.length, 64 * 1024), KEEP_CARRY_BYTES));
      this.carry.copy(grown, 0, 0, this.carryLen);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryLen, start, end);
    this.carryLen = len;
  }

  /** Done with this stream: its carry buffer goes to the next splitter (call after the last use of tail()). */
  dispose(): void {
    if (this.carry.length > 0 && spareCarries.length < 4) spareCarries.push(this.carry);
    this.carry = Buffer.alloc(0);
    this.release();
  }

  /** Bytes after the last newline (a line still being written, or a final line without newline): a copy. */
  tail(): Buffer | null {
    if (this.skipping || this.carryLen === 0) return null;
    if (this.pieces.length > 0) return Buffer.concat(this.pieces, this.carryLen);
    return Buffer.from(this.carry.subarray(0, this.carryLen));
  }

  /** The tail turned out to be a complete line: count it as consumed. */
  acceptTail(): void {
    this.consumed = this.seen;
  }

  /** An over-long final line with no newline: nothing after it can be resumed, so move past it. */
  get skippingTail(): boolean {
    return this.skipping;
  }

  get bytesSeen(): number {
    return this.seen;
  }
}
