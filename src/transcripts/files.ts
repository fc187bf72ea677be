// Which files under an OpenClaw state dir hold countable transcripts (pure: names in, verdicts out).

/** Directories, relative to a state dir, that may hold transcript files (`*` is one path segment). */
export const TRANSCRIPT_DIRS = ['agents/*/sessions', 'sessions'] as const;

export type ArchiveKind = 'live' | 'reset' | 'deleted';

export interface TranscriptFile {
  agent: string;
  session: string;
  archive: ArchiveKind;
}

// <id>.jsonl, <id>.jsonl.reset.<ts>, <id>.jsonl.deleted.<ts>; ts is ISO UTC with ':' replaced by '-'.
const NAME = /^(.+?)\.jsonl(?:\.(reset|deleted)\.([0-9TZ.:-]+))?$/;
// Copies and side files that must never be counted even though they end in .jsonl.
const EXCLUDED_ID = /(?:\.checkpoint\.[^.]+|\.trajectory|\.bak(?:\..*)?)$/;

/** Classify a path relative to the state dir; null when the file must not be counted. */
export function classifyTranscript(rel: string): TranscriptFile | null {
  const parts = rel.split('/');
  let agent: string;
  let name: string;
  if (parts.length === 4 && parts[0] === 'agents' && parts[2] === 'sessions') {
    agent = parts[1] as string;
    name = parts[3] as string;
  } else if (parts.length === 2 && parts[0] === 'sessions') {
    agent = 'main'; // before 2026-01-06 there was a single agent's sessions/ directory
    name = parts[1] as string;
  } else {
    return null;
  }
  const m = NAME.exec(name);
  if (!m) return null;
  const session = m[1] as string;
  if (EXCLUDED_ID.test(session) || session.includes('.bak.')) return null;
  return { agent, session, archive: (m[2] as ArchiveKind | undefined) ?? 'live' };
}

/** The live name an archive was renamed from (`x.jsonl.deleted.<ts>` -> `x.jsonl`), or null. */
export function liveNameOf(rel: string): string | null {
  const m = /^(.*\.jsonl)\.(?:reset|deleted)\.[0-9TZ.:-]+$/.exec(rel);
  return m ? (m[1] as string) : null;
}
