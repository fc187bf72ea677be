// The ledger: append-only JSONL, one file per UTC day of the calls' message time, under <state>/ledger/.
import { open, readdir, readFile, stat, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DAY_MS } from '../budget/day.js';
import { callKey } from '../transcripts/call.js';
import { plausibleCall } from '../transcripts/plausible.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { ensureDir } from '../shared/dirs.js';
import { digestRecords } from './digest.js';
import { findDamage, freshManifest, type LedgerDamage, type Manifest, type ManifestDay, ManifestSchema, mergeManifest } from './manifest.js';
import { type LedgerRecord, LedgerRecordSchema, partitionOf, utcDate, type WeightedRecord, WeightedRecordSchema } from './record.js';

export const PARTITION_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

interface Partition {
  records: LedgerRecord[];
  keys: Set<string>;
  /** Unreadable lines (a disk fault or hand edit): skipped, and reported by `corruptLines`. */
  corrupt: number;
  /** Lines with figures no real call has (written by an older version): skipped, reported by `implausibleLines`. */
  implausible: number;
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
    const part: Partition = { records: [], keys: new Set(), corrupt: 0, implausible: 0 };
    let text = '';
    try {
      text = await readFile(this.fileOf(day), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
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
      if (!plausibleCall(rec)) {
        part.implausible++;
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
    const grown: string[] = [];
    if (byDay.size > 0) await ensureDir(this.dir);
    for (const [day, list] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
      const t = Date.parse(day);
      const [before, part, after] = await Promise.all([utcDate(t - DAY_MS), day, utcDate(t + DAY_MS)].map((d) => this.load(d)));
      const fresh: LedgerRecord[] = [];
      for (const r of list) {
        const key = callKey(r);
        if (part?.keys.has(key) || before?.keys.has(key) || after?.keys.has(key)) continue;
        // A copy made days later (a fork of an old session) lands far from the original: look around its message time.
        if (await this.heldNearMessageTime(r, key, day)) continue;
        part?.keys.add(key);
        fresh.push(r);
      }
      if (fresh.length === 0 || !part) continue;
      await this.append(day, fresh);
      part.records.push(...fresh);
      added.push(...fresh);
      grown.push(day);
    }
    if (grown.length > 0) await this.noteGrowth(grown);
    return added;
  }

  /** Beside the ledger: what it has held (see manifest.ts). */
  get manifestPath(): string {
    return join(dirname(this.dir), 'ledger-manifest.json');
  }

  private async readManifest(): Promise<Manifest | undefined> {
    try {
      return ManifestSchema.parse(JSON.parse(await readFile(this.manifestPath, 'utf8')));
    } catch {
      return undefined; // missing (a ledger from before manifests, or none yet) or unreadable: rebuilt from the files
    }
  }

  private async writeManifest(m: Manifest): Promise<void> {
    await writeFileAtomic(this.manifestPath, `${JSON.stringify(m)}\n`, 0o600);
  }

  private async dayFacts(day: string): Promise<ManifestDay | undefined> {
    const size = await stat(this.fileOf(day)).then((st) => st.size, () => undefined);
    return size === undefined ? undefined : { bytes: size, lines: (await this.load(day)).records.length };
  }

  /** After appends: the manifest learns the new sizes and counts (first time: of every day file there is). */
  private async noteGrowth(days: readonly string[]): Promise<void> {
    const old = await this.readManifest();
    const next = old ?? freshManifest();
    for (const day of old ? days : await this.days()) {
      const facts = await this.dayFacts(day);
      if (facts) next.days[day] = facts;
    }
    // Re-read just before writing: another process (an import) may have appended meanwhile; both fields only grow.
    const merged = mergeManifest((await this.readManifest()) ?? freshManifest(), next);
    for (const day of days) {
      const d = merged.days[day];
      const present = next.days[day]?.lines ?? 0;
      if (d?.lost !== undefined) merged.days[day] = { bytes: d.bytes, lines: d.lines, ...(d.lines > present ? { lost: d.lines - present } : {}) };
    }
    await this.writeManifest(merged);
  }

  /**
   * Write the manifest from the day files as they are, if there is none yet (a ledger from before manifests, or a
   * state dir that has recorded nothing). Returns whether one was there already.
   */
  async ensureManifest(): Promise<boolean> {
    if (await this.readManifest()) return true;
    const m = freshManifest();
    for (const day of await this.days()) {
      const facts = await this.dayFacts(day);
      if (facts) m.days[day] = facts;
    }
    await this.writeManifest(m);
    return false;
  }

  /** Day files that are gone or shorter than the manifest says (deleted, truncated, an old backup restored). */
  async damage(): Promise<LedgerDamage[]> {
    const m = await this.readManifest();
    if (!m) return [];
    // One stat per day file, all at once: the only cost this check adds to a tick.
    const days = Object.keys(m.days);
    const sizes = await Promise.all(days.map((day) => stat(this.fileOf(day)).then((st) => st.size, () => undefined)));
    return findDamage(m, new Map(days.map((day, i) => [day, sizes[i]])));
  }

  /**
   * After re-reading what the sources still hold: accept the damaged days as they now are, and keep how many
   * calls each lost for good (by day). Call with the lock held (it lowers recorded sizes).
   */
  async settleDamage(damage: readonly LedgerDamage[]): Promise<Record<string, number>> {
    const m = (await this.readManifest()) ?? freshManifest();
    const lost: Record<string, number> = {};
    for (const d of damage) {
      this.cache.delete(d.day);
      const facts = (await this.dayFacts(d.day)) ?? { bytes: 0, lines: 0 };
      const expected = Math.max(d.expected, m.days[d.day]?.lines ?? 0);
      lost[d.day] = Math.max(0, expected - facts.lines);
      m.days[d.day] = { bytes: facts.bytes, lines: expected, ...(lost[d.day] ? { lost: lost[d.day] } : {}) };
    }
    await this.writeManifest(m);
    return lost;
  }

  /** Calls lost for good (as of the last recovery) by UTC day. */
  async lostCalls(): Promise<Record<string, number>> {
    const m = await this.readManifest();
    return Object.fromEntries(Object.entries(m?.days ?? {}).flatMap(([day, d]) => (d.lost ? [[day, d.lost]] : [])));
  }

  /** The manifest as recorded (for `ledger verify`). */
  async manifest(): Promise<Manifest | undefined> {
    return this.readManifest();
  }

  /** The days around a record's message time (where its original is), other than `day` and its neighbours. */
  private messageDays(r: LedgerRecord, day: string): string[] {
    const m = Date.parse(utcDate(r.msgTs));
    if (!Number.isFinite(m)) return [];
    const t = Date.parse(day);
    return [m - DAY_MS, m, m + DAY_MS].filter((d) => Math.abs(d - t) > DAY_MS).map(utcDate);
  }

  private async heldNearMessageTime(r: LedgerRecord, key: string, day: string): Promise<boolean> {
    for (const d of this.messageDays(r, day)) if ((await this.load(d)).keys.has(key)) return true;
    return false;
  }

  /**
   * A partition's calls minus the copies of calls an earlier day file already holds (the day before, and the days
   * around each call's message time, where an original lives): every reader counts a call once, as `ledger verify`
   * defines a duplicate (the earliest day file's copy counts).
   */
  private async countable(day: string): Promise<LedgerRecord[]> {
    const part = await this.load(day);
    const earlier = new Set<string>([utcDate(Date.parse(day) - DAY_MS)]);
    for (const r of part.records) for (const d of this.messageDays(r, day)) if (d < day) earlier.add(d);
    const others = await Promise.all([...earlier].map((d) => this.load(d)));
    if (others.every((p) => p.records.length === 0)) return part.records;
    return part.records.filter((r) => {
      const key = callKey(r);
      return !others.some((p) => p.keys.has(key));
    });
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

  /** Calls whose instant lies in [from, to). Reads only the partitions that range touches. */
  async between(from: number, to: number): Promise<LedgerRecord[]> {
    const out: LedgerRecord[] = [];
    for (let day = utcDate(from); day <= utcDate(to - 1); day = utcDate(Date.parse(day) + DAY_MS)) {
      for (const r of await this.countable(day)) if (r.at >= from && r.at < to) out.push(r);
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
        for (const r of await this.countable(day)) if (r.at >= from && r.at < to) out.push(r);
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
    // The day before counts too: a copy there of one of this day's calls removes it from this day (countable()).
    const before = await stat(this.fileOf(utcDate(Date.parse(day) - DAY_MS))).then((b) => `${b.size}:${b.mtimeMs}`, () => '-');
    const signature = `${st.size}:${st.mtimeMs}:${before}`;
    const path = join(this.dir, '.digest', `${day}.json`);
    try {
      const cached = JSON.parse(await readFile(path, 'utf8')) as { signature?: unknown; records?: unknown };
      if (cached.signature === signature) return WeightedRecordSchema.array().parse(cached.records);
    } catch {
      // missing or unreadable: rebuilt below
    }
    const records = digestRecords(await this.countable(day));
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

  /** Implausible ledger lines met so far in this run (the parsers' own bound, see plausible.ts). */
  get implausibleLines(): number {
    let n = 0;
    for (const p of this.cache.values()) n += p.implausible;
    return n;
  }

  /** Unreadable ledger lines met so far in this run. */
  get corruptLines(): number {
    let n = 0;
    for (const p of this.cache.values()) n += p.corrupt;
    return n;
  }
}
