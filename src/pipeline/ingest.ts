// One source -> new calls, reading only bytes past each file's cursor.
import { type CursorFile, freshCursors } from '../ledger/cursors.js';
import { byCodeUnit } from '../shared/strings.js';
import { FileVanishedError, type ListedFile, type Source, UnreadableFileError } from '../sources/source.js';
import { DATABASE_DIRS, liveNameOf } from '../transcripts/files.js';
import { TRANSCRIPT_FORMAT } from '../transcripts/format.js';
import { emptySkips, type SkipCounts } from '../transcripts/parse.js';
import { ingestDatabases } from './ingest-db.js';
import type { FoundCall, IngestOptions, IngestResult } from './ingest-result.js';
import { CorruptArchiveError, readFromCursor } from './read-file.js';

export type { IngestOptions, IngestProgress } from './ingest-result.js';

/** Calls handed to IngestOptions.onCalls at a time. */
const CALL_BATCH = 2048;

/** How far back a listing looks before the previous one, for writes that landed while it ran. */
const LISTING_OVERLAP_MS = 10 * 60_000;
/** Cursors of files not listed for this long are forgotten (a later change re-reads; dedupe keeps totals right). */
const CURSOR_TTL_MS = 7 * 24 * 3_600_000;

/** The files to look at: those touched since the day began, or since the previous listing if that was earlier. */
export function listingSince(prev: CursorFile, dayStartMs: number): number {
  return prev.listedAt === undefined ? dayStartMs : Math.min(dayStartMs, prev.listedAt - LISTING_OVERLAP_MS);
}

/** A tally with nothing in it yet: the whole run's, and each file's before it is merged into it. */
function emptyResult(cursors: CursorFile): IngestResult {
  return { calls: [], warnings: [], unreadable: [], bytesRead: 0, filesRead: 0, skips: emptySkips(), cursors };
}

export async function ingest(source: Source, prev: CursorFile, opts: IngestOptions): Promise<IngestResult> {
  const format = opts.format ?? TRANSCRIPT_FORMAT;
  const since = listingSince(prev, opts.dayStartMs);
  // One listing per tick (one remote command over SSH): transcript dirs and, for transcripts, the agents'
  // database dirs. A database with new rows has a file (its WAL or itself) modified since `since`.
  const withDatabases = format === TRANSCRIPT_FORMAT;
  const listed = await source.list(withDatabases ? [...format.dirs, ...DATABASE_DIRS] : format.dirs, since);
  listed.sort((a, b) => byCodeUnit(a.id, b.id));
  const listedIds = new Set(listed.map((f) => f.id));
  const next: CursorFile = { ...freshCursors(), listedAt: opts.clockMs };
  for (const [id, c] of Object.entries(prev.files)) if (opts.clockMs - c.seenAt < CURSOR_TTL_MS) next.files[id] = c;

  const result = emptyResult(next);
  opts.onProgress?.({ filesTotal: listed.filter((f) => format.classify(f.rel)).length });

  // Files are read `readConcurrency` at a time (over SSH each read is a remote command whose start-up dominates);
  // each keeps its own tally, merged in listing order so the ledger sees calls in the same order every time, and
  // handed to `onCalls` in batches as soon as they are merged.
  const done: (IngestResult | undefined | null)[] = new Array(listed.length).fill(null);
  let merged = 0;
  let batch: FoundCall[] = [];
  let handing: Promise<void> = Promise.resolve();
  const handOver = (final: boolean) => {
    if (!opts.onCalls || (batch.length < CALL_BATCH && !final) || batch.length === 0) return;
    const calls = batch;
    batch = [];
    const sink = opts.onCalls;
    handing = handing.then(() => sink(calls));
  };
  const merge = (part: IngestResult) => {
    // Not push(...part.calls): a big file's calls would overflow the call stack.
    const into = opts.onCalls ? batch : result.calls;
    for (const c of part.calls) into.push(c);
    result.warnings.push(...part.warnings);
    result.unreadable.push(...part.unreadable);
    result.bytesRead += part.bytesRead;
    result.filesRead += part.filesRead;
    for (const k of Object.keys(part.skips) as (keyof SkipCounts)[]) result.skips[k] += part.skips[k];
  };
  await mapLimit(listed, source.readConcurrency ?? 1, async (file, index) => {
    const part = await readListed(file);
    if (format.classify(file.rel)) opts.onProgress?.({ files: 1, calls: part?.calls.length ?? 0 });
    done[index] = part;
    for (; merged < listed.length && done[merged] !== null; merged++) {
      const part = done[merged];
      done[merged] = undefined;
      if (part) merge(part);
    }
    handOver(false);
    await handing;
  });
  async function readListed(file: ListedFile): Promise<IngestResult | undefined> {
    const kind = format.classify(file.rel);
    if (!kind) return undefined;
    const own = prev.files[file.id];
    const renamedFrom = own ? undefined : findRenamed(prev, file, listedIds);
    const cursor = own ?? (renamedFrom ? prev.files[renamedFrom] : undefined);
    if (own && own.size === file.size && own.mtimeMs === file.mtimeMs && own.ino === file.ino) {
      next.files[file.id] = { ...own, seenAt: opts.clockMs };
      return undefined;
    }
    const part = emptyResult(next);
    const resumable =
      cursor !== undefined &&
      !kind.compressed &&
      cursor.offset > 0 &&
      file.size >= cursor.offset &&
      (cursor.ino === undefined || file.ino === undefined || cursor.ino === file.ino);
    try {
      const outcome = await readFromCursor(source, file, kind, resumable ? cursor : undefined, part, opts);
      if (outcome.kind === 'done') next.files[file.id] = outcome.cursor;
      if (renamedFrom) delete next.files[renamedFrom];
    } catch (err) {
      if (err instanceof FileVanishedError) return part;
      if (err instanceof UnreadableFileError) {
        part.unreadable.push({ file: file.id, reason: err.message });
        return part;
      }
      if (!(err instanceof CorruptArchiveError)) throw err;
      part.warnings.push(err.message);
      part.skips.malformed++;
      next.files[file.id] = {
        offset: file.size,
        size: file.size,
        mtimeMs: file.mtimeMs,
        ino: file.ino,
        headLen: 0,
        headHash: '',
        ctx: {},
        seenAt: opts.clockMs,
      };
    }
    return part;
  }
  if (withDatabases) await ingestDatabases(source, listed, prev, next, since, result, opts); // logs mode reads logs only
  if (opts.onCalls) {
    for (const c of result.calls) batch.push(c);
    result.calls = [];
    handOver(true);
    await handing;
  }
  return result;
}

/** `fn` over `items`, at most `limit` at a time; results in the items' order; the first error wins. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const i = nextIndex++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** An archive that appeared by rename (`x.jsonl` -> `x.jsonl.deleted.<ts>`) keeps the live file's cursor. */
function findRenamed(prev: CursorFile, file: ListedFile, listedIds: ReadonlySet<string>): string | undefined {
  const live = liveNameOf(file.rel);
  if (live !== null) {
    const liveId = file.id.slice(0, file.id.length - file.rel.length) + live;
    const c = prev.files[liveId];
    if (c && !listedIds.has(liveId) && (c.ino === undefined || file.ino === undefined || c.ino === file.ino))
      return liveId;
  }
  if (file.ino === undefined) return undefined;
  for (const [id, c] of Object.entries(prev.files)) if (c.ino === file.ino && !listedIds.has(id)) return id;
  return undefined;
}
