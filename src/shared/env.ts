import { homedir } from 'node:os';

/** The process environment as the code reads it: passed in (never `process.env` below src/cli/), so tests pass plain objects. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The user's home as `env` says ($HOME, as os.homedir() reads it for the process), else the password database's. */
export function homeOf(env: Env): string {
  return env.HOME || homedir();
}
