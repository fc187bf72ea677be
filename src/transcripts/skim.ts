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

// The scan's position and bounds, in module state rather than closures: it runs on every line read.
let b: Buffer = Buffer.alloc(0);
let i = 0;
let limit = 0;
let from = 0;
let to = 0;

function ws(): void {
  while (i < limit && isSpace(b[i])) i++;
}

/** A string without escapes at i (on its opening quote): [from, to) of its contents, i just past it. */
function plainString(): boolean {
  if (i >= limit || b[i] !== QUOTE) return false;
  from = ++i;
  while (i < limit && b[i] !== QUOTE) {
    if (b[i] === BACKSLASH) return false;
    i++;
  }
  if (i >= limit) return false;
  to = i++;
  return true;
}

/** A key and its colon: [from, to) of the key. */
function key(): boolean {
  ws();
  if (!plainString()) return false;
  ws();
  if (i >= limit || b[i] !== COLON) return false;
  i++;
  ws();
  return true;
}

/**
 * `message.role` of a line shaped `{"type":"message", <scalar keys>, "message":{"role":"<role>", ...`, the way
 * OpenClaw writes every message line; undefined for any other shape (the caller then takes the ordinary path).
 * `start`/`end` bound the trimmed line. Keys are taken at their first occurrence: JSON.stringify never repeats one.
 */
export function messageRole(buf: Buffer, start: number, end: number): string | undefined {
  b = buf;
  i = start;
  limit = Math.min(end, start + MAX_PREFIX);
  try {
    return scanRole();
  } finally {
    b = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

function scanRole(): string | undefined {
  if (b[i] !== OPEN_BRACE) return undefined;
  i++;
  let typed = false;
  for (;;) {
    if (!key()) return undefined;
    if (equals(b, from, to, MESSAGE)) {
      if (!typed || i >= limit || b[i] !== OPEN_BRACE) return undefined;
      i++;
      if (!key() || !equals(b, from, to, ROLE)) return undefined;
      if (!plainString()) return undefined;
      for (const [bytes, role] of ROLES) if (equals(b, from, to, bytes)) return role;
      return b.toString('latin1', from, to);
    }
    if (equals(b, from, to, TYPE)) {
      if (!plainString() || !equals(b, from, to, MESSAGE)) return undefined;
      typed = true;
    } else if (i < limit && b[i] === QUOTE) {
      if (!plainString()) return undefined;
    } else {
      // A number, true, false or null; an object or array here is not the simple shape.
      while (i < limit && b[i] !== COMMA && b[i] !== CLOSE_BRACE && !isSpace(b[i])) {
        if (b[i] === OPEN_BRACE || b[i] === 0x5b) return undefined;
        i++;
      }
    }
    ws();
    if (i >= limit || b[i] !== COMMA) return undefined;
    i++;
  }
}
