// OpenClaw 2026.8+: SQLite transcripts in WAL mode, zstd archives and migration import archives, mixed with JSONL.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../support/cli.js';
import { Corpus, expectedRows } from '../support/corpus.js';
import { requireBinary } from './support/servers.js';

const SQLITE = requireBinary('/usr/bin/sqlite3', 'sqlite3');
const ZSTD = requireBinary('/usr/bin/zstd', 'zstd');
const DAY = { start: Date.parse('2026-11-19T23:00:00Z'), end: Date.parse('2026-11-20T23:00:00Z') };
const NOW = '2026-11-20T21:30:00Z';

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

function sql(db: string, script: string): void {
  const r = spawnSync(SQLITE, [db], { input: script, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
}

function createDb(db: string): void {
  mkdirSync(join(db, '..'), { recursive: true });
  sql(
    db,
    'PRAGMA journal_mode=WAL;\nCREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (session_id, seq));\n',
  );
}

function insertSql(
  session: string,
  lines: string[],
  firstSeq = 0,
  createdAt = Date.parse('2026-11-20T12:00:00Z'),
): string {
  return lines
    .map((l, i) => `INSERT INTO transcript_events VALUES (${q(session)}, ${firstSeq + i}, ${q(l)}, ${createdAt + i});`)
    .join('\n');
}

interface Summary {
  models: {
    provider: string;
    model: string;
    calls: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
  }[];
  sources: {
    ok: boolean;
    bytesRead: number;
    callsAdded: number;
    sqliteEngine?: string;
    skippedLines: Record<string, number>;
    error?: string;
  }[];
}

/** A state dir with agents on JSONL, an agent on SQLite (mid-migration), zstd archives and import archives. */
function mixedEra(work: string) {
  const corpus = new Corpus(join(work, 'openclaw'), {
    seed: 99,
    fromMs: Date.parse('2026-11-19T22:00:00Z'),
    toMs: Date.parse('2026-11-20T23:30:00Z'),
    sessions: 6,
    callsPerSession: 10,
  }).build();
  const db = join(corpus.dir, 'agents', 'sqlagent', 'agent', 'openclaw-agent.sqlite');
  createDb(db);
  const inserts: string[] = [];
  for (let i = 0; i < 4; i++) {
    const id = `sql-session-${i}`;
    const lines = corpus.session(id);
    inserts.push(insertSql(id, lines));
    if (i < 2) {
      // Migrated originals parked beside the DB: the same calls again, to be deduped.
      const dir = join(corpus.dir, 'agents', 'sqlagent', 'session-sqlite-import-archive');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${id}.jsonl.imported-2026-11-20T08-00-00.000Z`), `${lines.join('\n')}\n`);
    }
  }
  // An archive tier that exists only as an import archive: counted.
  const tier = join(
    corpus.dir,
    'agents',
    'sqlagent',
    'session-sqlite-import-archive',
    'archive-tier.old.jsonl.imported-2026-11-20T08-00-00.000Z',
  );
  writeFileSync(tier, `${corpus.session('archive-tier-old').join('\n')}\n`);
  // A corrupt row.
  inserts.push(
    `INSERT INTO transcript_events VALUES ('sql-session-0', 9999, '{"type":"message","message":{"role":"assistant","usage":{"inp', ${Date.parse('2026-11-20T12:30:00Z')});`,
  );
  sql(db, inserts.join('\n'));
  // A deleted session published as a zstd archive.
  const zsrc = join(corpus.dir, 'agents', 'sqlagent', 'sessions', 'gone.jsonl.deleted.2026-11-20T15-00-00.000Z');
  mkdirSync(join(zsrc, '..'), { recursive: true });
  writeFileSync(zsrc, `${corpus.session('gone').join('\n')}\n`);
  const z = spawnSync(ZSTD, ['-q', '--rm', zsrc]);
  if (z.status !== 0) throw new Error(`zstd failed: ${z.stderr}`);
  return { corpus, db };
}

function check(corpusDir: string, state: string): Summary {
  const r = runCli(
    ['check', '--json', '--source', corpusDir, '--state-dir', state, '--now', NOW, '--timezone', 'Europe/Rome'],
    cleanEnv(),
  );
  if (r.status !== 0) throw new Error(`check failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Summary;
}

function expectTruth(s: Summary, corpus: Corpus): void {
  const want = expectedRows(corpus.truth.values(), DAY.start, Date.parse(NOW) + 1); // --now: nothing after it counts
  const got = new Map(s.models.map((m) => [`${m.provider}/${m.model}`, m]));
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, w] of want) {
    expect(got.get(k), k).toMatchObject({
      calls: w.calls,
      inputTokens: w.inputTokens,
      outputTokens: w.outputTokens,
      cacheReadTokens: w.cacheReadTokens,
      cacheWriteTokens: w.cacheWriteTokens,
    });
  }
}

describe('mixed eras on one host', () => {
  it('counts JSONL, SQLite rows, zstd archives and import archives once each, and skips a corrupt row', () => {
    const work = mkdtempSync(join(tmpdir(), 'ocb-sqlite-'));
    const { corpus } = mixedEra(work);
    expect(readdirSync(join(corpus.dir, 'agents', 'sqlagent', 'sessions')).some((f) => f.endsWith('.zst'))).toBe(true);
    const s = check(corpus.dir, join(work, 'state'));
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(s.sources[0]).toMatchObject({
      ok: true,
      sqliteEngine: major > 22 || (major === 22 && minor >= 5) ? 'node' : 'sqlite3',
    });
    expect(s.sources[0]!.skippedLines.malformed).toBeGreaterThanOrEqual(1);
    expectTruth(s, corpus);
  });

  it('a second tick queries nothing when the database did not change, and reads only new rows when it did', () => {
    const work = mkdtempSync(join(tmpdir(), 'ocb-sqlite-'));
    const { corpus, db } = mixedEra(work);
    const state = join(work, 'state');
    check(corpus.dir, state);
    expect(check(corpus.dir, state).sources[0]).toMatchObject({ bytesRead: 0, callsAdded: 0 });
    const before = corpus.truth.size;
    const lines = corpus.session('late-session');
    sql(db, insertSql('late-session', lines, 0, Date.parse('2026-11-20T20:00:00Z')));
    const third = check(corpus.dir, state);
    const newBytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 40, 0);
    expect(third.sources[0]!.callsAdded).toBe(corpus.truth.size - before);
    expect(third.sources[0]!.bytesRead).toBeLessThan(newBytes + 200);
    expectTruth(third, corpus);
  });

  it('reads while the gateway keeps writing, without blocking it, and catches up afterwards', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ocb-sqlite-'));
    const { corpus, db } = mixedEra(work);
    const state = join(work, 'state');
    // A writer that inserts one session row at a time for a while, each in its own transaction.
    const lines = corpus.session('live-writer');
    const script = `.timeout 5000\n${lines.map((l, i) => `INSERT INTO transcript_events VALUES ('live-writer', ${i}, ${q(l)}, ${Date.parse('2026-11-20T21:00:00Z') + i});\nSELECT 1 WHERE 0;`).join('\n')}\n`;
    const writer = spawn(SQLITE, [db], { stdio: ['pipe', 'ignore', 'pipe'] });
    let writerErr = '';
    writer.stderr.on('data', (d: Buffer) => (writerErr += d.toString()));
    const chunks = script.split('\n');
    const feeding = (async () => {
      for (let i = 0; i < chunks.length; i += 4) {
        writer.stdin.write(`${chunks.slice(i, i + 4).join('\n')}\n`);
        await new Promise((r) => setTimeout(r, 5));
      }
      writer.stdin.end();
    })();
    const during: Summary[] = [];
    for (let i = 0; i < 3; i++) during.push(check(corpus.dir, state));
    await feeding;
    const code = await new Promise((r) => writer.once('close', r));
    expect(writerErr).toBe('');
    expect(code).toBe(0);
    expect(during.every((s) => s.sources[0]!.ok)).toBe(true);
    expectTruth(check(corpus.dir, state), corpus);
  });

  it('a table declared WITHOUT ROWID is read by time', () => {
    const work = mkdtempSync(join(tmpdir(), 'ocb-sqlite-'));
    const corpus = new Corpus(join(work, 'openclaw'), {
      seed: 5,
      fromMs: Date.parse('2026-11-20T08:00:00Z'),
      toMs: Date.parse('2026-11-20T20:00:00Z'),
      sessions: 1,
      callsPerSession: 3,
    }).build();
    const db = join(corpus.dir, 'agents', 'x', 'agent', 'openclaw-agent.sqlite');
    mkdirSync(join(db, '..'), { recursive: true });
    sql(
      db,
      `PRAGMA journal_mode=WAL;\nCREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;\n${insertSql('wr', corpus.session('wr'))}`,
    );
    expectTruth(check(corpus.dir, join(work, 'state')), corpus);
  });

  it('says what to install when neither node:sqlite nor sqlite3 is available', () => {
    const work = mkdtempSync(join(tmpdir(), 'ocb-sqlite-'));
    const { corpus } = mixedEra(work);
    // Hide sqlite3 from PATH; on Node 20 there is no node:sqlite either.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const r = runCli(
      ['check', '--json', '--source', corpus.dir, '--state-dir', join(work, 's'), '--now', NOW],
      cleanEnv({ PATH: bin }),
    );
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 5)) {
      expect(r.status).toBe(0);
    } else {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/neither node:sqlite \(Node >= 22\.5\) nor the sqlite3 CLI: install sqlite3/);
    }
    rmSync(work, { recursive: true, force: true });
  });
});

