// What reading one source yields, shared by the transcript-file reader (ingest.ts) and the SQLite one (ingest-db.ts).
import type { CursorFile } from '../ledger/cursors.js';
import type { Call } from '../transcripts/call.js';
import type { LineFormat } from '../transcripts/format.js';
import type { SkipCounts } from '../transcripts/parse.js';

export interface FoundCall {
  call: Call;
  file: string;
}

export interface IngestResult {
  calls: FoundCall[];
  /** Files that could not be read at all (a corrupt archive): skipped until they change, and reported. */
  warnings: string[];
  /** Files that exist but could not be read (permissions): the rest is counted; these are retried every run. */
  unreadable: { file: string; reason: string }[];
  /** How SQLite transcripts were read, when there were any. */
  sqliteEngine?: string;
  bytesRead: number;
  filesRead: number;
  skips: SkipCounts;
  cursors: CursorFile;
}

export interface IngestOptions {
  /** Start of the day being evaluated: files untouched since then cannot hold its calls. */
  dayStartMs: number;
  /** Wall-clock time of this run (not --now: cursors are about real file times). */
  clockMs: number;
  maxLineBytes?: number;
  /** Which files to read and how to parse their lines: transcripts unless told otherwise (`logs` mode). */
  format?: LineFormat;
  /**
   * Takes the calls in batches (about 2048), in listing order, as files are read (the ledger appends them then,
   * so memory stays bounded); `calls` of the result is then empty. Cursors are for the caller to write after.
   */
  onCalls?: (calls: FoundCall[]) => Promise<void>;
  /** Told as the work goes (a progress line on a terminal); increments only. */
  onProgress?: (delta: IngestProgress) => void;
}

/** Increments: the files to read (once listed), files read, bytes read, calls found. */
export interface IngestProgress {
  filesTotal?: number;
  files?: number;
  bytes?: number;
  calls?: number;
}
