// Doctor's verdicts from facts gathered elsewhere (probe.ts). Pure: plain values in, checks out.
import { age, type DoctorCheck, fail, pass, skip, warn } from './result.js';

export interface DirFacts {
  path: string;
  exists: boolean;
  isDir: boolean;
  /** A file could actually be created there (not just mode bits: read-only mounts count). */
  writable: boolean;
  /** For a missing dir: the nearest existing ancestor, and whether it is writable. */
  ancestor?: { path: string; writable: boolean };
  /** For a missing dir that cannot be created at all (a dangling symlink or a file on the way): why. */
  blocked?: string;
  error?: string;
}

const whoami = (user: string) => `the user the check runs as (${user})`;

export function judgeStateDir(f: DirFacts, user: string): DoctorCheck {
  const name = 'state dir';
  if (f.blocked)
    return fail(
      name,
      `${f.path} cannot be created: ${f.blocked}`,
      'fix that path, or set stateDir (--state-dir) elsewhere',
    );
  if (f.exists && !f.isDir)
    return fail(name, `${f.path} is not a directory`, `remove it or set stateDir to a directory`);
  if (f.exists && f.writable) return pass(name, `${f.path} is writable`);
  if (!f.exists && f.ancestor?.writable)
    return pass(name, `${f.path} will be created on the first run (${f.ancestor.path} is writable)`);
  return fail(
    name,
    `${f.path} is not writable by ${user}${f.error ? ` (${f.error})` : ''}`,
    `create it and give it to ${whoami(user)}: mkdir -p ${f.path} && chown ${user} ${f.path}; or set stateDir elsewhere`,
  );
}

export function judgeTextfileDir(textfileDir: string | undefined, f: DirFacts | undefined, user: string): DoctorCheck {
  const name = 'textfile dir';
  if (!textfileDir || !f) {
    return warn(
      name,
      'no textfileDir configured: no metrics file is written',
      "set textfileDir to node_exporter's --collector.textfile.directory (Debian: /var/lib/prometheus/node-exporter)",
    );
  }
  if (!f.exists)
    return fail(
      name,
      `${f.path} does not exist`,
      `create it (mkdir -p ${f.path}) or set textfileDir to node_exporter's --collector.textfile.directory`,
    );
  if (!f.isDir) return fail(name, `${f.path} is not a directory`, 'set textfileDir to a directory');
  if (!f.writable) {
    return fail(
      name,
      `${f.path} is not writable by ${user}${f.error ? ` (${f.error})` : ''}`,
      `run the check as root (the system unit does) or let ${user} write there`,
    );
  }
  return pass(name, `${f.path} exists and is writable`);
}

export interface ExporterFacts {
  pid: number;
  /** The directories its textfile collector reads, resolved (empty: the collector is off). */
  dirs: string[];
}

export function judgeNodeExporter(
  textfileDir: string | undefined,
  realTextfileDir: string | undefined,
  exporters: readonly ExporterFacts[],
): DoctorCheck {
  const name = 'node_exporter';
  if (!textfileDir) return skip(name, 'no textfileDir configured');
  if (exporters.length === 0) {
    return warn(
      name,
      'no node_exporter process found on this host',
      `start node_exporter with --collector.textfile.directory=${textfileDir}, or if it runs elsewhere (a container), mount this directory there`,
    );
  }
  const reading = exporters.find((e) => e.dirs.includes(realTextfileDir ?? textfileDir));
  if (reading) return pass(name, `node_exporter (pid ${reading.pid}) reads ${textfileDir}`);
  const first = exporters[0] as ExporterFacts;
  if (first.dirs.length === 0) {
    return fail(
      name,
      `node_exporter (pid ${first.pid}) has the textfile collector off`,
      `start it with --collector.textfile --collector.textfile.directory=${textfileDir}`,
    );
  }
  return fail(
    name,
    `node_exporter (pid ${first.pid}) reads ${first.dirs.join(', ')}, not ${textfileDir}`,
    `set textfileDir to ${first.dirs[0]} (then re-run \`openclaw-budget install\`), or start node_exporter with --collector.textfile.directory=${textfileDir}`,
  );
}

