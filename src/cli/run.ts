// The CLI as a function: arguments and an Io in, an exit status out. main.ts binds it to the process.
import { Command } from 'commander';
import { registerAlert } from './alert.js';
import { registerCheck } from './check.js';
import { commandContext } from './context.js';
import { registerDoctor } from './doctor.js';
import { failureStatus } from './failure.js';
import { registerInstall } from './install.js';
import type { Io } from './io.js';
import { registerLedger } from './ledger.js';
import { registerPricing } from './pricing.js';
import { registerReport } from './report.js';
import { version } from './version.js';

/** Runs one command line (without node and the script: `['check', '--json']`) and returns its exit status. */
export async function run(args: readonly string[], io: Io): Promise<number> {
  let status = 0;
  const ctx = commandContext(io, (s) => {
    status = s;
  });
  const program = new Command()
    .name('openclaw-budget')
    .description('Daily LLM spend for OpenClaw gateways: ledger, node_exporter metrics, budget flag file and alerts.')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
    })
    // Set before the commands are added, which inherit it: commander throws instead of exiting the process.
    .exitOverride();
  for (const register of [
    registerCheck,
    registerReport,
    registerLedger,
    registerAlert,
    registerInstall,
    registerDoctor,
    registerPricing,
  ])
    register(program, ctx);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    status = failureStatus(err, ctx.logger());
  }
  return status;
}
