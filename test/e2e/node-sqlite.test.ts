// OpenClaw 2026.8+ SQLite transcripts read with Node's own node:sqlite (Node >= 22.5), in the suite CI runs on every
// Node version: the database is written here with node:sqlite too, so no sqlite3 CLI is involved. On Node 20 there is
// no node:sqlite, and the second test says so instead of passing silently.
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../support/cli.js';
import { tempDir } from '../support/sample.js';
import { callLine, sessionHeader } from '../support/transcripts.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const nodeHasSqlite = major > 22 || (major === 22 && minor >= 5);

interface Db {
  exec(sql: string): void;
  prepare(sql: string): { run(...v: unknown[]): unknown };
  close(): void;
}
const work = tempDir('ocb-node-sqlite-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SQLite transcripts through node:sqlite', () => {
  it(`node:sqlite is ${nodeHasSqlite ? '' : 'not '}available on Node ${process.versions.node}, as expected`, () => {
    let loaded = false;
    try {
      createRequire(import.meta.url)('node:sqlite');
      loaded = true;
    } catch {
      loaded = false;
    }
    expect(loaded).toBe(nodeHasSqlite);
  });

  it.skipIf(!nodeHasSqlite)('check reads the rows with the node engine and counts each call once', () => {
    const { DatabaseSync } = createRequire(import.meta.url)('node:sqlite') as {
      DatabaseSync: new (path: string) => Db;
    };
    const state = join(work, 'openclaw');
    const dbPath = join(state, 'agents', 'sqlagent', 'agent', 'openclaw-agent.sqlite');
    mkdirSync(join(dbPath, '..'), { recursive: true });
    const db = new DatabaseSync(dbPath);
    db.exec(
      'PRAGMA journal_mode=WAL; CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (session_id, seq));',
    );
    const at = Date.parse('2026-11-20T12:00:00Z');
    const lines = [
      sessionHeader(at),
      callLine(at + 1000, 'claude-opus-4-5'),
      callLine(at + 2000, 'claude-sonnet-4-5'),
      callLine(at + 3000, 'claude-opus-4-5'),
    ];
    const insert = db.prepare('INSERT INTO transcript_events VALUES (?, ?, ?, ?)');
    for (const [i, l] of lines.entries()) insert.run('s1', i, l, at + i);
    db.close();

    const args = [
      'check',
      '--json',
      '--source',
      state,
      '--state-dir',
      join(work, 'state'),
      '--now',
      '2026-11-20T21:00:00Z',
      '--timezone',
      'UTC',
      '--no-alert',
    ];
    const r = runCli(args, cleanEnv());
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout) as {
      sources: { ok: boolean; sqliteEngine?: string; callsAdded: number }[];
      models: { model: string; calls: number }[];
    };
    expect(s.sources[0]).toMatchObject({ ok: true, sqliteEngine: 'node', callsAdded: 3 });
    expect(Object.fromEntries(s.models.map((m) => [m.model, m.calls]))).toEqual({
      'claude-opus-4-5': 2,
      'claude-sonnet-4-5': 1,
    });
    // A second tick finds nothing new.
    expect(JSON.parse(runCli(args, cleanEnv()).stdout).sources[0]).toMatchObject({ ok: true, callsAdded: 0 });
  });
});
