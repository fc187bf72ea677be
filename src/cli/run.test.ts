import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.js';
import { PricingError } from '../pricing/load.js';
import { LockBusyError } from '../shared/lock.js';
import { EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit.js';
import { failureStatus } from './failure.js';
import { createLogger } from './log.js';
import { run } from './run.js';

function capture() {
  let text = '';
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

describe('failureStatus (the error funnel)', () => {
  const status = (err: unknown) => {
    const err2 = capture();
    return {
      code: failureStatus(err, createLogger({ verbose: false, env: {}, stream: err2.stream })),
      said: err2.text(),
    };
  };

  it('maps each error class to its exit status and one message', () => {
    expect(status(new ConfigError('bad key'))).toEqual({ code: EXIT_USAGE, said: 'openclaw-budget: error: bad key\n' });
    expect(status(new PricingError('bad price'))).toEqual({
      code: EXIT_USAGE,
      said: 'openclaw-budget: error: bad price\n',
    });
    expect(status(new LockBusyError('/s/lock', undefined, 0)).code).toBe(EXIT_BUSY);
    expect(status(new Error('disk full'))).toEqual({ code: EXIT_FAILED, said: 'openclaw-budget: error: disk full\n' });
    expect(status('a string')).toEqual({ code: EXIT_FAILED, said: 'openclaw-budget: error: a string\n' });
  });

  it('leaves commander its own words: help is 0, any usage error 2', () => {
    expect(status(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({
      code: EXIT_OK,
      said: '',
    });
    expect(status(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({
      code: EXIT_USAGE,
      said: '',
    });
  });
});

describe('run (the CLI in-process)', () => {
  const cli = async (args: string[]) => {
    const out = capture();
    const err = capture();
    const code = await run(args, { env: { NO_COLOR: '1' }, stdout: out.stream, stderr: err.stream });
    return { code, stdout: out.text(), stderr: err.text() };
  };

  it('prints help and the version on the given stdout, exit 0', async () => {
    expect(await cli(['--version'])).toMatchObject({
      code: EXIT_OK,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/),
    });
    const help = await cli(['check', '--help']);
    expect(help.code).toBe(EXIT_OK);
    expect(help.stdout).toContain('--state-dir <dir>');
  });

  it('turns bad usage into exit 2 with the message on the given stderr, and never exits the process', async () => {
    const bad = await cli(['check', '--bogus']);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toContain("unknown option '--bogus'");
    const now = await cli(['check', '--now', 'yesterday']);
    expect(now).toMatchObject({ code: EXIT_USAGE, stdout: '' });
    expect(now.stderr).toBe(
      'openclaw-budget: error: --now: expected an ISO 8601 instant such as 2026-11-20T18:00:00Z, got "yesterday"\n',
    );
  });
});
