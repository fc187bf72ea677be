// Reading OpenClaw's SQLite transcripts next to the data, as tab-separated rows:
//   rowid \t seq \t created_at \t session_id \t event_json \n
// Two engines: Node's built-in node:sqlite (Node >= 22.5; the gateway image ships Node 24) or the sqlite3 CLI.
// Both open the database read-only and never lock it against the gateway's writer (WAL readers do not block).

export type SqliteEngine = 'node' | 'sqlite3';

/**
 * Where to resume. After the first read, rows come by rowid (the table's own B-tree, no scan), which only grows
 * while the last row we saw is still there; if it is gone (rows deleted), the rows written since `since` are read
 * instead, and dedupe absorbs the overlap.
 */
export interface EventQuery {
  db: string;
  lastRowid: number;
  lastCreatedAt: number;
  since: number;
}

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

const COLUMNS = 'rowid, seq, created_at, session_id, event_json';

/**
 * One statement for the sqlite3 CLI: the rowid branch or the time branch, decided once by a constant test.
 * `withRowid: false` is for a table declared WITHOUT ROWID: then only the time branch exists.
 */
export function eventSql(q: EventQuery, withRowid = true): string {
  if (!withRowid)
    return `SELECT -1, seq, created_at, session_id, event_json FROM transcript_events WHERE created_at >= ${int(q.since)};`;
  const still = `EXISTS (SELECT 1 FROM transcript_events WHERE rowid = ${int(q.lastRowid)} AND created_at = ${int(q.lastCreatedAt)})`;
  return (
    `SELECT ${COLUMNS} FROM transcript_events WHERE rowid > ${int(q.lastRowid)} AND ${still} ` +
    `UNION ALL SELECT ${COLUMNS} FROM transcript_events WHERE created_at >= ${int(q.since)} AND NOT ${still};`
  );
}

// Runs inside the gateway container (or locally) as `node -e NODE_PROGRAM db lastRowid lastCreatedAt since`.
// Plain JS with no dependencies; writes synchronously (stdout pipes are synchronous on Linux), so memory stays flat.
export const NODE_PROGRAM = `
const [db, last, lastAt, since] = process.argv.slice(1);
const { DatabaseSync } = require('node:sqlite');
const d = new DatabaseSync(db, { readOnly: true });
const one = (sql, ...a) => { try { return d.prepare(sql).get(...a); } catch { return undefined; } };
const row = one('SELECT created_at AS c FROM transcript_events WHERE rowid = ?', Number(last));
const byRowid = row !== undefined && row.c === Number(lastAt);
let st;
try {
  st = d.prepare(byRowid
    ? 'SELECT ${COLUMNS} FROM transcript_events WHERE rowid > ?'
    : 'SELECT ${COLUMNS} FROM transcript_events WHERE created_at >= ?');
} catch {
  st = d.prepare('SELECT -1 AS rowid, seq, created_at, session_id, event_json FROM transcript_events WHERE created_at >= ?');
}
const rows = typeof st.iterate === 'function' ? st.iterate(Number(byRowid ? last : since)) : st.all(Number(byRowid ? last : since));
let out = [];
let size = 0;
const fs = require('node:fs');
for (const r of rows) {
  const line = r.rowid + '\\t' + r.seq + '\\t' + r.created_at + '\\t' + r.session_id + '\\t' + (r.event_json ?? '') + '\\n';
  out.push(line);
  size += line.length;
  if (size > 1 << 20) { fs.writeSync(1, out.join('')); out = []; size = 0; }
}
if (out.length) fs.writeSync(1, out.join(''));
`;

export function eventQueryArgv(engine: SqliteEngine, nodeCommand: string, q: EventQuery, withRowid = true): string[] {
  if (engine === 'node')
    return [
      nodeCommand,
      '--no-warnings',
      '-e',
      NODE_PROGRAM,
      q.db,
      int(q.lastRowid),
      int(q.lastCreatedAt),
      int(q.since),
    ];
  return ['sqlite3', '-readonly', '-batch', '-noheader', '-separator', '\t', q.db, eventSql(q, withRowid)];
}

/** Commands that succeed only where the engine can run, in order of preference. */
export function engineProbes(nodeCommand: string): [SqliteEngine, string[]][] {
  return [
    ['node', [nodeCommand, '--no-warnings', '-e', "require('node:sqlite')"]],
    ['sqlite3', ['sqlite3', '-version']],
  ];
}

export interface EventRow {
  rowid: number;
  seq: number;
  createdAt: number;
  session: string;
  event: Buffer;
}

const TAB = 0x09;

/** Parse one output row; null when it is not a row (an unexpected line from the tool). */
export function parseEventRow(line: Buffer): EventRow | null {
  const cuts: number[] = [];
  let at = -1;
  for (let i = 0; i < 4; i++) {
    at = line.indexOf(TAB, at + 1);
    if (at === -1) return null;
    cuts.push(at);
  }
  const [a, b, c, d] = cuts as [number, number, number, number];
  const rowid = Number(line.subarray(0, a).toString());
  const seq = Number(line.subarray(a + 1, b).toString());
  const createdAt = Number(line.subarray(b + 1, c).toString());
  if (!Number.isFinite(rowid) || !Number.isFinite(seq) || !Number.isFinite(createdAt)) return null;
  return { rowid, seq, createdAt, session: line.subarray(c + 1, d).toString(), event: line.subarray(d + 1) };
}
