// A live progress line on a terminal's stderr for long work (a first run over a big or remote state dir, a report over
// long history): per gateway, files, MB read, rate and calls found; redrawn in place and erased when done. Never on a
// pipe, under the timer or from cron: then nothing at all is written, so piped output stays byte-identical.
import type { IngestProgress } from '../pipeline/ingest.js';
import type { Env } from '../shared/env.js';

/** What the pipeline reports as it goes; every field is an increment (filesTotal: once the listing is known). */
export type ProgressFn = (delta: IngestProgress) => void;

export interface ProgressLine {
  /** The callback for one gateway (or one task), shown under that name. */
  task(name: string): ProgressFn;
  /** Erase the line for a message of ours (it comes back on the next update). */
  clear(): void;
  /** Erase the line (if one was drawn) and stop. */
  done(): void;
}

interface Tally {
  filesTotal: number;
  files: number;
  bytes: number;
  calls: number;
}

export interface ProgressOptions {
  stream: { isTTY?: boolean; columns?: number; write(s: string): unknown };
  env: Env;
  /** --quiet, or stderr is the journal: a run for a timer or cron. */
  unattended: boolean;
  now?: () => number;
  /** Nothing is drawn before this much time has passed: a quick run never flickers. */
  delayMs?: number;
  /** Redraws at most this often. */
  intervalMs?: number;
}

const NONE: ProgressLine = { task: () => () => undefined, clear: () => undefined, done: () => undefined };

/** Only on a terminal, for a person: not on a pipe, not with --quiet (timer, cron), not into the journal. */
export function progressEnabled(o: { stream: { isTTY?: boolean }; env: Env; unattended: boolean }): boolean {
  return Boolean(o.stream.isTTY) && !o.unattended && o.env.TERM !== 'dumb';
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

function render(name: string, t: Tally, seconds: number): string {
  const files = t.filesTotal > 0 ? `${t.files}/${t.filesTotal} files` : `${t.files} files`;
  const rate = seconds > 0 ? `, ${(t.bytes / 1e6 / seconds).toFixed(1)} MB/s` : '';
  return `${name}: ${files}, ${mb(t.bytes)}${rate}, ${t.calls} calls`;
}

export function progressLine(o: ProgressOptions): ProgressLine {
  if (!progressEnabled(o)) return NONE;
  const now = o.now ?? (() => performance.now());
  const start = now();
  const delayMs = o.delayMs ?? 300;
  const intervalMs = o.intervalMs ?? 100;
  const tasks = new Map<string, Tally>();
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let finished = false;

  const draw = (force = false) => {
    const t = now();
    if (finished || t - start < delayMs || (!force && t - drawnAt < intervalMs)) return;
    drawnAt = t;
    const seconds = (t - start) / 1000;
    const text = [...tasks].map(([name, tally]) => render(name, tally, seconds)).join(' · ');
    const width = o.stream.columns && o.stream.columns > 1 ? o.stream.columns - 1 : 120;
    // \r + erase to the end of the line: the line is redrawn in place, one row, never wrapping.
    o.stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    drawn = true;
  };

  return {
    task(name) {
      const tally: Tally = { filesTotal: 0, files: 0, bytes: 0, calls: 0 };
      tasks.set(name, tally);
      return (d) => {
        tally.filesTotal += d.filesTotal ?? 0;
        tally.files += d.files ?? 0;
        tally.bytes += d.bytes ?? 0;
        tally.calls += d.calls ?? 0;
        draw();
      };
    },
    clear() {
      if (drawn) o.stream.write('\r\x1b[K');
      drawn = false;
      drawnAt = Number.NEGATIVE_INFINITY;
    },
    done() {
      this.clear();
      finished = true;
    },
  };
}
