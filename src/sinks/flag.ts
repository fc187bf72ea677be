import { stat, unlink } from 'node:fs/promises';
import { writeFileAtomic } from '../shared/atomic-write.js';

export interface FlagState {
  exceeded: boolean;
  line: string;
}

/** Create (atomically) or remove the flag file; removing one that is not there is fine. */
export async function syncFlagFile(path: string, state: FlagState): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new Error(
      `is a directory, not a file: set flagFile to a file path inside it, e.g. ${path.replace(/\/+$/, '')}/budget-exceeded`,
    );
  }
  if (state.exceeded) {
    await writeFileAtomic(path, `${state.line}\n`);
    return;
  }
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
