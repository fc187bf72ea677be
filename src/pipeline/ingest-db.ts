// SQLite transcripts (OpenClaw 2026.8+): new rows of each agent's transcript_events, queried next to the data.
import type { CursorFile, DbCursor } from '../ledger/cursors.js';
import { type ListedFile, type Source, SourceError } from '../sources/source.js';
import { engineProbes, eventQueryArgv, parseEventRow, type SqliteEngine } from '../sources/sqlite-query.js';
import { classifyDatabase } from '../transcripts/files.js';
import { LineSplitter } from '../transcripts/lines.js';
import { type ModelContext, parseLine } from '../transcripts/parse.js';
import type { IngestOptions, IngestResult } from './ingest-result.js';

/** What both engines say when the database file cannot be opened (permissions), as opposed to a broken one. */
const UNOPENABLE = /unable to open database/i;

/** Rows committed out of created_at order (concurrent sessions) are caught by re-reading this far back. */
const TIME_BRANCH_OVERLAP_MS = 10 * 60_000;

const engines = new WeakMap<Source, Promise<SqliteEngine>>();

async function succeeds(source: Source, argv: string[]): Promise<boolean> {
  try {
    for await (const _ of source.exec(argv));
    return true;
  } catch {
    return false;
  }
}

/** The first engine that runs where the data is: node:sqlite, else the sqlite3 CLI. */
export function pickEngine(source: Source): Promise<SqliteEngine> {
  let p = engines.get(source);
  if (!p) {
    p = (async () => {
      for (const [engine, probe] of engineProbes(source.nodeCommand)) if (await succeeds(source, probe)) return engine;
      throw new SourceError(
        `${source.name} has SQLite transcripts but can read them with neither node:sqlite (Node >= 22.5) nor the sqlite3 CLI: install sqlite3 (Debian/Ubuntu: apt-get install sqlite3) where the data is`,
      );
    })();
    engines.set(source, p);
  }
  return p;
}

function signature(db: ListedFile | undefined, wal: ListedFile | undefined): string {
  const part = (f: ListedFile | undefined) => (f ? `${f.size}:${f.mtimeMs}` : '-');
  return `${part(db)}|${part(wal)}`;
}

/** Query each database that the listing shows touched (itself or its WAL); carry the others' cursors over. */
export async function ingestDatabases(
  source: Source,
  listed: readonly ListedFile[],
  prev: CursorFile,
  next: CursorFile,
  since: number,
  result: IngestResult,
  opts: IngestOptions,
): Promise<void> {
  const byId = new Map(listed.map((f) => [f.id, f]));
  for (const [id, c] of Object.entries(prev.databases))
    if (opts.clockMs - c.seenAt < 7 * 24 * 3_600_000) next.databases[id] = c;
  const touched = new Map<string, { rel: string }>();
  for (const f of listed) {
    const id = f.id.endsWith('-wal') ? f.id.slice(0, -4) : f.id;
    const rel = f.rel.endsWith('-wal') ? f.rel.slice(0, -4) : f.rel;
    if (classifyDatabase(rel)) touched.set(id, { rel });
  }
  for (const [id, { rel }] of touched) {
    const kind = classifyDatabase(rel) as { agent: string };
    const sig = signature(byId.get(id), byId.get(`${id}-wal`));
    const db: ListedFile = byId.get(id) ?? { id, rel, size: 0, mtimeMs: 0 };
    const cur = prev.databases[db.id];
    if (cur?.signature === sig) {
      next.databases[db.id] = { ...cur, seenAt: opts.clockMs };
      continue;
    }
    const engine = await pickEngine(source);
    result.sqliteEngine = engine;
    try {
      next.databases[db.id] = await readRows(source, engine, db, kind.agent, cur, since, sig, result, opts);
    } catch (err) {
      if (!(err instanceof SourceError) || !UNOPENABLE.test(err.message)) throw err;
      // A database it may not open is named like an unreadable file; the rest is counted, it is tried next run.
      result.unreadable.push({
        file: db.id,
        reason: `${err.message}: OpenClaw writes it mode 0600 as the gateway user; run as that user or grant read access`,
      });
      if (cur) next.databases[db.id] = cur;
      else delete next.databases[db.id];
    }
  }
}

async function readRows(
  source: Source,
  engine: SqliteEngine,
  db: ListedFile,
  agent: string,
  cur: DbCursor | undefined,
  since: number,
  sig: string,
  result: IngestResult,
  opts: IngestOptions,
): Promise<DbCursor> {
  const next: DbCursor = cur
    ? { ...cur, ctx: { ...cur.ctx }, signature: sig, seenAt: opts.clockMs }
    : { lastRowid: -1, lastCreatedAt: -1, maxCreatedAt: since, signature: sig, ctx: {}, seenAt: opts.clockMs };
  const query = {
    db: db.id,
    lastRowid: next.lastRowid,
    lastCreatedAt: next.lastCreatedAt,
    since: cur ? Math.floor(cur.maxCreatedAt - TIME_BRANCH_OVERLAP_MS) : Math.floor(since),
  };
  const splitter = new LineSplitter(
    {
      line(buf, start, end) {
        const row = parseEventRow(buf.subarray(start, end));
        if (!row) {
          result.skips.malformed++;
          return;
        }
        if (row.rowid > next.lastRowid) [next.lastRowid, next.lastCreatedAt] = [row.rowid, row.createdAt];
        if (row.createdAt > next.maxCreatedAt) next.maxCreatedAt = row.createdAt;
        const ctx: ModelContext = (next.ctx[row.session] ??= {});
        const v = parseLine(row.event, ctx, { agent, session: row.session });
        if (v.kind === 'call') result.calls.push({ call: v.call, file: `${db.rel}#${row.session}/${row.seq}` });
        else if (v.kind === 'skip') result.skips[v.reason]++;
      },
      oversize() {
        result.skips.oversize++;
      },
    },
    opts.maxLineBytes,
  );
  const run = async (withRowid: boolean) => {
    for await (const chunk of source.exec(eventQueryArgv(engine, source.nodeCommand, query, withRowid))) {
      result.bytesRead += chunk.length;
      splitter.push(chunk);
    }
  };
  try {
    await run(true);
  } catch (err) {
    // A table declared WITHOUT ROWID has no rowid: fall back to reading by time.
    if (!(err instanceof SourceError) || !/no such column: rowid/.test(err.message))
      throw new SourceError(`${db.id}: ${(err as Error).message}`);
    await run(false);
  }
  const tail = splitter.tail();
  if (tail) splitter.push(Buffer.from('\n'));
  result.filesRead++;
  return next;
}
