import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { redact } from './redact.js';

/**
 * Write a whole file so readers see the old content or the new, never a mix: a temp file in the same
 * directory (so rename stays atomic), fsynced, then renamed over the target. What the tool writes goes through
 * the redactor like everything it prints; `verbatim` is for the user's own files (a config `install` writes).
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o644, verbatim = false): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
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
