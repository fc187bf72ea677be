// The floor under a cold check in one thread: a bare Node process that reads the files the Python baseline reads,
// splits them into lines, and JSON.parses only the lines that can hold a call (assistant lines with usage), the way
// the CLI picks them. No pricing, no ledger, no dedupe, no outputs. `node bench/floor.mjs DIR [--read-only]`
// prints {"ms": ..., "bytes": ..., "parsed": ...}. What a cold check spends above it is the tool's own work.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

const started = performance.now();
const [root, mode] = process.argv.slice(2);
const COUNTED = /\.jsonl(\.(reset|deleted)\.[0-9TZ.:-]+)?$/;
const EXCLUDED = /\.checkpoint\.|\.trajectory|\.bak/;
const ASSISTANT = Buffer.from('"role":"assistant"');
const USAGE = Buffer.from('"usage"');

const dirs = [join(root, 'sessions')];
try {
  for (const a of readdirSync(join(root, 'agents'))) dirs.push(join(root, 'agents', a, 'sessions'));
} catch {}
const buf = Buffer.allocUnsafe(1 << 20);
let bytes = 0;
let parsed = 0;
let carry = Buffer.alloc(0);
const line = (b, s, e) => {
  if (mode === '--read-only') return;
  // OpenClaw writes the role among a line's first keys (as the CLI's skim relies on): only those lines are searched.
  if (b.subarray(s, Math.min(e, s + 256)).indexOf(ASSISTANT) === -1 || b.subarray(s, e).indexOf(USAGE) === -1) return;
  try {
    JSON.parse(b.toString('latin1', s, e));
    parsed++;
  } catch {
    // a malformed line: counted by the CLI as such, nothing more
  }
};
for (const d of dirs) {
  let names;
  try {
    names = readdirSync(d);
  } catch {
    continue;
  }
  for (const name of names) {
    if (!COUNTED.test(name) || EXCLUDED.test(name)) continue;
    const fd = openSync(join(d, name), 'r');
    carry = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      bytes += n;
      let b = buf.subarray(0, n);
      if (carry.length > 0) {
        b = Buffer.concat([carry, b]);
        carry = Buffer.alloc(0);
      }
      let s = 0;
      for (let nl = b.indexOf(10, s); nl !== -1; nl = b.indexOf(10, s)) {
        line(b, s, nl);
        s = nl + 1;
      }
      if (s < b.length) carry = Buffer.from(b.subarray(s));
    }
    if (carry.length > 0) line(carry, 0, carry.length);
    closeSync(fd);
  }
}
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, bytes, parsed })}\n`);
