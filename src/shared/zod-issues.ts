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

/** One line per problem: which key, where it came from, and what was expected. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[], origins?: Origins): string {
  return issues
    .flatMap((issue) => {
      const base = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => {
          const key = base ? `${base}.${k}` : k;
          const from = originOf(key, origins);
          return `${key}${from ? ` (${from})` : ''}: unknown key; check its spelling against config.example.jsonc`;
        });
      }
      const key = base || '(top level)';
      const from = originOf(base, origins);
      // A bad record key: the useful words are in the nested issue, not "Invalid key in record".
      const why = issue.code === 'invalid_key' ? `invalid key: ${issue.issues.map((i) => i.message).join('; ')}` : issue.message;
      return [`${key}${from ? ` (${from})` : ''}: ${why}`];
    })
    .join('\n');
}
