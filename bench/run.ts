// `npm run bench`: how fast `check` is on big transcripts and how cheap a tick is, measured on the real CLI.
// Options: --size-mb N (default 100), --big (adds the 1 GB state dir and the single 1 GB file), --runs N (default
// 3; medians are reported), --history-days N (default 90), --no-ssh, --no-python, --no-dense, --keep (leave the data).

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { classifyTranscript } from '../src/transcripts/files.js';
import { Corpus, DENSE_MIX, type LineMix, REALISTIC_MIX } from '../test/support/corpus.js';
import { type Sshd, startSshd } from '../test/system/support/sshd.js';
import { type CliRun, ROOT, runCheck, runTimed } from './cli.js';

const { values: opt } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '100' },
    big: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'history-days': { type: 'string', default: '90' },
    'no-ssh': { type: 'boolean', default: false },
    'no-python': { type: 'boolean', default: false },
    'no-dense': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const SIZE_MB = Number(opt['size-mb']);
const RUNS = Math.max(1, Number(opt.runs));
const HISTORY_DAYS = Number(opt['history-days']);
const MB = 1e6;
const MIB = 1 << 20;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const OUT = join(ROOT, 'bench', 'out');
const DATA = join(OUT, 'data');
rmSync(DATA, { recursive: true, force: true });
mkdirSync(DATA, { recursive: true });
const NOW = Date.now();
/** The dense profile of issue 13: 200 MB, ~200 files, ~9.4k calls, ~15% of bytes in assistant lines with usage. */
const DENSE_MB = 200;
const DENSE_CALLS_PER_SESSION = 70;

/**
 * A fixed-offset zone whose local day holds the whole corpus window (NOW - 20 h, NOW), whatever the hour: so
 * "calls today" is every call of the corpus, and ticks are measured at 1k and ~10k calls a day.
 */
const TIMEZONE = (() => {
  const into = ((NOW % DAY) + DAY) % DAY; // ms since UTC midnight
  // Local time of day = into + k h must lie in [20 h, 24 h): k = ceil((20 h - into) / 1 h) mod 24, within -12..14.
  let k = ((Math.ceil((20 * HOUR - into) / HOUR) % 24) + 24) % 24;
  if (k > 14) k -= 24;
  return k === 0 ? 'UTC' : `Etc/GMT${k > 0 ? '-' : '+'}${Math.abs(k)}`; // POSIX: Etc/GMT-5 is UTC+5
})();

// ---- results ----------------------------------------------------------------------------------------------------

interface Row {
  section: string;
  what: string;
  value: string;
  target?: string;
  met?: boolean;
}
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const notes: string[] = [];

