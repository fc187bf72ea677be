import { describe, expect, it } from 'vitest';
import { compact, tokenFormat, usd } from './format.js';

describe('number formats', () => {
  it('a token column keeps one format, chosen by its largest value', () => {
    const column = [9724, 11_612, 64, 0];
    expect(column.map(tokenFormat(column))).toEqual(['9.7k', '11.6k', '0.1k', '0']);
    const small = [9724, 64];
    expect(small.map(tokenFormat(small))).toEqual(['9724', '64']);
    const big = [2_213_456, 157_400, 1234];
    expect(big.map(tokenFormat(big))).toEqual(['2.21M', '0.16M', '<0.01M']);
  });

  it('a lone count reads as before the column rule', () => {
    expect([9999, 10_000, 4_500_000, 1.2e9].map(compact)).toEqual(['9999', '10.0k', '4.50M', '1.20G']);
  });

  it('dollars are always in cents; a non-zero amount never reads as $0.00', () => {
    expect([0, 0.0099, 0.004, 0.01, 12.345, -0.001].map(usd)).toEqual([
      '$0.00',
      '$0.01',
      '<$0.01',
      '$0.01',
      '$12.35',
      '-<$0.01',
    ]);
  });
});
