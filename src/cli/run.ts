import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { EXIT, UserError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { oneLine } from '../util/text.js';
import { collectCommand } from './commands/collect.js';
import { completionCommand } from './commands/completion.js';
import { controlsCommand, explainCommand } from './commands/controls.js';
import { demoCommand } from './commands/demo.js';
import { diffCommand } from './commands/diff.js';
import { fixCommand } from './commands/fix.js';
import { iamPolicyCommand } from './commands/iam-policy.js';
import { planCommand } from './commands/plan.js';
import { scanCommand } from './commands/scan.js';
import { serveCommand } from './commands/serve.js';
import { workerCommand } from './commands/worker.js';
import { MAIN_HELP } from './help.js';
import type { CliIO } from './io.js';

export const COMMANDS: Record<string, (args: string[], io: CliIO) => Promise<number>> = {
  scan: scanCommand,
  collect: collectCommand,
  demo: demoCommand,
  controls: controlsCommand,
  explain: explainCommand,
  diff: diffCommand,
  plan: planCommand,
  fix: fixCommand,
  'iam-policy': iamPolicyCommand,
  completion: completionCommand,
  serve: serveCommand,
  worker: workerCommand,
};

/**
 * Commands that run until a signal: once they return, whatever they still had in flight (an AWS call of
 * a scan they gave back to the queue) is not waited for.
 */
export const LONG_RUNNING_COMMANDS: ReadonlySet<string> = new Set(['serve', 'worker']);

/** Long enough for any real message (a list of known profiles, a zod path), short enough to read. */
const MAX_ERROR_LINE = 2000;

/**
 * Runs one command line and returns its exit code. User errors become one line on stderr; anything else
 * is a trailcheck bug, reported as such (with the stack only when TRAILCHECK_DEBUG is set).
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      if (topic !== undefined && COMMANDS[topic]) return await COMMANDS[topic](['--help'], io);
      io.stdout(`${MAIN_HELP}\n`);
      return command === undefined ? EXIT.USAGE : EXIT.OK;
    }
    if (command === '--version' || command === '-V' || command === '-v' || command === 'version') {
      io.stdout(`${TOOL_NAME} ${TOOL_VERSION}\n`);
      return EXIT.OK;
    }
    const handler = COMMANDS[command];
    if (!handler) {
      const hint = didYouMean(command, Object.keys(COMMANDS));
      io.stderr(`trailcheck: unknown command '${command}'${hint}; run 'trailcheck --help' for the list.\n`);
      return EXIT.USAGE;
    }
    return await handler(rest, io);
  } catch (error) {
    if (error instanceof UserError) {
      // Messages echo flags, file contents and AWS errors: always one printable line.
      io.stderr(`trailcheck: ${oneLine(error.message, MAX_ERROR_LINE)}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(
      `trailcheck: internal error: ${oneLine(message, MAX_ERROR_LINE)}. This is a bug in trailcheck; please report it with the command you ran.\n`,
    );
    if (io.env.TRAILCHECK_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT.CANNOT_RUN;
  }
}
