// The launcher's V8 compile cache (Node >= 22.1): written only to a private directory, never in the way of a run.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { version } from '../../src/cli/version.js';
import { cleanEnv, runCli } from '../support/cli.js';

const supported = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('compile cache', () => {
  it.skipIf(!supported)('is kept under systemd state directory, and a second run uses it', () => {
    const state = mkdtempSync(join(tmpdir(), 'ocb-cc-'));
    const env = cleanEnv({ STATE_DIRECTORY: state });
    expect(runCli(['--version'], env)).toMatchObject({ status: 0, stdout: `${version()}\n`, stderr: '' });
    const dir = join(state, 'compile-cache');
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir, { recursive: true }).length).toBeGreaterThan(1);
    expect(runCli(['--version'], env)).toMatchObject({ status: 0, stdout: `${version()}\n`, stderr: '' });
  });

  it('never stops or disturbs a run when its directory cannot be made', () => {
    for (const base of ['/proc/self/no-such-dir', '/dev/null/x', 'relative/dir']) {
      const r = runCli(['--version'], cleanEnv({ STATE_DIRECTORY: base, HOME: base, XDG_CACHE_HOME: base }));
      expect(r, base).toMatchObject({ status: 0, stdout: `${version()}\n`, stderr: '' });
    }
  });
});
