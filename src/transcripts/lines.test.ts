import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lines.js';

function split(chunks: string[], max = 1024) {
  const lines: string[] = [];
  let oversize = 0;
  const s = new LineSplitter(
    { line: (b, from, to) => lines.push(b.toString('utf8', from, to)), oversize: () => oversize++ },
    max,
  );
  for (const c of chunks) s.push(Buffer.from(c));
  return { lines, oversize, consumed: s.consumed, tail: s.tail()?.toString() ?? null, seen: s.bytesSeen };
}

describe('LineSplitter', () => {
  it('splits lines across chunk boundaries', () => {
    expect(split(['ab', 'c\nde', 'f\n\ng'])).toEqual({
      lines: ['abc', 'def', ''],
      oversize: 0,
      consumed: 9,
      tail: 'g',
      seen: 10,
    });
  });

  it('reports the position after the last newline as consumed', () => {
    expect(split(['x\ny\n']).consumed).toBe(4);
    expect(split(['x\ny']).consumed).toBe(2);
  });

  it('skips and counts an over-long line without buffering it, and resumes after it', () => {
    const long = 'z'.repeat(50);
    const r = split([`ok\n${long.slice(0, 20)}`, long.slice(20, 40), `${long.slice(40)}\nnext\n`], 16);
    expect(r.lines).toEqual(['ok', 'next']);
    expect(r.oversize).toBe(1);
    expect(r.consumed).toBe(3 + 51 + 5);
  });

  it('counts an over-long line inside a single chunk', () => {
    const r = split([`${'q'.repeat(40)}\nok\n`], 16);
    expect(r).toMatchObject({ lines: ['ok'], oversize: 1 });
  });

  it('an unterminated over-long tail is not offered as a tail', () => {
    const r = split([`ok\n${'q'.repeat(40)}`], 16);
    expect(r).toMatchObject({ lines: ['ok'], oversize: 1, tail: null, consumed: 3 });
  });

  it('joins a line of several MiB carried over many chunks, and reuses nothing it handed over', () => {
    const long = Buffer.alloc(2_500_000, 0x61);
    for (let i = 0; i < long.length; i += 997) long[i] = 0x30 + (i % 10);
    const data = Buffer.concat([Buffer.from('a\n'), long, Buffer.from('\nb\ntail')]);
    const got: string[] = [];
    const s = new LineSplitter(
      { line: (buf, from, to) => got.push(buf.toString('latin1', from, to)), oversize: () => got.push('OVERSIZE') },
      10_000_000,
    );
    for (let i = 0; i < data.length; i += 300_000) s.push(data.subarray(i, i + 300_000));
    expect(got).toEqual(['a', long.toString('latin1'), 'b']);
    expect(s.tail()?.toString()).toBe('tail');
  });
});
