import { describe, expect, it } from 'vitest';
import { progressEnabled, progressLine } from './progress.js';

function terminal(isTTY = true, columns = 120) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns, write: (s: string) => out.push(s) } };
}

describe('progress line', () => {
  it('is drawn only on a terminal, for a person', () => {
    const env = {};
    expect(progressEnabled({ stream: { isTTY: true }, env, unattended: false })).toBe(true);
    expect(progressEnabled({ stream: { isTTY: false }, env, unattended: false })).toBe(false); // a pipe
    expect(progressEnabled({ stream: {}, env, unattended: false })).toBe(false);
    expect(progressEnabled({ stream: { isTTY: true }, env, unattended: true })).toBe(false); // --quiet, the journal
    expect(progressEnabled({ stream: { isTTY: true }, env: { TERM: 'dumb' }, unattended: false })).toBe(false);
  });

  it('writes nothing at all on a pipe', () => {
    const t = terminal(false);
    const p = progressLine({ stream: t.stream, env: {}, unattended: false, delayMs: 0 });
    p.task('local')({ filesTotal: 3, files: 1, bytes: 5e6, calls: 10 });
    p.clear();
    p.done();
    expect(t.out).toEqual([]);
  });

  it('shows files, MB, rate and calls per gateway after the delay, at most every interval, and erases itself', () => {
    let now = 0;
    const t = terminal();
    const p = progressLine({
      stream: t.stream,
      env: {},
      unattended: false,
      now: () => now,
      delayMs: 300,
      intervalMs: 100,
    });
    const local = p.task('local');
    const vps = p.task('vps');
    local({ filesTotal: 4 });
    vps({ filesTotal: 2 });
    now = 100;
    local({ bytes: 1e6 });
    expect(t.out).toEqual([]); // a quick run never flickers
    now = 1000;
    local({ files: 1, bytes: 2e6, calls: 12 });
    expect(t.out).toEqual([
      '\r\x1b[Klocal: 1/4 files, 3.0 MB, 3.0 MB/s, 12 calls · vps: 0/2 files, 0.0 MB, 0.0 MB/s, 0 calls',
    ]);
    now = 1050;
    vps({ bytes: 1e6 });
    expect(t.out).toHaveLength(1); // throttled
    now = 2000;
    vps({ files: 2, calls: 3 });
    expect(t.out.at(-1)).toBe(
      '\r\x1b[Klocal: 1/4 files, 3.0 MB, 1.5 MB/s, 12 calls · vps: 2/2 files, 1.0 MB, 0.5 MB/s, 3 calls',
    );
    p.done();
    expect(t.out.at(-1)).toBe('\r\x1b[K');
    now = 3000;
    local({ files: 1 });
    expect(t.out.at(-1)).toBe('\r\x1b[K'); // nothing after done
  });

  it('clears the line for a message and draws it again on the next update', () => {
    let now = 1000;
    const t = terminal();
    const p = progressLine({ stream: t.stream, env: {}, unattended: false, now: () => now, delayMs: 0 });
    const f = p.task('local');
    f({ files: 1 });
    p.clear();
    expect(t.out.at(-1)).toBe('\r\x1b[K');
    now = 1001;
    f({ files: 1 });
    expect(t.out.at(-1)).toMatch(/^\r\x1b\[Klocal: 2 files/);
  });

  it('never wraps: a long line is cut to the terminal width', () => {
    const t = terminal(true, 80);
    const p = progressLine({
      stream: t.stream,
      env: {},
      unattended: false,
      now: () => 1000,
      delayMs: 0,
      intervalMs: 0,
    });
    for (let i = 0; i < 5; i++) p.task(`gateway-with-a-long-name-${i}`)({ files: 1 });
    const last = t.out.at(-1) ?? '';
    expect(last.length - '\r\x1b[K'.length).toBeLessThanOrEqual(79);
    expect(last.endsWith('…')).toBe(true);
  });
});
