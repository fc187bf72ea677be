// The values `interpret` reads from an assistant line, found in one validating pass over its bytes without decoding
// or parsing the rest (thinking, text and tool calls are most of an assistant line). Pure.
//
// The pass checks the whole line against the JSON grammar exactly as JSON.parse would (strings without raw control
// characters and with valid escapes, numbers, literals, nesting, nothing after the object), so a line it accepts is
// one JSON.parse accepts; the few values it keeps are then decoded the way JSON.parse decodes them (the last of
// duplicate keys wins). Anything it does not handle (an escaped key where keys matter, `type` other than "message",
// deep nesting) returns undefined and the caller parses the line with JSON.parse.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_DEPTH = 64;

/** 1 for the bytes that end the fast run through a string: quote, backslash, control characters. */
const STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STOP[c] = 1;
STOP[QUOTE] = 1;
STOP[BACKSLASH] = 1;
/** Escapes JSON allows after a backslash (besides \u). */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

// Kinds of a kept value.
const STRING = 1;
const NUMBER = 2;
const OBJECT = 3;
const ARRAY = 4;
const LITERAL = 5;

// Slots of kept values: the entry's own keys, then those of its (last) `message` object.
const T_TYPE = 0;
const T_TIMESTAMP = 1;
const T_PROVIDER = 2;
const T_MODEL = 3;
const T_USAGE = 4;
const T_MESSAGE = 5;
const M_ROLE = 6;
const M_PROVIDER = 7;
const M_MODEL = 8;
const M_USAGE = 9;
const M_TIMESTAMP = 10;
const SLOTS = 11;

const TOP_KEYS: readonly [string, number][] = [
  ['type', T_TYPE],
  ['timestamp', T_TIMESTAMP],
  ['provider', T_PROVIDER],
  ['model', T_MODEL],
  ['usage', T_USAGE],
  ['message', T_MESSAGE],
];
const MESSAGE_KEYS: readonly [string, number][] = [
  ['role', M_ROLE],
  ['provider', M_PROVIDER],
  ['model', M_MODEL],
  ['usage', M_USAGE],
  ['timestamp', M_TIMESTAMP],
];
const asBytes = (keys: readonly [string, number][]) => keys.map(([k, slot]) => [Buffer.from(k), slot] as const);
const TOP = asBytes(TOP_KEYS);
const MESSAGE = asBytes(MESSAGE_KEYS);

// The pass keeps its position and the kept ranges in module state: one line at a time, no allocation per line.
let b: Buffer = Buffer.alloc(0);
let p = 0;
let end = 0;
/** The last string scanned had an escape. */
let escaped = false;
const from = new Int32Array(SLOTS);
const to = new Int32Array(SLOTS);
const kind = new Uint8Array(SLOTS);
const esc = new Uint8Array(SLOTS);

/** The byte at p, or -1 at the end of the line (the buffer goes on past it). */
function peek(): number {
  return p < end ? (b[p] as number) : -1;
}

function ws(): void {
  while (p < end) {
    const c = b[p];
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) p++;
    else return;
  }
}

/** At an opening quote: past the closing one, or false. */
function string(): boolean {
  // Locals, not the module's variables, in the loop that sees most bytes of a line.
  const buf = b;
  const stop = end;
  let i = p + 1;
  escaped = false;
  for (;;) {
    while (i < stop && STOP[buf[i] as number] === 0) i++;
    if (i >= stop) return false;
    const c = buf[i];
    if (c === QUOTE) {
      p = i + 1;
      return true;
    }
    if (c !== BACKSLASH) return false; // a raw control character
    escaped = true;
    const n = buf[i + 1] as number;
    if (n === 0x75) {
      if (i + 6 > stop || !HEX[buf[i + 2] as number] || !HEX[buf[i + 3] as number] || !HEX[buf[i + 4] as number] || !HEX[buf[i + 5] as number]) return false;
      i += 6;
    } else if (i + 1 < stop && SIMPLE_ESCAPE[n]) {
      i += 2;
    } else {
      return false;
    }
  }
}

function digits(): boolean {
  const start = p;
  while (p < end && (b[p] as number) >= 0x30 && (b[p] as number) <= 0x39) p++;
  return p > start;
}

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function number(): boolean {
  if (peek() === 0x2d) p++;
  if (peek() === 0x30) p++;
  else if (!digits()) return false;
  if (peek() === 0x2e) {
    p++;
    if (!digits()) return false;
  }
  const e = peek();
  if (e === 0x65 || e === 0x45) {
    p++;
    const sign = peek();
    if (sign === 0x2b || sign === 0x2d) p++;
    if (!digits()) return false;
  }
  return true;
}

function literal(word: string): boolean {
  if (p + word.length > end) return false;
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return false;
  p += word.length;
  return true;
}

/** The slot of key bytes [ks, ke) among `keys`, or -1. */
function slotOf(ks: number, ke: number, keys: readonly (readonly [Buffer, number])[]): number {
  const len = ke - ks;
  for (const [k, slot] of keys) {
    if (k.length !== len) continue;
    let i = 0;
    while (i < len && b[ks + i] === k[i]) i++;
    if (i === len) return slot;
  }
  return -1;
}

