// Making sure a directory exists, without Node's recursive mkdir: that loops forever under /proc (`--state-dir
// /proc/foo` hung), and walks through a dangling symlink without a word. One walk serves `check` and `doctor`.
// Synchronous like the other file calls of a run (see atomic-write.ts).
import { lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class DirError extends Error {}

export interface DirWalk {
  /** The nearest ancestor (or the path itself) that exists and is a directory. */
  existing: string;
  /** What is missing below it, outermost first. */
  missing: string[];
}

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/** Where `path` stands: its nearest existing directory and what is missing below; throws DirError if it cannot be made. */
export function walkToExisting(path: string): DirWalk {
  const missing: string[] = [];
  let cur = resolve(path);
  for (;;) {
    try {
      if (!statSync(cur).isDirectory()) throw new DirError(`${cur} is not a directory`);
      return { existing: cur, missing };
    } catch (err) {
      if (err instanceof DirError) throw err;
      const c = code(err);
      if (c === 'ENOTDIR') throw new DirError(`${path}: a part of it is a file, not a directory`);
      if (c !== 'ENOENT') throw new DirError(`${cur}: ${c}`);
    }
    let link = false;
    try {
      link = lstatSync(cur).isSymbolicLink();
    } catch {
      // not there at all: create it below
    }
    if (link) {
      let target = '?';
      try {
        target = readlinkSync(cur);
      } catch {
        // unreadable link: named without its target
      }
      throw new DirError(
        `${cur} is a symlink to ${target}, which does not exist: create the target, or choose another path`,
      );
    }
    const parent = dirname(cur);
    if (parent === cur) throw new DirError(`${path}: no part of it exists`);
    missing.unshift(cur);
    cur = parent;
  }
}

/** Create `path` and its missing parents, one level at a time, with errors that name the level that failed. */
export function ensureDir(path: string): void {
  for (const dir of walkToExisting(path).missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        // not there: the mkdir error stands
      }
      if (code(err) === 'EEXIST' && isDir) continue;
      throw new DirError(
        `cannot create ${dir} (${code(err)})${dir.startsWith('/proc/') || dir.startsWith('/sys/') ? ': it is under a kernel pseudo-filesystem' : ''}`,
      );
    }
  }
}
