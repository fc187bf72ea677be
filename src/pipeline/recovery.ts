// A ledger day file deleted or truncated under its cursors (a mistaken rm, an old backup restored): the cursors
// say those calls are recorded, so without this the next runs would never read them again and report too little.
// Found from the manifest, recovered by re-reading every gateway from the damaged day on, and what the
// transcripts no longer hold is said loudly (and kept, so `ledger verify` and later runs say it too).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerDamage } from '../ledger/manifest.js';

export interface Recovery {
  damage: LedgerDamage[];
  /** Re-read every file modified since this instant (the first damaged UTC day), with fresh cursors. */
  sinceMs: number;
}

/** Whether any cursor file in `dir` says bytes were read (and so calls may have been recorded). */
async function cursorsHaveHistory(dir: string): Promise<boolean> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.json')) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    if (/"(files|databases)":\{"/.test(text)) return true;
  }
  return false;
}

export async function planRecovery(
  ledger: Ledger,
  cursorDir: string,
  warn: (msg: string) => void,
): Promise<Recovery | undefined> {
  const empty = (await ledger.days()).length === 0;
  if (!(await ledger.ensureManifest())) {
    // No record of what the ledger held (it predates manifests, or it went with the ledger): an empty ledger under
    // cursors that read data is the one loss still visible. Everything the gateways hold is read again.
    if (empty && (await cursorsHaveHistory(cursorDir))) {
      warn(
        'ledger: it is empty, but the cursors say transcripts were read before (the ledger was deleted?): re-reading everything the gateways still hold',
      );
      return { damage: [], sinceMs: 0 };
    }
    return undefined;
  }
  const damage = await ledger.damage();
  const first = damage[0];
  if (!first) return undefined;
  for (const d of damage) {
    const what = d.bytesNow === 0 ? 'is gone' : `was truncated (${d.bytesNow} of ${d.bytesExpected} bytes left)`;
    warn(
      `ledger: ${d.day}.jsonl ${what}; it held ${d.expected} call(s): re-reading every gateway since ${d.day} to recover them`,
    );
  }
  return { damage, sinceMs: Date.parse(first.day) };
}

/**
 * After the sources were re-read: accept the ledger as it now is, and name what could not be recovered. A gateway
 * not read this time keeps its reset cursors and re-reads later; what it brings back lowers the loss then.
 */
export async function finishRecovery(
  ledger: Ledger,
  recovery: Recovery,
  unread: readonly string[],
  warn: (msg: string) => void,
): Promise<void> {
  const lost = await ledger.settleDamage(recovery.damage);
  if (unread.length > 0)
    warn(`ledger: ${unread.join(', ')} not read: re-read as soon as reachable; the losses below may shrink then`);
  for (const [day, n] of Object.entries(lost)) {
    warn(
      n > 0
        ? `ledger: ${n} call(s) of ${day} could NOT be recovered: the transcripts no longer hold them; restore ${day}.jsonl from a backup (then \`openclaw-budget ledger import\` it) to count them`
        : `ledger: every call of ${day} was recovered from the transcripts`,
    );
  }
}

/** Calls lost for good on the UTC days from `fromDay` to `toDay` (the figures this run prints cover them). */
export function lostBetween(ledger: Ledger, fromDay: string, toDay: string): Record<string, number> {
  return Object.fromEntries(Object.entries(ledger.lostCalls()).filter(([day]) => day >= fromDay && day <= toDay));
}