/**
 * Any value at p; false when it is not valid JSON or not handled. `keys` names the slots of this value's members
 * when it is an object whose keys matter (the entry, its message).
 */
function value(depth: number, keys: readonly (readonly [Buffer, number])[] | null): boolean {
  const c = peek();
  if (c === QUOTE) return string();
  if (c === 0x7b) return object(depth + 1, keys);
  if (c === 0x5b) return array(depth + 1);
  if (c === 0x74) return literal('true');
  if (c === 0x66) return literal('false');
  if (c === 0x6e) return literal('null');
  return number();
}

function kindAt(c: number): number {
  return c === QUOTE ? STRING : c === 0x7b ? OBJECT : c === 0x5b ? ARRAY : c === 0x74 || c === 0x66 || c === 0x6e ? LITERAL : NUMBER;
}

function object(depth: number, keys: readonly (readonly [Buffer, number])[] | null): boolean {
  if (depth > MAX_DEPTH) return false;
  p++;
  ws();
  if (peek() === 0x7d) {
    p++;
    return true;
  }
  for (;;) {
    if (peek() !== QUOTE) return false;
    const ks = p + 1;
    if (!string()) return false;
    const ke = p - 1;
    const keyEscaped = escaped;
    ws();
    if (peek() !== 0x3a) return false;
    p++;
    ws();
    let slot = -1;
    if (keys !== null) {
      if (keyEscaped) return false; // "\u0075sage" is usage to JSON.parse: leave such lines to it
      slot = slotOf(ks, ke, keys);
    }
    const vs = p;
    if (slot === T_MESSAGE) for (let s = M_ROLE; s < SLOTS; s++) kind[s] = 0; // the last `message` wins, whole
    if (!value(depth, slot === T_MESSAGE ? MESSAGE : null)) return false;
    if (slot >= 0) {
      from[slot] = vs;
      to[slot] = p;
      kind[slot] = kindAt(b[vs] as number);
      esc[slot] = escaped ? 1 : 0;
    }
    ws();
    const c = peek();
    p++;
    if (c === 0x7d) return true;
    if (c !== 0x2c) return false;
    ws();
  }
}

function array(depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  p++;
  ws();
  if (peek() === 0x5d) {
    p++;
    return true;
  }
  for (;;) {
    if (!value(depth, null)) return false;
    ws();
    const c = peek();
    p++;
    if (c === 0x5d) return true;
    if (c !== 0x2c) return false;
    ws();
  }
}

/** A kept value as JSON.parse would give it. */
function decode(slot: number): unknown {
  const s = from[slot] as number;
  const e = to[slot] as number;
  switch (kind[slot]) {
    case STRING:
      // Without escapes a string is its bytes; UTF-8 decoding of a slice between quotes equals that of the line.
      return esc[slot] ? JSON.parse(b.toString('utf8', s, e)) : b.toString('utf8', s + 1, e - 1);
    case NUMBER:
      return Number(b.toString('latin1', s, e));
    default:
      return JSON.parse(b.toString('utf8', s, e));
  }
}

/**
 * The entry and message fields `interpret` reads from the JSON object line at [start, end) of `buf`, decoded as
 * JSON.parse would; undefined when the line is not valid JSON or not a plain `"type":"message"` entry (the caller
 * then parses it whole, which also reports it malformed).
 */
export function skimEntry(buf: Buffer, start: number, stop: number): Record<string, unknown> | undefined {
  b = buf;
  p = start;
  end = stop;
  kind.fill(0);
  try {
    let ok = peek() === 0x7b && object(0, TOP);
    if (ok) {
      ws();
      ok = p === end; // nothing but whitespace after the object
    }
    if (!ok || kind[T_TYPE] !== STRING || esc[T_TYPE] || buf.compare(QUOTED_MESSAGE, 0, QUOTED_MESSAGE.length, from[T_TYPE], to[T_TYPE]) !== 0) return undefined;
    const entry: Record<string, unknown> = { type: 'message' };
    if (kind[T_TIMESTAMP]) entry.timestamp = decode(T_TIMESTAMP);
    if (kind[T_PROVIDER]) entry.provider = decode(T_PROVIDER);
    if (kind[T_MODEL]) entry.model = decode(T_MODEL);
    if (kind[T_USAGE]) entry.usage = decode(T_USAGE);
    if (kind[T_MESSAGE] === OBJECT) {
      const message: Record<string, unknown> = {};
      if (kind[M_ROLE]) message.role = decode(M_ROLE);
      if (kind[M_PROVIDER]) message.provider = decode(M_PROVIDER);
      if (kind[M_MODEL]) message.model = decode(M_MODEL);
      if (kind[M_USAGE]) message.usage = decode(M_USAGE);
      if (kind[M_TIMESTAMP]) message.timestamp = decode(M_TIMESTAMP);
      entry.message = message;
    } else if (kind[T_MESSAGE]) {
      entry.message = decode(T_MESSAGE);
    }
    return entry;
  } finally {
    b = EMPTY; // never keep the caller's buffer alive
  }
}

const EMPTY = Buffer.alloc(0);
const QUOTED_MESSAGE = Buffer.from('"message"');
