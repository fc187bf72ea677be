import { describe, expect, it } from 'vitest';
import { createLogger, useColor } from './log.js';

function sink(isTTY: boolean) {
  let text = '';
  const stream = { isTTY, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

const ESC = '\u001b[';

describe('useColor', () => {
  it('colours only a terminal, never with NO_COLOR or TERM=dumb', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true); // the NO_COLOR convention: empty means unset
    expect(useColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('createLogger', () => {
  it('prefixes every line with the program name and colours errors on a terminal', () => {
    const tty = sink(true);
    createLogger({ verbose: false, env: {}, stream: tty.stream }).error('boom');
    expect(tty.text()).toContain(`${ESC}`);
    expect(tty.text()).toContain('openclaw-budget: ');
    const pipe = sink(false);
    const log = createLogger({ verbose: false, env: {}, stream: pipe.stream });
    log.error('boom');
    log.warn('careful');
    log.info('fine');
    expect(pipe.text()).toBe(
      'openclaw-budget: error: boom\nopenclaw-budget: warning: careful\nopenclaw-budget: fine\n',
    );
  });

  it('prints debug lines only when verbose', () => {
    const quiet = sink(false);
    createLogger({ verbose: false, env: {}, stream: quiet.stream }).debug('detail');
    expect(quiet.text()).toBe('');
    const loud = sink(false);
    createLogger({ verbose: true, env: {}, stream: loud.stream }).debug('detail');
    expect(loud.text()).toBe('openclaw-budget: detail\n');
  });

  it('keeps colours off with NO_COLOR even on a terminal', () => {
    const tty = sink(true);
    createLogger({ verbose: false, env: { NO_COLOR: '1' }, stream: tty.stream }).error('boom');
    expect(tty.text()).toBe('openclaw-budget: error: boom\n');
  });
});
