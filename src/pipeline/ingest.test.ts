import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CursorFile, freshCursors } from '../ledger/cursors.js';
import type { ListedFile, ReadRequest, Source } from '../sources/source.js';
import { FileVanishedError } from '../sources/source.js';
import { ingest, listingSince } from './ingest.js';

interface MemFile {
  rel: string;
  data: Buffer;
  mtimeMs: number;
  ino: number;
}

/** An in-memory source that records what was asked of it. */
class MemSource implements Source {
  readonly name = 'mem';
  files = new Map<string, MemFile>();
  reads: ReadRequest[] = [];
  lastSince = 0;
  private ino = 1;

  put(rel: string, text: string | Buffer, mtimeMs = Date.parse('2026-11-20T12:00:00Z')): void {
    const old = this.files.get(`/s/${rel}`);
    this.files.set(`/s/${rel}`, { rel, data: Buffer.from(text), mtimeMs, ino: old?.ino ?? this.ino++ });
  }

  append(rel: string, text: string): void {
    const f = this.files.get(`/s/${rel}`)!;
    f.data = Buffer.concat([f.data, Buffer.from(text)]);
    f.mtimeMs += 1000;
  }

  rename(from: string, to: string): void {
    const f = this.files.get(`/s/${from}`)!;
    this.files.delete(`/s/${from}`);
    this.files.set(`/s/${to}`, { ...f, rel: to });
  }

  async list(_dirs: readonly string[], sinceMs: number): Promise<ListedFile[]> {
    this.lastSince = sinceMs;
    return [...this.files]
      .filter(([, f]) => f.mtimeMs >= sinceMs)
      .map(([id, f]) => ({ id, rel: f.rel, size: f.data.length, mtimeMs: f.mtimeMs, ino: f.ino }));
  }

  async *read(req: ReadRequest): AsyncIterable<Buffer> {
    this.reads.push(req);
    const f = this.files.get(req.id);
    if (!f) throw new FileVanishedError(req.id);
    if (req.headBytes > 0) yield f.data.subarray(0, req.headBytes);
    // Small chunks, to cross line boundaries.
    for (let i = req.from; i < f.data.length; i += 7) yield f.data.subarray(i, Math.min(i + 7, f.data.length));
  }

  readonly nodeCommand = 'node';

  async *exec(argv: readonly string[]): AsyncIterable<Buffer> {
    throw new Error(`MemSource runs no programs (${argv[0]})`);
  }

  async close(): Promise<void> {}
}

const HEADER = '{"type":"session","version":3,"id":"abc","timestamp":"2026-11-20T08:00:00.000Z","cwd":"/"}\n';
let seq = 0;
function callLine(input: number, provider = 'anthropic'): string {
  const ts = Date.parse('2026-11-20T09:00:00Z') + ++seq * 1000;
  return `${JSON.stringify({ type: 'message', id: `e${seq}`, timestamp: new Date(ts).toISOString(), message: { role: 'assistant', provider, model: 'm', usage: { input, output: 1 }, timestamp: ts } })}\n`;
}

const REL = 'agents/main/sessions/abc.jsonl';
const opts = { dayStartMs: Date.parse('2026-11-19T23:00:00Z'), clockMs: Date.parse('2026-11-20T12:00:00Z') };

async function tick(src: MemSource, prev: CursorFile) {
  src.reads = [];
  return ingest(src, prev, opts);
}

