// What a source reads from a state dir it does not control (issues 12.4 and 12.11): a file it may not read is named
// and the rest still counted (run as a non-root user); a symlink never leads out of the state dir, locally or
// over a real sshd.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../support/cli.js';
import { callLine, sessionHeader } from '../support/transcripts.js';
import { type Sshd, startSshd } from './support/sshd.js';

const NOBODY = 65534;

interface Summary {
  models: { model: string; calls: number }[];
  sources: { name: string; ok: boolean; callsAdded: number; unreadable?: string[]; error?: string }[];
}

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ocb-sys-paths-'));
  chmodSync(work, 0o755);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const calls = (s: Summary) => s.models.reduce((n, m) => n + m.calls, 0);

describe('an unreadable transcript, as a non-root user', () => {
  it('records the 25 readable files, names the one it could not read, and does not say OK', () => {
    if (process.getuid?.() !== 0)
      throw new Error('this test switches to uid 65534 with setpriv: run the system suite as root');
    const dir = join(work, 'perm', '.openclaw');
    const sessions = join(dir, 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    for (let i = 0; i < 26; i++)
      writeFileSync(
        join(sessions, `s${String(i).padStart(2, '0')}.jsonl`),
        sessionHeader() + callLine(Date.now(), 'claude-opus-4-5'),
        { mode: 0o644 },
      );
    const locked = join(sessions, 's07.jsonl');
    chmodSync(locked, 0o000);
    const state = join(work, 'perm', 'state');
    mkdirSync(state);
    chownSync(state, NOBODY, NOBODY);
    const r = spawnSync(
      'setpriv',
      [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        '--clear-groups',
        process.execPath,
        BIN,
        'check',
        '--json',
        '--no-alert',
        '--source',
        dir,
        '--state-dir',
        state,
        '--timezone',
        'UTC',
      ],
      {
        encoding: 'utf8',
        env: cleanEnv({ HOME: state }),
      },
    );
    expect(r.status, r.stderr).toBe(1);
    const s = JSON.parse(r.stdout) as Summary;
    expect(calls(s)).toBe(25);
    expect(s.sources[0]).toMatchObject({ ok: false, callsAdded: 25, unreadable: [locked] });
    expect(s.sources[0]?.error).toMatch(
      /1 file\(s\) could not be read.*lower bound.*permission denied reading .*s07\.jsonl/,
    );
    expect(r.stderr).toContain('s07.jsonl');
  });
});

describe('an unreadable SQLite transcript database, as a non-root user', () => {
  it('counts the JSONL transcripts beside it and names the database', () => {
    const dir = join(work, 'db', '.openclaw');
    mkdirSync(join(dir, 'agents', 'main', 'sessions'), { recursive: true });
    writeFileSync(
      join(dir, 'agents', 'main', 'sessions', 's.jsonl'),
      sessionHeader() + callLine(Date.now(), 'claude-opus-4-5'),
      { mode: 0o644 },
    );
    const db = join(dir, 'agents', 'sql', 'agent', 'openclaw-agent.sqlite');
    mkdirSync(join(db, '..'), { recursive: true });
    const made = spawnSync(
      'sqlite3',
      [db, 'CREATE TABLE transcript_events (session_id TEXT, seq INTEGER, event_json TEXT, created_at INTEGER);'],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    chmodSync(db, 0o000);
    const state = join(work, 'db', 'state');
    mkdirSync(state);
    chownSync(state, NOBODY, NOBODY);
    const r = spawnSync(
      'setpriv',
      [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        '--clear-groups',
        process.execPath,
        BIN,
        'check',
        '--json',
        '--no-alert',
        '--source',
        dir,
        '--state-dir',
        state,
        '--timezone',
        'UTC',
      ],
      {
        encoding: 'utf8',
        env: cleanEnv({ HOME: state }),
      },
    );
    expect(r.status, r.stderr).toBe(1);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.sources[0]).toMatchObject({ ok: false, callsAdded: 1, unreadable: [db] });
    expect(s.sources[0]?.error).toMatch(/unable to open database/);
  });
});

describe('ledger import of a dir with an unreadable transcript, as a non-root user', () => {
  it('imports the rest, names the file it could not read, and exits 1', () => {
    const dir = join(work, 'import', 'copy');
    const sessions = join(dir, 'agents', 'main', 'sessions');
    mkdirSync(sessions, { recursive: true });
    for (let i = 0; i < 3; i++)
      writeFileSync(join(sessions, `s${i}.jsonl`), sessionHeader() + callLine(Date.now(), 'claude-opus-4-5'), {
        mode: 0o644,
      });
    chmodSync(join(sessions, 's1.jsonl'), 0o000);
    const state = join(work, 'import', 'state');
    mkdirSync(state);
    chownSync(state, NOBODY, NOBODY);
    const r = spawnSync(
      'setpriv',
      [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        '--clear-groups',
        process.execPath,
        BIN,
        'ledger',
        'import',
        dir,
        '--json',
        '--state-dir',
        state,
      ],
      {
        encoding: 'utf8',
        env: cleanEnv({ HOME: state }),
      },
    );
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ callsAdded: 2 });
    expect(r.stderr).toMatch(/not imported: permission denied reading .*s1\.jsonl/);
  });
});

