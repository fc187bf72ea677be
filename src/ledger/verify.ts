// `ledger verify`: is every partition readable, free of duplicates and holding only its own day's calls? Pure.

import { byCodeUnit } from '../shared/strings.js';
import { callKey } from '../transcripts/call.js';
import { plausibleCall } from '../transcripts/plausible.js';
import type { Manifest } from './manifest.js';
import { LedgerRecordSchema, partitionOf } from './record.js';

export interface PartitionReport {
  day: string;
  /** Complete lines that hold a valid record. */
  records: number;
  /** 1-based line numbers that are not a valid record (JSON or shape). */
  corruptLines: number[];
  /** 1-based line numbers of records with figures no real call has (skipped by every reader, see plausible.ts). */
  implausibleLines: number[];
  /** The file ends without a newline: a run was killed mid-append (the next append trims it). */
  partialTail: boolean;
  /** Records whose call instant belongs to another UTC day. */
  misplaced: number;
  /** Records whose dedupe key was already seen, here or in an earlier partition. */
  duplicates: number;
}

export interface VerifyReport {
  ok: boolean;
  partitions: PartitionReport[];
  records: number;
  corruptLines: number;
  implausibleLines: number;
  misplaced: number;
  duplicates: number;
  partialTails: number;
  /** Files in the ledger directory that are not partitions. */
  strayFiles: string[];
  /** Day files holding fewer calls than they once did (deleted, truncated, an old backup restored). */
  lost: LostDay[];
}

export interface LostDay {
  day: string;
  /** Calls the day file has held at most (the manifest), and holds now. */
  expected: number;
  present: number;
}

/** Days of the manifest whose file now holds fewer calls than it once did. Pure. */
export function lostDays(manifest: Manifest | undefined, partitions: readonly PartitionReport[]): LostDay[] {
  const present = new Map(partitions.map((p) => [p.day, p.records]));
  return Object.entries(manifest?.days ?? {})
    .map(([day, d]) => ({ day, expected: d.lines, present: present.get(day) ?? 0 }))
    .filter((d) => d.present < d.expected)
    .sort((a, b) => byCodeUnit(a.day, b.day));
}

/** Check one partition's text; `seen` carries dedupe keys across partitions (visit them in date order). */
export function verifyPartition(day: string, text: string, seen: Set<string>): PartitionReport {
  const report: PartitionReport = {
    day,
    records: 0,
    corruptLines: [],
    implausibleLines: [],
    partialTail: false,
    misplaced: 0,
    duplicates: 0,
  };
  const lines = text.split('\n');
  // The last element is what follows the final newline: empty for a well-formed file.
  report.partialTail = lines.pop() !== '';
  lines.forEach((line, i) => {
    if (line === '') return;
    let parsed: ReturnType<typeof LedgerRecordSchema.safeParse> | undefined;
    try {
      parsed = LedgerRecordSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      report.corruptLines.push(i + 1);
      return;
    }
    if (!plausibleCall(parsed.data)) {
      report.implausibleLines.push(i + 1);
      return;
    }
    report.records++;
    if (partitionOf(parsed.data) !== day) report.misplaced++;
    const key = callKey(parsed.data);
    if (seen.has(key)) report.duplicates++;
    else seen.add(key);
  });
  return report;
}

export function summarize(partitions: PartitionReport[], strayFiles: string[], lost: LostDay[] = []): VerifyReport {
  const sum = (f: (p: PartitionReport) => number) => partitions.reduce((n, p) => n + f(p), 0);
  const r = {
    partitions,
    records: sum((p) => p.records),
    corruptLines: sum((p) => p.corruptLines.length),
    implausibleLines: sum((p) => p.implausibleLines.length),
    misplaced: sum((p) => p.misplaced),
    duplicates: sum((p) => p.duplicates),
    partialTails: sum((p) => (p.partialTail ? 1 : 0)),
    strayFiles,
    lost,
  };
  // A partial tail loses nothing (its call is re-read: cursors are saved after the ledger) and is trimmed on the next append.
  return { ok: r.corruptLines + r.implausibleLines + r.misplaced + r.duplicates + lost.length === 0, ...r };
}
