// What the ledger has held, day file by day file, kept beside it (not in it: `rm -r ledger/` must not take the
// record of what was there along). Cursors say "these bytes are recorded"; the manifest lets a run check that the
// ledger still holds them, and say how many calls a deleted or truncated day file took with it.
import { z } from 'zod';
import { byCodeUnit } from '../shared/strings.js';

export const ManifestDaySchema = z.object({
  /** Size of the day file after the last append (or after a recovery accepted a shorter file). */
  bytes: z.number().int().nonnegative(),
  /** Most calls the day file has held: it never goes down, so a loss stays visible until the calls are back. */
  lines: z.number().int().nonnegative(),
  /** Calls missing after the last recovery: their transcripts were gone too. */
  lost: z.number().int().nonnegative().optional(),
});
export type ManifestDay = z.infer<typeof ManifestDaySchema>;

export const ManifestSchema = z.object({
  version: z.literal(1),
  days: z.record(z.string(), ManifestDaySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const freshManifest = (): Manifest => ({ version: 1, days: {} });

/** A day file that is gone or shorter than the manifest says: calls recorded before are no longer in it. */
export interface LedgerDamage {
  day: string;
  /** Calls it held at most. */
  expected: number;
  bytesExpected: number;
  /** Its size now (0 when deleted). */
  bytesNow: number;
}

/** Day files that shrank or vanished, oldest first. Pure: the manifest and the current sizes (undefined: missing). */
export function findDamage(m: Manifest, sizes: ReadonlyMap<string, number | undefined>): LedgerDamage[] {
  const out: LedgerDamage[] = [];
  for (const [day, d] of Object.entries(m.days)) {
    const now = sizes.get(day);
    if (now === undefined || now < d.bytes)
      out.push({ day, expected: d.lines, bytesExpected: d.bytes, bytesNow: now ?? 0 });
  }
  return out.sort((a, b) => byCodeUnit(a.day, b.day));
}

/** Merge two views of the manifest (another process may have appended meanwhile): both fields only grow. */
export function mergeManifest(a: Manifest, b: Manifest): Manifest {
  const days: Record<string, ManifestDay> = { ...a.days };
  for (const [day, d] of Object.entries(b.days)) {
    const x = days[day];
    days[day] = x
      ? {
          bytes: Math.max(x.bytes, d.bytes),
          lines: Math.max(x.lines, d.lines),
          ...((d.lost ?? x.lost) ? { lost: d.lost ?? x.lost } : {}),
        }
      : d;
  }
  return { version: 1, days };
}
