#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerAlert } from './alert.js';
import { registerCheck } from './check.js';
import { EXIT_USAGE } from './exit.js';
import { registerLedger } from './ledger.js';
import { registerReport } from './report.js';
import { registerDoctor } from './doctor.js';
import { registerInstall } from './install.js';
import { registerPricing } from './pricing.js';
import { version } from './version.js';

const program = new Command()
  .name('openclaw-budget')
  .description("Daily LLM spend for OpenClaw gateways: ledger, node_exporter metrics, budget flag file and alerts.")
  .version(version(), '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCheck(program);
registerReport(program);
registerLedger(program);
registerAlert(program);
registerInstall(program);
registerDoctor(program);
registerPricing(program);

// `openclaw-budget doctor | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other commander error is bad usage.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  throw err;
}
