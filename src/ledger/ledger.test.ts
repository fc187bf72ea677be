import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import type { LedgerRecord } from './record.js';

let n = 0;
function rec(at: string, over: Partial<LedgerRecord> = {}): LedgerRecord {
  const t = Date.parse(at);
  return {
    at: t,
    msgTs: t + 5,
    agent: 'main',
    session: 's',
    provider: 'anthropic',
    model: 'claude-opus-4-5',
    rawProvider: 'anthropic',
    rawModel: 'claude-opus-4-5',
    input: ++n,
    output: 2,
    cacheRead: 3,
    cacheWrite: 4,
    transcriptCostUsd: null,
    gateway: 'local',
    costUsd: 0.1,
    costSource: 'table',
    file: 'agents/main/sessions/s.jsonl',
    ...over,
  };
}

const fresh = () => new Ledger(mkdtempSync(join(tmpdir(), 'ocb-ledger-')));

describe('Ledger', () => {
  it('adds each call once, within a batch, across batches and across instances', async () => {
    const l = fresh();
    const a = rec('2026-11-20T10:00:00Z');
    const b = rec('2026-11-20T11:00:00Z');
    expect(await l.add([a, a, b])).toHaveLength(2);
    expect(await l.add([a, b])).toHaveLength(0);
    expect(await new Ledger(l.dir).add([{ ...a, file: 'elsewhere.jsonl', gateway: 'other' }])).toHaveLength(0);
  });

  it('treats a copy whose entry time moved to the next UTC day as the same call', async () => {
    const l = fresh();
    const a = rec('2026-11-20T23:59:00Z');
    await l.add([a]);
    expect(await new Ledger(l.dir).add([{ ...a, at: Date.parse('2026-11-21T00:30:00Z') }])).toHaveLength(0);
  });

  it('keeps calls that differ in any key field', async () => {
    const l = fresh();
    const a = rec('2026-11-20T10:00:00Z');
    const variants = [
      { provider: 'openai' },
      { model: 'x' },
      { msgTs: a.msgTs + 1 },
      { output: 99 },
      { cacheRead: 99 },
      { cacheWrite: 99 },
    ];
    expect(await l.add([a, ...variants.map((v) => ({ ...a, ...v }))])).toHaveLength(7);
  });

  it('partitions by UTC day and answers a range from its partitions only', async () => {
    const l = fresh();
    await l.add([
      rec('2026-11-19T23:30:00Z'),
      rec('2026-11-20T00:30:00Z'),
      rec('2026-11-20T22:59:59.999Z'),
      rec('2026-11-20T23:00:00Z'),
      rec('2026-10-01T12:00:00Z'),
    ]);
    expect(
      readdirSync(l.dir)
        .filter((f) => !f.startsWith('.'))
        .sort(),
    ).toEqual(['2026-10-01.jsonl', '2026-11-19.jsonl', '2026-11-20.jsonl']);
    const got = await new Ledger(l.dir).between(Date.parse('2026-11-19T23:00:00Z'), Date.parse('2026-11-20T23:00:00Z'));
    expect(got.map((r) => new Date(r.at).toISOString())).toEqual([
      '2026-11-19T23:30:00.000Z',
      '2026-11-20T00:30:00.000Z',
      '2026-11-20T22:59:59.999Z',
    ]);
  });

  it('ignores a torn last line and trims it before the next append', async () => {
    const l = fresh();
    await l.add([rec('2026-11-20T10:00:00Z')]);
    const file = join(l.dir, '2026-11-20.jsonl');
    appendFileSync(file, '{"at":1763632800000,"msgTs":17');
    const again = new Ledger(l.dir);
    expect(await again.between(Date.parse('2026-11-20'), Date.parse('2026-11-21'))).toHaveLength(1);
    await again.add([rec('2026-11-20T12:00:00Z')]);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).map((x) => JSON.parse(x).at)).toEqual([
      Date.parse('2026-11-20T10:00:00Z'),
      Date.parse('2026-11-20T12:00:00Z'),
    ]);
    expect(again.corruptLines).toBe(0);
  });

  it('skips and counts a corrupt line in the middle', async () => {
    const l = fresh();
    await l.add([rec('2026-11-20T10:00:00Z')]);
    appendFileSync(join(l.dir, '2026-11-20.jsonl'), 'garbage\n{"at":"x"}\n');
    const again = new Ledger(l.dir);
    expect(await again.between(Date.parse('2026-11-20'), Date.parse('2026-11-21'))).toHaveLength(1);
    expect(again.corruptLines).toBe(2);
  });

  it('finds copies the same way whether a batch is large (all keys) or small (a search by msgTs)', async () => {
    const l = fresh();
    const many = Array.from({ length: 300 }, (_, i) =>
      rec(`2026-11-20T${String(i % 24).padStart(2, '0')}:00:00Z`, { msgTs: 1_763_600_000_000 + i }),
    );
    expect(await l.add(many)).toHaveLength(300);
    // A copy whose instant moved a day, copies in a small batch, a call sharing a copy's msgTs but not its tokens.
    const moved = { ...many[7]!, at: Date.parse('2026-11-21T00:30:00Z') };
    const sameTs = { ...many[8]!, output: 12345 };
    const fresh2 = rec('2026-11-20T12:00:00Z', { msgTs: 42 });
    const got = await new Ledger(l.dir).add([many[0]!, many[299]!, moved, sameTs, fresh2, fresh2]);
    expect(got).toEqual([sameTs, fresh2]);
    expect(await new Ledger(l.dir).add([...many, sameTs, fresh2])).toHaveLength(0);
  });
});