describe('symlinks in a state dir', () => {
  let sshd: Sshd;
  let dir: string;
  let outside: string;

  beforeAll(async () => {
    sshd = await startSshd();
    dir = join(work, 'links', '.openclaw');
    outside = join(work, 'links', 'outside');
    mkdirSync(join(dir, 'agents', 'main', 'sessions'), { recursive: true });
    mkdirSync(join(dir, 'agents', 'ops'), { recursive: true });
    mkdirSync(join(outside, 'sessions'), { recursive: true });
    writeFileSync(
      join(dir, 'agents', 'main', 'sessions', 'real.jsonl'),
      sessionHeader() + callLine(Date.now(), 'claude-opus-4-5'),
    );
    // Outside the state dir: a transcript (standing in for /etc/shadow) reached by a file link and a dir link.
    writeFileSync(
      join(outside, 'secret.jsonl'),
      sessionHeader() + callLine(Date.now(), 'gpt-5.2') + callLine(Date.now(), 'gpt-5.2'),
    );
    writeFileSync(join(outside, 'sessions', 'elsewhere.jsonl'), sessionHeader() + callLine(Date.now(), 'gpt-5.2'));
    symlinkSync(join(outside, 'secret.jsonl'), join(dir, 'agents', 'main', 'sessions', 'linked.jsonl'));
    symlinkSync(join(outside, 'sessions'), join(dir, 'agents', 'ops', 'sessions'));
    symlinkSync(outside, join(dir, 'agents', 'evil'));
  });

  afterAll(async () => sshd?.stop());

  it('are not followed out of it, locally', () => {
    const r = runCli(
      [
        'check',
        '--json',
        '--no-alert',
        '--source',
        dir,
        '--state-dir',
        join(work, 'links', 'st-local'),
        '--timezone',
        'UTC',
      ],
      cleanEnv({ HOME: work }),
    );
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.models.map((m) => [m.model, m.calls])).toEqual([['claude-opus-4-5', 1]]);
  });

  it('are not followed out of it, over SSH', () => {
    const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${dir}`;
    const r = runCli(
      [
        'check',
        '--json',
        '--no-alert',
        '--source',
        url,
        '--ssh-key',
        sshd.clientKey,
        '--known-hosts',
        sshd.knownHosts,
        '--state-dir',
        join(work, 'links', 'st-ssh'),
        '--timezone',
        'UTC',
      ],
      cleanEnv({ HOME: work }),
    );
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.models.map((m) => [m.model, m.calls])).toEqual([['claude-opus-4-5', 1]]);
  });
});
