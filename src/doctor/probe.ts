// Doctor's I/O: gather the facts each check needs (judge.ts turns them into verdicts), in order.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, realpath, stat, unlink, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { installPaths } from '../install/paths.js';
import { UNIT_NAME, unitValues } from '../install/units.js';
import { Ledger } from '../ledger/ledger.js';
import type { LedgerRecord } from '../ledger/record.js';
import { dayTotals, driftedModels } from '../ledger/totals.js';
import { RUNTIME_FLAG_NAME, resolveFlagFile, resolveStateDir } from '../pipeline/check.js';
import { type GatewaySource, openSources } from '../pipeline/gateways.js';
import { loadPricingOptions, PricingError } from '../pricing/load.js';
import { readUpdateState } from '../pricing/store.js';
import { walkToExisting } from '../shared/dirs.js';
import type { Env } from '../shared/env.js';
import { errorMessage } from '../shared/errors.js';
import { findNodeExporters, metricsUrl, type NodeExporterProcess, textfileDirsOf } from '../sinks/node-exporter.js';
import { PROM_FILE } from '../sinks/prom.js';
import { classifyDatabase, DATABASE_DIRS } from '../transcripts/files.js';
import { TRANSCRIPT_FORMAT } from '../transcripts/format.js';
import {
  type DirFacts,
  type GatewayFacts,
  judgeFlagFile,
  judgeGateway,
  judgeLedger,
  judgeNodeExporter,
  judgePricing,
  judgeScrape,
  judgeStateDir,
  judgeTextfileDir,
  judgeUnit,
  type UnitFacts,
} from './judge.js';
import { matrixCheck } from './matrix.js';
import { type DoctorCheck, fail, pass, skip } from './result.js';

const PRICING_WINDOW_MS = 7 * 86_400_000;
/** The last this many bytes of the newest transcript are read to prove the data is readable. */
const READ_PROBE_BYTES = 4096;

/** Whether a file can really be created in `dir` (mode bits, ACLs, read-only mounts, sandboxes). */
async function canWrite(dir: string): Promise<{ ok: boolean; error?: string }> {
  const probe = join(dir, `.openclaw-budget-doctor.${process.pid}.${randomBytes(3).toString('hex')}`);
  try {
    await writeFile(probe, '');
    await unlink(probe);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as NodeJS.ErrnoException).code ?? errorMessage(err) };
  }
}

export async function dirFacts(path: string): Promise<DirFacts> {
  const st = await stat(path).catch(() => undefined);
  if (st) {
    const w = st.isDirectory() ? await canWrite(path) : { ok: false };
    return { path, exists: true, isDir: st.isDirectory(), writable: w.ok, ...(w.error ? { error: w.error } : {}) };
  }
  // The same walk `check` makes before creating it: a dangling symlink or a file on the way blocks it.
  let up: string;
  try {
    up = (await walkToExisting(path)).existing;
  } catch (err) {
    return { path, exists: false, isDir: false, writable: false, blocked: errorMessage(err) };
  }
  return {
    path,
    exists: false,
    isDir: false,
    writable: false,
    ancestor: { path: up, writable: (await canWrite(up)).ok },
  };
}

/**
 * Count transcripts through the Source interface, so every source kind (local, SSH path or container, gateway
 * logs) is probed alike, with the same one listing a check makes; its errors (host key, auth, permissions) are
 * the source's own.
 */
