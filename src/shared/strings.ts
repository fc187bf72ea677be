// Reading loosely typed values: transcript JSON fields and commander option values.

/** A string with something in it, as given; blank or not a string: undefined (a field present but empty means absent). */
export function nonBlank(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A string, else undefined (a commander option is a string, `true`, or absent). */
export function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Orders strings by UTF-16 code unit: the same on every machine and locale, and far cheaper than localeCompare,
 * whose first call builds an ICU collator (several ms of a 5-minute tick). For ids, dates and paths; reports that
 * people read keep localeCompare.
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
