import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlertsConfigSchema } from '../config/alerts-schema.js';
import { credstoreFile } from '../config/secrets.js';
import { SSH_TIMEOUT_DEFAULTS } from '../config/ssh-schema.js';
import { CREDENTIAL_KEY, CREDENTIAL_PASSPHRASE } from '../pipeline/gateways.js';
import { UPDATE_TIMEOUT_MS } from '../pricing/update.js';
import { unitProblems, writablePaths } from './install.js';
import { INSTALLED_MARK, quoteExecArg, renderService, setUnitKey, unitValues } from './units.js';

describe('quoteExecArg', () => {
  it('leaves plain paths alone and quotes or escapes what systemd would split or expand', () => {
    expect(quoteExecArg('/usr/bin/node')).toBe('/usr/bin/node');
    expect(quoteExecArg('/opt/my tools/node')).toBe('"/opt/my tools/node"');
    expect(quoteExecArg('/a%b')).toBe('/a%%b');
    expect(quoteExecArg('$HOME')).toBe('$$HOME');
    expect(quoteExecArg('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteExecArg('')).toBe('""');
  });
});

describe('renderService', () => {
  const template = '[Service]\nExecStart=/old check\nReadWritePaths=-/old\nUMask=0022\n';
  it('fills ExecStart and ReadWritePaths and marks the file as installed', () => {
    const text = renderService(template, { execStart: ['/n/node', '/p/cli', 'check'], readWritePaths: ['/a', '/b c'] });
    expect(text).toBe(
      `${INSTALLED_MARK}\n[Service]\nExecStart=/n/node /p/cli check\nReadWritePaths=-/a "-/b c"\nUMask=0022\n`,
    );
    expect(unitValues(text, 'ReadWritePaths')).toEqual(['/a', '/b c']);
  });
  it('drops ReadWritePaths when there is nothing to write, and keeps it when not asked', () => {
    expect(renderService(template, { execStart: ['x'], readWritePaths: [] })).not.toContain('ReadWritePaths');
    expect(renderService(template, { execStart: ['x'] })).toContain('ReadWritePaths=-/old');
  });
  it('refuses a template without the key', () => {
    expect(() => setUnitKey('[Service]\n', 'ExecStart', 'x')).toThrow('no ExecStart= line');
  });
});

describe('what would keep the unit from running', () => {
  it('refuses a node or CLI under /tmp for the system unit (PrivateTmp=yes), naming the path and the fix', () => {
    const r = unitProblems('system', '/usr/bin/node', '/tmp/openclaw-budget/bin/openclaw-budget', true);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(
      /^the CLI is \/tmp\/openclaw-budget\/bin\/openclaw-budget, under \/tmp: the unit runs with PrivateTmp=yes.*outside \/tmp/,
    );
    expect(unitProblems('system', '/var/tmp/node/bin/node', '/opt/ocb/bin/openclaw-budget', true).problems[0]).toMatch(
      /^node is \/var\/tmp\/node\/bin\/node, under \/var\/tmp/,
    );
    expect(unitProblems('user', '/usr/bin/node', '/tmp/x/bin/openclaw-budget', true).problems[0]).toMatch(
      /temporary directory that is cleaned/,
    );
  });

  it("refuses a node that cannot run, warns about one from npx's cache, and notes a CLI in a home directory", () => {
    const npx = unitProblems(
      'system',
      '/root/.npm/_npx/52027bd8/node_modules/node/bin/node',
      '/opt/ocb/bin/openclaw-budget',
      true,
    );
    expect(npx.problems).toEqual([]);
    expect(npx.notes[0]).toMatch(/^WARNING: node is .*npx's cache/);
    expect(unitProblems('system', '/usr/bin/node', '/opt/ocb/bin/openclaw-budget', false).problems[0]).toMatch(
      /not an executable file/,
    );
    const home = unitProblems('system', '/usr/bin/node', '/home/sam/src/openclaw-budget/bin/openclaw-budget', true);
    expect(home.problems).toEqual([]);
    expect(home.notes[0]).toMatch(/ProtectHome=read-only/);
    expect(unitProblems('system', '/usr/bin/node', '/opt/ocb/bin/openclaw-budget', true)).toEqual({
      problems: [],
      notes: [],
    });
  });

  it('lets the system unit write a state dir configured outside its own', () => {
    const paths = { stateDir: '/var/lib/openclaw-budget', flagFile: '/run/openclaw-budget/budget-exceeded' };
    expect(writablePaths(paths, '/srv/t', undefined, '/home/sam/ocb-state')).toEqual(['/srv/t', '/home/sam/ocb-state']);
    expect(writablePaths(paths, '/srv/t', undefined, '/var/lib/openclaw-budget')).toEqual(['/srv/t']);
  });
});

describe('the shipped unit', () => {
  it('loads every credential from /etc/credstore/openclaw-budget-<id>, as the error messages tell the operator', () => {
    const text = readFileSync(new URL('../../systemd/openclaw-budget.service', import.meta.url), 'utf8');
    const loads = unitValues(text, 'LoadCredential');
    expect(loads).toEqual(
      expect.arrayContaining([CREDENTIAL_KEY, CREDENTIAL_PASSPHRASE].map((id) => `${id}:openclaw-budget-${id}`)),
    );
    for (const l of loads) {
      const [id, file] = l.split(':') as [string, string];
      expect(`/etc/credstore/${file}`).toBe(credstoreFile(id));
    }
  });
});

describe('the shipped units and the SSH deadlines', () => {
  it('the worst run the default timeouts allow ends inside TimeoutStartSec, which is inside the 5-minute period', () => {
    const alerts = AlertsConfigSchema.parse(undefined);
    // A gateway that never answers (its deadline covers the connection and every command), then alert delivery
    // with its retries, then a hook that runs to its limit, then the daily price fetch: the rest takes seconds.
    const worst =
      SSH_TIMEOUT_DEFAULTS.timeoutSeconds +
      alerts.timeoutSeconds +
      alerts.hooks.timeoutSeconds +
      UPDATE_TIMEOUT_MS / 1000;
    for (const unit of ['systemd/openclaw-budget.service', 'systemd/user/openclaw-budget.service']) {
      const text = readFileSync(new URL(`../../${unit}`, import.meta.url), 'utf8');
      const m = /^TimeoutStartSec=(\d+)min$/m.exec(text);
      expect(m, unit).not.toBeNull();
      const limitSeconds = Number(m?.[1]) * 60;
      expect(worst, unit).toBeLessThanOrEqual(limitSeconds - 30);
      expect(limitSeconds, unit).toBeLessThan(5 * 60);
    }
  });
});
