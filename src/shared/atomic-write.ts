import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ensureDir } from './dirs.js';
import { redact } from './redact.js';

/**
 * Write a whole file so readers see the old content or the new, never a mix: a temp file in the same
 * directory (so rename stays atomic), fsynced, then renamed over the target. What the tool writes goes through
 * the redactor like everything it prints; `verbatim` is for the user's own files (a config `install` writes).
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o644, verbatim = false): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  // Leading dot: node_exporter's textfile collector reads only *.prom, and globbing tools skip dotfiles.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(verbatim ? data : redact(data));
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** The temp names this tool writes (atomic writes: `.<name>.<pid>.<hex>.tmp`; the lock: `lock.<pid>.<hex>.tmp[.take]`). */
const TEMP_NAME = /^\.?(.+)\.(\d+)\.[0-9a-f]{8}\.tmp(?:\.take)?$/;
/** A temp file of a live process older than this is left by a pid since reused: stale too. */
const STALE_TEMP_MS = 24 * 3_600_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temp files a killed run left in `dir` (only names this tool writes, and with `names` only those of
 * these targets: a shared directory such as node_exporter's holds other programs' files). A temp file is stale
 * when its writer is gone, or it is older than a day. Returns the names removed.
 */
export async function cleanStaleTemps(dir: string, names?: readonly string[], nowMs = Date.now()): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of entries) {
    const m = TEMP_NAME.exec(name);
    if (!m || (names && !names.includes(m[1] as string))) continue;
    const pid = Number(m[2]);
    if (pid === process.pid) continue;
    const path = join(dir, name);
    const age = await stat(path).then((s) => nowMs - s.mtimeMs, () => undefined);
    if (age === undefined || (processAlive(pid) && age < STALE_TEMP_MS)) continue;
    if (await unlink(path).then(() => true, () => false)) removed.push(name);
  }
  return removed;
}
