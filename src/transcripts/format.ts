// What a reader needs to know about one kind of file: where it lives, which names count, what a line means.
import { classifyTranscript, TRANSCRIPT_DIRS, type TranscriptFile } from './files.js';
import { type LineVerdict, type ModelContext, parseLine } from './parse.js';

export interface LineFormat {
  /** Directories relative to the source root (`*` is one path segment, `.` the root itself). */
  dirs: readonly string[];
  classify(rel: string): TranscriptFile | null;
  parse(bytes: Buffer, ctx: ModelContext, file: TranscriptFile): LineVerdict;
}

export const TRANSCRIPT_FORMAT: LineFormat = { dirs: TRANSCRIPT_DIRS, classify: classifyTranscript, parse: parseLine };
