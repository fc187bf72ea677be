import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICING } from '../../test/helpers/records.js';
import { Ledger } from '../ledger/ledger.js';
import { type ImportProgress, importTranscripts } from './import.js';

const line = (ts: string, input: number) =>
  JSON.stringify({
    type: 'message',
    timestamp: ts,
    message: {
      role: 'assistant',
      provider: 'anthropic',
      model: 'claude-opus-4-5',
      usage: { input, output: 1 },
      timestamp: Date.parse(ts),
    },
  });

describe('importTranscripts', () => {
  it('reads a flat folder of transcripts and archives (skipping copies), in batches, and is idempotent', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ocb-import-'));
    const dir = join(root, 'backup');
    mkdirSync(dir);
    for (let i = 0; i < 70; i++)
      writeFileSync(
        join(dir, `s${i}.jsonl`),
        `${line(`2026-10-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`, i + 1)}\n`,
      );
    writeFileSync(join(dir, 'old.jsonl.deleted.2026-10-02T00-00-00.000Z'), `${line('2026-10-01T09:00:00Z', 999)}\n`);
    writeFileSync(join(dir, 's1.checkpoint.1234.jsonl'), `${line('2026-10-02T10:00:00Z', 2)}\n`); // a copy: never read
    writeFileSync(join(dir, 'sessions.json'), '{}');
    const ledger = new Ledger(join(root, 'state', 'ledger'));
    const progress: ImportProgress[] = [];
    const r = await importTranscripts({
      dir,
      gateway: 'old',
      agent: 'ops',
      ledger,
      pricing: PRICING,
      onProgress: (p) => progress.push(p),
    });
    expect(r).toMatchObject({ layout: 'flat', filesTotal: 71, filesDone: 71, callsFound: 71, callsAdded: 71 });
    expect(progress.map((p) => p.filesDone)).toEqual([0, 64, 71]);
    const recs = await ledger.between(Date.parse('2026-10-01T00:00:00Z'), Date.parse('2026-11-01T00:00:00Z'));
    expect(recs).toHaveLength(71);
    expect(new Set(recs.map((x) => `${x.gateway}/${x.agent}`))).toEqual(new Set(['old/ops']));
    const again = await importTranscripts({
      dir,
      gateway: 'old',
      agent: 'ops',
      ledger: new Ledger(ledger.dir),
      pricing: PRICING,
    });
    expect(again).toMatchObject({ callsFound: 71, callsAdded: 0 });
  });

  it('says what to give when the path is not a directory', async () => {
    const ledger = new Ledger(join(tmpdir(), 'none'));
    await expect(
      importTranscripts({ dir: '/nonexistent/x', gateway: 'g', agent: 'main', ledger, pricing: PRICING }),
    ).rejects.toThrow(/not a directory: give a copy of an OpenClaw state dir/);
  });
});
