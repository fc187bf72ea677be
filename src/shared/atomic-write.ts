import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensureDir } from './dirs.js';
import { redactKnown } from './redact.js';

/**
 * Write a whole file so readers see the old content or the new, never a mix: a temp file in the same
 * directory (so rename stays atomic), fsynced, then renamed over the target. The calls are synchronous: a oneshot
 * run has nothing to overlap them with, and each thread-pool round trip costs more than the call on a busy host.
 * What the tool writes has every registered secret redacted (redactKnown: exact values only, so no data is garbled);
 * `verbatim` is for the user's own files
 * (a config `install` writes). `durable` false skips the fsync, for a file the next run writes anew anyway (the
 * metrics): after a power cut it may be empty until then, never half-written for a reader.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  mode = 0o644,
  verbatim = false,
  durable = true,
): Promise<void> {
  const dir = dirname(path);
  ensureDir(dir);
  // Leading dot: node_exporter's textfile collector reads only *.prom, and globbing tools skip dotfiles.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeFileSync(fd, verbatim ? data : redactKnown(data));
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
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
export function cleanStaleTemps(dir: string, names?: readonly string[], nowMs = Date.now()): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    const m = TEMP_NAME.exec(name);
    if (!m || (names && !names.includes(m[1] as string))) continue;
    const pid = Number(m[2]);
    if (pid === process.pid) continue;
    const path = join(dir, name);
    try {
      if (processAlive(pid) && nowMs - statSync(path).mtimeMs < STALE_TEMP_MS) continue;
      unlinkSync(path);
      removed.push(name);
    } catch {
      // gone meanwhile, or not ours to remove: left alone
    }
  }
  return removed;
}
