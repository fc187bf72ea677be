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

function equals(buf: Buffer, from: number, to: number, word: Buffer): boolean {
  return to - from === word.length && buf.compare(word, 0, word.length, from, to) === 0;
}

/**
 * `message.role` of a line shaped `{"type":"message", <scalar keys>, "message":{"role":"<role>", ...`, the way
 * OpenClaw writes every message line; undefined for any other shape (the caller then takes the ordinary path).
 * `start`/`end` bound the trimmed line. Keys are taken at their first occurrence: JSON.stringify never repeats one.
 */
export function messageRole(b: Buffer, start: number, end: number): string | undefined {
  const limit = Math.min(end, start + MAX_PREFIX);
  let i = start;
  const ws = () => {
    while (i < limit && isSpace(b[i])) i++;
  };
  /** A string without escapes at i (on its opening quote): [from, to) of its contents, i just past it. */
  const plainString = (): [number, number] | undefined => {
    if (b[i] !== QUOTE) return undefined;
    const from = ++i;
    while (i < limit && b[i] !== QUOTE) {
      if (b[i] === BACKSLASH) return undefined;
      i++;
    }
    if (i >= limit) return undefined;
    return [from, i++];
  };
  const key = (): [number, number] | undefined => {
    ws();
    const k = plainString();
    ws();
    if (!k || b[i] !== COLON) return undefined;
    i++;
    ws();
    return k;
  };

  if (b[i] !== OPEN_BRACE) return undefined;
  i++;
  let typed = false;
  for (;;) {
    const k = key();
    if (!k) return undefined;
    if (equals(b, k[0], k[1], MESSAGE)) {
      if (!typed || b[i] !== OPEN_BRACE) return undefined;
      i++;
      const r = key();
      if (!r || !equals(b, r[0], r[1], ROLE)) return undefined;
      const v = plainString();
      return v ? b.toString('latin1', v[0], v[1]) : undefined;
    }
    if (equals(b, k[0], k[1], TYPE)) {
      const v = plainString();
      if (!v || !equals(b, v[0], v[1], MESSAGE)) return undefined;
      typed = true;
    } else if (b[i] === QUOTE) {
      if (!plainString()) return undefined;
    } else {
      // A number, true, false or null; an object or array here is not the simple shape.
      while (i < limit && b[i] !== COMMA && b[i] !== CLOSE_BRACE && !isSpace(b[i])) {
        if (b[i] === OPEN_BRACE || b[i] === 0x5b) return undefined;
        i++;
      }
    }
    ws();
    if (b[i] !== COMMA) return undefined;
    i++;
  }
}
