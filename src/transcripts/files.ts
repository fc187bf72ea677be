// Which files under an OpenClaw state dir hold countable transcripts (pure: names in, verdicts out).

/** Directories, relative to a state dir, that may hold transcript files (`*` is one path segment). */
export const TRANSCRIPT_DIRS = ['agents/*/sessions', 'sessions', 'agents/*/session-sqlite-import-archive'] as const;

/** Directories that may hold an agent's SQLite transcript database (OpenClaw 2026.8 and later). */
export const DATABASE_DIRS = ['agents/*/agent'] as const;
export const DATABASE_NAME = 'openclaw-agent.sqlite';

export type ArchiveKind = 'live' | 'reset' | 'deleted' | 'imported';

export interface TranscriptFile {
  agent: string;
  session: string;
  archive: ArchiveKind;
  /** zstd-compressed (`.zst`): read whole and decompressed as a stream, never resumed mid-file. */
  compressed: boolean;
}

// <id>.jsonl, <id>.jsonl.reset.<ts>, <id>.jsonl.deleted.<ts>[.zst]; ts is ISO UTC with ':' replaced by '-'.
const SESSION_NAME = /^(.+?)\.jsonl(?:\.(reset|deleted)\.([0-9TZ.:-]+?)(\.zst)?)?$/;
// Originals parked by the SQLite migration: <id>.jsonl.imported-<ts>[.zst]. They duplicate rows in the DB (dedupe).
const IMPORTED_NAME = /^(.+?)\.jsonl\.imported-[0-9TZ.:-]+?(\.zst)?$/;
// Copies and side files that must never be counted even though they end in .jsonl.
const EXCLUDED_ID = /(?:\.checkpoint\.[^.]+|\.trajectory|\.bak(?:\..*)?)$/;

/** Classify a path relative to the state dir; null when the file must not be counted. */
export function classifyTranscript(rel: string): TranscriptFile | null {
  const parts = rel.split('/');
  let agent: string;
  let name: string;
  let imported = false;
  if (
    parts.length === 4 &&
    parts[0] === 'agents' &&
    (parts[2] === 'sessions' || parts[2] === 'session-sqlite-import-archive')
  ) {
    agent = parts[1] as string;
    name = parts[3] as string;
    imported = parts[2] === 'session-sqlite-import-archive';
  } else if (parts.length === 2 && parts[0] === 'sessions') {
    agent = 'main'; // before 2026-01-06 there was a single agent's sessions/ directory
    name = parts[1] as string;
  } else {
    return null;
  }
  let session: string;
  let archive: ArchiveKind;
  let compressed: boolean;
  if (imported) {
    const m = IMPORTED_NAME.exec(name);
    if (!m) return null;
    [session, archive, compressed] = [m[1] as string, 'imported', m[2] !== undefined];
  } else {
    const m = SESSION_NAME.exec(name);
    if (!m) return null;
    const kind = m[2] as 'reset' | 'deleted' | undefined;
    [session, archive, compressed] = [m[1] as string, kind ?? 'live', m[4] !== undefined];
  }
  if (EXCLUDED_ID.test(session) || session.includes('.bak.')) return null;
  return { agent, session, archive, compressed };
}

/** The agent whose SQLite transcript database this is, or null. */
export function classifyDatabase(rel: string): { agent: string } | null {
  const parts = rel.split('/');
  if (parts.length === 4 && parts[0] === 'agents' && parts[2] === 'agent' && parts[3] === DATABASE_NAME)
    return { agent: parts[1] as string };
  return null;
}

/** The live name an archive was renamed from (`x.jsonl.deleted.<ts>` -> `x.jsonl`), or null. */
export function liveNameOf(rel: string): string | null {
  const m = /^(.*\.jsonl)\.(?:reset|deleted)\.[0-9TZ.:-]+$/.exec(rel);
  return m ? (m[1] as string) : null;
}
