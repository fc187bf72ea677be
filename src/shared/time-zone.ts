// Zones whose offset never changes, told apart without Intl. Pure.

const UTC_NAMES: ReadonlySet<string> = new Set([
  'UTC',
  'Etc/UTC',
  'GMT',
  'Etc/GMT',
  'UCT',
  'Etc/UCT',
  'Universal',
  'Etc/Universal',
  'Zulu',
  'Etc/Zulu',
]);

/**
 * Minutes east of UTC for the zones that never change offset (UTC, GMT, Etc/GMT+-N: note POSIX's inverted sign),
 * else undefined. Their days are plain arithmetic: no ICU zone data to load, which costs a oneshot run ~20-40 ms.
 */
export function fixedOffsetMinutes(tz: string): number | undefined {
  if (UTC_NAMES.has(tz)) return 0;
  const m = /^Etc\/GMT([+-])(\d{1,2})$/.exec(tz);
  if (!m) return undefined;
  const hours = Number(m[2]);
  if (hours === 0) return 0;
  if (hours > (m[1] === '+' ? 12 : 14)) return undefined;
  return (m[1] === '+' ? -60 : 60) * hours;
}
