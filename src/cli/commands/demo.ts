import { join } from 'node:path';
import { SEED_CONTROL_IDS, findControl } from '../../controls/index.js';
import type { ControlDefinition } from '../../controls/types.js';
import { readSnapshotFile } from '../../snapshot/io.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { packageRoot } from '../../util/package-root.js';
import { DEMO_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import { ASSESS_OPTIONS, HELP_OPTION, REPORT_OPTIONS, SELECTION_OPTIONS } from '../options.js';
import { assessOptions, chooseControls } from '../selection.js';
import { assessAndReport, reportSettings } from '../output.js';

/** The demo account's evidence, recorded from the seed scenario on moto (`npm run demo:record`). */
export const DEMO_SNAPSHOT = 'demo/mooncloud-cis-test.snapshot.json';

/** The flags of 'trailcheck demo' (shell completion lists them too). */
export const DEMO_OPTIONS = {
  ...REPORT_OPTIONS,
  ...SELECTION_OPTIONS,
  ...ASSESS_OPTIONS,
  ...HELP_OPTION,
} as const;

export async function demoCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('demo', args, DEMO_OPTIONS, io);
  if (values.help) {
    io.stdout(`${DEMO_HELP}\n`);
    return EXIT.OK;
  }
  // Refused on the command line; a --fail-on default from the config file or TRAILCHECK_FAIL_ON is for
  // the gates, and the demo leaves it alone.
  if (args.some((a) => a === '--fail-on' || a.startsWith('--fail-on=')))
    throw new UsageError(
      "--fail-on sets when 'trailcheck scan' exits 1; demo is not a gate and exits 0 whenever it runs.",
    );
  // By default the demo shows the seed report's four checks; --controls all or --framework show more.
  const selection = chooseControls(
    values,
    SEED_CONTROL_IDS.map((id) => findControl(id) as ControlDefinition),
  );
  const options = assessOptions(values);
  const settings = await reportSettings(values);
  const snapshot = await readSnapshotFile(join(packageRoot(), DEMO_SNAPSHOT));
  const code = await assessAndReport(io, snapshot, selection, options, settings);
  // The demo shows a report, it does not judge your account: its findings are not a failure of the run
  // (`npm ci && npx trailcheck demo` must not look broken). Bad input, such as an expired suppression, still is.
  return code === EXIT.FINDINGS ? EXIT.OK : code;
}