/** node_exporter's own view: does it serve our file, and did its textfile scrape go well? */
export function judgeScrape(url: string, body: string | Error, promFile: string, promFileOnDisk: boolean): DoctorCheck {
  const name = 'node_exporter scrape';
  if (body instanceof Error)
    return warn(
      name,
      `could not fetch ${url}: ${body.message}`,
      'check that node_exporter listens there (--web.listen-address)',
    );
  const error = /^node_textfile_scrape_error(?:\{[^}]*\})? (\S+)$/m.exec(body)?.[1];
  if (error !== undefined && Number(error) !== 0) {
    return fail(
      name,
      `node_exporter reports node_textfile_scrape_error ${error}: a .prom file in the textfile dir cannot be parsed`,
      `run \`promtool check metrics < FILE\` on each *.prom file there; node_exporter's log names the broken one`,
    );
  }
  const served = body
    .split('\n')
    .some((l) => l.startsWith('node_textfile_mtime_seconds{') && l.includes(`${promFile}"`));
  if (served) return pass(name, `${url} serves ${promFile} with no textfile scrape error`);
  if (promFileOnDisk)
    return fail(
      name,
      `${promFile} exists but ${url} does not serve it`,
      'node_exporter reads another directory: compare its --collector.textfile.directory with textfileDir',
    );
  return warn(
    name,
    `${url} does not serve ${promFile} yet`,
    'run `openclaw-budget check` once (or wait for the timer)',
  );
}

export function judgeFlagFile(
  flagFile: string | undefined,
  dir: DirFacts | undefined,
  flagSet: boolean,
  systemdRuntime: boolean,
): DoctorCheck {
  const name = 'flag file';
  if (!flagFile || !dir)
    return warn(
      name,
      'no flagFile configured: nothing signals "budget exceeded" to other programs',
      'set flagFile (the system unit uses /run/openclaw-budget/budget-exceeded)',
    );
  if (dir.blocked)
    return fail(
      name,
      `${dir.path} (the flag file's directory) cannot be created: ${dir.blocked}`,
      'fix that path, or set flagFile elsewhere',
    );
  const state = flagSet ? 'set: the budget is exceeded' : 'not set';
  if (dir.exists && dir.writable) return pass(name, `${flagFile} is ${state}; its directory is writable`);
  if (!dir.exists && systemdRuntime)
    return pass(name, `${flagFile}: systemd creates ${dir.path} when the service first runs`);
  if (!dir.exists && dir.ancestor?.writable)
    return pass(name, `${flagFile}: ${dir.path} will be created on the first run`);
  return fail(
    name,
    `${dir.path} (the flag file's directory) is not writable${dir.error ? ` (${dir.error})` : ''}`,
    `create it writable for the check's user, or set flagFile elsewhere`,
  );
}

export interface GatewayFacts {
  name: string;
  /** Listing failed: the source's message says what to do. */
  error?: string;
  /** Transcript files (JSONL, archives) and SQLite transcript databases (OpenClaw 2026.8+). */
  transcripts: number;
  databases: number;
  newestMtimeMs?: number;
  newestPath?: string;
  /** Reading the newest transcript failed. */
  readError?: string;
}

const STALE_MS = 7 * 86_400_000;

export function judgeGateway(f: GatewayFacts, nowMs: number): DoctorCheck {
  const name = `gateway ${f.name}`;
  if (f.error)
    return fail(
      name,
      `cannot list transcripts: ${f.error}`,
      "check the gateway's path (and for SSH: host, user, key, host key) in the config",
    );
  if (f.transcripts + f.databases === 0 || f.newestMtimeMs === undefined) {
    return fail(
      name,
      'reachable, but no transcripts found',
      "point the gateway at OpenClaw's state dir: the one holding agents/<agent>/sessions/*.jsonl",
    );
  }
  if (f.readError)
    return fail(
      name,
      `${f.newestPath} cannot be read: ${f.readError}`,
      'run the check as the user that owns the transcripts, or as root',
    );
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const found = [
    ...(f.transcripts ? [plural(f.transcripts, 'transcript')] : []),
    ...(f.databases ? [plural(f.databases, 'SQLite database')] : []),
  ].join(' and ');
  const newest = `${found}, newest written ${age(nowMs - f.newestMtimeMs)} ago`;
  if (nowMs - f.newestMtimeMs > STALE_MS) {
    return warn(name, newest, 'is the gateway still running, and is this its live state dir rather than an old copy?');
  }
  return pass(name, `${newest} (readable)`);
}

export interface PricingFacts {
  calls: number;
  models: number;
  /** Models whose calls got no price, with how many calls. */
  unpriced: ReadonlyMap<string, number>;
  /** Models whose OpenClaw-computed cost strays from the list price, by how much (0.28 = 28% above). */
  drifted?: ReadonlyMap<string, number>;
  /** The catalog in use: `bundled` or `update`, and its data's date. */
  catalog?: { origin: string; date: string };
  /** The last price update attempt failed with this (the last good prices stay in use). */
  updateError?: string;
}

