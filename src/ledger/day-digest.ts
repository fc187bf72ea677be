// One UTC day of the ledger, folded so that a tick's figures cost the same at 10 calls a day as at 10,000. Pure.
//
// Per (gateway, provider, model, raw model, log or transcript) "group" and per hour, the calls' token sums,
// OpenClaw's costs (those above 0 apart: the pricing modes only ask whether it is above 0) and the earliest instant.
// Prices are linear in tokens between long-context tier starts, so calls are also kept apart by the band their
// prompt falls in (src/pricing/rate.ts promptBand; a bucket is priced at its average prompt), and failed requests
// (no tokens, no cost) apart from billed calls: a bucket then prices and counts like the calls it holds. A question that cuts an hour (the last
// 60 minutes, a window's start, a local day that does not start on the hour) takes that hour's calls one by one from
// the compact call list beside the digest; the same list gives the dedupe keys when calls are added.
import { promptBand, TIER_STARTS } from '../pricing/rate.js';
import { callKey } from '../transcripts/call.js';
import type { LedgerRecord } from './record.js';
import { isFailed } from './totals.js';

const HOUR = 3_600_000;

/**
 * Bit 0: OpenClaw priced the calls (cost above 0); above it: 0 for failed requests, else 1 + the prompt's band.
 * Calls of one group and kind price alike per token (see the top of this file), so they can be summed.
 */
export function kindOf(
  t: Pick<LedgerRecord, 'input' | 'output' | 'cacheRead' | 'cacheWrite'>,
  cost: number | null,
): number {
  const priced = cost !== null && cost > 0 ? 1 : 0;
  return priced | ((isFailed(t, cost) ? 0 : promptBand(t) + 1) << 1);
}
const KINDS = (TIER_STARTS.length + 2) << 1;

/** `b` (a bucket or one call) added to the sum under `key`: group `g`, no hour (-1), `kind`, the earliest instant. */
function sumInto(sums: Map<number, Bucket>, key: number, g: number, kind: number, at: number, b: Readonly<Bucket>) {
  const s = sums.get(key);
  if (!s) {
    sums.set(key, [g, -1, kind, b[3], b[4], b[5], b[6], b[7], b[8], at]);
    return;
  }
  s[3] += b[3];
  s[4] += b[4];
  s[5] += b[5];
  s[6] += b[6];
  s[7] += b[7];
  s[8] += b[8];
  if (at < s[9]) s[9] = at;
}

/**
 * How many of `cuts` an instant lies after (`at >= x` for `from` cuts, `at > x` for `after` cuts): two instants with
 * the same count lie on the same side of every cut, so no figure bounded by the cuts tells their calls apart.
 */
export function cutSide(cuts: { from: readonly number[]; after: readonly number[] }, at: number): number {
  let side = 0;
  for (let i = 0; i < cuts.from.length; i++) if (at >= (cuts.from[i] as number)) side++;
  for (let i = 0; i < cuts.after.length; i++) if (at > (cuts.after[i] as number)) side++;
  return side;
}

/** What a bucket, or one call, contributes to totals: a call or `weight` calls folded together. */
export interface Tally {
  gateway: string;
  provider: string;
  model: string;
  rawModel: string;
  /** Read from the gateway's log files rather than its transcripts (see preferTranscripts). */
  log: boolean;
  /** The instant; for a bucket, its earliest call's. */
  at: number;
  weight: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** OpenClaw's cost when above 0 (summed for a bucket), else null. */
  transcriptCostUsd: number | null;
}

/** [gateway, provider, model, rawModel, log 0|1] */
export type Group = [string, string, string, string, number];

/**
 * For a group whose price changes within the day (by the time of day), the hours (0-23) in which it changes off
 * the hour (none: it changes only on the hour); undefined for a price that holds all day.
 */
export type TimeOfDay = (g: Group) => ReadonlySet<number> | undefined;
/** [group, hour 0-23, kind (see kindOf), weight, input, output, cacheRead, cacheWrite, transcript cost sum, earliest at] */
type Bucket = [number, number, number, number, number, number, number, number, number, number];

