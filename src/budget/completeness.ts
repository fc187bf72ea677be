// Is this run's figure the whole spend, or a lower bound? Pure: what the run met in, a verdict and its reasons out.
// A figure read from less than everything can only be understated: it may say "exceeded", never a plain "ok".
import type { BudgetStatus } from './status.js';

export interface SourceFacts {
  name: string;
  ok: boolean;
  error?: string;
  /** Files the source listed but could not read (permissions, I/O errors): their calls are missing. */
  unreadable?: readonly string[];
}

export interface CompletenessFacts {
  sources: readonly SourceFacts[];
  /** Ledger lines that could not be read back in this run (a disk fault, a hand edit). */
  ledgerUnreadableLines: number;
  /** Calls the ledger once held and lost (a deleted or truncated day file) that are not back, by UTC day. */
  ledgerLost?: Readonly<Record<string, number>>;
  /**
   * The run's headline figures by name. Inputs are bounded at parse time, so none can be Inf or NaN; should one
   * be anyway, it is named here rather than shown as a number (the JSON has null, the metrics file leaves it out).
   */
  figures?: Readonly<Record<string, number>>;
}

export interface Completeness {
  complete: boolean;
  /** Why the figure is a lower bound, one line each (empty when complete). */
  reasons: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function judgeCompleteness(f: CompletenessFacts): Completeness {
  const reasons: string[] = [];
  for (const s of f.sources) {
    if (!s.ok) reasons.push(`gateway ${s.name} was not read${s.error ? `: ${s.error}` : ''}`);
    const n = s.unreadable?.length ?? 0;
    if (n > 0) {
      const shown = s.unreadable?.slice(0, 3).join(', ');
      reasons.push(`gateway ${s.name}: ${plural(n, 'file')} could not be read (${shown}${n > 3 ? ', ...' : ''})`);
    }
  }
  if (f.ledgerUnreadableLines > 0)
    reasons.push(
      `ledger: ${plural(f.ledgerUnreadableLines, 'unreadable line')} skipped (see \`openclaw-budget ledger verify\`)`,
    );
  for (const [day, n] of Object.entries(f.ledgerLost ?? {})) {
    if (n > 0)
      reasons.push(
        `ledger: ${plural(n, 'call')} of ${day} ${n === 1 ? 'was' : 'were'} lost (day file deleted or truncated) and are no longer in the transcripts`,
      );
  }
  for (const [name, v] of Object.entries(f.figures ?? {}))
    if (!Number.isFinite(v)) reasons.push(`${name} is not a finite number: it is unknown`);
  return { complete: reasons.length === 0, reasons };
}

/**
 * The status word a person reads. On a lower bound "ok" proves nothing, so it is not said at all; "warning" and
 * "exceeded" still hold (the real spend is at least this) and say the figure is incomplete.
 */
export function statusHeadline(status: BudgetStatus, complete: boolean): string {
  if (complete) return status.toUpperCase();
  return status === 'ok' ? 'INCOMPLETE' : `${status.toUpperCase()} (INCOMPLETE)`;
}
