import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Write a whole file so readers see the old content or the new, never a mix: a temp file in the same
 * directory (so rename stays atomic), fsynced, then renamed over the target. The calls are synchronous: a oneshot
 * run has nothing to overlap them with, and each thread-pool round trip costs more than the call on a busy host.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  // Leading dot: node_exporter's textfile collector reads only *.prom, and globbing tools skip dotfiles.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
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