export interface DayDigestJson {
  version: 5;
  /** The day file this describes (size and mtime) and the call list's size: anything else and both are rebuilt. */
  size: number;
  mtimeMs: number;
  callsSize: number;
  /** Unreadable lines in the day file. */
  corrupt: number;
  groups: Group[];
  /** The buckets summed over the day (hour -1): all that a day no question cuts needs, so all most reads load. */
  whole: Bucket[];
  /** Byte length of the per-hour buckets' file this was written with (read only for a day a question cuts). */
  hoursSize: number;
  /** Per hour 0-23, the byte range [start, end) of the call list that holds all its lines; null: none. */
  spans: Span[];
}

type Span = [number, number] | null;

/** One line of the call list: hour, group, at, msgTs, input, output, cacheRead, cacheWrite, transcript cost or ''. */
function callLine(hour: number, group: number, r: LedgerRecord): string {
  return `${hour}\t${group}\t${r.at}\t${r.msgTs}\t${r.input}\t${r.output}\t${r.cacheRead}\t${r.cacheWrite}\t${r.transcriptCostUsd ?? ''}\n`;
}

export class DayDigest {
  private readonly groups: Group[];
  private readonly groupIndex = new Map<string, number>();
  /** Per (group, hour, kind); loaded only when needed (setHours): a day read whole needs only `whole`. */
  private buckets: Bucket[] | undefined;
  private readonly bucketIndex = new Map<string, Bucket>();
  /** Buckets summed over the whole day (hour -1): as stored, or summed from `buckets` after a change. */
  private whole: Bucket[] | undefined;
  /** Call-list lines added since the digest was last saved. */
  pending = '';
  /** Per hour, where its lines lie in the call list (see DayDigestJson.spans). */
  private readonly spans: Span[];

  constructor(
    /** Start of the UTC day, epoch ms. */
    readonly dayStart: number,
    public size: number,
    public mtimeMs: number,
    public callsSize: number,
    public corrupt: number,
    groups: Group[] = [],
    /** The hours, or null when only the whole day's sums are at hand (`whole`). */
    buckets: Bucket[] | null = [],
    whole?: Bucket[],
    /** The byte length of the hours' file, as the stored summary recorded it. */
    public hoursSize = 0,
    spans: Span[] = [],
  ) {
    this.spans = Array.from({ length: 24 }, (_, h) => spans[h] ?? null);
    this.groups = groups;
    for (const [i, g] of groups.entries()) this.groupIndex.set(g.join('\t'), i);
    this.whole = whole;
    if (buckets) this.setHours(buckets);
  }

  /** Whether the per-hour buckets are loaded (add, hasCallsIn and a cut day's tallies need them). */
  get hasHours(): boolean {
    return this.buckets !== undefined;
  }

  setHours(buckets: Bucket[]): void {
    this.buckets = buckets;
    this.bucketIndex.clear();
    for (const b of buckets) this.bucketIndex.set(`${b[0]}\t${b[1]}\t${b[2]}`, b);
  }

  private hours(): Bucket[] {
    if (!this.buckets) throw new Error(`ledger digest of ${new Date(this.dayStart).toISOString()}: hours not loaded`);
    return this.buckets;
  }

  /** How many calls the day holds (what the ledger manifest records, without reading the day file). */
  get callCount(): number {
    return this.wholeDay().reduce((n, b) => n + b[3], 0);
  }

  /** A stored summary without its hours; setHours adds them when a question needs them. */
  static fromJson(dayStart: number, j: DayDigestJson): DayDigest {
    return new DayDigest(
      dayStart,
      j.size,
      j.mtimeMs,
      j.callsSize,
      j.corrupt,
      j.groups,
      null,
      j.whole,
      j.hoursSize,
      j.spans,
    );
  }

  /** The summary, written after the hours' file (`hoursJson`) of `hoursSize` bytes. */
  toJson(hoursSize: number): DayDigestJson {
    return {
      version: 5,
      size: this.size,
      mtimeMs: this.mtimeMs,
      callsSize: this.callsSize,
      corrupt: this.corrupt,
      groups: this.groups,
      whole: this.wholeDay(),
      hoursSize,
      spans: this.spans,
    };
  }

