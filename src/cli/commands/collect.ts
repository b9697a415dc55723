import { collect } from '../../collect/index.js';
import { parseRegionList } from '../../collect/regions.js';
import { serializeSnapshot } from '../../snapshot/io.js';
import { EXIT } from '../../util/errors.js';
import { COLLECT_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import {
  ACCESS_OPTIONS,
  ASSESS_OPTIONS,
  HELP_OPTION,
  ORGANIZATION_OPTIONS,
  OUTPUT_OPTIONS,
  SELECTION_OPTIONS,
} from '../options.js';
import { chooseControls } from '../selection.js';
import { collectOrganizationSnapshot, organizationSettings } from '../organization.js';
import { accessOptions, emit } from '../output.js';

/** The flags of 'trailcheck collect' (shell completion lists them too). */
export const COLLECT_OPTIONS = {
  ...ACCESS_OPTIONS,
  ...ORGANIZATION_OPTIONS,
  ...SELECTION_OPTIONS,
  framework: ASSESS_OPTIONS.framework,
  ...HELP_OPTION,
  output: OUTPUT_OPTIONS.output,
} as const;

export async function collectCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('collect', args, COLLECT_OPTIONS, io);
  if (values.help) {
    io.stdout(`${COLLECT_HELP}\n`);
    return EXIT.OK;
  }
  const { controls } = chooseControls(values);
  const regions = values.region !== undefined ? parseRegionList(values.region) : null;
  const access = accessOptions(values, io);
  const organization = organizationSettings(values);
  if (organization)
    return collectOrganizationSnapshot(io, organization, access, regions, controls, values.output);
  const snapshot = await collect({ access, regions, controls });
  const calls = snapshot.stats.apiCalls.reduce((sum, c) => sum + c.calls, 0);
  await emit(
    io,
    serializeSnapshot(snapshot),
    values.output,
    `the snapshot of account ${snapshot.account.Account} (${snapshot.cloudtrail.trails.length} trails, ${snapshot.scope.regions.length} Regions, ${calls} API calls)`,
  );
  return EXIT.OK;
}
