// The launcher's V8 code cache: written only to a private directory, used by the next run, never in its way.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { version } from '../../src/cli/version.js';
import { cleanEnv, runCli } from '../support/cli.js';

const ok = { status: 0, stdout: `${version()}\n`, stderr: '' };

describe('compile cache', () => {
  it('is kept under the systemd state directory, private, and a second run uses it without rewriting it', () => {
    const state = mkdtempSync(join(tmpdir(), 'ocb-cc-'));
    const env = cleanEnv({ STATE_DIRECTORY: state });
    expect(runCli(['--version'], env)).toMatchObject(ok);
    const dir = join(state, 'compile-cache');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const file = join(dir, files[0] as string);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const first = readFileSync(file);
    expect(first.length).toBeGreaterThan(10_000);
    writeFileSync(join(dir, `${'0'.repeat(32)}.v8`), 'an older build'); // removed when a cache is next written
    const before = statSync(file).mtimeMs;
    expect(runCli(['--version'], env)).toMatchObject(ok);
    expect(statSync(file).mtimeMs).toBe(before); // accepted by V8, so not written again
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('a damaged cache is rejected by V8, the run goes on, and the cache is written anew', () => {
    const state = mkdtempSync(join(tmpdir(), 'ocb-cc-'));
    const env = cleanEnv({ STATE_DIRECTORY: state });
    expect(runCli(['--version'], env)).toMatchObject(ok);
    const dir = join(state, 'compile-cache');
    const file = join(dir, readdirSync(dir)[0] as string);
    writeFileSync(join(dir, `${'0'.repeat(32)}.v8`), 'an older build');
    const good = readFileSync(file);
    writeFileSync(file, Buffer.alloc(good.length, 7));
    expect(runCli(['--version'], env)).toMatchObject(ok);
    expect(readFileSync(file)[0]).not.toBe(7);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('never stops or disturbs a run when its directory cannot be made', () => {
    for (const base of ['/proc/self/no-such-dir', '/dev/null/x', 'relative/dir']) {
      const r = runCli(['--version'], cleanEnv({ STATE_DIRECTORY: base, HOME: base, XDG_CACHE_HOME: base }));
      expect(r, base).toMatchObject(ok);
    }
  });
});
