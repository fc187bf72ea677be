import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { writeFileAtomic } from '../shared/atomic-write.js';

/**
 * Small state files (cursors, run status) are whole-file JSON written atomically. One that is missing starts
 * fresh; one that cannot be read back is reported and replaced, never fatal: the ledger's dedupe makes
 * re-reading safe.
 */
export async function readJsonState<S extends z.ZodType>(
  path: string,
  schema: S,
  fresh: () => z.infer<S>,
  warn: (msg: string) => void,
): Promise<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fresh();
    throw err;
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    warn(`state file ${path} is unreadable; starting it afresh (calls already in the ledger are not counted twice)`);
    return fresh();
  }
}

export function writeJsonState(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value)}\n`, 0o600);
}
