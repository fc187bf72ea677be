// Reading one transcript file past its cursor: the bytes, split into lines and parsed into calls, and the cursor
// that follows them (ingest.ts reads every listed file through it).
import { createHash } from 'node:crypto';
import { Decompress } from 'fzstd';
import type { Cursor } from '../ledger/cursors.js';
import type { ListedFile, Source } from '../sources/source.js';
import type { TranscriptFile } from '../transcripts/files.js';
import { TRANSCRIPT_FORMAT } from '../transcripts/format.js';
import { LineSplitter } from '../transcripts/lines.js';
import { emptySkips, type ModelContext, type SkipCounts } from '../transcripts/parse.js';
import type { FoundCall, IngestOptions, IngestResult } from './ingest-result.js';

/** Bytes hashed to recognise a file: the session header line, unique per transcript. */
const HEAD_BYTES = 256;

/** A zstd archive that does not decompress: skipped until it changes. */
export class CorruptArchiveError extends Error {}

const sha256 = (parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');

export type ReadOutcome = { kind: 'done'; cursor: Cursor } | { kind: 'mismatch' };

/** What reading one file adds to the source's result. */
export type FilePart = Omit<IngestResult, 'cursors' | 'sqliteEngine'>;

export type ReadOptions = Pick<IngestOptions, 'clockMs' | 'format' | 'maxLineBytes' | 'onProgress'>;

/**
 * `file` read from `cursor` (when given: the caller found it resumable), or from its start when the file is not the
 * one the cursor describes: its calls, skips and bytes added to `part`; the cursor after them, or `mismatch` when
 * the file shrank while it was read.
 */
export async function readFromCursor(
  source: Source,
  file: ListedFile,
  kind: TranscriptFile,
  cursor: Cursor | undefined,
  part: FilePart,
  opts: ReadOptions,
): Promise<ReadOutcome> {
  const outcome = await readFile(source, file, kind, cursor, part, opts);
  return outcome.kind === 'mismatch' ? readFile(source, file, kind, undefined, part, opts) : outcome;
}

async function readFile(
  source: Source,
  file: ListedFile,
  kind: TranscriptFile,
  cursor: Cursor | undefined,
  result: FilePart,
  opts: ReadOptions,
): Promise<ReadOutcome> {
  const ctx: ModelContext = cursor ? { ...cursor.ctx } : {};
  const format = opts.format ?? TRANSCRIPT_FORMAT;
  const calls: FoundCall[] = [];
  const skips = emptySkips();
  const splitter = new LineSplitter(
    {
      line(buf, start, end) {
        const v = format.parse(buf, start, end, ctx, kind);
        if (v.kind === 'call') calls.push({ call: v.call, file: file.rel });
        else if (v.kind === 'skip') skips[v.reason]++;
      },
      oversize() {
        skips.oversize++;
      },
    },
    opts.maxLineBytes,
  );
  // Resuming: re-send the head (to prove it is the same file) and the byte before the cursor (to prove the
  // cursor still sits just after a newline). Either check failing means the file was rewritten: start over.
  let headNeed = cursor ? cursor.headLen : 0;
  const head: Buffer[] = [];
  let needNewline = cursor !== undefined;
  const base = cursor ? cursor.offset : 0;
  let captured = 0;
  let bytes = 0;
  // zstd archives are decompressed as they stream in; the splitter sees the JSONL inside.
  const zstd = kind.compressed
    ? new Decompress((data) => splitter.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)))
    : undefined;
  // Transient chunks: what outlives one (head bytes, a line's start) is copied; zstd input is left alone.
  for await (let chunk of source.read({
    id: file.id,
    headBytes: headNeed,
    from: cursor ? cursor.offset - 1 : 0,
    transient: !zstd,
  })) {
    bytes += chunk.length;
    opts.onProgress?.({ bytes: chunk.length });
    if (headNeed > 0) {
      const take = chunk.subarray(0, headNeed);
      head.push(Buffer.from(take));
      headNeed -= take.length;
      chunk = chunk.subarray(take.length);
      if (headNeed === 0 && sha256(head) !== cursor?.headHash) {
        result.bytesRead += bytes;
        return { kind: 'mismatch' };
      }
      if (chunk.length === 0) continue;
    }
    if (needNewline) {
      if (chunk[0] !== 0x0a) {
        result.bytesRead += bytes;
        return { kind: 'mismatch' };
      }
      needNewline = false;
      chunk = chunk.subarray(1);
      if (chunk.length === 0) continue;
    }
    if (!cursor && captured < HEAD_BYTES) {
      const take = chunk.subarray(0, HEAD_BYTES - captured);
      head.push(Buffer.from(take));
      captured += take.length;
    }
    if (zstd) zstd.push(chunk);
    else splitter.push(chunk);
  }
  try {
    zstd?.push(new Uint8Array(0), true);
  } catch (err) {
    throw new CorruptArchiveError(
      `${file.id}: not a valid zstd archive (${(err as Error).message}); skipped until it changes`,
    );
  }
  result.bytesRead += bytes;
  result.filesRead++;
  if (headNeed > 0 || needNewline) return { kind: 'mismatch' }; // shrank while we read

  let consumed = splitter.consumed;
  const tail = splitter.tail();
  const finished = kind.archive !== 'live'; // archives no longer grow: their last line is all there is
  if (tail) {
    // A complete last line without its newline is counted now; in a live file the cursor still stops before
    // it (it must sit after a newline), and dedupe absorbs the second reading.
    if (finished || isCompleteJson(tail)) splitter.push(Buffer.from('\n'));
    else skips.partial++;
    if (finished) consumed = splitter.bytesSeen - 1;
  } else if (splitter.skippingTail && finished) {
    consumed = splitter.bytesSeen;
  }
  splitter.dispose();
  if (kind.compressed) consumed = bytes; // offsets count file bytes, not the decompressed ones
  for (const k of Object.keys(skips) as (keyof SkipCounts)[]) result.skips[k] += skips[k];
  for (const c of calls) result.calls.push(c);
  return {
    kind: 'done',
    cursor: {
      offset: base + consumed,
      size: file.size,
      mtimeMs: file.mtimeMs,
      ino: file.ino,
      headLen: cursor ? cursor.headLen : captured,
      headHash: cursor ? cursor.headHash : sha256(head),
      ctx,
      seenAt: opts.clockMs,
    },
  };
}

function isCompleteJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
