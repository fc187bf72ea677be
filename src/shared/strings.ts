// Reading loosely typed values: transcript JSON fields and commander option values.

/** A string with something in it, as given; blank or not a string: undefined (a field present but empty means absent). */
export function nonBlank(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A string, else undefined (a commander option is a string, `true`, or absent). */
export function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
