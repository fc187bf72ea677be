// Making sure a directory exists, without Node's recursive mkdir: that loops forever under /proc (`--state-dir
// /proc/foo` hung), and walks through a dangling symlink without a word. One walk serves `check` and `doctor`.
import { lstat, mkdir, readlink, stat } from 'node:fs/promises';
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
export async function walkToExisting(path: string): Promise<DirWalk> {
  const missing: string[] = [];
  let cur = resolve(path);
  for (;;) {
    try {
      if (!(await stat(cur)).isDirectory()) throw new DirError(`${cur} is not a directory`);
      return { existing: cur, missing };
    } catch (err) {
      if (err instanceof DirError) throw err;
      const c = code(err);
      if (c === 'ENOTDIR') throw new DirError(`${path}: a part of it is a file, not a directory`);
      if (c !== 'ENOENT') throw new DirError(`${cur}: ${c}`);
    }
    const link = await lstat(cur).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      const target = await readlink(cur).catch(() => '?');
      throw new DirError(`${cur} is a symlink to ${target}, which does not exist: create the target, or choose another path`);
    }
    const parent = dirname(cur);
    if (parent === cur) throw new DirError(`${path}: no part of it exists`);
    missing.unshift(cur);
    cur = parent;
  }
}

/** Create `path` and its missing parents, one level at a time, with errors that name the level that failed. */
export async function ensureDir(path: string): Promise<void> {
  const { missing } = await walkToExisting(path);
  for (const dir of missing) {
    try {
      await mkdir(dir);
    } catch (err) {
      if (code(err) === 'EEXIST' && (await stat(dir).catch(() => undefined))?.isDirectory()) continue;
      throw new DirError(`cannot create ${dir} (${code(err)})${dir.startsWith('/proc/') || dir.startsWith('/sys/') ? ': it is under a kernel pseudo-filesystem' : ''}`);
    }
  }
}
