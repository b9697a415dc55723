import { collect } from '../../collect/index.js';
import { parseRegionList } from '../../collect/regions.js';
import { selectControls } from '../../controls/index.js';
import { readSnapshotFile } from '../../snapshot/io.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { SCAN_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import {
  ACCESS_OPTIONS,
  HELP_OPTION,
  OUTPUT_OPTIONS,
  SELECTION_OPTIONS,
  parseCommandArgs,
} from '../options.js';
import { accessOptions, assessAndReport, collectOrExplain, resolveFormat } from '../output.js';

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
  const snapshot =
    values.snapshot !== undefined
      ? await readSnapshotFile(values.snapshot)
      : await collectOrExplain(io, () => collect({ access, regions, controls }), format, values.output);
  return assessAndReport(io, snapshot, controls, format, values.output);
}