describe('mixed eras over a real sshd and in a real container', () => {
  it('host path mode and container mode count what a local read counts, and a quiet tick reads nothing', async () => {
    const { startSshd } = await import('./support/sshd.js');
    const { gatewayImage, claimContainerEngine, runGatewayContainer, startDockerApi } = await import(
      './support/podman.js'
    );
    const work = mkdtempSync(join(tmpdir(), 'ocb-sqlite-ssh-'));
    const { chmodSync } = await import('node:fs');
    chmodSync(work, 0o755);
    const { corpus } = mixedEra(work);
    // Each piece is undone in finally whatever failed to start after it.
    let release: (() => void) | undefined;
    let api: Awaited<ReturnType<typeof startDockerApi>> | undefined;
    let sshd: Awaited<ReturnType<typeof startSshd>> | undefined;
    let box: ReturnType<typeof runGatewayContainer> | undefined;
    try {
      release = await claimContainerEngine();
      const image = gatewayImage();
      api = await startDockerApi();
      sshd = await startSshd({ env: { DOCKER_HOST: api.host } });
      // The same state dir, mounted where the gateway image keeps it; the image has node and sqlite3.
      box = runGatewayContainer(image, 'sqlite-openclaw-gateway-1', corpus.dir);
      const local = check(corpus.dir, join(work, 'st-local'));
      const ssh = {
        host: '127.0.0.1',
        port: sshd.port,
        user: sshd.user,
        identityFile: sshd.clientKey,
        knownHosts: sshd.knownHosts,
        agent: false,
      };
      const config = join(work, 'config.json');
      writeFileSync(
        config,
        JSON.stringify({
          gateways: [
            { name: 'host', ssh, path: corpus.dir },
            { name: 'box', ssh, container: true },
          ],
        }),
      );
      const args = [
        'check',
        '--json',
        '--config',
        config,
        '--state-dir',
        join(work, 'st-ssh'),
        '--now',
        NOW,
        '--timezone',
        'Europe/Rome',
        '--no-alert',
      ];
      const first = runCli(args, cleanEnv({ HOME: work }));
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      const s = JSON.parse(first.stdout) as Summary;
      // Both run this machine's node: node:sqlite where it has it (>= 22.5), else the fallback to the sqlite3 CLI.
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      const engine = major > 22 || (major === 22 && minor >= 5) ? 'node' : 'sqlite3';
      expect(s.sources.map((x) => [x.ok, x.sqliteEngine])).toEqual([
        [true, engine],
        [true, engine],
      ]);
      // Both gateways see the same data as the local read; the ledger keeps one copy of each call.
      expect(s.sources[0]!.callsAdded + s.sources[1]!.callsAdded).toBe(local.sources[0]!.callsAdded);
      expect(s.models).toEqual(local.models);
      const quiet = JSON.parse(runCli(args, cleanEnv({ HOME: work })).stdout) as Summary;
      expect(quiet.sources.map((x) => [x.ok, x.bytesRead])).toEqual([
        [true, 0],
        [true, 0],
      ]);
    } finally {
      box?.remove();
      await sshd?.stop();
      await api?.stop();
      release?.();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
