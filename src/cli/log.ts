// stderr logging for humans, cron and journald. The only place that decides prefixes and colours.
import { fstatSync } from 'node:fs';
import { Chalk, type ChalkInstance } from 'chalk';
import type { Env } from '../shared/env.js';
import type { Output } from './io.js';

type Level = 'error' | 'warning' | 'info' | 'debug';

/** Colours only on a terminal, never with NO_COLOR (any non-empty value) or TERM=dumb. */
export function useColor(stream: { isTTY?: boolean }, env: Env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function chalkFor(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** True when `fd` is the journal stream systemd handed us (JOURNAL_STREAM is "<dev>:<ino>" of that stream). */
export function isJournal(fd: number | undefined, env: Env): boolean {
  const want = env.JOURNAL_STREAM;
  if (!want || fd === undefined) return false;
  try {
    const st = fstatSync(fd);
    return want === `${st.dev}:${st.ino}`;
  } catch {
    return false;
  }
}

// sd-daemon(3) priority prefixes: journald files each line at that level and strips the prefix.
const SYSLOG: Record<Level, string> = { error: '<3>', warning: '<4>', info: '<6>', debug: '<7>' };

export interface Logger {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  /** Printed only with --verbose. */
  debug(msg: string): void;
  /** The one line a run prints, at the level its outcome deserves (journald), without an error/warning tag. */
  line(level: Level, msg: string): void;
  /** stderr is the journal (systemd), not a terminal or a pipe. */
  readonly journal: boolean;
}

export interface LoggerOptions {
  verbose: boolean;
  env: Env;
  /** Where lines go: the process's stderr (whose fd tells whether it is the journal), or a test's capture. */
  stream: Output;
}

export function createLogger(opts: LoggerOptions): Logger {
  const { stream } = opts;
  const journal = isJournal(stream.fd, opts.env);
  const c = chalkFor(!journal && useColor(stream, opts.env));
  const paint: Record<Level, (s: string) => string> = { error: c.red, warning: c.yellow, info: (s) => s, debug: c.dim };
  const write = (level: Level, msg: string, tagged = true) => {
    const tag = !tagged ? '' : level === 'error' ? 'error: ' : level === 'warning' ? 'warning: ' : '';
    // journald already names the unit; cron mail and terminals need to know who is talking.
    const text = journal ? `${SYSLOG[level]}${tag}${msg}` : `openclaw-budget: ${paint[level](`${tag}${msg}`)}`;
    stream.write(`${text}\n`);
  };
  return {
    error: (m) => write('error', m),
    warn: (m) => write('warning', m),
    info: (m) => write('info', m),
    debug: (m) => {
      if (opts.verbose) write('debug', m);
    },
    line: (level, m) => write(level, m, false),
    journal,
  };
}