describe('ingest', () => {
  it('reads a file once, then only what was appended', async () => {
    const src = new MemSource();
    src.put(REL, HEADER + callLine(1) + callLine(2));
    const a = await tick(src, freshCursors());
    expect(a.calls.map((c) => c.call.input)).toEqual([1, 2]);
    expect(a.bytesRead).toBe(src.files.get(`/s/${REL}`)!.data.length);

    const b = await tick(src, a.cursors);
    expect([b.calls.length, b.bytesRead, src.reads.length]).toEqual([0, 0, 0]);

    const more = callLine(3);
    src.append(REL, more);
    const c = await tick(src, b.cursors);
    expect(c.calls.map((x) => x.call.input)).toEqual([3]);
    expect(c.bytesRead).toBe(a.cursors.files[`/s/${REL}`]!.headLen + 1 + Buffer.byteLength(more));
  });

  it('leaves a half-written last line for the next run, then reads it whole', async () => {
    const src = new MemSource();
    const line = callLine(7);
    src.put(REL, HEADER + line.slice(0, 40));
    const a = await tick(src, freshCursors());
    expect(a.calls).toHaveLength(0);
    expect(a.skips.partial).toBe(1);
    expect(a.cursors.files[`/s/${REL}`]!.offset).toBe(Buffer.byteLength(HEADER));
    src.append(REL, line.slice(40));
    const b = await tick(src, a.cursors);
    expect(b.calls.map((c) => c.call.input)).toEqual([7]);
    expect(b.skips.partial).toBe(0);
  });

  it('re-reads from the start a file that shrank, or was rewritten in place', async () => {
    const src = new MemSource();
    src.put(REL, HEADER + callLine(1) + callLine(2));
    const a = await tick(src, freshCursors());
    src.put(REL, HEADER + callLine(3), Date.parse('2026-11-20T12:05:00Z'));
    const b = await tick(src, a.cursors);
    expect(b.calls.map((c) => c.call.input)).toEqual([3]);

    // Same size and more, but different bytes before the cursor: the head no longer matches.
    const c0 = await tick(src, freshCursors());
    src.put(REL, HEADER.replace('abc', 'xyz') + callLine(4) + callLine(5), Date.parse('2026-11-20T12:10:00Z'));
    const c = await tick(src, c0.cursors);
    expect(c.calls.map((x) => x.call.input)).toEqual([4, 5]);
  });

  it('re-reads when the cursor no longer sits after a newline (content shifted, same head)', async () => {
    const src = new MemSource();
    // A header longer than the hashed head, so only the newline check can notice the change.
    const header = HEADER.replace('"cwd":"/"', `"cwd":"/${'d'.repeat(300)}"`);
    src.put(REL, header + callLine(1));
    const a = await tick(src, freshCursors());
    const offset = a.cursors.files[`/s/${REL}`]!.offset;
    const shifted = `${header}{"type":"label","label":"x"}\n${callLine(2)}${callLine(3)}`;
    expect(shifted[offset - 1]).not.toBe('\n');
    src.put(REL, shifted, Date.parse('2026-11-20T12:05:00Z'));
    const b = await tick(src, a.cursors);
    expect(b.calls.map((x) => x.call.input)).toEqual([2, 3]);
  });

  it('follows a rename to a .deleted archive without reading it again', async () => {
    const src = new MemSource();
    src.put(REL, HEADER + callLine(1));
    const a = await tick(src, freshCursors());
    src.rename(REL, `${REL}.deleted.2026-11-20T12-00-00.000Z`);
    const b = await tick(src, a.cursors);
    expect(b.calls).toHaveLength(0);
    expect(b.bytesRead).toBe(a.cursors.files[`/s/${REL}`]!.headLen + 1);
    expect(Object.keys(b.cursors.files)).toEqual([`/s/${REL}.deleted.2026-11-20T12-00-00.000Z`]);
  });

  it('counts an over-long line and goes on', async () => {
    const src = new MemSource();
    src.put(REL, `${HEADER}{"type":"message","x":"${'y'.repeat(500)}"}\n${callLine(9)}`);
    const a = await ingest(src, freshCursors(), { ...opts, maxLineBytes: 200 });
    expect(a.skips.oversize).toBe(1);
    expect(a.calls.map((c) => c.call.input)).toEqual([9]);
  });

  it('carries the model in force across runs', async () => {
    const src = new MemSource();
    src.put(REL, `${HEADER}{"type":"model_change","provider":"zai","modelId":"glm-4.7"}\n`);
    const a = await tick(src, freshCursors());
    src.append(
      REL,
      '{"type":"message","timestamp":"2026-11-20T10:00:00Z","message":{"role":"assistant","usage":{"input":5}}}\n',
    );
    const b = await tick(src, a.cursors);
    expect(b.calls.map((c) => `${c.call.provider}/${c.call.model}`)).toEqual(['zai/glm-4.7']);
  });

  it('ignores files that are not transcripts and skips files that vanish mid-run', async () => {
    const src = new MemSource();
    src.put('agents/main/sessions/sessions.json', '{}');
    src.put('agents/main/sessions/x.checkpoint.1111.jsonl', HEADER + callLine(1));
    src.put(REL, HEADER + callLine(2));
    const realRead = src.read.bind(src);
    src.read = (req) => (req.id.endsWith('abc.jsonl') ? (src.files.delete(req.id), realRead(req)) : realRead(req));
    const a = await tick(src, freshCursors());
    expect(a.calls).toHaveLength(0);
    expect(src.reads.map((r) => r.id)).toEqual([`/s/${REL}`]);
  });

  it('looks back to the previous listing when it began before today (writes just before midnight)', () => {
    const day = Date.parse('2026-11-20T00:00:00Z');
    expect(listingSince(freshCursors(), day)).toBe(day);
    expect(listingSince({ ...freshCursors(), listedAt: day - 60_000 }, day)).toBe(day - 60_000 - 600_000);
    expect(listingSince({ ...freshCursors(), listedAt: day + 3_600_000 }, day)).toBe(day);
  });

  it('decompresses a zstd archive as it streams, once', async () => {
    const name = '5d1e0c2a-7f3b-4c8e-9a61-2b7d4e9f0a13.jsonl.deleted.2026-11-20T16-00-00.000Z.zst';
    const zst = readFileSync(new URL(`../../fixtures/openclaw-state/agents/main/sessions/${name}`, import.meta.url));
    const src = new MemSource();
    src.put(`agents/main/sessions/${name}`, zst);
    const a = await tick(src, freshCursors());
    expect(a.calls).toHaveLength(5);
    expect(a.bytesRead).toBe(zst.length);
    expect((await tick(src, a.cursors)).bytesRead).toBe(0);
    src.put(`agents/main/sessions/x.jsonl.deleted.2026-11-20T16-00-00.000Z.zst`, 'not zstd at all');
    const bad = await tick(src, a.cursors);
    expect(bad.warnings).toEqual([expect.stringMatching(/x\.jsonl\.deleted\..*\.zst: not a valid zstd archive/)]);
    expect(bad.skips.malformed).toBe(1);
    expect((await tick(src, bad.cursors)).warnings).toEqual([]);
  });

  it('reads several files at once where the source asks for it, and keeps the calls in listing order', async () => {
    const src = new MemSource();
    for (let i = 0; i < 9; i++)
      src.put(`agents/main/sessions/f${i}.jsonl`, HEADER + callLine(100 + i) + callLine(200 + i));
    let inFlight = 0;
    let most = 0;
    const plain = src.read.bind(src);
    Object.assign(src, { readConcurrency: 4 });
    src.read = async function* (req) {
      inFlight++;
      most = Math.max(most, inFlight);
      // Later files answer sooner, so completion order is the reverse of listing order.
      await new Promise((r) => setTimeout(r, 40 - Number(/f(\d)/.exec(req.id)?.[1] ?? 0) * 4));
      yield* plain(req);
      inFlight--;
    };
    const a = await tick(src, freshCursors());
    expect(most).toBe(4);
    expect(a.calls.map((c) => c.call.input)).toEqual([
      100, 200, 101, 201, 102, 202, 103, 203, 104, 204, 105, 205, 106, 206, 107, 207, 108, 208,
    ]);
    expect(Object.keys(a.cursors.files)).toHaveLength(9);
    expect((await tick(src, a.cursors)).bytesRead).toBe(0);
  });
});
