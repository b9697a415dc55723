import { join } from 'node:path';
import { selectControls } from '../../controls/index.js';
import { readSnapshotFile } from '../../snapshot/io.js';
import { EXIT } from '../../util/errors.js';
import { packageRoot } from '../../util/package-root.js';
import { DEMO_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import { HELP_OPTION, REPORT_OPTIONS, SELECTION_OPTIONS, parseCommandArgs } from '../options.js';
import { assessAndReport, reportSettings } from '../output.js';

/** The demo account's evidence, recorded from the seed scenario on moto (`npm run demo:record`). */
export const DEMO_SNAPSHOT = 'demo/mooncloud-cis-test.snapshot.json';

export async function demoCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('demo', args, { ...REPORT_OPTIONS, ...SELECTION_OPTIONS, ...HELP_OPTION });
  if (values.help) {
    io.stdout(`${DEMO_HELP}\n`);
    return EXIT.OK;
  }
  const controls = selectControls(values.controls);
  const settings = await reportSettings(values);
  const snapshot = await readSnapshotFile(join(packageRoot(), DEMO_SNAPSHOT));
  return assessAndReport(io, snapshot, controls, settings);
}
