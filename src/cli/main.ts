#!/usr/bin/env node
import { processIO } from './io.js';
import { LONG_RUNNING_COMMANDS, runCli } from './run.js';

// A reader that goes away (`trailcheck demo | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIO);
if (LONG_RUNNING_COMMANDS.has(process.argv[2] ?? '')) process.exit();
