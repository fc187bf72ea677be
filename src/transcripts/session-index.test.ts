import { describe, expect, it } from 'vitest';
import { sessionLabels } from './session-index.js';

describe('sessionLabels', () => {
  it('takes label, then displayName, then origin.label, then the session key; never the cost fields', () => {
    const labels = sessionLabels({
      'agent:main:telegram-1': { sessionId: 'a', label: 'Bug hunt', displayName: 'x', estimatedCostUsd: 99 },
      'agent:main:discord-2': { sessionId: 'b', displayName: 'Ops chat' },
      'agent:main:cron-3': { sessionId: 'c', origin: { label: 'nightly' } },
      'agent:main:webchat': { sessionId: 'd', label: '  ' },
      broken: 'not an entry',
      'no-id': { label: 'orphan' },
    });
    expect([...labels]).toEqual([
      ['a', 'Bug hunt'],
      ['b', 'Ops chat'],
      ['c', 'nightly'],
      ['d', 'agent:main:webchat'],
    ]);
  });

  it('anything but an object yields nothing', () => {
    expect(sessionLabels([1, 2]).size).toBe(0);
    expect(sessionLabels(null).size).toBe(0);
  });
});
