// The process as a command sees it: streams and environment, passed in so that tests can run commands in-process.
import type { Env } from '../shared/env.js';

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** Set on the process's own streams: stderr's tells whether it is the journal. */
  readonly fd?: number;
}

export interface Io {
  env: Env;
  stdout: Output;
  stderr: Output;
  /**
   * Be told, instead of ended, when the process is asked to stop (SIGTERM, Ctrl-C): a check then writes what it
   * knows and ends. Returns the way to stop listening.
   */
  onStop?(handler: (signal: string) => void): () => void;
}
