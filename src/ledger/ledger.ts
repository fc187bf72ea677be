// The ledger: append-only JSONL, one file per UTC day of the calls' message time, under <state>/ledger/.
import { mkdir, open, readdir, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { DAY_MS } from '../budget/day.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { callKey } from '../transcripts/call.js';
import { digestRecords } from './digest.js';
import { type LedgerRecord, LedgerRecordSchema, partitionOf, utcDate, type WeightedRecord, WeightedRecordSchema } from './record.js';

export const PARTITION_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

interface Partition {
  records: LedgerRecord[];
  keys: Set<string>;
  /** Unreadable lines (a disk fault or hand edit): skipped, and reported by `corruptLines`. */
  corrupt: number;
  /** Size of the file when read (its characters: ledger lines are ASCII JSON), for progress. */
  bytes: number;
}

export class Ledger {
  private readonly cache = new Map<string, Partition>();

  constructor(readonly dir: string) {}

  private fileOf(day: string): string {
    return join(this.dir, `${day}.jsonl`);
  }

  private async load(day: string): Promise<Partition> {
    const cached = this.cache.get(day);
    if (cached) return cached;
    const part: Partition = { records: [], keys: new Set(), corrupt: 0, bytes: 0 };
    let text = '';
    try {
      text = await readFile(this.fileOf(day), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    part.bytes = text.length;
    // A run killed mid-append leaves a partial last line: it has no newline and is ignored (and trimmed on append).
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.split('\n')) {
      if (line === '') continue;
      let rec: LedgerRecord;
      try {
        rec = LedgerRecordSchema.parse(JSON.parse(line));
      } catch {
        part.corrupt++;
        continue;
      }
      const key = callKey(rec);
      if (part.keys.has(key)) continue;
      part.keys.add(key);
      part.records.push(rec);
    }
    this.cache.set(day, part);
    return part;
  }

  /**
   * Record the calls not yet in the ledger; returns those that were new. A copy of a call is looked for in its
   * own partition and the days either side: copies keep the original's times, give or take a rewrite.
   */
  async add(records: readonly LedgerRecord[]): Promise<LedgerRecord[]> {
    const byDay = new Map<string, LedgerRecord[]>();
    for (const r of records) {
      const day = partitionOf(r);
      let list = byDay.get(day);
      if (!list) byDay.set(day, (list = []));
      list.push(r);
    }
    const added: LedgerRecord[] = [];
    if (byDay.size > 0) await mkdir(this.dir, { recursive: true });
    for (const [day, list] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
      const t = Date.parse(day);
      const [before, part, after] = await Promise.all([utcDate(t - DAY_MS), day, utcDate(t + DAY_MS)].map((d) => this.load(d)));
      const fresh: LedgerRecord[] = [];
      for (const r of list) {
        const key = callKey(r);
        if (part?.keys.has(key) || before?.keys.has(key) || after?.keys.has(key)) continue;
        part?.keys.add(key);
        fresh.push(r);
      }
      if (fresh.length === 0 || !part) continue;
      await this.append(day, fresh);
      // Not push(...fresh): a day of a few hundred thousand calls would overflow the call stack.
      for (const r of fresh) {
        part.records.push(r);
        added.push(r);
      }
    }
    return added;
  }

  private async append(day: string, recs: LedgerRecord[]): Promise<void> {
    const path = this.fileOf(day);
    const fh = await open(path, 'a+');
    try {
      const { size } = await fh.stat();
      if (size > 0) {
        // Drop a partial line left by a killed run, so the new lines start clean.
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) {
          const text = await readFile(path, 'utf8');
          await truncate(path, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
        }
      }
      await fh.appendFile(recs.map((r) => `${JSON.stringify(r)}\n`).join(''));
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /**
   * Calls whose instant lies in [from, to). Reads only the partitions that range touches; `onProgress` hears of each
   * (day files, bytes, calls) for a progress line over long history.
   */
  async between(from: number, to: number, onProgress?: (delta: { filesTotal?: number; files?: number; bytes?: number; calls?: number }) => void): Promise<LedgerRecord[]> {
    const out: LedgerRecord[] = [];
    const first = utcDate(from);
    const last = utcDate(to - 1);
    onProgress?.({ filesTotal: Math.round((Date.parse(last) - Date.parse(first)) / DAY_MS) + 1 });
    for (let day = first; day <= last; day = utcDate(Date.parse(day) + DAY_MS)) {
      const part = await this.load(day);
      const before = out.length;
      for (const r of part.records) if (r.at >= from && r.at < to) out.push(r);
      onProgress?.({ files: 1, bytes: part.bytes, calls: out.length - before });
    }
    return out;
  }

  /**
   * Calls in [from, to) for questions that treat a whole UTC day alike except around a few instants: a partition
   * that overlaps one of the `exact` ranges (or the ends of [from, to)) gives its records, any other its digest
   * (a few weighted records, cached beside the ledger and rebuilt when the partition changes). So a tick's month
   * totals, forecasts and windows cost a few files however many calls the month holds.
   */
  async digestedBetween(from: number, to: number, exact: readonly (readonly [number, number])[]): Promise<WeightedRecord[]> {
    const out: WeightedRecord[] = [];
    const ranges = [...exact, [from, from + 1] as const, [to - 1, to] as const];
    for (let day = utcDate(from); day <= utcDate(to - 1); day = utcDate(Date.parse(day) + DAY_MS)) {
      const start = Date.parse(day);
      const end = start + DAY_MS;
      if (ranges.some(([a, b]) => a < end && b > start)) {
        for (const r of (await this.load(day)).records) if (r.at >= from && r.at < to) out.push(r);
      } else {
        out.push(...(await this.digest(day)));
      }
    }
    return out;
  }

  private async digest(day: string): Promise<WeightedRecord[]> {
    let st: { size: number; mtimeMs: number };
    try {
      st = await stat(this.fileOf(day));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const signature = `${st.size}:${st.mtimeMs}`;
    const path = join(this.dir, '.digest', `${day}.json`);
    try {
      const cached = JSON.parse(await readFile(path, 'utf8')) as { signature?: unknown; records?: unknown };
      if (cached.signature === signature) return WeightedRecordSchema.array().parse(cached.records);
    } catch {
      // missing or unreadable: rebuilt below
    }
    const records = digestRecords((await this.load(day)).records);
    // A cache: failing to write it costs the next run time, never correctness.
    await writeFileAtomic(path, JSON.stringify({ signature, records })).catch(() => undefined);
    return records;
  }

  /** The dates of every partition, oldest first. */
  async days(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.flatMap((n) => (PARTITION_FILE.test(n) ? [n.slice(0, 10)] : [])).sort();
  }

  /** Unreadable ledger lines met so far in this run. */
  get corruptLines(): number {
    let n = 0;
    for (const p of this.cache.values()) n += p.corrupt;
    return n;
  }
}