describe('duplicates across day files (12.6)', () => {
  it('every reader counts a call once, whichever day files hold copies of it (the earliest counts)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ocb-ledger-')), 'ledger');
    const ledger = new Ledger(dir);
    const original = rec('2026-11-18T10:00:00Z');
    const neighbour = rec('2026-11-18T23:00:00Z');
    await ledger.add([original, neighbour, rec('2026-11-21T12:00:00Z')]);
    // Copies written by hand or by an older version: a fork days later (same message time, later entry time),
    // and the neighbour again in the next day's file.
    appendFileSync(
      join(dir, '2026-11-21.jsonl'),
      `${JSON.stringify({ ...original, at: Date.parse('2026-11-21T09:00:00Z') })}\n`,
    );
    appendFileSync(
      join(dir, '2026-11-19.jsonl'),
      `${JSON.stringify({ ...neighbour, at: Date.parse('2026-11-19T00:30:00Z') })}\n`,
    );
    const from = Date.parse('2026-11-17T00:00:00Z');
    const to = Date.parse('2026-11-23T00:00:00Z');
    const fresh = new Ledger(dir);
    expect(await fresh.between(from, to)).toHaveLength(3);
    expect(await fresh.between(Date.parse('2026-11-21T00:00:00Z'), to)).toHaveLength(1);
    const tallied = await fresh.tallies(from, to, { from: [], after: [] });
    expect(tallied.reduce((n, t) => n + t.weight, 0)).toBe(3);
    // And once more from the cached digests.
    const again = await new Ledger(dir).tallies(from, to, { from: [], after: [] });
    expect(again.reduce((n, t) => n + t.weight, 0)).toBe(3);
  });

  it('a copy made days later is not recorded again (looked for around its message time)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ocb-ledger-')), 'ledger');
    const ledger = new Ledger(dir);
    const original = rec('2026-11-10T10:00:00Z');
    await ledger.add([original]);
    expect(
      await ledger.add([
        { ...original, at: Date.parse('2026-11-20T10:00:00Z'), file: 'agents/main/sessions/fork.jsonl' },
      ]),
    ).toHaveLength(0);
  });
});