export async function gatewayFacts({ source, format }: GatewaySource): Promise<GatewayFacts> {
  const facts: GatewayFacts = { name: source.name, transcripts: 0, databases: 0 };
  const withDatabases = format === TRANSCRIPT_FORMAT;
  try {
    const listed = await source.list(withDatabases ? [...format.dirs, ...DATABASE_DIRS] : format.dirs, 0);
    const transcripts = listed.filter((f) => format.classify(f.rel));
    const databases = withDatabases ? listed.filter((f) => classifyDatabase(f.rel)) : [];
    const files = [...transcripts, ...databases];
    facts.transcripts = transcripts.length;
    facts.databases = databases.length;
    const newest = files.reduce<(typeof files)[number] | undefined>(
      (a, f) => (!a || f.mtimeMs > a.mtimeMs ? f : a),
      undefined,
    );
    if (newest) {
      facts.newestMtimeMs = newest.mtimeMs;
      facts.newestPath = newest.id;
      try {
        for await (const _chunk of source.read({
          id: newest.id,
          headBytes: 0,
          from: Math.max(0, newest.size - READ_PROBE_BYTES),
        }))
          void _chunk;
      } catch (err) {
        facts.readError = errorMessage(err);
      }
    }
  } catch (err) {
    facts.error = errorMessage(err);
  } finally {
    await source.close().catch(() => undefined);
  }
  return facts;
}

async function exporterFacts(exporters: readonly NodeExporterProcess[]) {
  return Promise.all(
    exporters.map(async (p) => ({
      pid: p.pid,
      dirs: await Promise.all((await textfileDirsOf(p)).map((d) => realpath(d).catch(() => d))),
    })),
  );
}

async function fetchText(url: string): Promise<string | Error> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return r.ok ? await r.text() : new Error(`HTTP ${r.status}`);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

async function scrapeCheck(exporter: NodeExporterProcess, textfileDir: string): Promise<DoctorCheck> {
  const url = metricsUrl(exporter.listenAddresses[0] ?? ':9100');
  return judgeScrape(url, await fetchText(url), PROM_FILE, existsSync(join(textfileDir, PROM_FILE)));
}

export async function unitFacts(
  env: Env,
  home: string,
  uid: number,
): Promise<(UnitFacts & { runtimeFlagFile: string | undefined }) | undefined> {
  for (const mode of ['system', 'user'] as const) {
    const paths = installPaths(mode, env, home, uid);
    const path = join(paths.unitDir, `${UNIT_NAME}.service`);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const base =
      mode === 'system'
        ? { state: '/var/lib', runtime: '/run' }
        : { state: dirname(paths.stateDir), runtime: dirname(dirname(paths.flagFile)) };
    const writable = [
      ...unitValues(text, 'ReadWritePaths'),
      ...unitValues(text, 'StateDirectory').map((d) => join(base.state, d)),
      ...unitValues(text, 'RuntimeDirectory').map((d) => join(base.runtime, d)),
    ];
    const exec = unitValues(text, 'ExecStart');
    const i = exec.indexOf('--config');
    const runtime = unitValues(text, 'RuntimeDirectory')[0];
    return {
      path,
      // A user unit runs without a mount sandbox: everything the user may write stays writable.
      writable: mode === 'system' ? writable : ['/'],
      configPath: i >= 0 ? exec[i + 1] : undefined,
      runtimeFlagFile: runtime ? join(base.runtime, runtime, RUNTIME_FLAG_NAME) : undefined,
    };
  }
  return undefined;
}

async function pricingCheck(config: Config, stateDir: string, nowMs: number): Promise<DoctorCheck> {
  let opts: Awaited<ReturnType<typeof loadPricingOptions>>;
  try {
    opts = await loadPricingOptions(config.pricing, { stateDir });
  } catch (err) {
    if (err instanceof PricingError) return fail('pricing', err.message, 'fix the pricing override file');
    throw err;
  }
  let records: LedgerRecord[];
  try {
    records = await new Ledger(join(stateDir, 'ledger')).between(nowMs - PRICING_WINDOW_MS, nowMs + 1);
  } catch (err) {
    return skip('pricing', `cannot read the ledger in ${stateDir}: ${errorMessage(err)}`);
  }
  const { models } = dayTotals(records, opts);
  const unpriced = new Map(
    models.filter((m) => m.unpricedCalls > 0).map((m) => [`${m.provider}/${m.model}`, m.unpricedCalls]),
  );
  const drifted = new Map(driftedModels(models).map((m) => [`${m.provider}/${m.model}`, m.drift ?? 0]));
  const source = opts.resolver.catalog.source;
  const update = await readUpdateState(stateDir);
  return judgePricing({
    calls: records.length,
    models: models.length,
    unpriced,
    drifted,
    catalog: { origin: source.origin, date: source.date },
    ...(update.lastError ? { updateError: update.lastError } : {}),
  });
}

