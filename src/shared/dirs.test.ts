import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDir, walkToExisting } from './dirs.js';

describe('ensureDir', () => {
  it('creates missing levels one at a time', () => {
    const root = mkdtempSync(join(tmpdir(), 'ocb-dirs-'));
    ensureDir(join(root, 'a', 'b', 'c'));
    expect(statSync(join(root, 'a', 'b', 'c')).isDirectory()).toBe(true);
    ensureDir(join(root, 'a', 'b', 'c'));
  });

  it('fails at once under /proc (where recursive mkdir loops forever)', () => {
    expect(() => ensureDir('/proc/openclaw-budget-test/state')).toThrow(
      /cannot create \/proc\/openclaw-budget-test.*pseudo-filesystem/,
    );
  });

  it('names a dangling symlink on the way, and a file in the way', () => {
    const root = mkdtempSync(join(tmpdir(), 'ocb-dirs-'));
    symlinkSync(join(root, 'gone'), join(root, 'link'));
    expect(() => walkToExisting(join(root, 'link', 'state'))).toThrow(
      /link is a symlink to .*gone, which does not exist/,
    );
    writeFileSync(join(root, 'file'), '');
    expect(() => ensureDir(join(root, 'file', 'state'))).toThrow(/not a directory/);
  });
});
