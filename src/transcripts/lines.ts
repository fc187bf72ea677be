// Splits a byte stream into lines without ever holding more than one line (bounded) plus one chunk.

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface LineSink {
  line(bytes: Buffer): void;
  /** A line longer than the limit: skipped, never buffered whole. */
  oversize(): void;
}

export class LineSplitter {
  /** Bytes of input up to and including the last newline seen: where a cursor may safely resume. */
  consumed = 0;
  private seen = 0;
  private carry: Buffer[] = [];
  private carryLen = 0;
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
        if (len > this.maxLineBytes) this.sink.oversize();
        else this.sink.line(Buffer.concat([...this.carry, chunk.subarray(start, nl)], len));
        this.carry = [];
        this.carryLen = 0;
      } else if (nl - start > this.maxLineBytes) {
        this.sink.oversize();
      } else {
        this.sink.line(chunk.subarray(start, nl));
      }
      start = nl + 1;
      this.consumed = this.seen + start;
    }
    this.seen += chunk.length;
    if (start >= chunk.length || this.skipping) return;
    const rest = chunk.length - start;
    if (this.carryLen + rest > this.maxLineBytes) {
      this.carry = [];
      this.carryLen = 0;
      this.skipping = true;
      this.sink.oversize();
      return;
    }
    this.carry.push(Buffer.from(chunk.subarray(start))); // a copy: the source may reuse the chunk's memory
    this.carryLen += rest;
  }

  /** Bytes after the last newline (a line still being written, or a final line without newline). */
  tail(): Buffer | null {
    if (this.skipping || this.carryLen === 0) return null;
    return Buffer.concat(this.carry, this.carryLen);
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
