import { join } from 'node:path';
import type { AwsAccessOptions } from '../aws/clients.js';
import { collect } from '../collect/index.js';
import { parseRegionList } from '../collect/regions.js';
import { selectControls } from '../controls/index.js';
import { assess, integerResult } from '../evaluate/assess.js';
import type { Assessment } from '../evaluate/assess.js';
import { parseFormat, render } from '../report/index.js';
import type { Format } from '../report/index.js';
import { failedJsonReport } from '../report/json.js';
import { bottomLine } from '../report/bottom-line.js';
import { readSnapshotFile, serializeSnapshot } from '../snapshot/io.js';
import type { Snapshot } from '../snapshot/schema.js';
import { CannotRunError, EXIT, UsageError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';
import { packageRoot } from '../util/package-root.js';
import { COLLECT_HELP, DEMO_HELP, SCAN_HELP } from './help.js';
import type { CliIO } from './io.js';
import {
  ACCESS_OPTIONS,
  HELP_OPTION,
  OUTPUT_OPTIONS,
  SELECTION_OPTIONS,
  parseCommandArgs,
} from './options.js';

export const DEMO_SNAPSHOT = 'demo/mooncloud-cis-test.snapshot.json';

/** --format wins; otherwise the output file's extension decides; otherwise text. */
export function resolveFormat(format: string | undefined, output: string | undefined): Format {
  if (format !== undefined) return parseFormat(format);
  if (output?.toLowerCase().endsWith('.md')) return 'markdown';
  if (output?.toLowerCase().endsWith('.json')) return 'json';
  return 'text';
}

async function emit(io: CliIO, content: string, output: string | undefined, what: string): Promise<void> {
  if (output === undefined) {
    io.stdout(content);
    return;
  }
  await writeFileAtomic(output, content);
  io.stderr(`trailcheck: wrote ${what} to ${output}\n`);
}

function accessOptions(values: { profile?: string }, io: CliIO): AwsAccessOptions {
  return values.profile !== undefined ? { profile: values.profile, env: io.env } : { env: io.env };
}

/** Renders an assessment the user asked for and returns the exit code it deserves. */
async function report(
  io: CliIO,
  assessment: Assessment,
  format: Format,
  output: string | undefined,
): Promise<number> {
  const line = bottomLine(assessment);
  await emit(io, render(assessment, format), output, `the ${format} report (${line.headline.toLowerCase()})`);
  return integerResult(assessment) === 0 ? EXIT.OK : EXIT.FINDINGS;
}

/**
 * Collects, turning "could not run" into a JSON document too when JSON was asked for, so a machine reading
 * the output still gets integer_result 2 and the reason.
 */
async function collectOrExplain(
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

export async function scanCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('scan', args, {
    ...ACCESS_OPTIONS,
    ...OUTPUT_OPTIONS,
    ...SELECTION_OPTIONS,
    ...HELP_OPTION,
    snapshot: { type: 'string' },
  });
  if (values.help) {
    io.stdout(`${SCAN_HELP}\n`);
    return EXIT.OK;
  }
  const controls = selectControls(values.controls);
  const format = resolveFormat(values.format, values.output);
  if (values.snapshot !== undefined && (values.profile !== undefined || values.region !== undefined)) {
    throw new UsageError('--snapshot assesses saved evidence, so --profile and --region do not apply to it.');
  }
  const regions = values.region !== undefined ? parseRegionList(values.region) : null;
  const snapshotFile = values.snapshot;
  const snapshot =
    snapshotFile !== undefined
      ? await readSnapshotFile(snapshotFile)
      : await collectOrExplain(
          io,
          () => collect({ access: accessOptions(values, io), regions, controls }),
          format,
          values.output,
        );
  return report(io, assess(snapshot, controls), format, values.output);
}

export async function collectCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('collect', args, {
    ...ACCESS_OPTIONS,
    ...SELECTION_OPTIONS,
    ...HELP_OPTION,
    output: OUTPUT_OPTIONS.output,
  });
  if (values.help) {
    io.stdout(`${COLLECT_HELP}\n`);
    return EXIT.OK;
  }
  const controls = selectControls(values.controls);
  const regions = values.region !== undefined ? parseRegionList(values.region) : null;
  const snapshot = await collect({ access: accessOptions(values, io), regions, controls });
  const calls = snapshot.stats.apiCalls.reduce((sum, c) => sum + c.calls, 0);
  await emit(
    io,
    serializeSnapshot(snapshot),
    values.output,
    `the snapshot of account ${snapshot.account.Account} (${snapshot.cloudtrail.trails.length} trails, ${snapshot.scope.regions.length} Regions, ${calls} API calls)`,
  );
  return EXIT.OK;
}

export async function demoCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('demo', args, { ...OUTPUT_OPTIONS, ...SELECTION_OPTIONS, ...HELP_OPTION });
  if (values.help) {
    io.stdout(`${DEMO_HELP}\n`);
    return EXIT.OK;
  }
  const controls = selectControls(values.controls);
  const format = resolveFormat(values.format, values.output);
  const snapshot = await readSnapshotFile(join(packageRoot(), DEMO_SNAPSHOT));
  return report(io, assess(snapshot, controls), format, values.output);
}
