import type { AwsAccessOptions } from '../aws/clients.js';
import { assess, integerResult } from '../evaluate/assess.js';
import type { Assessment } from '../evaluate/assess.js';
import type { ControlDefinition } from '../controls/types.js';
import type { AssessOptions } from '../evaluate/view.js';
import type { Framework } from '../frameworks/index.js';
import { bottomLine } from '../report/bottom-line.js';
import { parseFormat, render } from '../report/index.js';
import type { Format } from '../report/index.js';
import { failedJsonReport } from '../report/json.js';
import type { Snapshot } from '../snapshot/schema.js';
import { CannotRunError, EXIT } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';
import type { CliIO } from './io.js';

/** --format wins; otherwise the output file's extension decides; otherwise text. */
export function resolveFormat(format: string | undefined, output: string | undefined): Format {
  if (format !== undefined) return parseFormat(format);
  if (output?.toLowerCase().endsWith('.md')) return 'markdown';
  if (output?.toLowerCase().endsWith('.json')) return 'json';
  return 'text';
}

/** Writes to stdout, or atomically to a file with one line on stderr saying so. */
export async function emit(
  io: CliIO,
  content: string,
  output: string | undefined,
  what: string,
): Promise<void> {
  if (output === undefined) {
    io.stdout(content);
    return;
  }
  await writeFileAtomic(output, content);
  io.stderr(`trailcheck: wrote ${what} to ${output}\n`);
}

export function accessOptions(values: { profile?: string }, io: CliIO): AwsAccessOptions {
  return values.profile !== undefined ? { profile: values.profile, env: io.env } : { env: io.env };
}

/** Renders an assessment the user asked for and returns the exit code it deserves. */
export async function reportAssessment(
  io: CliIO,
  assessment: Assessment,
  format: Format,
  output: string | undefined,
): Promise<number> {
  const line = bottomLine(assessment);
  await emit(io, render(assessment, format), output, `the ${format} report (${line.headline.toLowerCase()})`);
  return integerResult(assessment) === 0 ? EXIT.OK : EXIT.FINDINGS;
}

/** Assesses a snapshot with the chosen controls and reports it. */
export async function assessAndReport(
  io: CliIO,
  snapshot: Snapshot,
  selection: { controls: readonly ControlDefinition[]; framework: Framework | undefined },
  options: AssessOptions,
  format: Format,
  output: string | undefined,
): Promise<number> {
  const assessment = assess(snapshot, selection.controls, { ...options, framework: selection.framework });
  return reportAssessment(io, assessment, format, output);
}

/**
 * Runs a collection, turning "could not run" into a JSON document too when JSON was asked for, so a
 * machine reading the output still gets integer_result 2 and the reason.
 */
export async function collectOrExplain(
  io: CliIO,
  run: () => Promise<Snapshot>,
  format: Format,
  output: string | undefined,
): Promise<Snapshot> {
  const started = new Date();
  try {
    return await run();
  } catch (error) {
    if (error instanceof CannotRunError && format === 'json') {
      const doc = failedJsonReport(error.message, started, new Date());
      await emit(io, `${JSON.stringify(doc, null, 2)}\n`, output, 'the json report');
    }
    throw error;
  }
}
