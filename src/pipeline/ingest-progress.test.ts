// The progress ingest reports adds up to what it read: a terminal's progress line shows true figures.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshCursors } from '../ledger/cursors.js';
import { LocalSource } from '../sources/local.js';
import { type IngestProgress, ingest } from './ingest.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/openclaw-state', import.meta.url));

function tally() {
  const t = { filesTotal: 0, files: 0, bytes: 0, calls: 0 };
  const fn = (d: IngestProgress) => {
    t.filesTotal += d.filesTotal ?? 0;
    t.files += d.files ?? 0;
    t.bytes += d.bytes ?? 0;
    t.calls += d.calls ?? 0;
  };
  return { t, fn };
}

describe('ingest progress', () => {
  it('counts every listed transcript once, and the bytes and calls it read', async () => {
    const first = tally();
    const opts = { dayStartMs: 0, clockMs: Date.now() };
    const r = await ingest(new LocalSource('local', [FIXTURE]), freshCursors(), { ...opts, onProgress: first.fn });
    expect(first.t.filesTotal).toBeGreaterThan(5);
    expect(first.t.files).toBe(first.t.filesTotal);
    expect(first.t.bytes).toBe(r.bytesRead);
    expect(first.t.calls).toBe(r.calls.length);
    // Nothing changed: every file is done at once, with nothing read.
    const second = tally();
    await ingest(new LocalSource('local', [FIXTURE]), r.cursors, { ...opts, onProgress: second.fn });
    expect(second.t).toEqual({ filesTotal: first.t.filesTotal, files: first.t.filesTotal, bytes: 0, calls: 0 });
  });
});
