import { z } from 'zod';
import { ModelContextSchema } from '../transcripts/parse.js';

/** How far a file has been read, and enough about it to notice when it was replaced or rewritten. */
export const CursorSchema = z.object({
  /** Bytes consumed: always just after a newline (a partial last line is left for the next run). */
  offset: z.number().int().nonnegative(),
  /** Size and mtime as listed: unchanged means nothing to read. */
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  ino: z.number().optional(),
  /** sha256 of the first `headLen` bytes: a file rewritten in place no longer matches. */
  headLen: z.number().int().nonnegative(),
  headHash: z.string(),
  /** The model in force at `offset`, for lines that name none. */
  ctx: ModelContextSchema,
  /** Last run that listed this file; cursors unseen for a while are dropped. */
  seenAt: z.number(),
});
export type Cursor = z.infer<typeof CursorSchema>;

/** How far an agent's SQLite transcript database has been read. */
export const DbCursorSchema = z.object({
  /** The last row read (by rowid) and its created_at, to check it is still there next time. */
  lastRowid: z.number().int(),
  lastCreatedAt: z.number().int(),
  /** The newest created_at seen: the time branch re-reads from a little before it. */
  maxCreatedAt: z.number(),
  /** Sizes and mtimes of the database and its WAL: unchanged means no query at all. */
  signature: z.string(),
  /** The model in force per session, for events that name none. */
  ctx: z.record(z.string(), ModelContextSchema),
  seenAt: z.number(),
});
export type DbCursor = z.infer<typeof DbCursorSchema>;

export const CursorFileSchema = z.object({
  version: z.literal(1),
  /** When the last successful listing started: the next one looks back to here, even across midnight. */
  listedAt: z.number().optional(),
  files: z.record(z.string(), CursorSchema),
  databases: z.record(z.string(), DbCursorSchema).default({}),
  /** Set while the ledger is being recovered (a day file lost): re-read every file modified since then. */
  rereadFrom: z.number().optional(),
});
export type CursorFile = z.infer<typeof CursorFileSchema>;

export const freshCursors = (): CursorFile => ({ version: 1, files: {}, databases: {} });

/** How often a run that found nothing new still rewrites its cursor file: the next listing then starts later. */
export const CURSOR_REFRESH_MS = 3_600_000;

/**
 * True when `next` (this run's cursors) says nothing `prev` (the file as read) does not, apart from when files were
 * last seen, and `prev` was written less than CURSOR_REFRESH_MS before: the file need not be written. Pure.
 */
export function cursorsUnchanged(prev: CursorFile, next: CursorFile): boolean {
  if (prev.listedAt === undefined || next.listedAt === undefined) return false;
  if (next.listedAt - prev.listedAt >= CURSOR_REFRESH_MS || prev.rereadFrom !== next.rereadFrom) return false;
  return (
    sameKeys(
      prev.files,
      next.files,
      (a, b) =>
        a.offset === b.offset &&
        a.size === b.size &&
        a.mtimeMs === b.mtimeMs &&
        a.ino === b.ino &&
        a.headLen === b.headLen &&
        a.headHash === b.headHash &&
        a.ctx.provider === b.ctx.provider &&
        a.ctx.model === b.ctx.model,
    ) &&
    sameKeys(
      prev.databases,
      next.databases,
      (a, b) =>
        a.lastRowid === b.lastRowid &&
        a.lastCreatedAt === b.lastCreatedAt &&
        a.maxCreatedAt === b.maxCreatedAt &&
        a.signature === b.signature &&
        JSON.stringify(a.ctx) === JSON.stringify(b.ctx),
    )
  );
}

function sameKeys<T>(a: Record<string, T>, b: Record<string, T>, same: (x: T, y: T) => boolean): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    const y = b[k];
    if (y === undefined || !same(a[k] as T, y)) return false;
  }
  return true;
}