function row(section: string, what: string, value: string, target?: string, met?: boolean): void {
  rows.push({ section, what, value, target, met });
  process.stderr.write(
    `  ${section}: ${what} = ${value}${target ? `  (target ${target}: ${met ? 'met' : 'MISSED'})` : ''}\n`,
  );
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const rssMb = (r: CliRun) => (r.probe?.maxRssKB ?? NaN) / 1024;

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

// ---- helpers ----------------------------------------------------------------------------------------------------

function checkArgs(source: string, state: string, extra: string[] = []): string[] {
  const prom = join(state, 'prom');
  mkdirSync(prom, { recursive: true });
  return [
    '--source',
    source,
    '--state-dir',
    state,
    '--textfile-dir',
    prom,
    '--flag-file',
    join(state, 'flag'),
    '--timezone',
    TIMEZONE,
    '--max-daily-usd',
    '1000000',
    '--no-alert',
    ...extra,
  ];
}

/** A run that did not complete makes the figures meaningless: stop loudly. */
function ok(label: string, r: CliRun): CliRun & { json: NonNullable<CliRun['json']> } {
  const src = r.json?.sources[0];
  if (r.status !== 0 || !r.json || !src?.ok)
    throw new Error(`bench: ${label} failed (exit ${r.status}):\n${r.stderr}${src?.error ?? ''}`);
  return r as CliRun & { json: NonNullable<CliRun['json']> };
}

function generate(
  dir: string,
  bytes: number,
  seed: number,
  mix: LineMix = REALISTIC_MIX,
  callsPerSession = 40,
): Corpus {
  const t = performance.now();
  const c = new Corpus(dir, {
    seed,
    fromMs: NOW - 20 * HOUR,
    toMs: NOW - 60_000,
    sessions: 0,
    callsPerSession,
    mix,
    targetBytes: bytes,
  }).build();
  process.stderr.write(
    `generated ${mb(c.bytes)} in ${c.files.length} files, ${c.truth.size} calls, under ${dir} (${ms(performance.now() - t)})\n`,
  );
  return c;
}

/** A live transcript of the corpus (what OpenClaw appends to). */
function liveFile(c: Corpus): string {
  const rel = c.files.find(
    (f) => f.startsWith('agents/main/sessions/') && /^[0-9a-f-]+\.jsonl$/.test(f.split('/')[3] ?? ''),
  );
  if (!rel) throw new Error('bench: the corpus has no live transcript to append to');
  return rel;
}

// ---- sections ---------------------------------------------------------------------------------------------------

async function startup(): Promise<void> {
  const empty = join(DATA, 'empty');
  mkdirSync(join(empty, 'agents', 'main', 'sessions'), { recursive: true });
  const first: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    const state = mkdtempSync(join(DATA, 'state-empty-'));
    const r = ok('check on an empty state dir', await runCheck(checkArgs(empty, state), empty));
    if (r.probe?.firstReadMs !== undefined) first.push(r.probe.firstReadMs);
    wall.push(r.wallMs);
  }
  const bare: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) bare.push((await runTimed(process.execPath, ['-e', '0'])).wallMs);
  results.startup = { firstReadMs: first, emptyCheckWallMs: wall, bareNodeWallMs: bare };
  row('start-up', 'process start -> first source read', ms(median(first)), '< 150 ms', median(first) < 150);
  row('start-up', 'whole check on an empty state dir', ms(median(wall)));
  row('start-up', 'bare `node -e 0` (for scale)', ms(median(bare)));
}

interface Cold {
  runs: CliRun[];
  bytesRead: number;
  wallMs: number;
  state: string;
}

interface ColdTargets {
  /** MB/s from the first source read to exit. */
  scan?: number;
  /** Peak RSS, MB. */
  rss?: number;
}

async function coldLocal(label: string, dir: string, runs: number, targets: ColdTargets = {}): Promise<Cold> {
  const samples: (CliRun & { json: NonNullable<CliRun['json']> })[] = [];
  let state = '';
  for (let i = 0; i < runs; i++) {
    if (state) rmSync(state, { recursive: true, force: true });
    state = mkdtempSync(join(DATA, 'state-cold-'));
    samples.push(ok(`cold check (${label})`, await runCheck(checkArgs(dir, state), dir)));
  }
  const bytesRead = samples[0]?.json.sources[0]?.bytesRead ?? 0;
  const wallMs = median(samples.map((r) => r.wallMs));
  const scanMs = median(samples.map((r) => (r.probe ? r.probe.exitMs - (r.probe.firstReadMs ?? 0) : r.wallMs)));
  const rss = Math.max(...samples.map(rssMb));
  const rate = bytesRead / MB / (scanMs / 1000);
  results[`cold ${label}`] = {
    bytesRead,
    calls: samples[0]?.json.sources[0]?.callsAdded,
    samples: samples.map((r) => ({ wallMs: r.wallMs, probe: r.probe })),
  };
  row(`cold ${label}`, 'bytes read', mb(bytesRead));
  row(`cold ${label}`, 'wall (whole CLI process)', ms(wallMs));
  const calls = samples[0]?.json.sources[0]?.callsAdded ?? 0;
  row(`cold ${label}`, 'calls added', String(calls));
  row(
    `cold ${label}`,
    'scan rate (first read -> exit)',
    `${rate.toFixed(0)} MB/s`,
    targets.scan ? `>= ${targets.scan} MB/s` : undefined,
    targets.scan ? rate >= targets.scan : undefined,
  );
  row(`cold ${label}`, 'rate incl. start-up', `${(bytesRead / MB / (wallMs / 1000)).toFixed(0)} MB/s`);
  row(
    `cold ${label}`,
    'peak RSS',
    `${rss.toFixed(0)} MB`,
    targets.rss ? `< ${targets.rss} MB` : undefined,
    targets.rss ? rss < targets.rss : undefined,
  );
  return { runs: samples, bytesRead, wallMs, state };
}

