import { collect } from '../../collect/index.js';
import { parseRegionList } from '../../collect/regions.js';
import { readSnapshotFile } from '../../snapshot/io.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { SCAN_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import {
  ACCESS_OPTIONS,
  ASSESS_OPTIONS,
  HELP_OPTION,
  OUTPUT_OPTIONS,
  SELECTION_OPTIONS,
  parseCommandArgs,
} from '../options.js';
import { assessOptions, chooseControls } from '../selection.js';
import { accessOptions, assessAndReport, collectOrExplain, resolveFormat } from '../output.js';

export async function scanCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('scan', args, {
    ...ACCESS_OPTIONS,
    ...OUTPUT_OPTIONS,
    ...SELECTION_OPTIONS,
    ...ASSESS_OPTIONS,
    ...HELP_OPTION,
    snapshot: { type: 'string' },
  });
  if (values.help) {
    io.stdout(`${SCAN_HELP}\n`);
    return EXIT.OK;
  }
  const selection = chooseControls(values);
  const options = assessOptions(values);
  const controls = selection.controls;
  const format = resolveFormat(values.format, values.output);
  if (values.snapshot !== undefined && (values.profile !== undefined || values.region !== undefined)) {
    throw new UsageError('--snapshot assesses saved evidence, so --profile and --region do not apply to it.');
  }
  const regions = values.region !== undefined ? parseRegionList(values.region) : null;
  const snapshot =
    values.snapshot !== undefined
      ? await readSnapshotFile(values.snapshot)
      : await collectOrExplain(
          io,
          () => collect({ access: accessOptions(values, io), regions, controls }),
          format,
          values.output,
        );
  return assessAndReport(io, snapshot, selection, options, format, values.output);
}
