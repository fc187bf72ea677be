// The entry of an assistant line for `interpret`, parsed from a latin1 string of its bytes instead of a UTF-8 one.
// Pure.
//
// Latin1 decoding is a byte copy into a one-byte string; UTF-8 decoding of 1-3 KB of thinking and text costs more
// and, with any non-ASCII character, makes a two-byte string that JSON.parse then reads more slowly. JSON's grammar
// is all ASCII, and either decoding turns every non-ASCII byte into characters >= U+0080 (never into ASCII), so
// JSON.parse accepts exactly the same lines and builds the same structure: the same ASCII keys (the last of
// duplicates wins in both), numbers, literals, objects and arrays. Only string values with non-ASCII content differ,
// so the strings `interpret` keeps from an assistant line (timestamps, provider, model) must be ASCII; anything else
// returns undefined and the caller parses the line as UTF-8, as it always did.
import { isRecord } from './usage.js';

/**
 * The JSON object line at [start, end) of `buf` as JSON.parse of its UTF-8 text would give it, for what `interpret`
 * reads from a `"type":"message"` entry; undefined when the line is not valid JSON, not such an entry, or one of
 * those strings is not ASCII.
 */
export function fastEntry(buf: Buffer, start: number, end: number): Record<string, unknown> | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(buf.toString('latin1', start, end));
  } catch {
    return undefined;
  }
  if (!isRecord(entry) || entry.type !== 'message') return undefined;
  if (!ascii(entry.timestamp) || !ascii(entry.provider) || !ascii(entry.model)) return undefined;
  const m = entry.message;
  if (isRecord(m) && (!ascii(m.timestamp) || !ascii(m.provider) || !ascii(m.model))) return undefined;
  return entry;
}

/** Not a string, or a string of ASCII characters only (then both decodings gave it the same). */
function ascii(v: unknown): boolean {
  if (typeof v !== 'string') return true;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0x7f) return false;
  return true;
}
