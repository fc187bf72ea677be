import { describe, expect, it } from 'vitest';
import { rec } from '../../test/helpers/records.js';
import { summarize, verifyPartition } from './verify.js';

const line = (r: object) => `${JSON.stringify(r)}\n`;

describe('verifyPartition', () => {
  it('a clean partition is ok', () => {
    const seen = new Set<string>();
    const p = verifyPartition(
      '2026-11-20',
      line(rec('2026-11-20T08:00:00Z')) + line(rec('2026-11-20T09:00:00Z')),
      seen,
    );
    expect(p).toEqual({
      day: '2026-11-20',
      records: 2,
      corruptLines: [],
      implausibleLines: [],
      partialTail: false,
      misplaced: 0,
      duplicates: 0,
    });
    expect(summarize([p], []).ok).toBe(true);
  });

  it('finds unreadable lines, misplaced calls, duplicates (also across partitions) and a partial tail', () => {
    const seen = new Set<string>();
    const a = rec('2026-11-20T08:00:00Z');
    const first = verifyPartition('2026-11-20', line(a), seen);
    const text = [
      line(a),
      'not json\n',
      line({ at: 1 }),
      line(rec('2026-11-22T08:00:00Z')),
      line(rec('2026-11-21T08:00:00Z')),
      '{"at":',
    ].join('');
    const p = verifyPartition('2026-11-21', text, seen);
    expect(p).toEqual({
      day: '2026-11-21',
      records: 3,
      corruptLines: [2, 3],
      implausibleLines: [],
      partialTail: true,
      misplaced: 2,
      duplicates: 1,
    });
    const r = summarize([first, p], ['notes.txt']);
    expect(r).toMatchObject({
      ok: false,
      records: 4,
      corruptLines: 2,
      misplaced: 2,
      duplicates: 1,
      partialTails: 1,
      strayFiles: ['notes.txt'],
    });
  });

  it('a partial tail alone is reported but not a failure: nothing is lost', () => {
    const p = verifyPartition('2026-11-20', `${line(rec('2026-11-20T08:00:00Z'))}{"at":`, new Set());
    expect(summarize([p], []).ok).toBe(true);
    expect(p.partialTail).toBe(true);
  });
});