  /** The per-hour buckets as stored beside the summary; undefined when they were never loaded (nothing changed). */
  hoursJson(): string | undefined {
    return this.buckets && JSON.stringify(this.buckets);
  }

  /** Fold a record in; its call-list line is left in `pending`. */
  add(r: LedgerRecord, log: boolean): void {
    const gkey = `${r.gateway}\t${r.provider}\t${r.model}\t${r.rawModel}\t${log ? 1 : 0}`;
    let g = this.groupIndex.get(gkey);
    if (g === undefined) {
      g = this.groups.length;
      this.groups.push([r.gateway, r.provider, r.model, r.rawModel, log ? 1 : 0]);
      this.groupIndex.set(gkey, g);
    }
    const hour = Math.min(23, Math.max(0, Math.floor((r.at - this.dayStart) / HOUR)));
    const priced = r.transcriptCostUsd !== null && r.transcriptCostUsd > 0 ? 1 : 0;
    const kind = kindOf(r, r.transcriptCostUsd);
    const bkey = `${g}\t${hour}\t${kind}`;
    const buckets = this.hours();
    const b = this.bucketIndex.get(bkey);
    if (!b) {
      const nb: Bucket = [
        g,
        hour,
        kind,
        1,
        r.input,
        r.output,
        r.cacheRead,
        r.cacheWrite,
        priced ? (r.transcriptCostUsd as number) : 0,
        r.at,
      ];
      buckets.push(nb);
      this.bucketIndex.set(bkey, nb);
    } else {
      b[3] += 1;
      b[4] += r.input;
      b[5] += r.output;
      b[6] += r.cacheRead;
      b[7] += r.cacheWrite;
      if (priced) b[8] += r.transcriptCostUsd as number;
      if (r.at < b[9]) b[9] = r.at;
    }
    const line = callLine(hour, g, r);
    // callsSize counts the lines saved, pending those not yet: the line's bytes in the list (ASCII: length = bytes).
    const start = this.callsSize + this.pending.length;
    const span = this.spans[hour];
    if (!span) this.spans[hour] = [start, start + line.length];
    else span[1] = start + line.length;
    this.pending += line;
    this.whole = undefined;
  }

  /** Buckets summed over the whole day (hour -1), for days no question cuts. */
  private wholeDay(): Bucket[] {
    if (this.whole) return this.whole;
    const sums = new Map<number, Bucket>();
    for (const b of this.hours()) sumInto(sums, b[0] * KINDS + b[2], b[0], b[2], b[9], b);
    this.whole = [...sums.values()];
    return this.whole;
  }