async function python(label: string, dir: string, ours: Cold, runs: number, target?: number): Promise<void> {
  const probe = await runTimed('python3', ['--version']).catch(() => undefined);
  if (probe?.status !== 0) {
    row(`python ${label}`, 'baseline', 'python3 not found: not measured');
    return;
  }
  const walls: number[] = [];
  let out: unknown;
  for (let i = 0; i < runs; i++) {
    const r = await runTimed('python3', [join(ROOT, 'bench', 'baseline.py'), dir]);
    if (r.status !== 0) throw new Error(`bench: the Python baseline failed:\n${r.stderr}`);
    walls.push(r.wallMs);
    out = JSON.parse(r.stdout);
  }
  const wall = median(walls);
  const ratio = wall / ours.wallMs;
  results[`python ${label}`] = { wallMs: walls, output: out, version: probe.stdout.trim() || probe.stderr.trim() };
  row(
    `python ${label}`,
    'baseline wall (json.loads every line)',
    `${ms(wall)} (${(ours.bytesRead / MB / (wall / 1000)).toFixed(0)} MB/s)`,
  );
  row(
    `python ${label}`,
    'our cold check vs baseline (whole process)',
    `${ratio.toFixed(1)}x faster`,
    target ? `>= ${target}x` : undefined,
    target ? ratio >= target : undefined,
  );
  // The single-thread floor (bench/floor.mjs), measured here too: what no one-thread check can go below.
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runTimed(process.execPath, [join(ROOT, 'bench', 'floor.mjs'), dir]);
    if (r.status !== 0) throw new Error(`bench: the floor script failed:\n${r.stderr}`);
    floor.push(r.wallMs);
  }
  const f = median(floor);
  results[`floor ${label}`] = { wallMs: floor };
  row(`floor ${label}`, 'bare node: read, split, JSON.parse usage lines', ms(f));
  row(`floor ${label}`, 'Python baseline / floor: the best ratio one thread can reach', `${(wall / f).toFixed(1)}x`);
  row(`floor ${label}`, 'our cold check / floor', `${(ours.wallMs / f).toFixed(2)}x`);
}

/** Copies the ledger's days back over `days` earlier days: the same record format the tool wrote, more history. */
function addHistory(state: string, days: number): number {
  const dir = join(state, 'ledger');
  const today = readdirSync(dir).filter((n) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(n));
  const lines = today.flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean));
  const present = new Set(today);
  let n = 0;
  for (let d = 2; d < days + 2; d++) {
    const byFile = new Map<string, string[]>();
    for (const l of lines) {
      const r = JSON.parse(l) as { at: number; msgTs: number };
      r.at -= d * DAY;
      r.msgTs -= d * DAY;
      const file = `${new Date(r.at).toISOString().slice(0, 10)}.jsonl`;
      if (present.has(file)) continue;
      let list = byFile.get(file);
      if (!list) byFile.set(file, (list = []));
      list.push(JSON.stringify(r));
    }
    for (const [file, recs] of byFile) {
      writeFileSync(join(dir, file), `${recs.join('\n')}\n`, { flag: 'a' });
      n += recs.length;
    }
  }
  return n;
}

interface TickTargets {
  /** Quiet tick wall over a bare `node -e 0` wall, measured next to each other. */
  quiet?: number;
  /** +1 MiB tick wall over `node -e 0`. */
  grown?: number;
  /** Also compare with the same state plus HISTORY_DAYS earlier days of ledger. */
  history?: boolean;
}

