// The ledger: append-only JSONL, one file per UTC day of the calls' message time, under <state>/ledger/.
import {
  appendFileSync,
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DAY_MS } from '../budget/day.js';
import { writeFileAtomic } from '../shared/atomic-write.js';
import { ensureDir } from '../shared/dirs.js';
import { byCodeUnit } from '../shared/strings.js';
import { callKey } from '../transcripts/call.js';
import { isLogFile } from '../transcripts/logs.js';
import { plausibleCall } from '../transcripts/plausible.js';
import { DayDigest, type DayDigestJson, type Group, type Tally } from './day-digest.js';
import {
  findDamage,
  freshManifest,
  type LedgerDamage,
  type Manifest,
  type ManifestDay,
  ManifestSchema,
  mergeManifest,
} from './manifest.js';
import { type LedgerRecord, LedgerRecordSchema, partitionOf, utcDate } from './record.js';

export const PARTITION_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

interface Partition {
  records: LedgerRecord[];
  keys: Set<string>;
  /** Unreadable lines (a disk fault or hand edit): skipped, and reported by `corruptLines`. */
  corrupt: number;
  /** Lines with figures no real call has (written by an older version): skipped, reported by `implausibleLines`. */
  implausible: number;
  /** Size of the file when read (its characters: ledger lines are ASCII JSON), for progress. */
  bytes: number;
}

/** Up to this many new calls for a day, dedupe searches the call lists for their msgTs instead of loading every key. */
const FEW_CALLS = 256;

/** Digests of the day files, beside them: a cache, checked on every read and rebuilt from the ledger. */
export const DIGEST_DIR = '.digest';

export class Ledger {
  private readonly cache = new Map<string, Partition>();
  private readonly digests = new Map<string, DayDigest>();
  /** Call lists read (or written) in this run, by day. */
  private readonly calls = new Map<string, string>();
  private readonly keys = new Map<string, Set<string>>();
  /** Day files appended to without an fsync yet (see sync()). */
  private readonly unsynced = new Set<string>();

  constructor(readonly dir: string) {}

  private fileOf(day: string): string {
    return join(this.dir, `${day}.jsonl`);
  }