  /** The byte ranges of the call list that hold every line of `hours`, merged and in order. */
  rangesOf(hours: Iterable<number>): [number, number][] {
    const spans = [...hours].flatMap((h) => {
      const s = this.spans[h];
      return s ? [[s[0], s[1]] as [number, number]] : [];
    });
    spans.sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    for (const s of spans) {
      const last = out[out.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else out.push(s);
    }
    return out;
  }

  /** Some call of the day lies in one of `hours`: its call list is needed. */
  hasCallsIn(hours: ReadonlySet<number>): boolean {
    return this.hours().some((b) => hours.has(b[1]));
  }

  /**
   * Hours (0-23) of this day whose calls must be taken one by one: those a cut falls inside. `from` cuts split
   * `at < x` from `at >= x`, so one on the hour cuts nothing; `after` cuts split `at <= x` from `at > x`.
   */
  cutHours(from: readonly number[], after: readonly number[]): { hours: Set<number>; whole: boolean } {
    const hours = new Set<number>();
    const end = this.dayStart + 24 * HOUR;
    let whole = true;
    for (const x of from) {
      if (x <= this.dayStart || x >= end) continue;
      whole = false; // even on the hour: the day's hours then fall on both sides
      if ((x - this.dayStart) % HOUR !== 0) hours.add(Math.floor((x - this.dayStart) / HOUR));
    }
    for (const x of after) {
      if (x < this.dayStart || x >= end) continue;
      whole = false;
      hours.add(Math.floor((x - this.dayStart) / HOUR));
    }
    return { hours, whole };
  }

  /** Whether tallies over [from, to) with `cut` take the day whole; if not, they need its hours. */
  readWhole(from: number, to: number, cut: { whole: boolean }): boolean {
    return cut.whole && from <= this.dayStart && to >= this.dayStart + 24 * HOUR;
  }

  /**
   * The hours whose calls tallies() takes one by one: those a cut falls inside (unless the day is read whole), and,
   * for a model whose price changes within the day (`timeOfDay` gives the hours where it changes off the hour), those
   * hours; the Ledger reads just their lines.
   */
  callHours(whole: boolean, cut: { hours: ReadonlySet<number> }, timeOfDay: TimeOfDay): Set<number> {
    const hours = new Set<number>(whole ? [] : cut.hours);
    for (const g of this.groups) for (const h of timeOfDay(g) ?? []) hours.add(h);
    return hours;
  }

  /** Whether a group is priced by the time of day (its hours are then never summed together). */
  timeOfDayIn(timeOfDay: TimeOfDay): boolean {
    return this.groups.some((g) => timeOfDay(g) !== undefined);
  }

  /**
   * The day's tallies in [from, to): one per (group, kind) for a `whole` day (no cut inside it); otherwise its hours'
   * buckets and, in `cut` hours, its calls one by one from `calls` (the lines of callHours), summed per (group, kind)
   * and side of the cuts (`cutSide` of `sides.cuts`), since no figure tells those apart. A
   * group priced by the time of day (`sides.timeOfDay`) is never summed: each of its hours is a tally, and in the
   * hours where its price changes off the hour, each of its calls.
   */
  tallies(
    from: number,
    to: number,
    cut: { hours: ReadonlySet<number>; whole: boolean },
    calls: string | undefined,
    sides: { cuts: { from: readonly number[]; after: readonly number[] }; timeOfDay: TimeOfDay },
    out: Tally[],
  ): void {
    const memo: (ReadonlySet<number> | null | undefined)[] = [];
    const tod = (g: number) => (memo[g] ??= sides.timeOfDay(this.groups[g] as Group) ?? null);
    const whole = this.readWhole(from, to, cut);
    /** Whether group g's calls in `hour` are taken one by one. */
    const single = (g: number, hour: number) => (!whole && cut.hours.has(hour)) || tod(g)?.has(hour) === true;
    const sums = new Map<number, Bucket>();
    const fold = (g: number, kind: number, at: number, b: Readonly<Bucket>) =>
      sumInto(sums, (g * KINDS + kind) * 64 + cutSide(sides.cuts, at), g, kind, at, b);
    if (whole) for (const b of this.wholeDay()) if (!tod(b[0])) out.push(this.tally(b[0], b[2], b[9], b));
    if (!whole || this.timeOfDayIn(sides.timeOfDay)) {
      for (const b of this.hours()) {
        const byHour = tod(b[0]) !== null;
        if ((whole && !byHour) || single(b[0], b[1])) continue;
        const hs = this.dayStart + b[1] * HOUR;
        if (hs < from || hs + HOUR > to) continue; // a bucket straddling from/to is in a cut hour
        if (byHour) out.push(this.tally(b[0], b[2], b[9], b));
        else fold(b[0], b[2], b[9], b);
      }
    }
    if (calls !== undefined) {
      forEachCall(calls, this.callHours(whole, cut, sides.timeOfDay), (f) => {
        if (!this.groups[f.group] || f.at < from || f.at >= to || !single(f.group, f.hour)) return;
        const kind = kindOf(f, f.cost);
        const cost = kind & 1 ? (f.cost as number) : 0;
        const one: Bucket = [f.group, -1, kind, 1, f.input, f.output, f.cacheRead, f.cacheWrite, cost, f.at];
        if (tod(f.group)) out.push(this.tally(f.group, kind, f.at, one));
        else fold(f.group, kind, f.at, one);
      });
    }
    for (const s of sums.values()) out.push(this.tally(s[0], s[2], s[9], s));
  }

  private tally(g: number, kind: number, at: number, b: Readonly<Bucket>): Tally {
    const group = this.groups[g] as Group;
    return {
      gateway: group[0],
      provider: group[1],
      model: group[2],
      rawModel: group[3],
      log: group[4] === 1,
      at,
      weight: b[3],
      input: b[4],
      output: b[5],
      cacheRead: b[6],
      cacheWrite: b[7],
      transcriptCostUsd: kind & 1 ? b[8] : null,
    };
  }

  /**
   * The dedupe keys of the day's calls whose msgTs is one of `msgTs`: one pass over the call list that reads each
   * line's msgTs field (the fourth) as text and parses only the lines it names.
   */
  keysWithMsgTs(calls: string, msgTs: ReadonlySet<number>): Set<string> {
    const keys = new Set<string>();
    const wanted = new Set([...msgTs].map(String)); // as callLine wrote them
    let start = 0;
    while (start < calls.length) {
      let end = calls.indexOf('\n', start);
      if (end === -1) end = calls.length;
      const line = start;
      start = end + 1;
      let from = line;
      for (let field = 0; field < 3 && from !== -1; field++) {
        const tab = calls.indexOf('\t', from);
        from = tab === -1 || tab > end ? -1 : tab + 1;
      }
      if (from === -1) continue;
      const to = calls.indexOf('\t', from);
      if (to === -1 || to > end || !wanted.has(calls.slice(from, to))) continue;
      forEachCall(calls.slice(line, end), undefined, (f) => {
        const key = this.keyOf(f);
        if (key !== undefined) keys.add(key);
      });
    }
    return keys;
  }

  /** The dedupe keys of the day's calls (src/transcripts/call.ts), from the call list. */
  keys(calls: string): Set<string> {
    const keys = new Set<string>();
    forEachCall(calls, undefined, (f) => {
      const key = this.keyOf(f);
      if (key !== undefined) keys.add(key);
    });
    return keys;
  }

  /** A listed call's dedupe key; undefined when its group is unknown (a torn call list). */
  private keyOf(f: CallFields): string | undefined {
    const g = this.groups[f.group];
    if (!g) return undefined;
    return callKey({
      provider: g[1],
      model: g[2],
      msgTs: f.msgTs,
      input: f.input,
      output: f.output,
      cacheRead: f.cacheRead,
      cacheWrite: f.cacheWrite,
    });
  }
}

interface CallFields {
  hour: number;
  group: number;
  at: number;
  msgTs: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cost: number | null;
}

/** The hour field (one or two digits) at the start of a call-list line, read without slicing it out. */
function hourOf(calls: string, at: number): number {
  const d0 = calls.charCodeAt(at) - 48;
  const d1 = calls.charCodeAt(at + 1) - 48;
  return d1 >= 0 && d1 <= 9 ? d0 * 10 + d1 : d0;
}

/** Each well-formed line of a call list, or only those of `hours` (told by the line's first field, unsplit). */
function forEachCall(calls: string, hours: ReadonlySet<number> | undefined, fn: (f: CallFields) => void): void {
  let start = 0;
  while (start < calls.length) {
    let nl = calls.indexOf('\n', start);
    if (nl === -1) nl = calls.length;
    const line = start;
    start = nl + 1;
    if (hours && !hours.has(hourOf(calls, line))) continue;
    const f = calls.slice(line, nl).split('\t');
    if (f.length !== 9) continue;
    fn({
      hour: Number(f[0]),
      group: Number(f[1]),
      at: Number(f[2]),
      msgTs: Number(f[3]),
      input: Number(f[4]),
      output: Number(f[5]),
      cacheRead: Number(f[6]),
      cacheWrite: Number(f[7]),
      cost: f[8] === '' ? null : Number(f[8]),
    });
  }
}
