import { describe, expect, it } from 'vitest';
import { PRICING, rec } from '../../test/helpers/records.js';
import { topSessions } from './sessions.js';

describe('topSessions', () => {
  const records = [
    rec('2026-11-20T08:00:00Z', { session: 'a' }),
    rec('2026-11-20T09:00:00Z', { session: 'a', provider: 'openai' }),
    rec('2026-11-20T07:00:00Z', { session: 'a', input: 500_000 }),
    rec('2026-11-20T10:00:00Z', { session: 'b', agent: 'coder' }),
    rec('2026-11-20T10:00:00Z', { session: 'a', gateway: 'vps' }), // same id on another gateway: another session
    rec('2026-11-20T11:00:00Z', { session: 'c', provider: 'ollama' }),
  ];
  const labels = new Map([['home\tmain\ta', 'Bug hunt']]);
  const rows = topSessions(records, {
    pricing: PRICING,
    limit: 3,
    labelOf: (g, a, s) => labels.get(`${g}\t${a}\t${s}`),
  });

  it('ranks by cost and keeps the top N', () => {
    expect(rows.map((r) => [r.gateway, r.agent, r.session, r.costUsd, r.calls])).toEqual([
      ['home', 'main', 'a', 3.5, 3],
      ['vps', 'main', 'a', 1, 1], // equal cost and calls: by session id
      ['home', 'coder', 'b', 1, 1],
    ]);
  });

  it('gives the label, model mix and first and last call', () => {
    const [a] = rows;
    expect(a).toMatchObject({
      label: 'Bug hunt',
      firstCall: Date.parse('2026-11-20T07:00:00Z'),
      lastCall: Date.parse('2026-11-20T09:00:00Z'),
    });
    expect(a?.models).toEqual([
      { provider: 'openai', model: 'gpt-5.2', calls: 1, costUsd: 2, share: 2 / 3.5 },
      { provider: 'anthropic', model: 'claude-opus-4-5', calls: 2, costUsd: 1.5, share: 1.5 / 3.5 },
    ]);
    expect(rows[2]?.label).toBeNull();
  });

  it('a session that cost nothing shares by calls', () => {
    const [c] = topSessions([rec('2026-11-20T11:00:00Z', { provider: 'ollama' })], {
      pricing: PRICING,
      limit: 5,
      labelOf: () => undefined,
    });
    expect(c?.models[0]?.share).toBe(1);
  });
});