  private async load(day: string): Promise<Partition> {
    const cached = this.cache.get(day);
    if (cached) return cached;
    const part: Partition = { records: [], keys: new Set(), corrupt: 0, implausible: 0, bytes: 0 };
    let text = '';
    try {
      text = readFileSync(this.fileOf(day), 'utf8');
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
   * own partition and the days either side: copies keep the original's times, give or take a rewrite. Each day
   * file is appended and synced (or synced later by sync(), with `deferSync`), then its digest brought up to date.
   */
  async add(records: readonly LedgerRecord[], opts: { deferSync?: boolean } = {}): Promise<LedgerRecord[]> {
    const byDay = new Map<string, LedgerRecord[]>();
    for (const r of records) {
      const day = partitionOf(r);
      let list = byDay.get(day);
      if (!list) byDay.set(day, (list = []));
      list.push(r);
    }
    const added: LedgerRecord[] = [];
    const grown: string[] = [];
    if (byDay.size > 0) ensureDir(this.dir);
    for (const [day, list] of [...byDay].sort(([a], [b]) => byCodeUnit(a, b))) {
      const t = Date.parse(day);
      const days = [utcDate(t - DAY_MS), day, utcDate(t + DAY_MS)];
      // Many calls (a first run): every key of the three days, kept for the run. A few (a tick): only the keys of
      // the call-list lines sharing a new call's msgTs, found by searching the lists, so a tick's dedupe does not
      // grow with the day.
      const msgTs = list.length > FEW_CALLS ? undefined : new Set(list.map((r) => r.msgTs));
      const known = await Promise.all(days.map((d) => this.keysOf(d, msgTs)));
      const seen = new Set<string>();
      const fresh: LedgerRecord[] = [];
      for (const r of list) {
        const key = callKey(r);
        if (seen.has(key) || known.some((k) => k.has(key))) continue;
        // A copy made days later (a fork of an old session) lands far from the original: look around its message time.
        if (await this.heldNearMessageTime(r, key, day)) continue;
        seen.add(key);
        this.keys.get(day)?.add(key);
        fresh.push(r);
      }
      if (fresh.length === 0) continue;
      await this.append(day, fresh, opts.deferSync === true);
      // Not push(...fresh): a day of a few hundred thousand calls would overflow the call stack.
      const cached = this.cache.get(day);
      for (const r of fresh) {
        cached?.records.push(r);
        added.push(r);
      }
      grown.push(day);
    }
    if (grown.length > 0) await this.noteGrowth(grown);
    return added;
  }

  /** The days around a record's message time (where its original is), other than `day` and its neighbours. */
  private messageDays(r: LedgerRecord, day: string): string[] {
    const t = Date.parse(day);
    if (r.msgTs >= t && r.msgTs < t + DAY_MS) return []; // the usual case: its message day is this day
    const m = Date.parse(utcDate(r.msgTs));
    if (!Number.isFinite(m)) return [];
    return [m - DAY_MS, m, m + DAY_MS].filter((d) => Math.abs(d - t) > DAY_MS).map(utcDate);
  }

  private async heldNearMessageTime(r: LedgerRecord, key: string, day: string): Promise<boolean> {
    for (const d of this.messageDays(r, day)) if ((await this.keysOf(d, new Set([r.msgTs]))).has(key)) return true;
    return false;
  }

  /**
   * A partition's calls minus the copies of calls an earlier day file already holds (the day before, and the days
   * around each call's message time, where an original lives): every reader counts a call once, as `ledger verify`
   * defines a duplicate (the earliest day file's copy counts). Digests are built from these.
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

  /** Beside the ledger: what it has held (see manifest.ts). */
  get manifestPath(): string {
    return join(dirname(this.dir), 'ledger-manifest.json');
  }

  private readManifest(): Manifest | undefined {
    try {
      return ManifestSchema.parse(JSON.parse(readFileSync(this.manifestPath, 'utf8')));
    } catch {
      return undefined; // missing (a ledger from before manifests, or none yet) or unreadable: rebuilt from the files
    }
  }

  private async writeManifest(m: Manifest): Promise<void> {
    await writeFileAtomic(this.manifestPath, `${JSON.stringify(m)}\n`, 0o600);
  }

  /** A day file's size and calls, from its digest: a tick never parses a whole day file for the manifest. */
  private async dayFacts(day: string): Promise<ManifestDay | undefined> {
    const st = statSync(this.fileOf(day), { throwIfNoEntry: false });
    return st ? { bytes: st.size, lines: (await this.digestOf(day)).callCount } : undefined;
  }

  /** After appends: the manifest learns the new sizes and counts (first time: of every day file there is). */
  private async noteGrowth(days: readonly string[]): Promise<void> {
    const old = this.readManifest();
    const next = old ?? freshManifest();
    for (const day of old ? days : await this.days()) {
      const facts = await this.dayFacts(day);
      if (facts) next.days[day] = facts;
    }
    // Re-read just before writing: another process (an import) may have appended meanwhile; both fields only grow.
    const merged = mergeManifest(this.readManifest() ?? freshManifest(), next);
    for (const day of days) {
      const d = merged.days[day];
      const present = next.days[day]?.lines ?? 0;
      if (d?.lost !== undefined)
        merged.days[day] = {
          bytes: d.bytes,
          lines: d.lines,
          ...(d.lines > present ? { lost: d.lines - present } : {}),
        };
    }
    await this.writeManifest(merged);
  }

  /**
   * Write the manifest from the day files as they are, if there is none yet (a ledger from before manifests, or a
   * state dir that has recorded nothing). Returns whether one was there already.
   */
  async ensureManifest(): Promise<boolean> {
    if (this.readManifest()) return true;
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
    const m = this.readManifest();
    if (!m) return [];
    // One stat per day file: the only cost this check adds to a tick.
    const sizes = new Map(
      Object.keys(m.days).map((day) => [day, statSync(this.fileOf(day), { throwIfNoEntry: false })?.size]),
    );
    return findDamage(m, sizes);
  }

  /**
   * After re-reading what the sources still hold: accept the damaged days as they now are, and keep how many
   * calls each lost for good (by day). Call with the lock held (it lowers recorded sizes).
   */
  async settleDamage(damage: readonly LedgerDamage[]): Promise<Record<string, number>> {
    const m = this.readManifest() ?? freshManifest();
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
  lostCalls(): Record<string, number> {
    const m = this.readManifest();
    return Object.fromEntries(Object.entries(m?.days ?? {}).flatMap(([day, d]) => (d.lost ? [[day, d.lost]] : [])));
  }

  /** The manifest as recorded (for `ledger verify`). */
  manifest(): Manifest | undefined {
    return this.readManifest();
  }

  /** Make every append deferred by `add(..., { deferSync: true })` durable: call it before writing cursors. */
  async sync(): Promise<void> {
    for (const path of this.unsynced) {
      const fd = openSync(path, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.unsynced.delete(path);
    }
  }

  // The ledger's file calls are synchronous: a run has nothing to overlap them with, and on a busy host each
  // thread-pool round trip of an async call waits longer than the call itself.
  private async append(day: string, recs: LedgerRecord[], deferSync: boolean): Promise<void> {
    const path = this.fileOf(day);
    const digest = await this.digestWithHours(day);
    const fd = openSync(path, 'a+');
    let current = false;
    try {
      let { size } = fstatSync(fd);
      current = size === digest.size;
      if (size > 0) {
        // Drop a partial line left by a killed run, so the new lines start clean.
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) {
          const text = readFileSync(path, 'utf8');
          size = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1));
          truncateSync(path, size);
        }
      }
      writeFileSync(fd, recs.map((r) => `${JSON.stringify(r)}\n`).join(''));
      if (deferSync) this.unsynced.add(path);
      else fsyncSync(fd);
      const st = fstatSync(fd);
      // The digest follows the file only from the state it describes; otherwise the next reader rebuilds it.
      if (current) {
        for (const r of recs) digest.add(r, isLogFile(r.file));
        digest.size = st.size;
        digest.mtimeMs = st.mtimeMs;
      }
    } finally {
      closeSync(fd);
    }
    if (current) this.saveDigest(day, digest);
    else this.dropDigest(day);
  }

  private digestPaths(day: string): { json: string; hours: string; calls: string } {
    const dir = join(this.dir, DIGEST_DIR);
    return { json: join(dir, `${day}.json`), hours: join(dir, `${day}.hours.json`), calls: join(dir, `${day}.calls`) };
  }

  /**
   * The day's digest, checked against its day file (size and mtime) and call list (size); rebuilt from the day
   * file when anything differs (a run killed between the ledger and the digest, a hand edit, an older version).
   * Only its whole-day sums are read here: its hours come with digestWithHours.
   */
  private async digestOf(day: string): Promise<DayDigest> {
    const cached = this.digests.get(day);
    if (cached) return cached;
    const start = Date.parse(day);
    const paths = this.digestPaths(day);
    const st = statSync(this.fileOf(day), { throwIfNoEntry: false });
    let digest: DayDigest | undefined;
    if (!st) {
      digest = new DayDigest(start, 0, 0, 0, 0);
      this.calls.set(day, '');
    } else {
      try {
        const j = JSON.parse(readFileSync(paths.json, 'utf8')) as DayDigestJson;
        const callsSize = statSync(paths.calls).size;
        if (j.version === 5 && j.size === st.size && j.mtimeMs === st.mtimeMs && j.callsSize === callsSize)
          digest = DayDigest.fromJson(start, j);
      } catch {
        // missing or unreadable: rebuilt below
      }
    }
    digest ??= await this.rebuildDigest(day, st as { size: number; mtimeMs: number });
    this.digests.set(day, digest);
    return digest;
  }

  /** The day's digest with its per-hour buckets (rebuilt when they do not match the summary). */
  private async digestWithHours(day: string): Promise<DayDigest> {
    const digest = await this.digestOf(day);
    if (digest.hasHours) return digest;
    try {
      const bytes = readFileSync(this.digestPaths(day).hours);
      if (bytes.length === digest.hoursSize) {
        digest.setHours(JSON.parse(bytes.toString('utf8')));
        return digest;
      }
    } catch {
      // missing or unreadable: rebuilt below
    }
    const st = statSync(this.fileOf(day));
    const rebuilt = await this.rebuildDigest(day, st);
    this.digests.set(day, rebuilt);
    return rebuilt;
  }

  private async rebuildDigest(day: string, st: { size: number; mtimeMs: number }): Promise<DayDigest> {
    const part = await this.load(day);
    const digest = new DayDigest(Date.parse(day), st.size, st.mtimeMs, 0, part.corrupt);
    for (const r of await this.countable(day)) digest.add(r, isLogFile(r.file));
    this.calls.set(day, '');
    this.saveDigest(day, digest, true);
    return digest;
  }

  /** Write the digest's new call-list lines and then its summary (a cache: a failed write costs a rebuild). */
  private saveDigest(day: string, digest: DayDigest, rewrite = false): void {
    const paths = this.digestPaths(day);
    const lines = digest.pending;
    const callsSize = (rewrite ? 0 : digest.callsSize) + lines.length; // ASCII: length = bytes
    try {
      mkdirSync(join(this.dir, DIGEST_DIR), { recursive: true });
      if (rewrite) writeFileSync(paths.calls, lines);
      else if (lines) appendFileSync(paths.calls, lines);
      digest.callsSize = callsSize;
      // Hours first, then the summary that records their size: a run killed between the two leaves a summary that
      // does not match its hours, and the day is rebuilt when they are next needed.
      const hours = digest.hoursJson();
      if (hours !== undefined) {
        const tmp = `${paths.hours}.${process.pid}.tmp`;
        writeFileSync(tmp, hours);
        renameSync(tmp, paths.hours);
        digest.hoursSize = Buffer.byteLength(hours);
      }
      const tmp = `${paths.json}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(digest.toJson(digest.hoursSize)));
      renameSync(tmp, paths.json);
    } catch {
      // Unwritable: the next run rebuilds from the ledger; this one goes on with what it holds in memory, or, without
      // the call list in memory, rebuilds the day from the ledger when it next needs it.
      try {
        unlinkSync(paths.json);
      } catch {
        // not there
      }
      if (!this.calls.has(day)) {
        this.digests.delete(day);
        this.keys.delete(day);
      }
    }
    const known = this.calls.get(day);
    if (known !== undefined) this.calls.set(day, known + lines);
    digest.callsSize = callsSize; // also when only in memory: the spans count from it
    digest.pending = '';
  }

  private dropDigest(day: string): void {
    this.digests.delete(day);
    this.calls.delete(day);
    this.keys.delete(day);
    try {
      unlinkSync(this.digestPaths(day).json);
    } catch {
      // not there
    }
  }

  /** The day's call list (read once per run). */
  private async callsOf(day: string): Promise<string> {
    await this.digestOf(day);
    let text = this.calls.get(day);
    if (text === undefined) {
      try {
        text = readFileSync(this.digestPaths(day).calls, 'utf8');
      } catch {
        text = '';
      }
      this.calls.set(day, text);
    }
    return text;
  }

  /** The lines of the day's call list in `ranges` (byte offsets), from memory when it is there, else from disk. */
  private async callsIn(day: string, ranges: readonly [number, number][]): Promise<string> {
    const known = this.calls.get(day);
    if (known !== undefined) return ranges.map(([a, b]) => known.slice(a, b)).join('');
    let fd: number;
    try {
      fd = openSync(this.digestPaths(day).calls, 'r');
    } catch {
      return this.callsOf(day); // gone since the digest was checked: the whole list, or none
    }
    try {
      return ranges
        .map(([a, b]) => {
          const buf = Buffer.allocUnsafe(b - a);
          return buf.toString('latin1', 0, readSync(fd, buf, 0, b - a, a));
        })
        .join('');
    } finally {
      closeSync(fd);
    }
  }

  /** The day's dedupe keys: all of them (cached), or those of calls with one of `msgTs` when that is given. */
  private async keysOf(day: string, msgTs?: ReadonlySet<number>): Promise<Set<string>> {
    let keys = this.keys.get(day);
    if (keys) return keys;
    const digest = await this.digestOf(day);
    if (msgTs) return digest.keysWithMsgTs(await this.callsOf(day), msgTs);
    keys = digest.keys(await this.callsOf(day));
    this.keys.set(day, keys);
    return keys;
  }

  /**
   * Calls whose instant lies in [from, to). Reads only the partitions that range touches; `onProgress` hears of each
   * (day files, bytes, calls) for a progress line over long history.
   */
  async between(
    from: number,
    to: number,
    onProgress?: (delta: { filesTotal?: number; files?: number; bytes?: number; calls?: number }) => void,
  ): Promise<LedgerRecord[]> {
    const out: LedgerRecord[] = [];
    const first = utcDate(from);
    const last = utcDate(to - 1);
    onProgress?.({ filesTotal: Math.round((Date.parse(last) - Date.parse(first)) / DAY_MS) + 1 });
    for (let day = first; day <= last; day = utcDate(Date.parse(day) + DAY_MS)) {
      const part = await this.load(day);
      const before = out.length;
      for (const r of await this.countable(day)) if (r.at >= from && r.at < to) out.push(r);
      onProgress?.({ files: 1, bytes: part.bytes, calls: out.length - before });
    }
    return out;
  }

  /**
   * What the calls in [from, to) add up to, as tallies (src/ledger/day-digest.ts): whole days as digest sums, cut days
   * summed per side of `cuts` from their hours' buckets and, in the hours a cut falls inside, their calls (read one
   * by one from the call list; DayDigest.cutHours; from and to are cuts too).
   * So a tick's figures cost a few small files and a few hours' calls, however many calls the day and month hold.
   */
  async tallies(
    from: number,
    to: number,
    cuts: { from: readonly number[]; after: readonly number[] },
    /** A model priced by the time of day on the day starting at `dayStart`: the hours its price changes inside. */
    priceTimeOfDay: (provider: string, model: string, dayStart: number) => ReadonlySet<number> | undefined = () =>
      undefined,
  ): Promise<Tally[]> {
    const out: Tally[] = [];
    const fromCuts = [...cuts.from, from, to];
    for (let day = utcDate(from); day <= utcDate(to - 1); day = utcDate(Date.parse(day) + DAY_MS)) {
      let digest = await this.digestOf(day);
      const cut = digest.cutHours(fromCuts, cuts.after);
      const dayStart = Date.parse(day);
      const timeOfDay = (g: Group) => priceTimeOfDay(g[1], g[2], dayStart);
      const whole = digest.readWhole(from, to, cut);
      if (!whole || digest.timeOfDayIn(timeOfDay)) digest = await this.digestWithHours(day);
      const hours = digest.callHours(whole, cut, timeOfDay);
      const calls =
        hours.size > 0 && digest.hasCallsIn(hours) ? await this.callsIn(day, digest.rangesOf(hours)) : undefined;
      digest.tallies(from, to, cut, calls, { cuts, timeOfDay }, out);
    }
    return out;
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

  /** Unreadable ledger lines met so far in this run (in the days read, or known from their digests). */
  get corruptLines(): number {
    let n = 0;
    for (const p of this.cache.values()) n += p.corrupt;
    for (const [day, d] of this.digests) if (!this.cache.has(day)) n += d.corrupt;
    return n;
  }
}