const partitionCount = (ledger: string) =>
  readdirSync(ledger).filter((n) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(n)).length;

async function ticks(label: string, corpus: Corpus, cold: Cold, targets: TickTargets): Promise<void> {
  const dir = corpus.dir;
  const plain = cold.state;
  const history = join(DATA, `state-history-${label.replace(/\W+/g, '-')}`);
  let added = 0;
  if (targets.history) {
    cpSync(plain, history, { recursive: true });
    added = addHistory(history, HISTORY_DAYS);
  }
  // `node -e 0` runs right before each tick: the floor under the same load, for the ratios.
  const bare: number[] = [];
  const quiet: { plain: CliRun[]; history: CliRun[] } = { plain: [], history: [] };
  for (let i = 0; i < RUNS; i++) {
    bare.push((await runTimed(process.execPath, ['-e', '0'])).wallMs);
    quiet.plain.push(ok('quiet tick', await runCheck(checkArgs(dir, plain), dir)));
    if (targets.history) quiet.history.push(ok('quiet tick (history)', await runCheck(checkArgs(dir, history), dir)));
  }
  const live = liveFile(corpus);
  const grown: { plain: CliRun[]; history: CliRun[]; appended: number[] } = { plain: [], history: [], appended: [] };
  for (let i = 0; i < RUNS; i++) {
    grown.appended.push(corpus.appendBytes(live, MIB, Date.now()));
    bare.push((await runTimed(process.execPath, ['-e', '0'])).wallMs);
    grown.plain.push(ok('+1 MiB tick', await runCheck(checkArgs(dir, plain), dir)));
    if (targets.history) grown.history.push(ok('+1 MiB tick (history)', await runCheck(checkArgs(dir, history), dir)));
  }
  const read = (rs: CliRun[]) => Math.max(...rs.map((r) => r.json?.sources[0]?.bytesRead ?? NaN));
  const wall = (rs: CliRun[]) => median(rs.map((r) => r.wallMs));
  const ratio = Math.max(
    ...grown.plain.map((r, i) => (r.json?.sources[0]?.bytesRead ?? NaN) / (grown.appended[i] as number)),
  );
  const today = quiet.plain[0]?.json?.models.reduce((n, m) => n + m.calls, 0) ?? 0;
  const node0 = median(bare);
  const q = wall(quiet.plain) / node0;
  const g = wall(grown.plain) / node0;
  const section = `tick ${label}`;
  results[`ticks ${label}`] = { quiet, grown, bareNodeWallMs: bare, callsToday: today, historyRecords: added };
  row(section, 'calls today (in the ledger)', String(today));
  row(section, 'no new data: wall; bare `node -e 0` next to it', `${ms(wall(quiet.plain))}; ${ms(node0)}`);
  row(
    section,
    'no new data: wall / `node -e 0`',
    `${q.toFixed(2)}x`,
    targets.quiet ? `<= ${targets.quiet}x` : undefined,
    targets.quiet ? q <= targets.quiet : undefined,
  );
  row(section, 'no new data: bytes read', kb(read(quiet.plain)), '0 B', read(quiet.plain) === 0);
  row(
    section,
    '+1 MiB appended: wall / `node -e 0`',
    `${ms(wall(grown.plain))}, ${g.toFixed(2)}x`,
    targets.grown ? `<= ${targets.grown}x` : undefined,
    targets.grown ? g <= targets.grown : undefined,
  );
  row(
    section,
    '+1 MiB appended: bytes read / appended',
    `${read(grown.plain)} B / ${Math.max(...grown.appended)} B (${ratio.toFixed(3)}x)`,
    '1.000x',
    ratio < 1.0005,
  );
  if (!targets.history) return;
  const partitions = partitionCount(join(history, 'ledger'));
  const plainParts = partitionCount(join(plain, 'ledger'));
  results[`ticks ${label}`] = {
    ...(results[`ticks ${label}`] as object),
    partitions: { plain: plainParts, history: partitions },
  };
  const hq = wall(quiet.history);
  const hg = wall(grown.history);
  // "Independent" = within noise: 20% or 40 ms, whichever is larger, of the same tick on a ledger without history.
  const flat = (a: number, b: number) => Math.abs(a - b) <= Math.max(40, 0.2 * b);
  row(
    'history',
    `ledger of ${partitions} daily partitions (${added} extra records) vs ${plainParts}`,
    `quiet ${ms(hq)} vs ${ms(wall(quiet.plain))}; +1 MiB ${ms(hg)} vs ${ms(wall(grown.plain))}`,
    'same within noise',
    flat(hq, wall(quiet.plain)) && flat(hg, wall(grown.plain)),
  );
}

