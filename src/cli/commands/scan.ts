import { collect } from '../../collect/index.js';
import { parseRegionList } from '../../collect/regions.js';
import { readSnapshotFile } from '../../snapshot/io.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { SCAN_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import {
  ACCESS_OPTIONS,
  ASSESS_OPTIONS,
  HELP_OPTION,
  REPORT_OPTIONS,
  SELECTION_OPTIONS,
} from '../options.js';
import { assessOptions, chooseControls } from '../selection.js';
import {
  accessOptions,
  assessAndReport,
  collectOrExplain,
  progressDisplay,
  reportSettings,
} from '../output.js';

/** The flags of 'trailcheck scan' (shell completion lists them too). */
export const SCAN_OPTIONS = {
  ...ACCESS_OPTIONS,
  ...REPORT_OPTIONS,
  ...SELECTION_OPTIONS,
  ...ASSESS_OPTIONS,
  ...HELP_OPTION,
  snapshot: { type: 'string' },
} as const;

export async function scanCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('scan', args, SCAN_OPTIONS, io);
  if (values.help) {
    io.stdout(`${SCAN_HELP}\n`);
    return EXIT.OK;
  }
  const selection = chooseControls(values);
  const options = assessOptions(values);
  const controls = selection.controls;
  // Every flag and input file is checked before the first AWS call.
  const settings = await reportSettings(values);
  if (
    values.snapshot !== undefined &&
    (values.profile !== undefined || values.region !== undefined || values.timeout !== undefined)
  ) {
    throw new UsageError(
      '--snapshot assesses saved evidence, so --profile, --region and --timeout do not apply to it.',
    );
  }
  const regions = values.region !== undefined ? parseRegionList(values.region) : null;
  // Checked before any AWS call, so a bad value costs nothing.
  const access = accessOptions(values, io);
  let snapshot;
  if (values.snapshot !== undefined) {
    snapshot = await readSnapshotFile(values.snapshot);
  } else {
    const progress = progressDisplay(io);
    try {
      snapshot = await collectOrExplain(
        io,
        () =>
          collect({
            access,
            regions,
            controls,
            ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
          }),
        settings.plan,
      );
    } finally {
      progress.clear();
    }
  }
  return assessAndReport(io, snapshot, selection, options, settings);
}
