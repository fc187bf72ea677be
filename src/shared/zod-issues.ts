// Zod issues as lines a user can act on (config and pricing files share it).
import type { z } from 'zod';

export type Origins = ReadonlyMap<string, string>;

function originOf(path: string, origins?: Origins): string | undefined {
  if (!origins) return undefined;
  for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const o = origins.get(p);
    if (o) return o;
  }
  return undefined;
}

/** Edits (insert, delete, substitute, swap two neighbours; case ignored) from x to y: config keys are short. */
function distance(x: string, y: string): number {
  const a = x.toLowerCase();
  const b = y.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}

/** The known key closest to `key`, when it is close enough to be a typo (or differs only in case). */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  const allowed = best === undefined ? 0 : best.length <= 4 ? 1 : best.length <= 8 ? 2 : 3;
  return best !== undefined && bestD <= allowed ? best : undefined;
}

/**
 * One line per problem: which key, where it came from, and what was expected; `keysAt` (the keys the schema allows
 * at a path) turns a misspelt key into "did you mean".
 */
export function formatZodIssues(
  issues: readonly z.core.$ZodIssue[],
  origins?: Origins,
  keysAt?: (path: readonly PropertyKey[]) => string[],
): string {
  return issues
    .flatMap((issue) => {
      const base = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => {
          const key = base ? `${base}.${k}` : k;
          const from = originOf(key, origins);
          const near = keysAt ? didYouMean(k, keysAt(issue.path)) : undefined;
          const hint = near ? `did you mean "${near}"?` : 'check its spelling against config.example.jsonc';
          return `${key}${from ? ` (${from})` : ''}: unknown key; ${hint}`;
        });
      }
      const key = base || '(top level)';
      const from = originOf(base, origins);
      // A bad record key: the useful words are in the nested issue, not "Invalid key in record".
      const why =
        issue.code === 'invalid_key' ? `invalid key: ${issue.issues.map((i) => i.message).join('; ')}` : issue.message;
      return [`${key}${from ? ` (${from})` : ''}: ${why}`];
    })
    .join('\n');
}