export interface DoctorRequest {
  /** Loading the config: done here so an invalid config is a failed check, not a crash. */
  load: () => Promise<{ config: Config; configPath: string | undefined; source: string | undefined }>;
  env: Env;
  home: string;
  uid: number;
  nowMs: number;
}

/**
 * Every check, in order. Seams for other source kinds and sinks: a gateway is probed through its Source (so an
 * SSH or container source reports its own errors, host keys included); a sink check (Matrix) is one entry more.
 */
export async function runDoctor(req: DoctorRequest): Promise<DoctorCheck[]> {
  let loaded: Awaited<ReturnType<DoctorRequest['load']>>;
  try {
    loaded = await req.load();
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof PricingError)) throw err;
    return [fail('config', err.message, 'fix the config file (see config.example.jsonc), then run doctor again')];
  }
  const { config, configPath, source } = loaded;
  const user = userInfo().username;
  const checks: DoctorCheck[] = [
    pass(
      'config',
      configPath ? `${configPath} is valid` : 'no config file; the defaults, environment and flags are valid',
    ),
  ];

  const stateDir = resolveStateDir(config, req.env);
  checks.push(judgeStateDir(await dirFacts(stateDir), user));

  const textfileDir = config.textfileDir;
  checks.push(judgeTextfileDir(textfileDir, textfileDir ? await dirFacts(textfileDir) : undefined, user));
  const exporters = textfileDir ? await findNodeExporters() : [];
  const realDir = textfileDir ? await realpath(textfileDir).catch(() => textfileDir) : undefined;
  const facts = await exporterFacts(exporters);
  checks.push(judgeNodeExporter(textfileDir, realDir, facts));
  const reading = exporters.find((_, i) => realDir !== undefined && facts[i]?.dirs.includes(realDir));
  checks.push(
    textfileDir && reading
      ? await scrapeCheck(reading, textfileDir)
      : skip('node_exporter scrape', 'no node_exporter reading the textfile dir'),
  );

  const unit = await unitFacts(req.env, req.home, req.uid);
  // Under the unit, an unset flagFile defaults to its RuntimeDirectory, which systemd creates at the first run.
  const flagFile = resolveFlagFile(config, req.env) ?? unit?.runtimeFlagFile;
  const inRuntimeDir = flagFile !== undefined && flagFile === unit?.runtimeFlagFile;
  checks.push(
    judgeFlagFile(
      flagFile,
      flagFile ? await dirFacts(dirname(flagFile)) : undefined,
      Boolean(flagFile && existsSync(flagFile)),
      inRuntimeDir,
    ),
  );
  const wants = [
    { what: 'stateDir', path: stateDir },
    ...(textfileDir ? [{ what: 'textfileDir', path: textfileDir }] : []),
    ...(flagFile ? [{ what: 'flagFile', path: dirname(flagFile) }] : []),
  ];
  checks.push(judgeUnit(unit, configPath, wants));

  let sources: GatewaySource[];
  try {
    sources = openSources(config, source, req.env);
  } catch (err) {
    return [...checks, fail('gateways', errorMessage(err), 'fix the gateways in the config')];
  }
  for (const f of await Promise.all(sources.map(gatewayFacts))) checks.push(judgeGateway(f, req.nowMs));

  const ledger = new Ledger(join(stateDir, 'ledger'));
  checks.push(judgeLedger({ damaged: (await ledger.damage()).map((d) => d.day), lost: ledger.lostCalls() }));
  checks.push(await pricingCheck(config, stateDir, req.nowMs));
  checks.push(await matrixCheck(config, req.env));
  return checks;
}
