// `ledger import <dir>`: backfill the ledger from old transcripts with the same reader and parser as `check`.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { freshCursors } from '../ledger/cursors.js';
import type { Ledger } from '../ledger/ledger.js';
import { recordOf } from '../ledger/record.js';
import type { PricingOptions } from '../pricing/cost.js';
import { FlatDirSource } from '../sources/flat-dir.js';
import { ListedSource } from '../sources/listed.js';
import { LocalSource } from '../sources/local.js';
import type { ListedFile, Source } from '../sources/source.js';
import { classifyTranscript, DATABASE_DIRS, TRANSCRIPT_DIRS } from '../transcripts/files.js';
import { emptySkips, type SkipCounts } from '../transcripts/parse.js';
import { ingest } from './ingest.js';

/** Files per batch: each batch is recorded before the next is read, so memory stays flat on big imports. */
const BATCH_FILES = 64;

export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  callsFound: number;
  callsAdded: number;
}

export interface ImportResult extends ImportProgress {
  /** "state-dir" (agents/*\/sessions or sessions/ inside) or "flat" (transcript files directly in the dir). */
  layout: 'state-dir' | 'flat';
  skippedLines: SkipCounts;
  /** Files that could not be read (permissions), with why: everything else was imported; import again once readable. */
  unreadable: { file: string; reason: string }[];
}

export interface ImportRequest {
  dir: string;
  /** Gateway name recorded on the calls. */
  gateway: string;
  /** Agent for a flat directory of transcripts. */
  agent: string;
  ledger: Ledger;
  pricing: PricingOptions;
  onProgress?: (p: ImportProgress) => void;
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** A state dir has agents/ or sessions/ inside; anything else is read as a folder of transcript files. */
async function openImportSource(
  dir: string,
  gateway: string,
  agent: string,
): Promise<{ source: Source; layout: ImportResult['layout'] }> {
  if (!(await isDir(dir)))
    throw new Error(
      `${dir} is not a directory: give a copy of an OpenClaw state dir or a folder of transcript (.jsonl) files`,
    );
  if ((await isDir(join(dir, 'agents'))) || (await isDir(join(dir, 'sessions'))))
    return { source: new LocalSource(gateway, [dir]), layout: 'state-dir' };
  return { source: new FlatDirSource(gateway, dir, agent), layout: 'flat' };
}

export async function importTranscripts(req: ImportRequest): Promise<ImportResult> {
  const { source, layout } = await openImportSource(req.dir, req.gateway, req.agent);
  try {
    const files = (await source.list(TRANSCRIPT_DIRS, 0))
      .filter((f) => classifyTranscript(f.rel) !== null)
      .sort((a, b) => a.id.localeCompare(b.id));
    const result: ImportResult = {
      layout,
      filesDone: 0,
      filesTotal: files.length,
      bytesDone: 0,
      bytesTotal: files.reduce((n, f) => n + f.size, 0),
      callsFound: 0,
      callsAdded: 0,
      skippedLines: emptySkips(),
      unreadable: [],
    };
    req.onProgress?.({ ...result });
    // Agent databases (OpenClaw 2026.8+) are read whole with the first batch.
    const databases = await source.list(DATABASE_DIRS, 0);
    for (let i = 0; i === 0 || i < files.length; i += BATCH_FILES) {
      const batch: ListedFile[] = files.slice(i, i + BATCH_FILES);
      const got = await ingest(new ListedSource(source, i === 0 ? [...batch, ...databases] : batch), freshCursors(), {
        dayStartMs: 0,
        clockMs: Date.now(),
      });
      const added = await req.ledger.add(
        got.calls.map(({ call, file }) => recordOf(call, file, req.gateway, req.pricing)),
      );
      result.filesDone += batch.length;
      result.bytesDone += batch.reduce((n, f) => n + f.size, 0);
      result.callsFound += got.calls.length;
      result.callsAdded += added.length;
      result.unreadable.push(...got.unreadable);
      for (const k of Object.keys(got.skips) as (keyof SkipCounts)[]) result.skippedLines[k] += got.skips[k];
      req.onProgress?.({ ...result });
    }
    return result;
  } finally {
    await source.close();
  }
}
