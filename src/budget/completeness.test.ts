import { describe, expect, it } from 'vitest';
import { judgeCompleteness, statusHeadline } from './completeness.js';

describe('judgeCompleteness', () => {
  it('complete only when every source was read whole and the ledger read back whole', () => {
    expect(
      judgeCompleteness({
        sources: [
          { name: 'a', ok: true },
          { name: 'b', ok: true, unreadable: [] },
        ],
        ledgerUnreadableLines: 0,
      }),
    ).toEqual({ complete: true, reasons: [] });
  });

  it('a failed source, an unreadable file, unreadable ledger lines or lost calls make it a lower bound, each named', () => {
    const c = judgeCompleteness({
      sources: [
        { name: 'a', ok: false, error: 'a: connection refused' },
        { name: 'b', ok: true, unreadable: ['/s/1.jsonl', '/s/2.jsonl', '/s/3.jsonl', '/s/4.jsonl'] },
      ],
      ledgerUnreadableLines: 2,
      ledgerLost: { '2026-11-18': 40, '2026-11-19': 0 },
    });
    expect(c.complete).toBe(false);
    expect(c.reasons).toEqual([
      'gateway a was not read: a: connection refused',
      'gateway b: 4 files could not be read (/s/1.jsonl, /s/2.jsonl, /s/3.jsonl, ...)',
      'ledger: 2 unreadable lines skipped (see `openclaw-budget ledger verify`)',
      'ledger: 40 calls of 2026-11-18 were lost (day file deleted or truncated) and are no longer in the transcripts',
    ]);
  });

  it('the headline never says a plain OK on a lower bound', () => {
    expect(statusHeadline('ok', true)).toBe('OK');
    expect(statusHeadline('ok', false)).toBe('INCOMPLETE');
    expect(statusHeadline('exceeded', false)).toBe('EXCEEDED (INCOMPLETE)');
  });
});