async function ssh(corpus: Corpus, section = 'ssh'): Promise<void> {
  const probeState = mkdtempSync(join(DATA, 'state-ssh-probe-'));
  const probe = await runCheck(checkArgs('ssh://nobody@127.0.0.1:1/nonexistent', probeState), '/nonexistent');
  if (/not supported/i.test(probe.stderr)) {
    row(section, 'loopback sshd', 'not available in this build (check --source ssh:// unsupported)');
    results[section] = { available: false, reason: probe.stderr.trim() };
    return;
  }
  let sshd: Sshd;
  try {
    sshd = await startSshd();
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0] ?? '';
    row(section, 'loopback sshd', `could not start sshd: not measured (${reason})`);
    results[section] = { available: false, reason };
    return;
  }
  try {
    const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${corpus.dir}`;
    const args = (state: string) =>
      checkArgs(url, state, ['--ssh-key', sshd.clientKey, '--known-hosts', sshd.knownHosts]);
    const state = mkdtempSync(join(DATA, 'state-ssh-'));
    const cold = ok('cold check over SSH', await runCheck(args(state), corpus.dir));
    // The floor: OpenSSH's own client streaming the same files (those the check reads) in one `cat`, same run.
    const read = corpus.files.filter((f) => classifyTranscript(f) !== null).map((f) => join(corpus.dir, f));
    const cats: { wallMs: number; bytes: number }[] = [];
    for (let i = 0; i < RUNS; i++) cats.push(await sshCat(sshd, read));
    const colds = [cold];
    for (let i = 1; i < RUNS; i++)
      colds.push(ok('cold check over SSH', await runCheck(args(mkdtempSync(join(DATA, 'state-ssh-'))), corpus.dir)));
    const quiet: CliRun[] = [];
    const sshTrue: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      quiet.push(ok('quiet tick over SSH', await runCheck(args(state), corpus.dir)));
      sshTrue.push((await sshRun(sshd, 'true')).wallMs);
    }
    const live = liveFile(corpus);
    const grown: CliRun[] = [];
    const appended: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appended.push(corpus.appendBytes(live, MIB, Date.now()));
      grown.push(ok('+1 MiB tick over SSH', await runCheck(args(state), corpus.dir)));
    }
    const src = (r: CliRun) => r.json?.sources[0];
    const moved = (r: CliRun) => (src(r)?.bytesRead ?? 0) + (src(r)?.listingBytes ?? 0);
    const coldBytes = src(cold)?.bytesRead ?? 0;
    const qWall = median(quiet.map((r) => r.wallMs));
    const coldWall = median(colds.map((r) => r.wallMs));
    const catWall = median(cats.map((c) => c.wallMs));
    const catRatio = coldWall / catWall;
    const qBytes = Math.max(...quiet.map(moved));
    const ratio = Math.max(...grown.map((r, i) => (src(r)?.bytesRead ?? NaN) / (appended[i] as number)));
    results[section] = {
      available: true,
      cold: { wallMs: colds.map((r) => r.wallMs), probe: cold.probe, source: src(cold) },
      sshCat: cats,
      sshTrue,
      quiet: quiet.map((r) => ({ wallMs: r.wallMs, source: src(r) })),
      grown: grown.map((r) => ({ wallMs: r.wallMs, source: src(r) })),
      appended,
    };
    row(
      section,
      'cold check: wall, rate',
      `${ms(coldWall)}, ${(coldBytes / MB / (coldWall / 1000)).toFixed(0)} MB/s over ${mb(coldBytes)} in ${read.length} files`,
    );
    row(
      section,
      '`ssh host cat` of the same files (floor)',
      `${ms(catWall)}, ${(cats[0]?.bytes ?? 0) === coldBytes ? 'same bytes' : `${mb(cats[0]?.bytes ?? 0)}`}, ${(coldBytes / MB / (catWall / 1000)).toFixed(0)} MB/s`,
    );
    row(section, 'cold check vs `ssh cat`', `${catRatio.toFixed(2)}x the floor`, '<= 3x', catRatio <= 3);
    row(section, 'cold check: peak RSS', `${rssMb(cold).toFixed(0)} MB`);
    row(section, 'no new data: wall (incl. handshake)', ms(qWall), '< 600 ms', qWall < 600);
    row(section, 'no new data: bytes read + listing', kb(qBytes), '< 64 KB', qBytes < 64_000);
    row(section, '`ssh host true` (connection + one command, for scale)', ms(median(sshTrue)));
    row(section, '+1 MiB appended: wall', ms(median(grown.map((r) => r.wallMs))));
    row(section, '+1 MiB appended: bytes read / appended', `${ratio.toFixed(3)}x`, '< 1.1x', ratio < 1.1);
  } finally {
    await sshd.stop();
  }
}

/** `ssh user@127.0.0.1 cat FILES` with OpenSSH's client, output counted and dropped; wall from spawn to exit. */
function sshCat(sshd: Sshd, files: readonly string[]): Promise<{ wallMs: number; bytes: number }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return sshRun(sshd, files.length > 0 ? `cat ${files.map(quote).join(' ')}` : 'true');
}

function sshRun(sshd: Sshd, command: string): Promise<{ wallMs: number; bytes: number }> {
  const argv = [
    '-i',
    sshd.clientKey,
    '-o',
    `UserKnownHostsFile=${sshd.knownHosts}`,
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentityAgent=none',
    '-p',
    String(sshd.port),
    `${sshd.user}@127.0.0.1`,
    command,
  ];
  const started = performance.now();
  const child = spawn('ssh', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let bytes = 0;
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (bytes += d.length));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) =>
      status === 0
        ? resolve({ wallMs: performance.now() - started, bytes })
        : reject(new Error(`bench: ssh cat failed (${status}): ${stderr}`)),
    );
  });
}

async function longLine(): Promise<void> {
  const dir = join(DATA, 'long-line');
  const c = new Corpus(dir, { seed: 3, fromMs: NOW - HOUR, toMs: NOW, sessions: 0, callsPerSession: 0 });
  c.longLine('agents/main/sessions/0000long-line.jsonl', 100 * MB, NOW - HOUR);
  const state = mkdtempSync(join(DATA, 'state-long-'));
  const r = ok('check of a file with a 100 MB line', await runCheck(checkArgs(dir, state), dir));
  const src = r.json.sources[0];
  const skipped = src?.skippedLines.oversize ?? 0;
  results['long line'] = { wallMs: r.wallMs, probe: r.probe, source: src };
  row(
    '100 MB line',
    'outcome',
    `exit 0, ${skipped} line skipped as oversize, ${src?.callsAdded} calls counted, ${ms(r.wallMs)}`,
    'no crash, skipped and counted',
    skipped === 1 && src?.callsAdded === 2,
  );
  row('100 MB line', 'peak RSS', `${rssMb(r).toFixed(0)} MB`, '< 200 MB', rssMb(r) < 200);
}

async function singleBigFile(): Promise<void> {
  const dir = join(DATA, 'single-file');
  const c = new Corpus(dir, {
    seed: 5,
    fromMs: NOW - 20 * HOUR,
    toMs: NOW,
    sessions: 0,
    callsPerSession: 0,
    mix: REALISTIC_MIX,
  });
  const rel = 'agents/main/sessions/00000000-big.jsonl';
  for (let at = NOW - 20 * HOUR, n = 0; n < 1000 * MB; at += 60_000) n += c.appendBytes(rel, 64 * MIB, at);
  process.stderr.write(`generated a single file of ${mb(statSync(join(dir, rel)).size)}\n`);
  await coldLocal('single 1 GB file', dir, 1, { scan: 400, rss: 150 });
  rmSync(dir, { recursive: true, force: true });
}

// ---- main -------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const machine = {
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
    memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: process.platform,
    loadavgAtStart: loadavg(),
  };
  results.machine = machine;
  results.options = { sizeMb: SIZE_MB, big: opt.big, runs: RUNS, historyDays: HISTORY_DAYS, timezone: TIMEZONE };
  process.stderr.write(
    `openclaw-budget bench: ${machine.cpus}, ${machine.memoryGB} GB, Node ${machine.node}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );

  await startup();
  const corpus = generate(join(DATA, `state-${SIZE_MB}mb`), SIZE_MB * MB, 1);
  results.corpus = { bytesOnDisk: dirBytes(corpus.dir), files: corpus.files.length, calls: corpus.truth.size };
  const cold = await coldLocal(`${SIZE_MB} MB`, corpus.dir, RUNS);
  if (!opt['no-python']) await python(`${SIZE_MB} MB`, corpus.dir, cold, RUNS);
  await ticks(`${SIZE_MB} MB`, corpus, cold, { history: true });
  if (!opt['no-ssh']) await ssh(corpus);
  await longLine();
  if (!opt.keep) rmSync(corpus.dir, { recursive: true, force: true });

  if (!opt['no-dense']) {
    const dense = generate(join(DATA, 'state-dense'), DENSE_MB * MB, 4, DENSE_MIX, DENSE_CALLS_PER_SESSION);
    results.denseCorpus = { bytesOnDisk: dirBytes(dense.dir), files: dense.files.length, calls: dense.truth.size };
    const denseCold = await coldLocal('dense 200 MB', dense.dir, RUNS, { scan: 600 });
    if (!opt['no-python']) await python('dense 200 MB', dense.dir, denseCold, RUNS, 3.5);
    await ticks('dense', dense, denseCold, { quiet: 2.5, grown: 3 });
    if (!opt['no-ssh']) await ssh(dense, 'ssh dense');
    if (!opt.keep) rmSync(dense.dir, { recursive: true, force: true });
  }

  if (opt.big) {
    const big = generate(join(DATA, 'state-1gb'), 1000 * MB, 2);
    const bigCold = await coldLocal('1 GB', big.dir, Math.min(RUNS, 2), { scan: 400, rss: 150 });
    if (!opt['no-python']) await python('1 GB', big.dir, bigCold, 1, 5);
    if (!opt.keep) rmSync(big.dir, { recursive: true, force: true });
    await singleBigFile();
  } else {
    notes.push('1 GB runs skipped: pass --big (npm run bench -- --big)');
  }

  machine.loadavgAtStart = machine.loadavgAtStart.map((l) => +l.toFixed(2));
  results.loadavgAtEnd = loadavg().map((l) => +l.toFixed(2));
  results.rows = rows;
  results.notes = notes;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(OUT, `results-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(OUT, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (!opt.keep) rmSync(DATA, { recursive: true, force: true });
  printTable();
  process.stdout.write(`\nresults: bench/out/results-${stamp}.json (and bench/out/latest.json)\n`);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
}

function printTable(): void {
  const head = ['section', 'measure', 'value', 'target', ''];
  const body = rows.map((r) => [
    r.section,
    r.what,
    r.value,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(width[i] as number))
      .join('  ')
      .trimEnd();
  process.stdout.write(`\n${line(head)}\n${line(width.map((w) => '-'.repeat(w)))}\n${body.map(line).join('\n')}\n`);
}

await main();