function pricingNotes(f: PricingFacts): { detail: string; problems: string[] } {
  const detail = f.catalog
    ? `; catalog ${f.catalog.origin === 'update' ? 'updated' : 'bundled'}, data of ${f.catalog.date}`
    : '';
  const problems: string[] = [];
  if (f.drifted?.size) {
    const list = [...f.drifted].map(([k, d]) => `${k} ${d > 0 ? '+' : ''}${(d * 100).toFixed(0)}%`).join(', ');
    problems.push(
      `OpenClaw's own costs differ from the list price for ${list}: its model catalog is likely stale (update OpenClaw, or use pricing mode "calculate")`,
    );
  }
  if (f.updateError)
    problems.push(
      `the last price update failed (${f.updateError}); the prices in use are kept: run \`openclaw-budget pricing update\` or check pricing.updateUrl`,
    );
  return { detail, problems };
}

export interface LedgerFacts {
  /** Day files gone or shorter than the ledger manifest says (not yet re-read by a check). */
  damaged: readonly string[];
  /** Calls lost for good by UTC day (recorded by the check that recovered). */
  lost: Readonly<Record<string, number>>;
}

export function judgeLedger(f: LedgerFacts): DoctorCheck {
  const name = 'ledger';
  if (f.damaged.length > 0) {
    return fail(
      name,
      `day file(s) ${f.damaged.join(', ')} deleted or truncated since they were written`,
      'run `openclaw-budget check`: it re-reads what the gateways still hold and says what could not be recovered',
    );
  }
  const lost = Object.entries(f.lost);
  if (lost.length > 0) {
    const list = lost.map(([day, n]) => `${day} (${n} call${n === 1 ? '' : 's'})`).join(', ');
    return warn(
      name,
      `calls lost for good: ${list}; figures covering those days are lower bounds`,
      'restore those day files from a backup (ledger/<day>.jsonl), then run `openclaw-budget ledger verify`',
    );
  }
  return pass(name, 'every day file holds what was recorded in it');
}

export function judgePricing(f: PricingFacts): DoctorCheck {
  const name = 'pricing';
  const { detail, problems } = pricingNotes(f);
  if (f.calls === 0 && problems.length === 0) return pass(name, `no calls in the ledger in the last 7 days${detail}`);
  if (f.unpriced.size === 0) {
    const base = `every model of the last 7 days has a price (${f.models} models, ${f.calls} calls)${detail}`;
    return problems.length ? warn(name, base, problems.join('; ')) : pass(name, base);
  }
  const list = [...f.unpriced].map(([k, n]) => `${k} (${n} call${n === 1 ? '' : 's'})`).join(', ');
  const example = [...f.unpriced.keys()][0];
  return fail(
    name,
    `no price for ${list}: they are counted as $0${problems.length ? `; ${problems.join('; ')}` : ''}`,
    `add them to a pricing override file (config "pricing.file"), e.g. { "models": { "${example}": { "input": 3, "output": 15 } } } in USD per 1M tokens`,
  );
}

export interface UnitFacts {
  path: string;
  /** The unit's ReadWritePaths=, plus /var/lib/<StateDirectory> and /run/<RuntimeDirectory>. */
  writable: readonly string[];
  /** The --config the unit passes. */
  configPath: string | undefined;
}

/** Under the installed unit everything is read-only but its listed paths: do they cover where this config writes? */
export function judgeUnit(
  unit: UnitFacts | undefined,
  configPath: string | undefined,
  wants: readonly { what: string; path: string }[],
): DoctorCheck {
  const name = 'systemd unit';
  if (!unit) return skip(name, 'no unit installed (run `openclaw-budget install`, or use cron)');
  const covered = (p: string) => unit.writable.some((w) => p === w || p.startsWith(`${w}/`));
  const blocked = wants.filter((w) => !covered(w.path));
  if (blocked.length) {
    return fail(
      name,
      `${unit.path} lets the service write only ${unit.writable.join(', ')}; not ${blocked.map((b) => `${b.what} ${b.path}`).join(', ')}`,
      're-run `openclaw-budget install` after changing textfileDir, flagFile or stateDir',
    );
  }
  if (unit.configPath && configPath && unit.configPath !== configPath) {
    return warn(
      name,
      `${unit.path} runs with --config ${unit.configPath}, but doctor read ${configPath}`,
      `run doctor with --config ${unit.configPath}`,
    );
  }
  return pass(name, `${unit.path} may write ${wants.map((w) => w.what).join(', ')}`);
}
