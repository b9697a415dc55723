/** Where a CLI run writes; injected so tests can run the CLI in-process and read what it said. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether standard output / error are terminals (colour, progress). Absent means no. */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** Where `trailcheck fix --apply` reads its confirmation; absent means no terminal to ask. */
  stdin?: NodeJS.ReadableStream;
  stdinIsTTY?: boolean;
  /**
   * Takes over SIGINT and SIGTERM while `fix --apply` changes the account (so an interrupt rolls back
   * instead of killing the run); returns the function that gives them back. Absent: no signals arrive.
   */
  onInterrupt?: (handler: (signal: string) => void) => () => void;
}

export const processIO: CliIO = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY === true,
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    };
  },
};

/** Resolves when SIGINT or SIGTERM arrives (or never, with no signals to wait for): what `serve` and `worker` run until. */
export function untilSignal(io: CliIO): Promise<string> {
  return new Promise((resolveSignal) => {
    if (!io.onInterrupt) return;
    const release = io.onInterrupt((signal) => {
      release();
      resolveSignal(signal);
    });
  });
}
