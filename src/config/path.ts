import { homedir } from 'node:os';
import { z } from 'zod';

/** `~` and `~/...` are the user's home. */
export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? `${homedir()}${p.slice(1)}` : p;
}

/** A path in the config; a leading `~/` is the user's home. */
export const PathSchema = z.string().min(1, 'expected a non-empty path').transform(expandHome);
