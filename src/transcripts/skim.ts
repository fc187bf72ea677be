// A look at the first keys of a transcript line, without parsing it. Most bytes are tool output and user messages,
// which never carry usage; their role is stated within the first hundred bytes or so, so the rest of such a line
// need not even be searched. Pure.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
/** Keys before `message` are a handful of short scalars (type, id, parentId, timestamp): give up past this. */
const MAX_PREFIX = 1024;

const TYPE = Buffer.from('type');
const MESSAGE = Buffer.from('message');
const ROLE = Buffer.from('role');

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

/** A byte loop: for words this short, Buffer#compare's native call costs more than the comparison. */
function equals(buf: Buffer, from: number, to: number, word: Buffer): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[from + i] !== word[i]) return false;
  return true;
}

/** Roles met on nearly every line, returned without making a string per line. */
const ROLES = ['assistant', 'user', 'toolResult'].map((r) => [Buffer.from(r), r] as const);

/** Past the whitespace at i (at most to limit). */
function skipWs(b: Buffer, i: number, limit: number): number {
  while (i < limit && isSpace(b[i])) i++;
  return i;
}

// The scan runs on every line read, mostly before the JIT has optimized it: its loops keep their position in
// locals (module or closure variables cost a memory access per byte there), and the contents of the last string
// read go to these two.
let from = 0;
let to = 0;

/** A string without escapes at i (on its opening quote): [from, to) of its contents; the index past it, or -1. */
function plainString(b: Buffer, i: number, limit: number): number {
  if (i >= limit || b[i] !== QUOTE) return -1;
  const start = ++i;
  for (;;) {
    if (i >= limit) return -1;
    const c = b[i];
    if (c === QUOTE) break;
    if (c === BACKSLASH) return -1;
    i++;
  }
  from = start;
  to = i;
  return i + 1;
}

/** A key and its colon: [from, to) of the key; the index of the value, or -1. */
function key(b: Buffer, i: number, limit: number): number {
  i = plainString(b, skipWs(b, i, limit), limit);
  if (i < 0) return -1;
  i = skipWs(b, i, limit);
  if (i >= limit || b[i] !== COLON) return -1;
  return skipWs(b, i + 1, limit);
}

/**
 * `message.role` of a line shaped `{"type":"message", <scalar keys>, "message":{"role":"<role>", ...`, the way
 * OpenClaw writes every message line; undefined for any other shape (the caller then takes the ordinary path).
 * `start`/`end` bound the trimmed line. Keys are taken at their first occurrence: JSON.stringify never repeats one.
 */
export function messageRole(b: Buffer, start: number, end: number): string | undefined {
  const limit = Math.min(end, start + MAX_PREFIX);
  let i = start;
  if (b[i] !== OPEN_BRACE) return undefined;
  i++;
  let typed = false;
  for (;;) {
    i = key(b, i, limit);
    if (i < 0) return undefined;
    if (equals(b, from, to, MESSAGE)) {
      if (!typed || i >= limit || b[i] !== OPEN_BRACE) return undefined;
      i = key(b, i + 1, limit);
      if (i < 0 || !equals(b, from, to, ROLE)) return undefined;
      if (plainString(b, i, limit) < 0) return undefined;
      for (const [bytes, role] of ROLES) if (equals(b, from, to, bytes)) return role;
      return b.toString('latin1', from, to);
    }
    if (equals(b, from, to, TYPE)) {
      i = plainString(b, i, limit);
      if (i < 0 || !equals(b, from, to, MESSAGE)) return undefined;
      typed = true;
    } else if (i < limit && b[i] === QUOTE) {
      i = plainString(b, i, limit);
      if (i < 0) return undefined;
    } else {
      // A number, true, false or null; an object or array here is not the simple shape.
      for (;;) {
        if (i >= limit) break;
        const c = b[i];
        if (c === COMMA || c === CLOSE_BRACE || isSpace(c)) break;
        if (c === OPEN_BRACE || c === 0x5b) return undefined;
        i++;
      }
    }
    i = skipWs(b, i, limit);
    if (i >= limit || b[i] !== COMMA) return undefined;
    i++;
  }
}
