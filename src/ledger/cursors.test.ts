import { describe, expect, it } from 'vitest';
import { CURSOR_REFRESH_MS, type CursorFile, cursorsUnchanged } from './cursors.js';

const T = Date.parse('2026-11-30T10:00:00Z');
const file = (over = {}) => ({
  offset: 100,
  size: 120,
  mtimeMs: T - 5000,
  ino: 7,
  headLen: 256,
  headHash: 'ab',
  ctx: { provider: 'anthropic', model: 'claude-opus-4-5' },
  seenAt: T,
  ...over,
});
const db = (over = {}) => ({
  lastRowid: 5,
  lastCreatedAt: 9,
  maxCreatedAt: 9,
  signature: 's',
  ctx: { a: { model: 'm' } },
  seenAt: T,
  ...over,
});
const cursors = (over: Partial<CursorFile> = {}): CursorFile => ({
  version: 1,
  listedAt: T,
  files: { '/s/a.jsonl': file(), '/s/b.jsonl': file({ offset: 3 }) },
  databases: { '/s/agent.sqlite': db() },
  ...over,
});

describe('cursorsUnchanged', () => {
  it('is true for a later run that only saw the same files again, until the refresh interval', () => {
    const later = (ms: number) =>
      cursors({
        listedAt: T + ms,
        files: { '/s/b.jsonl': file({ offset: 3, seenAt: T + ms }), '/s/a.jsonl': file({ seenAt: T + ms }) },
        databases: { '/s/agent.sqlite': db({ seenAt: T + ms }) },
      });
    expect(cursorsUnchanged(cursors(), later(5 * 60_000))).toBe(true);
    expect(cursorsUnchanged(cursors(), later(CURSOR_REFRESH_MS))).toBe(false);
  });

  it('is false when anything a reader uses moved, appeared or went', () => {
    const prev = cursors();
    const next = (over: Partial<CursorFile>) => cursors({ listedAt: T + 60_000, ...over });
    const changes: Partial<CursorFile>[] = [
      { files: { '/s/a.jsonl': file({ offset: 120 }), '/s/b.jsonl': file({ offset: 3 }) } },
      { files: { '/s/a.jsonl': file({ ino: 8 }), '/s/b.jsonl': file({ offset: 3 }) } },
      { files: { '/s/a.jsonl': file({ ctx: { provider: 'openai' } }), '/s/b.jsonl': file({ offset: 3 }) } },
      { files: { '/s/a.jsonl': file() } },
      { files: { '/s/a.jsonl': file(), '/s/c.jsonl': file({ offset: 3 }) } },
      { databases: { '/s/agent.sqlite': db({ lastRowid: 6 }) } },
      { databases: { '/s/agent.sqlite': db({ ctx: { a: { model: 'n' } } }) } },
      { databases: {} },
      { rereadFrom: T - 86_400_000 },
    ];
    for (const c of changes) expect(cursorsUnchanged(prev, next(c)), JSON.stringify(c)).toBe(false);
    expect(cursorsUnchanged(cursors({ listedAt: undefined }), next({}))).toBe(false);
  });
});
