// What a run prints on stderr: one concise line (journald/cron), more with --verbose, no summary with --quiet.

import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../support/cli.js';
import { sampleState, tempDir } from '../support/sample.js';

function setup() {
  const dir = tempDir('ocb-logs-');
  const source = sampleState(join(dir, 'openclaw'), [
    { at: '2026-11-20T10:00:00Z', cost: 1.5 },
    { at: '2026-11-20T11:00:00Z', cost: 2.5, model: 'claude-sonnet-4-5' },
  ]);
  return [
    'check',
    '--source',
    source,
    '--state-dir',
    join(dir, 'state'),
    '--now',
    '2026-11-20T12:00:00Z',
    '--timezone',
    'UTC',
    '--max-daily-usd',
    '5',
  ];
}

const ANSI = /\u001b\[/;
/** No NO_COLOR: "no colours" must come from stdout/stderr not being terminals. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv();
  delete env.NO_COLOR;
  return env;
}

describe('run log', () => {
  it('--quiet prints one line with spend, budget, status, calls added, bytes read and duration, without colours', () => {
    const args = setup();
    const r = runCli([...args, '--quiet'], plainEnv());
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^openclaw-budget: 2026-11-20 spend \$4\.00 of \$5\.00 \(80\.0%\) status=warning calls_added=2 bytes_read=\d+ sources_ok=1\/1 duration=\d+\.\d{3}s$/,
    );
    expect(r.stderr).not.toMatch(ANSI);
    // A second run adds nothing and reads nothing new.
    const again = runCli([...args, '--quiet']);
    expect(again.stderr).toMatch(/calls_added=0 bytes_read=0 /);
  });

  it('--json wins over --quiet: the object on stdout, the one run line on stderr', () => {
    const r = runCli([...setup(), '--json', '--quiet'], plainEnv());
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ date: '2026-11-20', totalCostUsd: 4, status: 'warning' });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^openclaw-budget: 2026-11-20 spend \$4\.00 of \$5\.00/);
  });

  it('an interactive or --json run prints the summary on stdout and keeps stderr for problems', () => {
    const args = setup();
    const human = runCli(args, plainEnv());
    expect(human.stdout).toContain('2026-11-20');
    expect(human.stdout).not.toMatch(ANSI);
    expect(human.stderr).toBe('');
    const json = runCli([...args, '--json']);
    expect(JSON.parse(json.stdout).totalCostUsd).toBe(4);
    expect(json.stderr).toBe('');
  });

  it('--verbose adds per-source and per-model detail to the line', () => {
    const args = setup();
    const verbose = runCli([...args, '--quiet', '--verbose']);
    expect(verbose.stderr).toMatch(/source local: ok files_read=1 bytes_read=\d+ .*calls_added=2/);
    expect(verbose.stderr).toContain('model anthropic/claude-sonnet-4-5: calls=1');
    expect(verbose.stderr).toMatch(/state dir .*state/);
  });

  it('uses syslog priority prefixes instead of the program name when stderr is the journal', () => {
    const args = setup();
    const log = join(tempDir(), 'journal');
    const fd = openSync(log, 'w');
    const st = fstatSync(fd);
    // No --quiet: a run whose stderr is the journal logs its line anyway.
    const r = spawnSync(process.execPath, [BIN, ...args, '--max-daily-usd', '3'], {
      env: { ...plainEnv(), JOURNAL_STREAM: `${st.dev}:${st.ino}` },
      stdio: ['ignore', 'pipe', fd],
    });
    closeSync(fd);
    expect(r.status).toBe(0);
    // Over budget: the run line goes at warning level.
    expect(readFileSync(log, 'utf8')).toMatch(/^<4>2026-11-20 spend \$4\.00 of \$3\.00 \(133\.3%\) status=exceeded /);
  });

  it('behaves the same under cron: minimal environment, no terminal, no colours', async () => {
    const args = setup();
    const cron = { HOME: process.env.HOME ?? '/root', LOGNAME: 'root', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
    const r = spawnSync(process.execPath, [BIN, ...args, '--quiet'], {
      env: cron,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^openclaw-budget: 2026-11-20 spend \$4\.00 of \$5\.00 \(80\.0%\) status=warning calls_added=2 /,
    );
    expect(r.stderr).not.toMatch(ANSI);
  });

  it('logs errors at error level and exits 1 when a source cannot be read', async () => {
    const dir = tempDir();
    const r = runCli(['check', '--source', join(dir, 'missing'), '--state-dir', join(dir, 'state'), '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('openclaw-budget: error: local: no OpenClaw state dir found');
    expect(r.stderr).toMatch(/sources_ok=0\/1 errors=1 /);
  });
});
