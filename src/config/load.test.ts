import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'ocb-config-'));
function file(content: string): string {
  const p = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, content);
  return p;
}

describe('loadConfig', () => {
  it('defaults when nothing is given', async () => {
    const { config, configPath } = await loadConfig({ config: file('{}') }, {});
    expect(configPath).toBeDefined();
    expect(config).toMatchObject({
      maxDailyUsd: 5,
      warnAt: 0.8,
      pricing: { mode: 'auto', subscriptionsAsFree: false },
      alerts: { enabled: true },
      gateways: [],
    });
  });

  it('flag > environment > config file > default', async () => {
    const cfg = file('{ "maxDailyUsd": 1, "warnAt": 0.5, "timezone": "UTC" }');
    const env = { MAX_DAILY_USD: '2', OPENCLAW_BUDGET_WARN_AT: '0.6' };
    const a = await loadConfig({ config: cfg }, env);
    expect([a.config.maxDailyUsd, a.config.warnAt, a.config.timezone]).toEqual([2, 0.6, 'UTC']);
    const b = await loadConfig({ config: cfg, maxDailyUsd: '3' }, env);
    expect([b.config.maxDailyUsd, b.config.warnAt]).toEqual([3, 0.6]);
  });

  it('reads the config path from OPENCLAW_BUDGET_CONFIG, and comments in the file', async () => {
    const cfg = file('// budget\n{ "maxDailyUsd": 7 /* usd */ }');
    expect((await loadConfig({}, { OPENCLAW_BUDGET_CONFIG: cfg })).config.maxDailyUsd).toBe(7);
  });

  it('--no-alert turns alerts off; its absence leaves the config value', async () => {
    const cfg = file('{ "alerts": { "enabled": false } }');
    expect((await loadConfig({ config: cfg, alert: true }, {})).config.alerts.enabled).toBe(false);
    expect((await loadConfig({ config: file('{}'), alert: false }, {})).config.alerts.enabled).toBe(false);
  });

  it('expands ~ in paths', async () => {
    const { config } = await loadConfig({ config: file('{ "stateDir": "~/x" }') }, {});
    expect(config.stateDir).toBe(join(homedir(), 'x'));
  });

  it('--source comes from the flag, else the environment', async () => {
    expect((await loadConfig({ config: file('{}'), source: '/a' }, { OPENCLAW_BUDGET_SOURCE: '/b' })).source).toBe(
      '/a',
    );
    expect((await loadConfig({ config: file('{}') }, { OPENCLAW_BUDGET_SOURCE: '/b' })).source).toBe('/b');
  });

  it.each([
    ['{ "maxDailyUsd": "5" }', {}, {}, /maxDailyUsd \(config file .*\): expected a number of USD/],
    ['{ "budget": 5 }', {}, {}, /budget \(config file .*\): unknown key/],
    ['{ "pricing": { "mode": "guess" } }', {}, {}, /pricing\.mode \(config file .*\):.*"auto"/],
    ['{ "gateways": [ { "name": "a b", "path": "/x" } ] }', {}, {}, /gateways\.0\.name/],
    ['{}', { MAX_DAILY_USD: 'ten' }, {}, /maxDailyUsd \(environment MAX_DAILY_USD\)/],
    ['{}', { MAX_DAILY_USD: '0' }, {}, /maxDailyUsd \(environment MAX_DAILY_USD\): expected a budget above 0/],
    ['{}', {}, { warnAt: '1.5' }, /warnAt \(flag --warn-at\): expected a fraction of at most 1/],
    ['{}', {}, { timezone: 'Europe/Nowhere' }, /timezone \(flag --timezone\): expected an IANA time zone/],
  ])('names the key, its origin and the expectation: %s %j %j', async (content, env, flags, re) => {
    const err = await loadConfig({ config: file(content), ...flags }, env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(re);
  });

  it('names a missing or unparsable config file', async () => {
    await expect(loadConfig({ config: join(dir, 'nope.json') }, {})).rejects.toThrow(
      /cannot read config file .*nope\.json \(ENOENT\)/,
    );
    await expect(loadConfig({ config: file('{ nope') }, {})).rejects.toThrow(/invalid JSON at line 1, column 3/);
    await expect(loadConfig({ config: file('[1]') }, {})).rejects.toThrow(/one JSON object/);
  });
});
