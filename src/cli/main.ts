#!/usr/bin/env node
// The process boundary: the only place that touches process.argv, the exit status and process.exit.
import { run } from './run.js';

// `openclaw-budget doctor | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
