import { describe, expect, it } from 'vitest';
import { accountResolver } from '../reports/accounts.js';
import { ConfigSchema } from './schema.js';

describe('account config', () => {
  it('labels per gateway and per provider within it; unlabelled gateways are their own account', () => {
    const config = ConfigSchema.parse({
      gateways: [
        { name: 'home', path: '/srv/a', account: 'personal', accounts: { openai: 'work-openai' } },
        { name: 'vps', path: '/srv/b' },
      ],
    });
    const of = accountResolver(config.gateways);
    expect([of('home', 'anthropic'), of('home', 'openai'), of('vps', 'anthropic'), of('old', 'openai')]).toEqual([
      'personal',
      'work-openai',
      'vps',
      'old',
    ]);
  });

  it('refuses a label that looks like an API key, without echoing it', () => {
    const r = ConfigSchema.safeParse({
      gateways: [{ name: 'home', path: '/srv/a', account: 'sk-ant-api03-abcdefghijklmnop' }],
    });
    expect(r.success).toBe(false);
    const msg = JSON.stringify(r.error?.issues);
    expect(msg).toMatch(/looks like an API key/);
    expect(msg).not.toContain('abcdefghijklmnop');
  });

  it('window limits need tokens or usd, and a known window', () => {
    expect(ConfigSchema.safeParse({ windows: { limits: [{ window: '5h' }] } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ windows: { limits: [{ window: '1h', usd: 1 }] } }).success).toBe(false);
    expect(
      ConfigSchema.parse({ windows: { limits: [{ window: '7d', usd: 1, provider: 'anthropic' }] } }).windows.limits,
    ).toHaveLength(1);
    expect(ConfigSchema.parse({}).windows.limits).toEqual([]);
    expect(ConfigSchema.parse({ maxMonthlyUsd: 100 }).maxMonthlyUsd).toBe(100);
  });
});
