// Config mistakes people make: a BOM from a Windows editor, a stray comma, a misspelt key, a flag file given as a
// directory. Each is accepted or named precisely.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { didYouMean } from '../shared/zod-issues.js';
import { jsonErrorAt, keysAt, loadConfig } from './load.js';

function file(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'ocb-config-')), 'config.json');
  writeFileSync(p, text);
  return p;
}
const load = (text: string) => loadConfig({ config: file(text) }, {});

describe('config file errors', () => {
  it('accepts a UTF-8 byte order mark', async () => {
    expect((await load('\uFEFF{ "maxDailyUsd": 7 } // a comment\n')).config.maxDailyUsd).toBe(7);
  });

  it('names the line and column of a JSON error, with the line and a caret', async () => {
    await expect(load('{ "maxDailyUsd": 7, // budget\n  "timezone": "UTC",,\n}\n')).rejects.toThrow(
      /invalid JSON at line 2, column 21: .*\n {2}2 \| {3}"timezone": "UTC",,\n {4}\| {21}\^/,
    );
  });

  it('reads the position from either V8 message style', () => {
    const text = '{\n  "a": 1,,\n}';
    expect(jsonErrorAt(text, 'Unexpected token , in JSON at position 11')).toMatch(
      /^invalid JSON at line 2, column 10: Unexpected token ,\n/,
    );
    expect(jsonErrorAt(text, 'Expected double-quoted property name in JSON at position 11 (line 2 column 10)')).toMatch(
      /^invalid JSON at line 2, column 10: Expected double-quoted property name\n/,
    );
    expect(jsonErrorAt('{ "a": 1', 'Unexpected end of JSON input')).toMatch(
      /^invalid JSON at line 1, column 9: Unexpected end of JSON input/,
    );
  });

  it('suggests the key that was meant, at any depth', async () => {
    const err = await load(
      '{ "timezon": "UTC", "alerts": { "webhook": { "ulr": "https://x.example" } }, "gateways": [{ "name": "a", "path": "/x", "acount": "z" }] }',
    ).catch((e: Error) => e.message);
    expect(err).toContain('timezon (config file');
    expect(err).toMatch(/timezon .*: unknown key; did you mean "timezone"\?/);
    expect(err).toMatch(/alerts\.webhook\.ulr .*: unknown key; did you mean "url"\?/);
    expect(err).toMatch(/gateways\.0\.acount .*: unknown key; did you mean "account"\?/);
    const far = await load('{ "colour": "red" }').catch((e: Error) => e.message);
    expect(far).toMatch(/colour .*: unknown key; check its spelling against config\.example\.jsonc/);
  });

  it('knows the keys at each level of the schema', () => {
    expect(keysAt([])).toEqual(expect.arrayContaining(['maxDailyUsd', 'timezone', 'gateways', 'alerts']));
    expect(keysAt(['alerts', 'matrix'])).toEqual(expect.arrayContaining(['homeserver', 'room']));
    expect(keysAt(['gateways', 0])).toEqual(expect.arrayContaining(['name', 'path', 'ssh', 'account']));
    expect(didYouMean('MaxDailyUSD', ['maxDailyUsd'])).toBe('maxDailyUsd');
    expect(didYouMean('zzz', ['maxDailyUsd'])).toBeUndefined();
  });

  it('refuses a flag file path ending in "/"', async () => {
    await expect(loadConfig({ flagFile: '/run/openclaw-budget/' }, {})).rejects.toThrow(
      /flagFile \(flag --flag-file\): names a directory/,
    );
  });
});
