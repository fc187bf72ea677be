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

export const CursorFileSchema = z.object({
  version: z.literal(1),
  /** When the last successful listing started: the next one looks back to here, even across midnight. */
  listedAt: z.number().optional(),
  files: z.record(z.string(), CursorSchema),
});
export type CursorFile = z.infer<typeof CursorFileSchema>;

export const freshCursors = (): CursorFile => ({ version: 1, files: {} });
