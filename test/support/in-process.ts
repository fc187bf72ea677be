// The CLI called as a function (src/cli/run.ts) instead of a spawned binary: no build needed, no process start-up,
// and a failure shows the stack. Output is captured per call; the environment is the one given, never process.env.
import { run } from '../../src/cli/run.js';
import { cleanEnv, type Run } from './cli.js';

export async function runInProcess(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    env,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { status, stdout, stderr };
}
