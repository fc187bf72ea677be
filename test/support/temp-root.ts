// Vitest global setup: the run's temp files (thousands of dirs, some of them big) go under one directory of the
// run's own, removed when it ends. Workers and the CLIs they spawn inherit TMPDIR, so tmpdir() points there.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'ocb-test-run-'));
  chmodSync(root, 0o1777); // as /tmp: tests that run a command as another user (nobody) reach their dirs
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
