import { describe, expect, it } from 'vitest';
import { renderMetrics } from './prom.js';

describe('renderMetrics', () => {
  it('writes HELP and TYPE for every metric, escapes labels, never rounds', () => {
    const text = renderMetrics([
      { name: 'a_usd', help: 'Spend\\today\nnew', type: 'gauge', samples: [{ value: 0.1 + 0.2 }] },
      { name: 'b', help: 'b', type: 'gauge', samples: [{ labels: { model: 'x"y\\z\nw', provider: 'p' }, value: 3 }] },
      { name: 'c', help: 'empty', type: 'gauge', samples: [] },
    ]);
    expect(text).toBe(
      [
        '# HELP a_usd Spend\\\\today\\nnew',
        '# TYPE a_usd gauge',
        'a_usd 0.30000000000000004',
        '# HELP b b',
        '# TYPE b gauge',
        'b{model="x\\"y\\\\z\\nw",provider="p"} 3',
        '# HELP c empty',
        '# TYPE c gauge',
        '',
      ].join('\n'),
    );
  });
});

describe('renderMetrics guard', () => {
  it('never writes +Inf, -Inf or NaN: a non-finite sample is left out', () => {
    const text = renderMetrics([
      {
        name: 'x',
        help: 'x',
        type: 'gauge',
        samples: [
          { value: Infinity },
          { labels: { a: 'b' }, value: Number.NaN },
          { labels: { a: 'c' }, value: -Infinity },
          { labels: { a: 'd' }, value: 1 },
        ],
      },
    ]);
    expect(text).not.toMatch(/Inf|NaN/);
    expect(text).toContain('x{a="d"} 1');
  });
});
