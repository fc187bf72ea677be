// The one error funnel: whatever a command throws becomes one message and one exit status, here and nowhere else.
import { CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { PricingError } from '../pricing/load.js';
import { errorMessage } from '../shared/errors.js';
import { LockBusyError } from '../shared/lock.js';
import { EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit.js';
import type { Logger } from './log.js';

/**
 * Bad usage or config exits 2 with its message; another run holding the state dir's lock exits 3 with a warning;
 * anything else exits 1. Commander has already printed its own usage errors (and help, which exits 0).
 */
export function failureStatus(err: unknown, log: Logger): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (err instanceof LockBusyError) {
    log.warn(err.message);
    return EXIT_BUSY;
  }
  log.error(errorMessage(err));
  return err instanceof ConfigError || err instanceof PricingError ? EXIT_USAGE : EXIT_FAILED;
}
