// What every reader (local disk, SSH, container) offers: a listing and bytes. Nothing else.

export interface ListedFile {
  /** Unique id of the file within the source (absolute path). */
  id: string;
  /** Path relative to the OpenClaw state dir, '/'-separated: what classification looks at. */
  rel: string;
  size: number;
  mtimeMs: number;
  ino?: number;
}

export interface ReadRequest {
  id: string;
  /** Send this many bytes from the start of the file first (0 for none)... */
  headBytes: number;
  /** ...then every byte from this offset to the end. */
  from: number;
  /**
   * The consumer copies whatever it keeps of a chunk: the source may then reuse a chunk's memory once the next
   * chunk is asked for (no allocation per chunk on the hot path). A source is free to ignore this.
   */
  transient?: boolean;
}

export interface Source {
  readonly name: string;
  /** Files under `dirs` (relative to the state dir; `*` matches one segment) modified at or after `sinceMs`. */
  list(dirs: readonly string[], sinceMs: number): Promise<ListedFile[]>;
  read(req: ReadRequest): AsyncIterable<Buffer>;
  /** Run a program next to the data (argv, never through a shell of ours) and stream its stdout. */
  exec(argv: readonly string[]): AsyncIterable<Buffer>;
  /** How many files to read at once (default 1): worth more where each read pays a round trip. */
  readonly readConcurrency?: number;
  /** The command that runs Node.js next to the data (for `node:sqlite`). */
  readonly nodeCommand: string;
  /** Bytes the listings of this run transferred, for remote sources (file bytes are counted by the reader). */
  readonly listingBytes?: number;
  /**
   * The gateway's `openclaw.json` as the last listing found it (cut at GATEWAY_CONFIG_MAX bytes), for the model
   * costs it configures; undefined when there is none. Parsed by src/pricing/gateway-config.ts, never logged.
   */
  readonly gatewayConfig?: string;
  close(): Promise<void>;
}

/** A source failure with a message that says what to do; the run goes on with other sources. */
export class SourceError extends Error {}

/** The file disappeared between listing and reading (renamed to an archive, reaped): listed anew next run. */
export class FileVanishedError extends Error {}

/** One file that exists but cannot be read (permissions): the rest of the source is still read, and this is named. */
export class UnreadableFileError extends SourceError {
  constructor(
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

/** The gateway's config file, relative to the state dir, and how much of it a listing carries at most. */
export const GATEWAY_CONFIG_FILE = 'openclaw.json';
export const GATEWAY_CONFIG_MAX = 256 * 1024;
