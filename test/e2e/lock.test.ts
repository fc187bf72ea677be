// Two real `check` processes on one state dir. The first is held mid-run deterministically: its --pricing file is
// a FIFO, which it opens after taking the lock and which blocks until the test writes to it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { finished, runCli, runCliAsync } from '../support/cli.js';
import { sampleState, tempDir } from '../support/sample.js';

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function setup() {
  const dir = tempDir('ocb-lock-e2e-');
  const source = sampleState(join(dir, 'openclaw'), [{ at: '2026-11-20T10:00:00Z', cost: 1.5 }]);
  const fifo = join(dir, 'pricing.fifo');
  execFileSync('mkfifo', [fifo]);
  const stateDir = join(dir, 'state');
  const args = (...more: string[]) => [
    'check',
    '--source',
    source,
    '--state-dir',
    stateDir,
    '--now',
    '2026-11-20T12:00:00Z',
    '--timezone',
    'UTC',
    ...more,
  ];
  return { fifo, stateDir, lock: join(stateDir, 'lock'), args };
}

describe('two runs on one state dir', () => {
  it('the second exits 3 at once with a clear message; the first completes', async () => {
    const { fifo, lock, args } = setup();
    const child = runCliAsync(args('--pricing', fifo, '--json'));
    const first = { child, done: finished(child) };
    await waitFor(() => existsSync(lock), 'the first run to take the lock');
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(first.child.pid);

    const second = runCli(args('--json'));
    expect(second.status).toBe(3);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain(`another run holds ${lock} (pid ${first.child.pid}`);
    expect(second.stderr).toContain('this run did nothing');

    writeFileSync(fifo, '{"models":{}}');
    const r = await first.done;
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).totalCostUsd).toBe(1.5);
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock left by a killed run is taken over by the next run', async () => {
    const { fifo, lock, args } = setup();
    const child = runCliAsync(args('--pricing', fifo));
    const first = { child, done: finished(child) };
    await waitFor(() => existsSync(lock), 'the first run to take the lock');
    first.child.kill('SIGKILL');
    await first.done;
    expect(existsSync(lock)).toBe(true);

    const next = runCli(args('--json'));
    expect(next.status).toBe(0);
    expect(next.stderr).toContain(`took over a stale lock left by pid ${first.child.pid}`);
    expect(JSON.parse(next.stdout).sources[0].callsAdded).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });
});
