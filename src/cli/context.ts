// What a command gets instead of `process`: its streams and environment, a logger, and the wrapper that turns its
// result or its failure into the exit status. main.ts binds it to the process; tests run commands in-process with it.
import { failureStatus } from './failure.js';
import type { Io } from './io.js';
import { createLogger, type Logger } from './log.js';

export interface CommandContext {
  readonly io: Io;
  /** A logger on stderr; `verbose` shows debug lines. */
  logger(verbose?: boolean): Logger;
  /**
   * A commander action that returns its exit status; a throw goes through failureStatus (the one funnel), with the
   * logger the action last asked for (so a --verbose run reports its failure the same way).
   */
  action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void>;
}

export function commandContext(io: Io, setStatus: (status: number) => void): CommandContext {
  let last: Logger | undefined;
  const logger = (verbose = false) => (last = createLogger({ verbose, env: io.env, stream: io.stderr }));
  return {
    io,
    logger,
    action:
      (fn) =>
      async (...args) => {
        try {
          setStatus(await fn(...args));
        } catch (err) {
          setStatus(failureStatus(err, last ?? logger()));
        }
      },
  };
}
