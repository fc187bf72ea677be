import { describe, expect, it } from 'vitest';
import { FrameSplitter } from './frames.js';

const MARK = '#ocb-0123456789abcdef#';

function split(chunks: string[]): { answers: [string, string][]; overhead: number } {
  const answers: [string, string][] = [];
  let data = '';
  const s = new FrameSplitter(Buffer.from(MARK), {
    data: (b) => {
      data += b.toString('latin1');
    },
    end: (status) => {
      answers.push([data, status]);
      data = '';
    },
  });
  for (const c of chunks) s.push(Buffer.from(c, 'latin1'));
  return { answers, overhead: s.overhead };
}

describe('FrameSplitter', () => {
  const stream = `abc\ndef${MARK} 0\n${MARK} v\nxyz#ocb-not-it# ${MARK} 1 boom\n`;

  it('splits answers at the marker and returns each status, in order', () => {
    const { answers, overhead } = split([stream]);
    expect(answers).toEqual([
      ['abc\ndef', '0'],
      ['', 'v'],
      ['xyz#ocb-not-it# ', '1 boom'],
    ]);
    expect(overhead).toBe(3 * MARK.length + ' 0\n v\n 1 boom\n'.length);
  });

  it('gives the same answers however the stream is cut, a marker or a status split across chunks included', () => {
    const whole = split([stream]);
    for (let size = 1; size < 30; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.slice(i, i + size));
      expect(split(chunks)).toEqual(whole);
    }
  });

  it('refuses a status line that never ends', () => {
    expect(() => split([`${MARK} ${'x'.repeat(20_000)}`])).toThrow(/status line longer than 16 KiB/);
  });
});
