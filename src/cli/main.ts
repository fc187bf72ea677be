#!/usr/bin/env node
// The process boundary: the only place that touches process.argv, the exit status and process.exit.
import './zod-config.js'; // first: schemas are built as their modules load
import { redactStream } from '../shared/redact.js';
import { run } from './run.js';

// Every byte the CLI prints goes through the one redactor (secrets are registered as they are read).
redactStream(process.stdout);
redactStream(process.stderr);

// `openclaw-budget doctor | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// SIGTERM (systemd's TimeoutStartSec, a stop) or Ctrl-C: a command that asked to be told (check: it gives up the
// sources still reading, writes what it knows as a failed run and releases its lock) is told; any other command, or
// a second signal, ends the process as the signal would.
const stopHandlers = new Set<(signal: string) => void>();
let stopping = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (stopping || stopHandlers.size === 0) {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.kill(process.pid, signal);
    return;
  }
  stopping = true;
  process.stderr.write(`openclaw-budget: ${signal}: stopping; writing what is known\n`);
  for (const handler of stopHandlers) handler(signal);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
const onStop = (handler: (signal: string) => void) => {
  stopHandlers.add(handler);
  return () => stopHandlers.delete(handler);
};

// Not a top-level await: the bundle is a CommonJS script, so the launcher can keep V8's compiled code of it.
void run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  onStop,
}).then((code) => {
  process.exitCode = code;
  // Stopped: connections given up may still be closing; nothing is left to write.
  if (stopping) process.exit();
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
});
