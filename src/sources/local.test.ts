import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSource } from './local.js';
import { FileVanishedError, SourceError } from './source.js';

async function collect(it: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts).toString();
}

describe('LocalSource', () => {
  const root = mkdtempSync(join(tmpdir(), 'ocb-local-'));
  for (const d of ['agents/main/sessions', 'agents/ops/sessions', 'sessions', 'agents/main/agent'])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'agents/main/sessions/new.jsonl'), '0123456789');
  writeFileSync(join(root, 'agents/ops/sessions/old.jsonl'), 'old');
  writeFileSync(join(root, 'sessions/legacy.jsonl'), 'legacy');
  writeFileSync(join(root, 'agents/main/agent/models.json'), '{}');
  const old = new Date('2026-11-01T00:00:00Z');
  utimesSync(join(root, 'agents/ops/sessions/old.jsonl'), old, old);

  it('lists files under the patterns modified since the given time, with paths relative to the state dir', async () => {
    const src = new LocalSource('local', [root]);
    const files = await src.list(['agents/*/sessions', 'sessions'], Date.parse('2026-11-10T00:00:00Z'));
    expect(files.map((f) => f.rel).sort()).toEqual(['agents/main/sessions/new.jsonl', 'sessions/legacy.jsonl']);
    const all = await src.list(['agents/*/sessions'], 0);
    expect(all.map((f) => f.rel).sort()).toEqual(['agents/main/sessions/new.jsonl', 'agents/ops/sessions/old.jsonl']);
    expect(all.every((f) => f.ino !== undefined && f.size > 0)).toBe(true);
  });

  it('reads the head and then from an offset', async () => {
    const src = new LocalSource('local', [root]);
    const id = join(root, 'agents/main/sessions/new.jsonl');
    expect(await collect(src.read({ id, headBytes: 3, from: 7 }))).toBe('012789');
    expect(await collect(src.read({ id, headBytes: 0, from: 0 }))).toBe('0123456789');
  });

  it('reads big files whole; transient chunks are right when used at once, and may share memory', async () => {
    const src = new LocalSource('local', [root]);
    const id = join(root, 'agents/main/sessions/big.jsonl');
    const data = Buffer.alloc(3 * 1024 * 1024 + 5);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
    writeFileSync(id, data);
    expect((await collect(src.read({ id, headBytes: 0, from: 0 }))) === data.toString()).toBe(true);
    for (let round = 0; round < 2; round++) {
      const copies: Buffer[] = [];
      const seen = new Set<ArrayBufferLike>();
      for await (const chunk of src.read({ id, headBytes: 10, from: 1000, transient: true })) {
        copies.push(Buffer.from(chunk));
        seen.add(chunk.buffer);
      }
      expect(Buffer.concat(copies).equals(Buffer.concat([data.subarray(0, 10), data.subarray(1000)]))).toBe(true);
      expect(seen.size).toBeLessThanOrEqual(2);
    }
  });

  it('says which dir is missing and how to point at the right one; a vanished file is its own error', async () => {
    const src = new LocalSource('local', [join(root, 'nope')]);
    await expect(src.list(['sessions'], 0)).rejects.toThrow(SourceError);
    await expect(src.list(['sessions'], 0)).rejects.toThrow(/no OpenClaw state dir found at .*nope: pass --source/);
    await expect(
      collect(new LocalSource('l', [root]).read({ id: join(root, 'gone.jsonl'), headBytes: 0, from: 0 })),
    ).rejects.toThrow(FileVanishedError);
  });

  it('never follows a symlink out of the state dir: not a linked file, not a dir that resolves outside', async () => {
    const top = mkdtempSync(join(tmpdir(), 'ocb-links-'));
    const state = join(top, 'state');
    const outside = join(top, 'outside');
    mkdirSync(join(state, 'agents', 'main', 'sessions'), { recursive: true });
    mkdirSync(join(state, 'agents', 'ops'), { recursive: true });
    mkdirSync(join(outside, 'sessions'), { recursive: true });
    writeFileSync(join(state, 'agents', 'main', 'sessions', 'real.jsonl'), 'x');
    writeFileSync(join(outside, 'secret'), 'root:x:0:0');
    writeFileSync(join(outside, 'sessions', 'far.jsonl'), 'x');
    symlinkSync(join(outside, 'secret'), join(state, 'agents', 'main', 'sessions', 'shadow.jsonl'));
    symlinkSync(join(outside, 'sessions'), join(state, 'agents', 'ops', 'sessions'));
    // The state dir itself may be reached through a symlink (e.g. ~/.openclaw -> /data/openclaw).
    symlinkSync(state, join(top, 'link'));
    const src = new LocalSource('local', [join(top, 'link')]);
    expect((await src.list(['agents/*/sessions'], 0)).map((f) => f.rel)).toEqual(['agents/main/sessions/real.jsonl']);
    // A file swapped for a symlink after the listing is not opened either.
    await expect(
      collect(src.read({ id: join(top, 'link', 'agents', 'main', 'sessions', 'shadow.jsonl'), headBytes: 0, from: 0 })),
    ).rejects.toThrow(FileVanishedError);
  });

  it('reads every existing one of several roots (legacy state-dir names)', async () => {
    const src = new LocalSource('local', [join(root, 'nope'), root]);
    expect((await src.list(['sessions'], 0)).map((f) => f.rel)).toEqual(['sessions/legacy.jsonl']);
  });
});
