#!/usr/bin/env node
// The process boundary: the only place that touches process.argv, the exit status and process.exit.
import './zod-config.js'; // first: schemas are built as their modules load
import { EXIT_FAILED } from './exit.js';
import { run } from './run.js';

// `openclaw-budget doctor | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// SIGTERM (systemd's TimeoutStartSec, a stop) or Ctrl-C: a check gives up the sources still reading, writes what it
// knows as a failed run and releases its lock. A second signal ends the process at once.
const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (stop.signal.aborted) process.exit(EXIT_FAILED);
  process.stderr.write(`openclaw-budget: ${signal}: stopping; writing what is known\n`);
  stop.abort(signal);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

process.exitCode = await run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, signal: stop.signal });
// Stopped: connections given up may still be closing; nothing is left to write.
if (stop.signal.aborted) process.exit();
process.off('SIGTERM', onSignal);
process.off('SIGINT', onSignal);
