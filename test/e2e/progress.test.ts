// The progress line is for terminals only: a piped run prints exactly the summary (nothing on stderr, no control
// characters), and a run on a pseudo-terminal prints the same summary, any progress line it drew erased again.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/sample.js';

const FIXTURE = join(ROOT, 'fixtures', 'openclaw-state');
const args = (state: string) => [
  'check',
  '--source',
  FIXTURE,
  '--state-dir',
  state,
  '--now',
  '2026-11-20T22:50:00Z',
  '--timezone',
  'Europe/Rome',
];
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('progress line', () => {
  it('never reaches a pipe: stderr stays empty and stdout holds no control characters', () => {
    const r = runCli(args(join(tempDir('ocb-progress-'), 'state')));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/[\r\u001b]/);
    expect(r.stdout).toMatch(/^2026-11-20 \(Europe\/Rome\) {2}\$2\.47/);
  });

  it.skipIf(!hasScript)('on a pseudo-terminal, prints the same as on a pipe once a drawn line is erased', () => {
    const timeless = (s: string) => s.replace(/\(\d+\.\d+s\)/g, '(…s)');
    const piped = timeless(runCli(args(join(tempDir('ocb-progress-'), 'state'))).stdout);
    const cmd = [process.execPath, BIN, ...args(join(tempDir('ocb-progress-'), 'state'))]
      .map((a) => `'${a}'`)
      .join(' ');
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { env: cleanEnv({ TERM: 'xterm' }), encoding: 'utf8' });
    expect(tty.status).toBe(0);
    // A progress draw is "\r ESC[K <text>"; the next one (or the final erase) wipes it: drop each with its text.
    const shown = tty.stdout.replace(/\r\u001b\[K[^\r\n]*/g, '').replace(/\r\n/g, '\n');
    expect(timeless(shown)).toBe(piped);
  });
});
