// What a reader needs to know about one kind of file: where it lives, which names count, what a line means.
import { classifyTranscript, TRANSCRIPT_DIRS, type TranscriptFile } from './files.js';
import { type LineVerdict, type ModelContext, parseLineAt } from './parse.js';

export interface LineFormat {
  /** Directories relative to the source root (`*` is one path segment, `.` the root itself). */
  dirs: readonly string[];
  classify(rel: string): TranscriptFile | null;
  /** The line at [start, end) of `buf`. */
  parse(buf: Buffer, start: number, end: number, ctx: ModelContext, file: TranscriptFile): LineVerdict;
}

export const TRANSCRIPT_FORMAT: LineFormat = {
  dirs: TRANSCRIPT_DIRS,
  classify: classifyTranscript,
  parse: parseLineAt,
};
