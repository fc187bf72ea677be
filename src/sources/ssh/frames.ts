// Splitting a session's stdout into answers: each answer is bytes, then `<marker> <status>\n`. Pure: no I/O.

export interface FrameSink {
  /** Bytes of the current answer (a view: valid until the call returns unless copied). */
  data(bytes: Buffer): void;
  /** The current answer ended with this status line; the next bytes belong to the next answer. */
  end(status: string): void;
}

/** A status line longer than this is not ours: the stream is out of step. */
const MAX_STATUS = 16 * 1024;

export class FrameSplitter {
  private held: Buffer | undefined;
  private status: Buffer[] | undefined;
  private statusBytes = 0;
  /** Bytes that were not answer data (markers and status lines). */
  overhead = 0;

  constructor(
    private readonly marker: Buffer,
    private readonly sink: FrameSink,
  ) {}

  push(chunk: Buffer): void {
    let buf = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = undefined;
    while (buf.length > 0) {
      if (this.status) {
        const nl = buf.indexOf(0x0a);
        const line = nl < 0 ? buf : buf.subarray(0, nl);
        this.status.push(Buffer.from(line));
        this.statusBytes += line.length;
        if (this.statusBytes > MAX_STATUS)
          throw new Error('a status line longer than 16 KiB: the remote command is not the one openclaw-budget sent');
        if (nl < 0) {
          this.overhead += buf.length;
          return;
        }
        this.overhead += nl + 1;
        const status = Buffer.concat(this.status).toString('utf8');
        this.status = undefined;
        this.statusBytes = 0;
        buf = buf.subarray(nl + 1);
        this.sink.end(status.startsWith(' ') ? status.slice(1) : status);
        continue;
      }
      const at = buf.indexOf(this.marker);
      if (at >= 0) {
        if (at > 0) this.sink.data(buf.subarray(0, at));
        this.overhead += this.marker.length;
        this.status = [];
        buf = buf.subarray(at + this.marker.length);
        continue;
      }
      // The end may be the start of a marker split across chunks: hold that back.
      const keep = this.partialMarker(buf);
      if (keep < buf.length) this.sink.data(buf.subarray(0, buf.length - keep));
      if (keep > 0) this.held = Buffer.from(buf.subarray(buf.length - keep));
      return;
    }
  }

  /** Length of the longest suffix of `buf` that is a proper prefix of the marker. */
  private partialMarker(buf: Buffer): number {
    const first = this.marker[0] as number;
    for (
      let p = buf.indexOf(first, Math.max(0, buf.length - this.marker.length + 1));
      p >= 0;
      p = buf.indexOf(first, p + 1)
    ) {
      const tail = buf.subarray(p);
      if (tail.equals(this.marker.subarray(0, tail.length))) return tail.length;
    }
    return 0;
  }
}
